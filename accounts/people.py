"""How a person is named to a reader: the full name, the user name only when there is no name."""

from django.contrib.auth.models import AbstractBaseUser


def display_name(user: AbstractBaseUser | None) -> str:
    """Return *user*'s full name, falling back to the user name when the account has no name."""
    if user is None:
        return ""
    full_name = user.get_full_name().strip() if hasattr(user, "get_full_name") else ""
    return full_name or user.get_username()
