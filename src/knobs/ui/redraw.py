"""Fast redraws for live experiments: render only what a control's move changed (blitting).

A live figure is drawn again on every move of a slider. Most of matplotlib's time goes to the
parts that stay the same between moves: the axes' ticks, tick labels, grid lines and axis labels
(each a Python object laid out and rendered again). ``Redrawer`` renders those parts once, keeps
the picture (the *background*), and on the next figure with the same axes (same limits, scales,
ticks, labels and positions) copies the background and draws only the rest on top: lines,
markers, titles, legends, texts, spines. This is matplotlib's own blitting technique
(``copy_from_bbox`` / ``restore_region`` / ``draw_artist``) applied to a fresh figure.

The result is the same picture pixel for pixel as a full render of the figure
(``tests/ui/test_redraw.py`` checks every experiment over its controls), because

- a background is reused only when its *key* matches: figure size and resolution, and for every
  axes its position, limits, scales, tick locations and labels, tick settings and axis labels;
- the ticks and grid are drawn below every other artist (``axes.axisbelow``, the book's style),
  so drawing the other artists after them is the order a full render uses. A figure where that
  does not hold (an artist below the grid, overlapping axes) is rendered in full every time.

Axes positions come from the layout engine on the first figure only; later figures reuse them
(the constrained layout costs as much as a render, and moves the axes by a pixel or two between
values, which would also defeat the background cache).
"""

from __future__ import annotations

import struct
import zlib
from collections import OrderedDict
from operator import attrgetter

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

PNG_COMPRESS_LEVEL = 1  # zlib's fastest level: a figure is mostly flat colour and packs well


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def encode_png(rgba: np.ndarray) -> bytes:
    """An ``(h, w, 4)`` uint8 RGBA picture as PNG bytes (8-bit RGBA, no row filter).

    Written out rather than handed to Pillow, whose per-row filter search costs more than the
    compression itself: 3 ms instead of 9 ms for a 1000 x 360 figure, for a file ~5 % larger.
    """
    rgba = np.asarray(rgba)
    if rgba.dtype != np.uint8 or rgba.ndim != 3 or rgba.shape[2] != 4:
        raise ValueError(f"expected an (h, w, 4) uint8 RGBA array, got {rgba.dtype} "
                         f"{rgba.shape}")
    h, w, _ = rgba.shape
    rows = np.zeros((h, 1 + 4 * w), np.uint8)  # each row: filter type 0 (none), then pixels
    rows[:, 1:] = rgba.reshape(h, 4 * w)
    header = struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0)  # 8 bits, RGBA, deflate, no interlace
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header)
            + _png_chunk(b"IDAT", zlib.compress(rows.tobytes(), PNG_COMPRESS_LEVEL))
            + _png_chunk(b"IEND", b""))


def render_full(fig: Figure) -> np.ndarray:
    """The figure rendered the ordinary way (``canvas.draw``), as an RGBA array (a copy)."""
    fig.canvas.draw()
    # the book's figures have Agg canvases (the inline backend, Agg in tests and benchmarks), with
    # buffer_rgba; the stubs type Figure.canvas as the base class, which does not declare it
    return np.array(fig.canvas.buffer_rgba())  # type: ignore[attr-defined]


def _axis_key(axis) -> tuple:
    locs = tuple(axis.get_majorticklocs())
    minor = tuple(axis.get_minorticklocs())
    return (axis.get_scale(), axis.get_visible(),
            locs, tuple(axis.major.formatter.format_ticks(locs)),
            minor, tuple(axis.minor.formatter.format_ticks(minor)),
            axis.get_label_text(), axis.label.get_fontsize(), axis.label.get_color(),
            axis.get_label_position(),
            repr(sorted(axis._major_tick_kw.items())), repr(sorted(axis._minor_tick_kw.items())))


def background_key(fig: Figure) -> tuple:
    """Everything the background's pixels depend on (see the module docstring)."""
    axes = []
    for ax in fig.axes:
        axes.append((type(ax).__name__, tuple(ax.get_position().bounds), ax.get_xlim(),
                     ax.get_ylim(), ax.axison, ax.get_facecolor(), ax.get_frame_on(),
                     _axis_key(ax.xaxis), _axis_key(ax.yaxis)))
    return (tuple(fig.canvas.get_width_height()), fig.dpi, fig.get_facecolor(), tuple(axes))


def _titles(ax: Axes) -> tuple[Text, Text, Text]:
    """The axes' centre, left and right titles."""
    # the left and right ones are private attributes, absent from matplotlib's type stubs
    return ax.title, ax._left_title, ax._right_title  # type: ignore[attr-defined]


def _background_artists(ax: Axes) -> list:
    return [ax.patch, ax.xaxis, ax.yaxis] if ax.axison else [ax.patch]


def _foreground(ax: Axes) -> list:
    """The axes' artists drawn over the background, in drawing (z) order."""
    keep = _background_artists(ax)
    children = [a for a in ax.get_children() if not any(a is k for k in keep)]
    return sorted(children, key=attrgetter("zorder"))


