"""Swedish personal identity numbers and coordination numbers in a text (4:9, 4:10 h).

A personnummer is the date of birth and four digits, the last a check digit (the Luhn
algorithm over the ten-digit form): ``YYMMDD-NNNC`` (``+`` from the year one turns 100),
``YYMMDDNNNC``, ``YYYYMMDD-NNNC`` or ``YYYYMMDDNNNC``. A samordningsnummer (coordination
number) is the same with 60 added to the day (Skatteverket, SKV 707 and SKV 704).

The check only *suggests* reason h and confidentiality on the log form; it never blocks a
record. A ten-digit telephone number whose first six digits happen to be a date and whose
last digit happens to satisfy the check (about one in ten of those) is reported too: the
writer keeps their choice.
"""

import re
from datetime import date

# Ten or twelve digits, a separator (- or +) before the last four or none, and no digit
# touching either end: a longer run of digits (an account number, +46 telephone numbers)
# is not an identity number.
_PATTERN = re.compile(r"(?<!\d)(?P<century>\d{2})?(?P<date>\d{6})(?P<separator>[-+]?)(?P<serial>\d{4})(?!\d)")
COORDINATION_DAY_OFFSET = 60
CENTURIES = (18, 19, 20)


def luhn_valid(digits: str) -> bool:
    """Return whether *digits* end in their Luhn check digit (weights 2, 1, 2, 1, ... from the left of ten)."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _valid_day(centuries, yy: int, month: int, day: int) -> bool:
    if day > COORDINATION_DAY_OFFSET:
        day -= COORDINATION_DAY_OFFSET  # a coordination number
    for century in centuries:
        try:
            date(century * 100 + yy, month, day)
        except ValueError:
            continue
        return True
    return False


def is_identity_number(match: re.Match) -> bool:
    """Return whether a match of the pattern is a real date (or coordination day) with a valid check digit."""
    century, digits = match["century"], match["date"]
    yy, month, day = int(digits[:2]), int(digits[2:4]), int(digits[4:])
    if century is not None and int(century) not in CENTURIES:
        return False
    if not _valid_day([int(century)] if century else CENTURIES, yy, month, day):
        return False
    return luhn_valid(digits + match["serial"])


def find_identity_numbers(text: str) -> list[str]:
    """Return the personal identity and coordination numbers in *text*, as written."""
    return [match.group(0) for match in _PATTERN.finditer(text or "") if is_identity_number(match)]


def contains_identity_number(text: str) -> bool:
    """Return whether *text* holds a Swedish personal identity number or coordination number (valid check digit)."""
    return any(is_identity_number(match) for match in _PATTERN.finditer(text or ""))
