"""The project-level URLs (single sign-on) in the permission matrix."""

import pytest

from ..matrix import Row, expect, params, run_row

pytestmark = pytest.mark.django_db

# Single sign-on is off unless configured (tests/production/test_oidc.py covers it switched on).
MATRIX = [
    Row("oidc_authentication_init", expect(404, anonymous=404)),
    Row("oidc_authentication_callback", expect(404, anonymous=404)),
]


@params(MATRIX)
def test_project_permission_matrix(client, world, row, role):
    run_row(client, world, row, role)