def blittable(fig: Figure) -> bool:
    """Whether drawing the foreground over the background is the full render's order."""
    boxes = [ax.get_position() for ax in fig.axes]
    for i, box in enumerate(boxes):
        if any(box.overlaps(other) for other in boxes[i + 1:]):
            return False
    for ax in fig.axes:
        if ax.child_axes or ax.get_axes_locator() is not None:
            return False
        floor = max(ax.xaxis.get_zorder(), ax.yaxis.get_zorder())  # the patch is drawn first
        if any(a.get_zorder() <= floor for a in _foreground(ax) if a.get_visible()):
            return False
    return True


class Redrawer:
    """PNG renderings of successive figures of one live experiment, reusing backgrounds."""

    def __init__(self, max_backgrounds: int = 8):
        if max_backgrounds < 1:
            raise ValueError(f"max_backgrounds must be at least 1, got {max_backgrounds}")
        self.max_backgrounds = max_backgrounds
        self.positions: list | None = None   # axes positions from the first figure's layout
        self.backgrounds: OrderedDict = OrderedDict()  # key -> (pixels, title positions)
        self.hits = self.misses = self.full = 0
        # One renderer for every figure drawn over a background: matplotlib caches text
        # metrics per renderer, so the titles' and legends' layouts are computed once, not
        # at every move (a new figure would bring a new renderer and an empty cache).
        self._renderer: RendererAgg | None = None

    def png(self, fig: Figure) -> bytes:
        """The figure as PNG bytes (the same pixels as a full render of it)."""
        return encode_png(self.render(fig))

    def render(self, fig: Figure) -> np.ndarray:
        """The figure as an RGBA array, rendered over a stored background when one matches."""
        if not self._place(fig) or not blittable(fig):
            self.full += 1
            return render_full(fig)
        key = background_key(fig)
        if key in self.backgrounds:
            self.backgrounds.move_to_end(key)
            self.hits += 1
        else:
            self.misses += 1
            self.backgrounds[key] = self._render_background(fig)
            while len(self.backgrounds) > self.max_backgrounds:
                self.backgrounds.popitem(last=False)
        pixels, titles = self.backgrounds[key]
        return self._render_foreground(fig, self._renderer_for(fig), pixels, titles)

    def store_background(self, fig: Figure) -> bool:
        """Render and keep the figure's background if none matches yet, drawing nothing over it
        (what a widget does for each menu option when it is displayed). Returns whether a new
        background was rendered."""
        if not self._place(fig) or not blittable(fig):
            return False  # such a figure is rendered in full anyway
        key = background_key(fig)
        if key in self.backgrounds:
            return False
        self.misses += 1
        self.backgrounds[key] = self._render_background(fig)
        while len(self.backgrounds) > self.max_backgrounds:
            self.backgrounds.popitem(last=False)
        return True

    def _renderer_for(self, fig: Figure) -> RendererAgg:
        width, height = fig.canvas.get_width_height(physical=True)  # as the canvas's own
        r = self._renderer
        if r is None or (r.width, r.height, r.dpi) != (width, height, fig.dpi):
            self._renderer = r = RendererAgg(width, height, fig.dpi)
        return r

    def _place(self, fig: Figure) -> bool:
        """Give the figure's axes the first figure's positions; False if they cannot match."""
        if self.positions is None:
            fig.canvas.draw()  # runs the layout engine once, for this experiment's lifetime
            self.positions = [ax.get_position(original=True) for ax in fig.axes]
        if len(self.positions) != len(fig.axes):
            return False
        fig.set_layout_engine("none")
        for ax, position in zip(fig.axes, self.positions, strict=True):
            ax.set_position(position)
            ax.apply_aspect()
        return True

    @staticmethod
    def _render_background(fig: Figure) -> tuple:
        # Animated artists are left out of an ordinary draw but still take part in its layout
        # (titles are placed against the axes as in a full render): the background is the full
        # render without them.
        front = [a for ax in fig.axes for a in _foreground(ax)]
        front += [a for a in fig.get_children() if not isinstance(a, Axes) and a is not fig.patch]
        animated = [a.get_animated() for a in front]
        for a in front:
            a.set_animated(True)
        try:
            pixels = render_full(fig)
        finally:
            for a, was in zip(front, animated, strict=True):
                a.set_animated(was)
        titles = [[t.get_position() for t in _titles(ax)] for ax in fig.axes]
        return pixels, titles

    @staticmethod
    def _render_foreground(fig: Figure, renderer: RendererAgg, pixels: np.ndarray,
                           titles: list) -> np.ndarray:
        out = np.asarray(renderer.buffer_rgba())
        out[...] = pixels
        for ax, positions in zip(fig.axes, titles, strict=True):
            for text, position in zip(_titles(ax), positions, strict=True):
                text.set_position(position)
        # the figure's own order: axes and figure-level artists (suptitle, legends) by zorder
        top = [a for a in fig.get_children() if a is not fig.patch and a.get_visible()]
        for artist in sorted(top, key=attrgetter("zorder")):
            if isinstance(artist, Axes):
                for a in _foreground(artist):
                    if a.get_visible():
                        a.draw(renderer)
            else:
                artist.draw(renderer)
        return np.array(out)
