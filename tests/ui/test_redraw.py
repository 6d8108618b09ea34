"""knobs.ui.redraw: a figure drawn over a reused background is the full render, pixel for pixel."""

import itertools
import random

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

from knobs.ui.experiments import ALL, Choice  # noqa: E402
from knobs.ui.plotting import new_figure, use_book_style  # noqa: E402
from knobs.ui.redraw import Redrawer, encode_png, render_full  # noqa: E402

IDS = [e.name for e in ALL]


def reference(redrawer, fig):
    """The full render of ``fig`` with the redrawer's axes positions (what it must equal)."""
    fig.set_layout_engine("none")
    for ax, position in zip(fig.axes, redrawer.positions, strict=True):
        ax.set_position(position)
        ax.apply_aspect()
    return render_full(fig)


def settings(experiment):
    """Each control over 4 values, and 6 corners of the control box, in a shuffled order, each
    setting once."""
    values = [experiment.defaults() | {c.name: v} for c in experiment.controls
              for v in c.grid(4)]
    ends = [c.values() if isinstance(c, Choice) else c.grid(2) for c in experiment.controls]
    rng = random.Random(0)
    corners = list(itertools.product(*ends))
    values += [dict(zip([c.name for c in experiment.controls], corner, strict=True))
               for corner in rng.sample(corners, min(6, len(corners)))]
    rng.shuffle(values)
    # each setting once: a repeat (a corner that is also a control's extreme) renders the same
    # pixels over the same background again and checks nothing new
    unique = {tuple(sorted(v.items())): v for v in reversed(values)}
    return [v for v in values if unique[tuple(sorted(v.items()))] is v]


@pytest.mark.parametrize("experiment", ALL, ids=IDS)
def test_every_experiment_redraws_exactly_the_full_render(experiment):
    use_book_style()
    redrawer = Redrawer(max_backgrounds=4)  # small, so that evictions happen too
    redrawer.render(experiment.draw(experiment.run()))
    for values in settings(experiment):
        numbers = experiment.run(**values)
        fast = redrawer.render(experiment.draw(numbers))
        full = reference(redrawer, experiment.draw(numbers))
        plt.close("all")
        assert fast.shape == full.shape and fast.dtype == np.uint8
        differ = np.any(fast != full, axis=2)
        assert not differ.any(), f"{differ.sum()} pixels differ at {values}"
    assert redrawer.hits + redrawer.misses + redrawer.full == len(settings(experiment)) + 1


def line_figure(y, ylim=(-2, 2), title="t"):
    fig, ax = new_figure(title, "x", "y")
    ax.plot(np.arange(len(y)), y)
    ax.set_ylim(*ylim)
    return fig


def test_a_background_is_reused_when_only_the_data_change():
    redrawer = Redrawer()
    redrawer.render(line_figure([0, 1, 0]))
    assert (redrawer.hits, redrawer.misses) == (0, 1)
    redrawer.render(line_figure([1, -1, 1], title="another title"))
    assert (redrawer.hits, redrawer.misses) == (1, 1)
    redrawer.render(line_figure([1, -1, 1], ylim=(-3, 3)))  # new ticks: a new background
    assert (redrawer.hits, redrawer.misses) == (1, 2)
    plt.close("all")


def test_backgrounds_are_bounded_least_recently_used_first():
    redrawer = Redrawer(max_backgrounds=2)
    for top in (1, 2, 3, 1):
        redrawer.render(line_figure([0, 1], ylim=(0, top)))
    assert redrawer.misses == 4 and len(redrawer.backgrounds) == 2
    plt.close("all")


def test_an_artist_under_the_grid_or_overlapping_axes_means_a_full_render():
    redrawer = Redrawer()
    fig = line_figure([0, 1])
    fig.axes[0].axhspan(0, 1, zorder=0)  # below the grid: cannot go on top of the background
    redrawer.render(fig)
    assert redrawer.full == 1 and redrawer.hits == redrawer.misses == 0
    fig = plt.figure()
    fig.add_axes((0.1, 0.1, 0.6, 0.6))
    fig.add_axes((0.3, 0.3, 0.6, 0.6))  # an inset: its background would cover the first's data
    overlapping = Redrawer()
    assert np.array_equal(overlapping.render(fig), render_full(fig))
    assert overlapping.full == 1 and overlapping.hits == overlapping.misses == 0
    plt.close("all")


def test_png_decodes_to_the_rendered_pixels():
    fig = line_figure([0, 1, 0])
    rgba = Redrawer().render(fig)
    png = encode_png(rgba)
    import io

    image = Image.open(io.BytesIO(png))
    image.verify()  # chunk CRCs and structure, as a strict reader checks them
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.mode == "RGBA" and image.size == rgba.shape[1::-1]
    assert np.array_equal(np.asarray(image), rgba)
    with pytest.raises(ValueError, match=r"\(h, w, 4\) uint8 RGBA"):
        encode_png(rgba[..., :3])
    plt.close("all")


def test_needs_room_for_a_background():
    with pytest.raises(ValueError, match="max_backgrounds must be at least 1"):
        Redrawer(max_backgrounds=0)


def test_storing_a_background_renders_it_once_and_draws_nothing_over_it():
    redrawer = Redrawer()
    assert redrawer.store_background(line_figure([0, 1, 0])) and redrawer.misses == 1
    assert not redrawer.store_background(line_figure([1, 0, 1])), "same axes: the stored one"
    assert (redrawer.hits, redrawer.misses, len(redrawer.backgrounds)) == (0, 1, 1)
    fig = line_figure([1, -1, 1], title="another title")
    pixels = redrawer.render(fig)                        # the next move reuses it
    same = line_figure([1, -1, 1], title="another title")
    assert redrawer.hits == 1 and np.array_equal(pixels, reference(redrawer, same))
    plt.close("all")
