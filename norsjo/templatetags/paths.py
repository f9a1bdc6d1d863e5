"""``{% path 'app:name' arg %}``: the ``{% url %}`` tag's address for no or one integer argument, reversed once."""

from django import template

from norsjo.paths import path_for

register = template.Library()


@register.simple_tag
def path(name, *args):
    """The address ``{% url name arg %}`` gives (escaped alike: digits and the pattern's own text)."""
    return path_for(name, *args)
