"""Filling in a form with the keyboard alone: Tab, Space, Enter and typing; never a click."""

import pytest

SUBMIT = "<submit>"

# What has the focus: its name (or SUBMIT for a form's submit button) and whether it is in the form.
FOCUSED = """form => {
    const element = document.activeElement;
    return {
        name: element.type === "submit" ? "<submit>" : (element.name || ""),
        inForm: form.contains(element),
    };
}"""

FIELD_NAMES = """form => [...new Set([...form.elements]
    .filter(element => element.type !== "hidden" && element.name && !element.disabled)
    .map(element => element.name))]"""


def tab_to(page, locator, limit: int = 60):
    """Press Tab until *locator* has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("element => element === document.activeElement"):
            return
    pytest.fail(f"{locator} was not reached with Tab")


def fill_in_by_keyboard(page, form, *, typed: dict[str, str], spaced: frozenset[str] = frozenset(), limit: int = 150):
    """Tab through *form* from where the focus is; type ``typed[name]`` into each field as it is first
    reached and press Space on the fields in *spaced* (a radio or check box); stop on the submit button.

    Fails unless every field of the form and then the submit button were reached, in that order.
    Returns the names in the order the focus reached them.
    """
    expected = form.evaluate(FIELD_NAMES)
    reached: list[str] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = form.evaluate(FOCUSED)
        if not focused["inForm"]:
            assert not reached, f"the focus left the form after {reached}, before its submit button"
            continue
        name = focused["name"]
        if name == SUBMIT:
            reached.append(SUBMIT)
            break
        if name in reached:
            continue  # the next part of a date and time field, or the next box of a group
        reached.append(name)
        if name in typed:
            page.keyboard.type(typed[name])
        if name in spaced:
            page.keyboard.press("Space")
    assert reached and reached[-1] == SUBMIT, f"Tab never reached the submit button (reached {reached})"
    missing = [name for name in expected if name not in reached]
    assert not missing, f"Tab never reached {missing} (reached {reached})"
    return reached
