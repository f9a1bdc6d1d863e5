"""Calendar arithmetic on the municipality's days (Europe/Stockholm), shared by every app."""

import calendar
from datetime import date, datetime, time

from django.utils import timezone


def day_start(day: date) -> datetime:
    """Return the first instant of *day* in the municipality's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


def add_months(day: date, months: int) -> date:
    """Return *day* plus *months* calendar months (negative: back), clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def one_year_after(day: date) -> date:
    """Return the same day a year later (28 February for 29 February)."""
    return add_months(day, 12)
