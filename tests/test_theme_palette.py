"""
The colours in site.css, checked as numbers: WCAG AA contrast for text (4.5:1) and 3:1 for the
focus ring and the drawn parts of the circle, in the light palette and in the dark one. axe in
the browser tests checks the pages too, but not SVG text, focus rings or every tinted box.
"""

import re

import pytest
from django.conf import settings

STATIC = settings.BASE_DIR / "static"
SITE_CSS = (STATIC / "css" / "site.css").read_text()
BOOTSTRAP_CSS = (STATIC / "vendor" / "bootstrap" / "bootstrap.min.css").read_text()

DARK_CHOSEN = ':root[data-theme="dark"] {'
DARK_AUTOMATIC = ':root:not([data-theme="light"]) {'


def declarations(css, opening):
    """The custom properties (and color-scheme) declared in the block that starts `opening`."""
    start = css.index(opening) + len(opening)
    body = css[start : css.index("}", start)]
    return dict(re.findall(r"(--[\w-]+|color-scheme)\s*:\s*([^;]+);", body))


def light_palette():
    bootstrap = declarations(BOOTSTRAP_CSS, ":root,[data-bs-theme=light]{")
    return {**bootstrap, **declarations(SITE_CSS, ":root {")}


def dark_palette():
    return {**light_palette(), **declarations(SITE_CSS, DARK_CHOSEN)}


def rgb(value):
    value = value.strip()
    if value.startswith("#"):
        digits = value[1:]
        if len(digits) == 3:
            digits = "".join(2 * c for c in digits)
        return tuple(int(digits[i : i + 2], 16) for i in (0, 2, 4)), 1.0
    numbers = [float(n) for n in re.findall(r"[\d.]+", value)]
    return tuple(numbers[:3]), (numbers[3] if len(numbers) > 3 else 1.0)


def luminance(colour):
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(palette, foreground, background):
    back, _ = rgb(palette[background])
    fore, alpha = rgb(palette[foreground])
    fore = tuple(alpha * f + (1 - alpha) * b for f, b in zip(fore, back, strict=True))
    lighter, darker = sorted((luminance(fore), luminance(back)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


SURFACES = [
    "--bs-body-bg",
    "--site-bar-bg",
    "--site-footer-bg",
    "--site-tint",
    "--key-points-bg",
    "--practice-bg",
    "--answer-right-bg",
    "--answer-not-yet-bg",
    "--preview-hidden-bg",
    "--certificate-bg",
]
TEXT = [
    *[("--bs-body-color", surface) for surface in SURFACES],
    *[("--bs-link-color", surface) for surface in SURFACES],
    ("--bs-secondary-color", "--bs-body-bg"),
    ("--bs-secondary-color", "--site-bar-bg"),
    ("--site-footer-color", "--site-footer-bg"),
    ("--site-muted", "--bs-body-bg"),
    ("--site-muted", "--site-tint"),
    *[
        (f"--place-{place}-color", f"--place-{place}-bg")
        for place in ["exploration", "safe_haven", "hands", "whole"]
    ],
    ("--share-private-color", "--share-private-bg"),
    ("--status-done", "--bs-body-bg"),
    ("--status-done", "--certificate-bg"),
    ("--status-in-progress", "--bs-body-bg"),
    ("--status-not-started", "--bs-body-bg"),
    ("--quiet-note", "--bs-body-bg"),
    ("--certificate-note", "--certificate-bg"),
    # Outline buttons: their colour on the page, then the page colour on them when pressed.
    *[(f"--site-{kind}", "--bs-body-bg") for kind in ["primary", "secondary", "success", "danger"]],
    ("--site-secondary", "--site-footer-bg"),  # Automatic / Light / Dark
    *[("--site-on-accent", f"--site-{kind}") for kind in ["primary", "secondary", "danger"]],
    # The circle's words sit on its halves, the hands and the principles' rings.
    ("--svg-label", "--place-exploration-bg"),
    ("--svg-label", "--place-safe_haven-bg"),
    ("--svg-label", "--place-hands-bg"),
    ("--svg-sub", "--place-exploration-bg"),
    ("--svg-sub", "--place-safe_haven-bg"),
    ("--svg-sub", "--bs-body-bg"),
    ("--svg-count", "--place-whole-bg"),
    # Messages (Bootstrap alerts).
    *[
        (f"--bs-{kind}-text-emphasis", f"--bs-{kind}-bg-subtle")
        for kind in ["primary", "success", "info", "warning", "danger"]
    ],
]
GRAPHICS = [
    # The focus ring sits 2 px outside the control, on whatever surface is around it.
    *[("--site-focus", surface) for surface in SURFACES],
    ("--site-control-border", "--bs-body-bg"),
    ("--circle-green", "--progress-track"),
    ("--circle-green", "--svg-exploration-track"),
    ("--circle-blue", "--svg-safe_haven-track"),
    ("--site-amber-line", "--svg-hands-track"),
    ("--svg-principle-line", "--svg-principle-track"),
    ("--svg-sub", "--bs-body-bg"),  # the arrows
]

PALETTES = {"light": light_palette, "dark": dark_palette}


@pytest.mark.parametrize("theme", PALETTES)
@pytest.mark.parametrize(("foreground", "background"), TEXT)
def test_text_has_aa_contrast_in_both_themes(theme, foreground, background):
    ratio = contrast(PALETTES[theme](), foreground, background)
    assert ratio >= 4.5, f"{theme}: {foreground} on {background} is {ratio:.2f}:1"


@pytest.mark.parametrize("theme", PALETTES)
@pytest.mark.parametrize(("foreground", "background"), GRAPHICS)
def test_the_focus_ring_and_the_drawn_parts_have_3_to_1_in_both_themes(
    theme, foreground, background
):
    ratio = contrast(PALETTES[theme](), foreground, background)
    assert ratio >= 3, f"{theme}: {foreground} on {background} is {ratio:.2f}:1"


def test_the_dark_background_is_a_soft_dark_not_black():
    dark = dark_palette()
    background = luminance(rgb(dark["--bs-body-bg"])[0])
    assert 0.005 < background < 0.03
    assert dark["color-scheme"] == "dark"


def test_chosen_dark_and_automatic_dark_are_the_same_palette():
    chosen = declarations(SITE_CSS, DARK_CHOSEN)
    automatic = declarations(SITE_CSS, DARK_AUTOMATIC)
    assert chosen == automatic
    # Every colour the light palette sets has its dark counterpart.
    assert set(declarations(SITE_CSS, ":root {")) - {
        "--bs-body-font-size",
        "--bs-body-line-height",
    } <= set(chosen)


def test_the_dark_palette_is_for_screens_only_so_paper_stays_light():
    assert "@media screen {\n  " + DARK_CHOSEN in SITE_CSS
    assert "@media screen and (prefers-color-scheme: dark) {\n  " + DARK_AUTOMATIC in SITE_CSS


def test_no_colour_is_written_outside_the_palettes():
    """Every rule takes its colours from variables, so both themes cover it."""
    rules = SITE_CSS
    for opening in [":root {", DARK_CHOSEN, DARK_AUTOMATIC]:
        start = rules.index(opening)
        rules = rules[:start] + rules[rules.index("}", start) + 1 :]
    print_rules = rules[rules.index("@media print {\n  /* 15 mm") :]
    rules = rules.replace(print_rules, "")
    assert re.findall(r"#[0-9a-fA-F]{3,8}\b|rgba?\(", rules) == []
