"""WCAG AA contrast of the brand colours against white text (4:1)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from branding.contrast import check_colour_for_white_text, contrast_ratio


@pytest.mark.parametrize(
    ("first", "second", "ratio"),
    [
        ("#000000", "#ffffff", 21.0),
        ("#ffffff", "#ffffff", 1.0),
        ("#767676", "#ffffff", 4.54),
        ("#777777", "#ffffff", 4.48),
    ],
)
def test_contrast_ratio_matches_wcag(first, second, ratio):
    assert contrast_ratio(first, second) == pytest.approx(ratio, abs=0.01)


@pytest.mark.parametrize("colour", ["#00546e", "#003a4d", "#767676", "#000000", "#0B5CAD"])
def test_check_colour_accepts_aa(colour):
    assert check_colour_for_white_text(colour) == colour.lower()


@pytest.mark.parametrize("colour", ["#777777", "#ffffff", "#ffd700", "#00a0e0"])
def test_check_colour_refuses_below_aa_with_a_swedish_message(colour):
    with translation.override("sv"), pytest.raises(ValidationError) as excinfo:
        check_colour_for_white_text(colour)
    assert excinfo.value.code == "contrast"
    message = excinfo.value.messages[0]
    assert "4,5:1" in message and colour in message


def test_check_colour_ratio_is_rounded_down():
    """#777777 reaches 4.48:1, never shown as 4.5."""
    with pytest.raises(ValidationError) as excinfo:
        check_colour_for_white_text("#777777")
    assert excinfo.value.params["ratio"] == "4,47"  # Swedish decimal comma, rounded down


@pytest.mark.parametrize("colour", ["", "00546e", "#0546e", "#00546g", "blue", "#00546e00", "rgb(0,0,0)"])
def test_check_colour_refuses_other_forms(colour):
    with pytest.raises(ValidationError) as excinfo:
        check_colour_for_white_text(colour)
    assert excinfo.value.code == "colour_format"
