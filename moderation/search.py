"""Full-text search over a removed comment's text and author (PostgreSQL, Swedish).

The expression below is indexed by a GIN expression index (migration 0002) and used as
is in queries, so that PostgreSQL matches the index. SQLite falls back to ``icontains``.
"""

import json

from django.db.models import Lookup

CONTENT_TABLE = "moderation_removedcommentcontent"
SEARCH_DOCUMENT = "to_tsvector('swedish'::regconfig, text || ' ' || author_name || ' ' || author_handle)"
INDEX_NAME = "moderation_content_fts_sv"

CREATE_INDEX = f"CREATE INDEX IF NOT EXISTS {INDEX_NAME} ON {CONTENT_TABLE} USING gin (({SEARCH_DOCUMENT}))"
DROP_INDEX = f"DROP INDEX IF EXISTS {INDEX_NAME}"

# Record ids whose content matches a query typed by a person (websearch syntax).
MATCHING_RECORD_IDS = (
    f"SELECT record_id FROM {CONTENT_TABLE} "  # noqa: S608 - constants only; the query is a parameter
    f"WHERE {SEARCH_DOCUMENT} @@ websearch_to_tsquery('swedish'::regconfig, %s)"
)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_INDEX)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_INDEX)


# Above this many (estimated) matches a word is "common": the newest matches are found by
# walking the log backwards. Below it, the matching ids are fetched from the GIN index
# first. Either plan alone is slow for the other kind of word at a million records.
SPARSE_LIMIT = 10_000


# Only the GIN index may answer a rare word: the planner's guess for rare words is unreliable,
# and a scan evaluating to_tsvector() row by row takes seconds at a million records. The settings
# and the ids query go in one round trip, one string of statements (psycopg's client-side
# binding, Django's default, sends it as one simple query): PostgreSQL plans each statement when
# it comes to it, so the ids query is planned with the settings off, and runs the whole string in
# one transaction (outside a transaction block an implicit one), whose end drops the settings,
# local to it. Inside a caller's transaction a savepoint, rolled back, puts them back.
INDEX_ONLY_PLANNER = "SELECT set_config('enable_seqscan', 'off', true), set_config('enable_indexscan', 'off', true)"
SPARSE_IDS = f"{INDEX_ONLY_PLANNER}; {MATCHING_RECORD_IDS} LIMIT %s"
SAVEPOINT = "moderation_search_planner"
SPARSE_IDS_RESTORED = (
    f"SAVEPOINT {SAVEPOINT}; {SPARSE_IDS}; ROLLBACK TO SAVEPOINT {SAVEPOINT}; RELEASE SAVEPOINT {SAVEPOINT}"
)


def sparse_matches(cursor, text: str, *, restore: bool = True) -> list[int] | None:
    """Return the ids of records matching *text* when there are few, else None (PostgreSQL).

    Two round trips: the estimate, then the ids with the index-only planner. *restore*: the
    search runs inside a caller's transaction, which goes on after it with the planner's
    settings as they were.
    """
    cursor.execute(f"EXPLAIN (FORMAT JSON) {MATCHING_RECORD_IDS}", [text])
    plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    if plan[0]["Plan"]["Plan Rows"] > SPARSE_LIMIT:
        return None
    cursor.execute(SPARSE_IDS_RESTORED if restore else SPARSE_IDS, [text, SPARSE_LIMIT + 1])
    for _statement in range(2 if restore else 1):  # the savepoint, the settings: to the ids
        cursor.nextset()
    ids = [row[0] for row in cursor.fetchall()]
    return ids if len(ids) <= SPARSE_LIMIT else None


# From this many ids on, the ids go to the page's query as one array (``AnyOf``), not an IN list.
LONG_LIST = 100


class AnyOf(Lookup):
    """``lhs = ANY(%s::type[])``, the ids as one array parameter: ``lhs IN (...)`` as PostgreSQL reads it.

    PostgreSQL turns an IN list of two or more constants into ``= ANY`` of a constant array of the
    column's type: the same condition, estimate and plan (``EXPLAIN`` shows them alike). Django
    builds, prepares and binds an IN list value by value: 600 ids took 3 ms to compile and 2 ms
    more to send, against 0.5 ms as one array.
    """

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s::{self.lhs.output_field.cast_db_type(connection)}[])", [*params, list(self.rhs)]
