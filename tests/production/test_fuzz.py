"""Property-based tests: no input to any URL or form gives a 500.

Generic on purpose: the URLs come from the permission matrices (every named URL has rows there,
tests/test_url_coverage.py), the forms from every app's ``forms`` module. A feature merged later
is covered as soon as its MATRIX is in ``all_matrices()`` and its forms in ``FORM_MODULES``;
a form whose constructor needs arguments gets them from ``FORM_ARGUMENTS``.
"""

import importlib
import inspect

import pytest
from django import forms
from django.db import connection
from django.urls import NoReverseMatch, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ..conftest import ROLES
from ..test_url_coverage import all_matrices

pytestmark = pytest.mark.django_db

FORM_MODULES = ["registry.forms", "moderation.forms.log", "moderation.forms.archive", "norsjo.forms"]


def _units():
    from registry.models import Unit

    return Unit.objects.all()


def _manager():
    from registry.models import Unit

    return Unit.objects.filter(managers__isnull=False).first().managers.first()


def _employees():
    from django.contrib.auth.models import User

    return User.objects.filter(is_active=True)


def _channels():
    from registry.models import Channel

    return Channel.objects.all()


# Form class name -> keyword arguments its constructor needs (callables, called per example).
FORM_ARGUMENTS = {
    "ChannelForm": {"units": _units},
    "MandateGrantForm": {"actor": _manager, "employees": _employees, "channels": _channels},
}

FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,  # the same examples on every run: CI failures are reproducible
    database=None,
)

# Text as people and attackers type it: any Unicode (with NUL), plus some known troublemakers.
nasty = st.sampled_from(
    [
        "",
        " ",
        "0",
        "-1",
        "1e309",
        "9" * 40,
        "\x00",
        "a\x00b",
        "' OR 1=1 --",
        '"><script>alert(1)</script>',
        "%00",
        "%s%d%(x)s",
        "../../etc/passwd",
        "https://",
        "https://www.facebook.com/" + "a" * 3000,
        "javascript:alert(1)",
        "ǅǆ ﬀ İ",
        "🙂" * 50,
        "\ud7ff\ue000\uffff",
        "2026-02-30",
        "true",
    ]
)
text = st.one_of(nasty, st.text(max_size=300))
values = st.one_of(text, st.lists(text, min_size=1, max_size=3))


def _params(names):
    """Parameters for a request: the known field names and some others, with any values."""
    keys = st.one_of(st.sampled_from(sorted(names) or ["q"]), text) if names else text
    return st.dictionaries(keys, values, max_size=6)


ROWS = list(all_matrices())


def _takes_pk(row) -> bool:
    try:
        reverse(row.name, kwargs={"pk": 1})
    except NoReverseMatch:
        return False
    return True


def _as(client, world, role):
    client.logout()
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


def _field_names():
    names = {"page", "q", "next"}
    for form in _form_classes():
        names |= set(form.base_fields)
    return names


def _form_classes():
    classes = []
    for module_name in FORM_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError:
            continue
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(cls, forms.BaseForm)
                and cls.__module__ == module_name
                and not cls.__name__.startswith("Base")
            ):
                classes.append(cls)
    return classes


def _assert_no_server_error(response, description):
    assert response.status_code < 500, f"{description}: {response.status_code}"


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.id())
def test_no_input_to_any_url_gives_a_500(client, world, row):
    names = _field_names()

    @FUZZ
    @given(role=st.sampled_from(ROLES), params=_params(names), base=st.booleans())
    def check(role, params, base):
        client_ = _as(client, world, role)
        url = reverse(row.name, kwargs=row.kwargs(world))
        data = {**(row.data(world) if base else {}), **params}
        response = getattr(client_, row.method)(url, data)
        _assert_no_server_error(response, f"{row.method.upper()} {url} as {role} with {data!r}")

    check()


@pytest.mark.parametrize("row", [row for row in ROWS if _takes_pk(row)], ids=lambda row: row.id())
def test_no_object_id_gives_a_500(client, world, row):
    """Ids in URLs: none, huge, zero: a 404 (or a refusal), never a 500."""

    @FUZZ
    @given(role=st.sampled_from(ROLES), pk=st.one_of(st.integers(min_value=0, max_value=10**30), st.just(2**63)))
    def check(role, pk):
        client_ = _as(client, world, role)
        url = reverse(row.name, kwargs={"pk": pk})
        response = getattr(client_, row.method)(url, row.data(world))
        _assert_no_server_error(response, f"{row.method.upper()} {url} as {role}")

    check()


@pytest.mark.parametrize("form_class", _form_classes(), ids=lambda cls: f"{cls.__module__}.{cls.__name__}")
def test_no_input_breaks_a_form(world, form_class):
    """Any data: the form is valid or invalid with messages; it never raises."""
    names = sorted(form_class.base_fields)

    @FUZZ
    @given(data=st.dictionaries(st.one_of(st.sampled_from(names), text), values, max_size=len(names) + 2))
    def check(data):
        arguments = {key: make() for key, make in FORM_ARGUMENTS.get(form_class.__name__, {}).items()}
        from django.http import QueryDict

        query = QueryDict(mutable=True)
        for key, value in data.items():
            query.setlist(key, value if isinstance(value, list) else [value])
        form = form_class(query, **arguments)
        if form.is_valid():
            assert isinstance(form.cleaned_data, dict)
        else:
            assert form.errors

    check()


def test_the_fuzzing_reaches_the_database(world):
    """Sanity: the forms and URLs above ran against the configured database."""
    assert connection.vendor in {"sqlite", "postgresql"}
