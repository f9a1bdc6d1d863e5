"""WCAG 2.1 contrast (success criterion 1.4.3, level AA): a colour carrying white text needs 4.5:1."""

import re

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

AA_NORMAL_TEXT = 4.5
WHITE = "#ffffff"
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")

ERRORS = {
    "colour_format": _("Enter the colour as # and six hexadecimal digits, e.g. #00546e."),
    "contrast": _(
        "The colour %(colour)s has a contrast of only %(ratio)s:1 against white text. WCAG AA requires at "
        "least 4.5:1: choose a darker colour."
    ),
}


def relative_luminance(colour: str) -> float:
    """Return the relative luminance of a #rrggbb colour (WCAG 2.1 definition)."""
    channels = []
    for index in (1, 3, 5):
        value = int(colour[index : index + 2], 16) / 255
        channels.append(value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4)
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: str, second: str) -> float:
    """Return the contrast ratio of two #rrggbb colours, from 1 to 21."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def check_colour_for_white_text(colour: str) -> str:
    """Return *colour* lower-cased if it is #rrggbb with WCAG AA contrast against white text; else raise."""
    if not _HEX.match(colour or ""):
        raise ValidationError(ERRORS["colour_format"], code="colour_format")
    ratio = contrast_ratio(colour, WHITE)
    if ratio < AA_NORMAL_TEXT:
        # Rounded down: 4.49 must never read as 4.5.
        shown = number_format(int(ratio * 100) / 100, decimal_pos=2)
        raise ValidationError(ERRORS["contrast"], code="contrast", params={"colour": colour, "ratio": shown})
    return colour.lower()
