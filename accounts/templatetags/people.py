"""The template filter naming a person: ``{{ mandate.employee|person }}`` (a builtin; see settings)."""

from django import template

from accounts.people import display_name

register = template.Library()


@register.filter
def person(user) -> str:
    """Name *user* as a reader reads it (``accounts.people.display_name``)."""
    return display_name(user)
