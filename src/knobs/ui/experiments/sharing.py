"""Chapter 12's experiment: what weight sharing saves.

``EXPERIMENT``: image size, kernel, stride and filters -> the parameters of a convolution, of a
locally connected layer with the same wiring, and of a dense layer with the same input and output
sizes. What sharing buys, the pattern detector the chapter trains, is
``knobs.studies.pattern_detector``.
"""

from __future__ import annotations

import itertools
import math

from knobs.analysis import accounting
from knobs.nn.conv import conv_output_size
from knobs.ui.experiments.base import Experiment, Slider
from knobs.ui.language import N_, _, pad
from knobs.ui.plotting import PALETTE, new_figure

C_IN = 3  # an RGB image


def compute(size: int, kernel: int, stride: int, filters: int) -> dict:
    """Parameter counts of the three layers on a ``3 × size × size`` image."""
    geometry: accounting.ImageLayerGeometry = {"image_size": size, "c_in": C_IN, "c_out": filters,
                                               "kernel": kernel, "stride": stride}
    patches = accounting.patch_count(size, kernel, stride)
    conv = accounting.conv_parameter_count(C_IN, filters, kernel)
    local = accounting.locally_connected_parameter_count(**geometry)
    dense = accounting.dense_image_parameter_count(**geometry)
    return {"size": size, "kernel": kernel, "stride": stride, "filters": filters,
            "out_side": conv_output_size(size, kernel, stride),
            "patches": patches, "conv": conv, "local": local, "dense": dense,
            "ratio": conv / local}


def report(r: dict) -> str:
    counts = [(_("  convolution (one shared filter bank):"), r["conv"]),
              (_("  locally connected (one bank per patch):"), r["local"]),
              (_("  dense (same input and output sizes):"), r["dense"])]
    return "\n".join([
        _("{c} x {size} x {size} image, {filters} filters of {kernel} x {kernel}, "
          "stride {stride}: {side} x {side} = {patches:,} patches").format(
            c=C_IN, size=r["size"], filters=r["filters"], kernel=r["kernel"],
            stride=r["stride"], side=r["out_side"], patches=r["patches"]),
        # the counts end in one column, 60 characters from the left
        *(pad(name, 42) + _("{count:>18,} parameters").format(count=count)
          for name, count in counts),
        _("  conv / locally connected = 1/{patches:,} = 1/(number of patches)").format(
            patches=round(1 / r["ratio"])),
    ])


CONTROLS = (
    Slider("size", N_("image side"), 16, 256, 16, 32, integer=True),
    Slider("kernel", N_("kernel side"), 1, 11, 1, 3, integer=True),
    Slider("stride", N_("stride"), 1, 4, 1, 1, integer=True),
    Slider("filters", N_("filters"), 1, 64, 1, 16, integer=True),
)
# Each count grows with the image side and the filters and shrinks with the kernel and stride
# (the convolution's grows with the kernel), so the largest over the whole control box is at a
# corner. The axis is fixed from it, with room on the right for the printed counts: the bars
# move as the sliders do, the axis stays (and the figure's background is cached).
_LARGEST = max(max(r["conv"], r["local"], r["dense"])
               for r in (compute(*corner) for corner in
                         itertools.product(*(c.grid(2) for c in CONTROLS))))
X_LIMITS = (1.0, 10.0 ** (math.ceil(math.log10(_LARGEST)) + 4))


def draw(r: dict):
    fig, ax = new_figure(f"Sharing one filter bank divides the count by {r['patches']:,} patches",
                         "parameters (log scale)", "", figsize=(6.4, 2.8))
    names = ["convolution", "locally connected", "dense"]
    values = [r["conv"], r["local"], r["dense"]]
    colors = [PALETTE["blue"], PALETTE["ochre"], PALETTE["vermillion"]]
    ax.barh(names, values, color=colors)
    ax.set_xscale("log")
    ax.set_xlim(*X_LIMITS)  # fixed over the control box, with room for the labels
    for k, v in enumerate(values):
        ax.annotate(f"{v:,}", (v, k), xytext=(4, 0), textcoords="offset points", va="center",
                    fontsize=9)
    ax.invert_yaxis()
    ax.grid(axis="y", visible=False)
    return fig


EXPERIMENT = Experiment(
    name="sharing",
    title=N_("Convolution, locally connected, dense: the parameter counts"),
    compute=compute,
    draw=draw,
    report=report,
    controls=CONTROLS,
    main="size",
    alt=N_("Horizontal bars on a logarithmic axis: the parameter counts of a convolution, a "
           "locally connected layer with the same wiring, and a dense layer with the same input "
           "and output sizes, for an RGB image; the locally connected bar exceeds the "
           "convolution's by the number of patches."),
)
