"""The permission matrix: every URL of the project, for every role, with the expected status.

Each view module's tests (``tests/<app>/test_views.py``, ``tests/registry/views/test_<domain>.py``)
declare ``MATRIX``, a list of ``Row``; the coverage test in ``tests/test_url_coverage.py`` fails
when a named URL has no row.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse

from .conftest import ROLES, client_for


@dataclass
class Row:
    name: str
    expected: dict  # role -> status
    method: str = "get"
    kwargs: Callable = field(default=lambda world: {})
    data: Callable = field(default=lambda world: {})

    def id(self) -> str:
        return f"{self.method.upper()} {self.name}"


def expect(default: int, anonymous: int = 302, **overrides) -> dict:
    """Return a role -> status map: *default* for every signed-in role unless overridden."""
    statuses = dict.fromkeys(ROLES, default)
    statuses["anonymous"] = anonymous
    statuses.update(overrides)
    return statuses


def only(allowed: dict, default: int = 403, anonymous: int = 302) -> dict:
    """Return a map where the roles in *allowed* get their status and the others *default*."""
    return expect(default, anonymous, **allowed)


def run_row(client, world, row: Row, role: str):
    client = client_for(client, world, role)
    url = reverse(row.name, kwargs=row.kwargs(world))
    response = getattr(client, row.method)(url, row.data(world))
    expected = row.expected[role]
    assert response.status_code == expected, f"{row.id()} as {role}: {response.status_code} != {expected}"
    if role == "anonymous" and expected == 302:
        assert response["Location"].startswith(reverse("login")), "anonymous users are sent to sign in"
    return response


def params(matrix: list[Row]):
    """Parametrize over (row, role) pairs with readable ids."""
    import pytest

    return pytest.mark.parametrize(
        ("row", "role"), [pytest.param(row, role, id=f"{row.id()}-{role}") for row in matrix for role in ROLES]
    )
