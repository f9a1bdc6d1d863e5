"""An object's page address without reversing the URLconf once per row.

A list page links each of its rows to the row's own page (``get_absolute_url``); Django's
``reverse`` walks the URL patterns each time (20–30 µs: a millisecond for a list of 40). The
address of a page taking one ``<int:pk>`` is the same text around the number, so it is
reversed once per process (and script prefix) and the number put in.
"""

from functools import lru_cache

from django.urls import get_script_prefix, reverse

_MARKER = 987654321987


@lru_cache(maxsize=128)
def _around_pk(name: str, script_prefix: str) -> tuple[str, str] | None:
    path = reverse(name, kwargs={"pk": _MARKER})
    parts = path.split(str(_MARKER))
    return (parts[0], parts[1]) if len(parts) == 2 else None


def path_for_pk(name: str, pk: int) -> str:
    """``reverse(name, kwargs={"pk": pk})`` for a URL pattern taking one integer ``pk``."""
    around = _around_pk(name, get_script_prefix())
    if around is None or not isinstance(pk, int):
        return reverse(name, kwargs={"pk": pk})
    return f"{around[0]}{pk}{around[1]}"


@lru_cache(maxsize=256)
def _around_argument(name: str, script_prefix: str) -> tuple[str, str] | None:
    path = reverse(name, args=[_MARKER])
    parts = path.split(str(_MARKER))
    return (parts[0], parts[1]) if len(parts) == 2 else None


@lru_cache(maxsize=256)
def _without_arguments(name: str, script_prefix: str) -> str:
    return reverse(name)


def path_for(name: str, *args) -> str:
    """``reverse(name, args=args)`` (the ``{% url %}`` tag), reversed once per process for no or one integer argument.

    A page of many buttons (the channel page's dozen) reverses each address in 20–30 µs;
    ``{% path %}`` (``norsjo.templatetags.paths``) puts the number into text reversed once.
    """
    if not args:
        return _without_arguments(name, get_script_prefix())
    around = _around_argument(name, get_script_prefix()) if len(args) == 1 and isinstance(args[0], int) else None
    if around is None:
        return reverse(name, args=args)
    return f"{around[0]}{args[0]}{around[1]}"
