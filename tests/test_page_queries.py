"""Every page bench/pages.py measures runs a fixed number of queries, whatever the data, and none twice.

Issue 15: each page's queries are pinned (PINNED) at two sizes of data; a list that grew a
query per row, a permission asked again, or a selector fetching more would change the count.
The same SQL with the same parameters twice in one request fails too (bench/pages.py
--duplicates shows the same). A lower count is welcome: lower the pin with it.
"""

from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from moderation.services.log import addendum_add, removal_log
from registry.models import Channel

from .factories import ChannelFactory, MandateFactory, UserFactory

SEARCH = "Svordom"

# page: (URL name, kwargs from the world, query string, roles); as bench/pages.py's PAGES.
PAGES = {
    "home": ("home", None, "", ["employee", "writer", "manager", "web_team", "archivist", "admin"]),
    "register": (
        "registry:channel_list",
        None,
        "",
        ["employee", "writer", "manager", "web_team", "archivist", "admin"],
    ),
    "channel": ("registry:channel_detail", "channel", "", ["employee", "writer", "manager", "web_team", "admin"]),
    "log": ("moderation:record_list", None, "", ["writer", "manager", "web_team", "archivist"]),
    "search": ("moderation:record_list", None, f"?q={SEARCH}", ["writer", "manager", "web_team", "archivist"]),
    "removal": ("moderation:record_create", "channel_pk", "", ["writer", "web_team"]),
    "mine": ("mandates:mine", None, "", ["employee", "writer", "manager", "web_team", "archivist", "admin"]),
    "manager": ("mandates:manager", None, "", ["manager"]),
    "writers": ("mandates:writers", None, "", ["web_team"]),
    "mandate": ("mandates:detail", "mandate", "", ["writer", "manager", "web_team"]),
}

# Queries per page and role, the same at both sizes. Every signed-in page starts with the
# session, the user and the person's roles (groups, managed units, active mandates: one query).
# The start pages hold the sections of every role (the web team's ten: proposals, changes of
# address, impostor reports, missing writers, account security, alerts, inquiries, ...), one or
# two queries each; the log's filters list the people who have logged removals. The log reads
# its records' groups only when a shown record has an addendum or is one: not for a writer's
# or a manager's search here (the corrected records became confidential, hidden from them).
PINNED = {
    "home": {"admin": 5, "archivist": 6, "employee": 5, "manager": 7, "web_team": 8, "writer": 6},
    "register": {"admin": 7, "archivist": 6, "employee": 7, "manager": 6, "web_team": 7, "writer": 6},
    "channel": {"admin": 5, "employee": 5, "manager": 4, "web_team": 4, "writer": 4},
    "log": {"archivist": 6, "manager": 7, "web_team": 7, "writer": 6},
    "search": {"archivist": 6, "manager": 6, "web_team": 7, "writer": 5},
    "removal": {"web_team": 5, "writer": 4},
    "mine": {"admin": 5, "archivist": 4, "employee": 5, "manager": 4, "web_team": 5, "writer": 5},
    "manager": {"manager": 7},
    "writers": {"web_team": 6},
    "mandate": {"manager": 5, "web_team": 7, "writer": 5},
}
# A search on PostgreSQL (moderation/search.py): the estimate, then the planner settings and the
# ids from the GIN index in one string of statements (here, inside the test's transaction, with a
# savepoint that puts the settings back).
EXTRA = {"postgresql": {"search": 2}}


def grow(world, n: int) -> None:
    """Give every list its rows: channels, mandates (active, ending, awaiting), records, addenda."""
    today = timezone.localdate()
    staff = [UserFactory() for _ in range(3)]
    # More managers of the unit: the web team's channel page offers each a mandate of their own.
    world.unit.managers.add(*(UserFactory() for _ in range(n // 10 + 1)))
    for i in range(n):
        status = [Channel.Status.ACTIVE, Channel.Status.PROPOSED][i % 2]
        channel = ChannelFactory(unit=world.unit, created_by=world.users["web_team"], status=status)
        ending = today + timedelta(days=10 if i % 3 == 0 else 200)
        acknowledged = None if i % 4 == 0 else timezone.now()
        MandateFactory(
            employee=world.users["writer"],
            channel=channel,
            granted_by=world.users["manager"],
            valid_from=today - timedelta(days=5),
            valid_until=ending,
            acknowledged_at=acknowledged,
        )
        MandateFactory(
            employee=staff[i % 3],
            channel=world.channel,
            granted_by=world.users["manager"],
            valid_from=today - timedelta(days=5),
            valid_until=ending,
            acknowledged_at=acknowledged,
        )
        record = removal_log(
            actor=world.users["web_team"],
            channel=world.channel,
            category="f",
            action="deleted",
            removed_at=timezone.now(),
            text=f"{SEARCH} {i}",
            author_name="Någon",
        )
        if i % 5 == 0:
            addendum_add(actor=world.users["web_team"], original=record, explanation="Rättelse", category="h")


def url_of(world, page: str) -> str:
    name, argument, query, _roles = PAGES[page]
    kwargs = {}
    if argument == "channel":
        kwargs = {"pk": world.channel.pk}
    elif argument == "channel_pk":
        kwargs = {"channel_pk": world.channel.pk}
    elif argument == "mandate":
        kwargs = {"pk": world.mandate.pk}
    return reverse(name, kwargs=kwargs) + query


def queries_of(client, url: str) -> list[str]:
    client.get(url)  # warm: per-process caches (content types, the guidelines' version) are filled
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return [query["sql"] for query in captured.captured_queries]


@pytest.mark.parametrize("size", [3, 30])
def test_each_page_runs_its_pinned_queries_at_any_size_and_none_twice(client, world, size):
    grow(world, size)
    counts = {}
    for page, (_name, _argument, _query, roles) in PAGES.items():
        for role in roles:
            client.force_login(world.users[role])
            sqls = queries_of(client, url_of(world, page))
            twice = [sql for sql, n in Counter(sqls).items() if n > 1]
            assert not twice, f"{page} as {role} runs the same query twice: {twice}"
            counts[(page, role)] = len(sqls)
    expected = {
        (page, role): n + EXTRA.get(connection.vendor, {}).get(page, 0)
        for page, roles in PINNED.items()
        for role, n in roles.items()
    }
    assert counts == expected
