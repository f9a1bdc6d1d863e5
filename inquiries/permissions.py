"""Who may do what with inquiries (section 5): every rule of the app, one function each."""

from registry.permissions import is_registrar


def can_register_inquiry(user) -> bool:
    """Any signed-in employee registers an inquiry they received (section 5)."""
    return bool(user.is_authenticated and user.is_active)


def can_see_all_inquiries(user) -> bool:
    """The registrar receives every inquiry: the list at /inkommet/."""
    return is_registrar(user)


def can_see_inquiry(user, inquiry) -> bool:
    """The registrar, and the employee who registered it (their receipt)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return can_see_all_inquiries(user) or inquiry.registered_by_id == user.pk


def can_add_addendum(user, inquiry) -> bool:
    """Corrections and notes: the employee who registered it, and the registrar; none once disposed of (4:7)."""
    return can_see_inquiry(user, inquiry) and inquiry.disposal_or_none is None
