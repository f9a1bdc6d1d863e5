"""Full-text search over a removed comment's text and author (PostgreSQL, Swedish).

The expression below is indexed by a GIN expression index (migration 0002) and used as
is in queries, so that PostgreSQL matches the index. SQLite falls back to ``icontains``.
"""

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
