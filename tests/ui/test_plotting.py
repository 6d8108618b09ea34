"""knobs.ui.plotting: fixed axis limits that never clip the data; a palette readable on white by
every reader; figures sized for the page's column and drawn for 2x screens."""

import io
import itertools

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

from knobs.ui import plotting  # noqa: E402
from knobs.ui.plotting import CYCLE, PALETTE, cover, new_figure, png  # noqa: E402


def test_cover_keeps_fixed_limits_that_hold_the_data():
    assert cover((-1.0, 1.0), [-0.5, 0.0, 0.9]) == (-1.0, 1.0)


def test_cover_widens_only_the_side_the_data_leaves():
    assert cover((-1.0, 1.0), [0.0, 3.0]) == (-1.0, 3.0)
    assert cover((-1.0, 1.0), [-2.0, 0.5]) == (-2.0, 1.0)


def test_cover_leaves_room_on_a_log_axis():
    assert cover((1e-3, 10.0), [1e-4, 50.0], factor=2.0) == pytest.approx((5e-5, 100.0))


def linear_rgb(hex_colour: str) -> np.ndarray:
    """sRGB ``#RRGGBB`` as linear-light RGB (the sRGB transfer function undone, as WCAG does)."""
    c = np.array([int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)])
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio: (lighter relative luminance + 0.05) / (darker + 0.05)."""
    la, lb = sorted(float(linear_rgb(h) @ [0.2126, 0.7152, 0.0722]) for h in (a, b))[::-1]
    return (la + 0.05) / (lb + 0.05)


def test_the_contrast_ratio_is_wcags():
    assert contrast("#FFFFFF", "#000000") == pytest.approx(21.0)
    assert contrast("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)  # WCAG's example grey
    assert contrast("#E69F00", "#FFFFFF") < 3  # Okabe & Ito's orange, which the palette dropped


@pytest.mark.parametrize("name", sorted(PALETTE))
def test_every_colour_has_3_to_1_contrast_against_the_white_figure(name):
    assert contrast(PALETTE[name], "#FFFFFF") >= 3.0, f"{name} {PALETTE[name]}"


# Machado, Oliveira & Fernandes (2009), full severity, in linear RGB
SIMULATE = {
    "protan": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
               [-0.003882, -0.048116, 1.051998]],
    "deutan": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
               [-0.011820, 0.042940, 0.968881]],
    "tritan": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
               [0.004733, 0.691367, 0.303900]],
    "typical": np.eye(3),
}


def lab(rgb: np.ndarray) -> np.ndarray:
    """CIE L*a*b* (D65) of a linear RGB colour."""
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722],
                    [0.0193, 0.1192, 0.9505]]) @ np.clip(rgb, 0, 1)
    t = xyz / np.array([0.9505, 1.0, 1.089])
    f = np.where(t > 0.008856, np.cbrt(t), 7.787 * t + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


@pytest.mark.parametrize("vision", sorted(SIMULATE))
def test_the_palette_stays_distinguishable_under_colour_blindness(vision):
    # ΔE*ab >= 10: clearly different colours side by side (2.3 is a just-noticeable difference);
    # Okabe & Ito's original seven reach 16 at their closest pair
    m = np.array(SIMULATE[vision])
    for (a, ca), (b, cb) in itertools.combinations(PALETTE.items(), 2):
        distance = np.linalg.norm(lab(m @ linear_rgb(ca)) - lab(m @ linear_rgb(cb)))
        assert distance >= 10, f"{vision}: {a} and {b} are {distance:.1f} apart"


def test_the_colour_cycle_uses_the_palette_only():
    assert set(CYCLE) <= set(PALETTE.values()) and len(set(CYCLE)) == len(CYCLE)


def test_a_figure_wider_than_the_pages_column_is_refused():
    with pytest.raises(ValueError, match="at most"):
        new_figure("t", "x", "y", figsize=(plotting.MAX_WIDTH_IN + 0.5, 3.0))


def test_png_has_density_pixels_per_css_pixel_and_says_its_css_width():
    fig, ax = new_figure("a title", "x", "y", figsize=(4.0, 3.0))
    ax.plot([0, 1], [0, 1])
    data, metadata = plotting._png_with_width(fig)
    plt.close(fig)
    image = Image.open(io.BytesIO(data))
    # bbox_inches="tight" trims the margins: about the figure's width, never more than the column
    assert 3.0 * plotting.CSS_PX_PER_INCH < metadata["width"] <= 4.2 * plotting.CSS_PX_PER_INCH
    assert image.width == pytest.approx(plotting.DENSITY * metadata["width"], abs=1)
    assert set(metadata) == {"width"}, "no height: a narrower column scales the height with it"
    assert image.mode == "P", "256 colours, not 8-bit RGBA"


def test_png_of_an_empty_figure_is_not_shown():
    fig = plt.figure()
    assert plotting._png_with_width(fig) is None
    plt.close(fig)


def test_png_is_smaller_than_matplotlibs_rgba_at_the_same_resolution():
    fig, ax = new_figure("a title", "x", "y")
    ax.plot(np.linspace(0, 1, 50), np.linspace(0, 1, 50) ** 2)
    plain = io.BytesIO()
    fig.savefig(plain, format="png", bbox_inches="tight")
    assert len(png(fig)) < len(plain.getvalue())
    plt.close(fig)
