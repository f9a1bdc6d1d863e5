"""Personal identity and coordination numbers in a removed comment's text (4:9, 4:10 h)."""

import pytest

from moderation.identity_numbers import contains_identity_number, find_identity_numbers, luhn_valid


@pytest.mark.parametrize(
    "text",
    [
        "811218-9876",  # Skatteverket's example: separator
        "8112189876",  # no separator
        "811218+9876",  # + from the year one turns 100
        "19811218-9876",  # twelve digits with century
        "198112189876",
        "20811218-9876",  # the century only decides the date, not the check digit
        "Mitt personnummer är 811218-9876, ring mig.",
        "pnr:8112189876.",
        "(19811218-9876)",
        "701063-2391",  # coordination number: day 3 + 60
        "19701063-2391",
        "000229-0005",  # 29 February 2000 (a leap year)
    ],
)
def test_contains_identity_number_finds_valid_numbers(text):
    """Ten or twelve digits, with or without - or +, a real date (or day + 60) and a valid check digit."""
    assert contains_identity_number(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "811218-9875",  # wrong check digit
        "811218-9877",
        "8112189870",
        "19811218-9870",
        "811318-9875",  # month 13 (check digit right)
        "811200-9876",  # day 0 (check digit right)
        "810231-0003",  # 31 February (check digit right)
        "810229-0007",  # 29 February 1981: no leap year (either century)
        "810192-0000",  # coordination day 92 - 60 = 32 (check digit right)
        "17811218-9876",  # no century 17 in use
        "21811218-9876",
        "81-12-18-9876",  # not the number's form
        "811218 - 9876",
        "811218/9876",
        "070-123 45 67",  # a mobile telephone number as written
        "0701234567",  # the same without spaces: a date (2007-01-23), but the check digit fails
        "+46701234567",  # international: eleven digits after +
        "0046 70 123 45 67",
        "1234567890123",  # thirteen digits: an account number
        "88112189876",  # eleven digits
        "Ordernummer 123456",
        "Ring 0910-123 45",
    ],
)
def test_contains_identity_number_refuses_non_numbers(text):
    """A wrong check digit, an impossible date, another form or a longer run of digits is no identity number."""
    assert not contains_identity_number(text)


def test_contains_identity_number_coordination_number_needs_a_real_day():
    """A coordination number's day less 60 must be a day of its month."""
    assert contains_identity_number("700263-2391")  # 3 February
    assert not contains_identity_number("700293-2395")  # 33 February, check digit right


def test_find_identity_numbers_returns_each_as_written():
    """Every number is returned as the text has it; invalid ones are left out."""
    text = "A: 811218-9876, B: 811218-9875, C: 19701063-2391"
    assert find_identity_numbers(text) == ["811218-9876", "19701063-2391"]


def test_contains_identity_number_none_is_false():
    assert not contains_identity_number(None)


@pytest.mark.parametrize(("digits", "valid"), [("8112189876", True), ("7010632391", True), ("8112189875", False)])
def test_luhn_valid(digits, valid):
    assert luhn_valid(digits) is valid
