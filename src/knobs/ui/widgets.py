"""ipywidgets for the book's experiments: one line in a chapter, no widget code in notebooks."""

from __future__ import annotations

import base64
import gc
import itertools

import matplotlib.pyplot as plt
from IPython.display import display

from knobs.ui.experiments.base import Choice, Experiment
from knobs.ui.language import _
from knobs.ui.redraw import Redrawer


def render(experiment: Experiment, **values) -> dict:
    """Print the experiment's numbers and show its figure at ``values`` (defaults otherwise)."""
    numbers = experiment.run(**values)
    print(experiment.report(numbers))
    fig = experiment.draw(numbers)
    display(fig)
    plt.close(fig)  # shown once, not again by the inline backend at the end of the cell
    return numbers


# One Redrawer per experiment: it keeps the axes positions of the experiment's first figure and
# the rendered backgrounds (ticks, labels, grid) of the last few, so a slider move renders only
# what changed (see knobs.ui.redraw; the pixels are those of a full render).
_REDRAWERS: dict[str, Redrawer] = {}


MAX_WARM_MENUS = 16  # menu combinations whose backgrounds a live widget renders in advance


def menu_settings(experiment: Experiment) -> list[dict]:
    """The defaults with each combination of the experiment's menus (its ``Choice`` controls),
    the defaults' own first."""
    menus = [c for c in experiment.controls if isinstance(c, Choice)]
    combos = itertools.product(*([c.default] + [o for o in c.options if o != c.default]
                                 for c in menus))
    return [experiment.defaults() | dict(zip([c.name for c in menus], combo, strict=True))
            for combo in itertools.islice(combos, MAX_WARM_MENUS)]


def redrawer(experiment: Experiment) -> Redrawer:
    """The experiment's Redrawer, shared by all its live widgets in this kernel; room for a
    background per menu combination and as many again."""
    if experiment.name not in _REDRAWERS:
        room = max(8, 2 * len(menu_settings(experiment)))
        _REDRAWERS[experiment.name] = Redrawer(max_backgrounds=room)
    return _REDRAWERS[experiment.name]


def freeze_heap_once() -> None:
    """Keep the garbage collector's full passes short while live figures are redrawn.

    A full collection walks every object the collector tracks: in a kernel with NumPy,
    matplotlib and IPython loaded, hundreds of thousands, 100-300 ms on a hub's core. Each
    discarded figure leaves reference cycles behind, so the collector starts such a pass every
    few slider moves, and that move takes several times the budget. The objects alive when the
    first live figure is drawn (modules, classes, the chapter's data) live as long as the kernel:
    ``gc.freeze`` moves them out of the collector's sight, after one collection so that no
    garbage is frozen with them. Later passes see only the objects made since.
    """
    global _HEAP_FROZEN
    if not _HEAP_FROZEN:
        gc.collect()
        gc.freeze()
        _HEAP_FROZEN = True


_HEAP_FROZEN = False


def figure_png(experiment: Experiment, fig) -> bytes:
    """The figure as PNG bytes, drawn by the experiment's Redrawer; the figure is closed."""
    freeze_heap_once()
    try:
        return redrawer(experiment).png(fig)
    finally:
        plt.close(fig)


def outputs(experiment: Experiment, values: dict) -> tuple[dict, ...]:
    """The experiment's report and figure as notebook outputs (what an Output widget shows)."""
    try:
        numbers = experiment.run(**values)
    except (ValueError, TypeError, FloatingPointError) as err:
        text = _("Cannot compute: {error}").format(error=err)
        return ({"output_type": "stream", "name": "stdout", "text": text + "\n"},)
    png = base64.b64encode(figure_png(experiment, experiment.draw(numbers))).decode("ascii")
    return (
        {"output_type": "stream", "name": "stdout", "text": experiment.report(numbers) + "\n"},
        {"output_type": "display_data", "metadata": {},
         "data": {"image/png": png, "text/plain": f"<{_(experiment.title)}>"}},
    )


def prepare(experiment: Experiment) -> tuple[dict, ...]:
    """What a live widget does when it is displayed: its outputs at the defaults (returned),
    and a rendered background for each combination of its menus (kept by its Redrawer).

    A menu option usually changes the axes (another activation, another range), so its first
    choice would otherwise render the whole figure, several times the cost of a slider move.
    """
    first = outputs(experiment, experiment.defaults())
    cache = redrawer(experiment)
    for values in menu_settings(experiment)[1:]:
        try:
            fig = experiment.draw(experiment.run(**values))
        except (ValueError, TypeError, FloatingPointError):
            continue  # outputs() reports it if the reader picks this combination
        try:
            cache.store_background(fig)
        finally:
            plt.close(fig)
    return first


def controls(experiment: Experiment) -> dict:
    """One ipywidget per control, with the control's range, step and default."""
    import ipywidgets as w

    made = {}
    for c in experiment.controls:
        style = {"description_width": "initial"}
        if isinstance(c, Choice):
            # (shown name, value) pairs: the reader's language, the engine's values
            made[c.name] = w.Dropdown(options=[(c.format(o), o) for o in c.options],
                                      value=c.default, description=_(c.label), style=style)
        elif c.integer:
            made[c.name] = w.IntSlider(min=c.min, max=c.max, step=c.step, value=c.default,
                                       description=_(c.label), continuous_update=False, style=style)
        else:
            made[c.name] = w.FloatSlider(min=c.min, max=c.max, step=c.step, value=c.default,
                                         description=_(c.label), continuous_update=False,
                                         style=style,
                                         readout_format=f".{c.decimals}f")
    return made


def live(experiment: Experiment) -> None:
    """Display the experiment's controls above its numbers and figure (``build_live``'s box)."""
    box = build_live(experiment)
    bundle = box._repr_mimebundle_()
    # a readable stand-in where no widget frontend runs, instead of the nested widget repr
    bundle["text/plain"] = _("Live experiment: {title} (move the controls in a kernel)").format(
        title=_(experiment.title))
    display(bundle, raw=True)


def build_live(experiment: Experiment):
    """The live experiment's widget: controls above an Output widget with numbers and figure.

    Moving a control calls the experiment's pure ``compute`` again and replaces the outputs of
    the box's Output widget. The outputs are set as widget state rather than printed, so the
    cell's own output is the same with or without a widget frontend (and nbval can compare it).
    """
    import ipywidgets as w

    sliders = controls(experiment)
    out = w.Output(layout=w.Layout(min_height="300px"))
    out.outputs = prepare(experiment)

    def update(_change=None):
        out.outputs = outputs(experiment, {name: s.value for name, s in sliders.items()})

    for s in sliders.values():
        s.observe(update, names="value")
    box = w.VBox([w.HBox(list(sliders.values()), layout=w.Layout(flex_flow="row wrap")), out])
    box.add_class("knobs-live")
    box.add_class(f"knobs-experiment-{experiment.name}")  # which one (book/_ext/knobs_site)
    return box
