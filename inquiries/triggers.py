"""Database triggers that keep inquiries append-only (section 5; like moderation.triggers).

- ``inquiries_inquiry``, ``inquiries_inquiryaddendum`` (the tombstones) and
  ``inquiries_disposedinquiry``: UPDATE and DELETE refused.
- ``inquiries_inquirycontent`` and ``inquiries_inquiryaddendumcontent`` (the question, the
  asker, the screenshot, an addendum's text): UPDATE refused; DELETE refused unless an
  ``inquiries_disposedinquiry`` row exists for the inquiry (4:7: the disposal service,
  ``moderation.services.disposal.disposal_apply``, writes it first, in the same transaction).

The number series (``inquiries_inquirysequence``) is updated on every registration and has
no trigger. On SQLite a migration that remakes one of these tables drops its triggers: such
a migration must call ``install`` again (as 0004 does).
"""

FROZEN_TABLES = ("inquiries_inquiry", "inquiries_inquiryaddendum", "inquiries_disposedinquiry")
MESSAGE = "inquiries: records are append-only"
DISPOSAL_MESSAGE = "inquiries: content is deleted only by disposal (no disposal row for this inquiry)"

# table -> the SQL condition "this row's inquiry has been disposed of" (OLD is the row deleted).
_DISPOSED = {
    "inquiries_inquirycontent": (
        "EXISTS (SELECT 1 FROM inquiries_disposedinquiry d WHERE d.inquiry_id = OLD.inquiry_id)"
    ),
    "inquiries_inquiryaddendumcontent": (
        "EXISTS (SELECT 1 FROM inquiries_disposedinquiry d JOIN inquiries_inquiryaddendum a "
        "ON a.inquiry_id = d.inquiry_id WHERE a.id = OLD.addendum_id)"
    ),
}
DISPOSABLE_TABLES = tuple(_DISPOSED)


def _pg_install(existing) -> list[str]:
    statements = [
        "CREATE OR REPLACE FUNCTION inquiries_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN RAISE EXCEPTION '{MESSAGE} (% on %)', TG_OP, TG_TABLE_NAME "
        "USING ERRCODE = 'restrict_violation'; END $$"
    ]
    for table in existing(FROZEN_TABLES):
        statements.append(
            f"CREATE OR REPLACE TRIGGER {table}_frozen BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION inquiries_refuse_change()"
        )
    for table in existing(DISPOSABLE_TABLES):
        disposed = _DISPOSED[table]
        statements.append(
            f"CREATE OR REPLACE FUNCTION {table}_refuse_undisposed_delete() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN IF NOT {disposed} THEN RAISE EXCEPTION '{DISPOSAL_MESSAGE}' "
            "USING ERRCODE = 'restrict_violation'; END IF; RETURN OLD; END $$"
        )
        statements.append(
            f"CREATE OR REPLACE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION inquiries_refuse_change()"
        )
        statements.append(
            f"CREATE OR REPLACE TRIGGER {table}_disposal_only BEFORE DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {table}_refuse_undisposed_delete()"
        )
    return statements


def _pg_uninstall() -> list[str]:
    statements = [f"DROP TRIGGER IF EXISTS {table}_frozen ON {table}" for table in FROZEN_TABLES]
    for table in DISPOSABLE_TABLES:
        statements.append(f"DROP TRIGGER IF EXISTS {table}_no_update ON {table}")
        statements.append(f"DROP TRIGGER IF EXISTS {table}_disposal_only ON {table}")
    return statements


def _sqlite_install(existing) -> list[str]:
    statements = []
    for table in existing(FROZEN_TABLES):
        for op in ("UPDATE", "DELETE"):
            statements.append(
                f"CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
            )
    for table in existing(DISPOSABLE_TABLES):
        disposed = _DISPOSED[table]
        statements.append(
            f"CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
        )
        statements.append(
            f"CREATE TRIGGER IF NOT EXISTS {table}_disposal_only BEFORE DELETE ON {table} "
            f"WHEN NOT {disposed} BEGIN SELECT RAISE(ABORT, '{DISPOSAL_MESSAGE}'); END"
        )
    return statements


def _sqlite_uninstall() -> list[str]:
    statements = []
    for table in FROZEN_TABLES:
        statements += [f"DROP TRIGGER IF EXISTS {table}_no_update", f"DROP TRIGGER IF EXISTS {table}_no_delete"]
    for table in DISPOSABLE_TABLES:
        statements += [f"DROP TRIGGER IF EXISTS {table}_no_update", f"DROP TRIGGER IF EXISTS {table}_disposal_only"]
    return statements


def _statements(vendor: str, *, install_: bool, tables=()) -> list[str]:
    def existing(names):
        return [name for name in names if name in tables]

    if vendor == "postgresql":
        return _pg_install(existing) if install_ else _pg_uninstall()
    if vendor == "sqlite":
        return _sqlite_install(existing) if install_ else _sqlite_uninstall()
    raise NotImplementedError(f"No append-only triggers for the {vendor} database; add them before using it.")


def install(connection) -> None:
    """Create (or replace) the triggers on *connection*'s database, for the tables it has.

    Migration 0001 runs this before the content tables exist (0002 creates them, 0004
    installs their triggers): only the tables already there get theirs.
    """
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for statement in _statements(connection.vendor, install_=True, tables=tables):
            cursor.execute(statement)


def uninstall(connection) -> None:
    """Drop the triggers (tests that must empty the tables only; a migration never calls this)."""
    with connection.cursor() as cursor:
        for statement in _statements(connection.vendor, install_=False):
            cursor.execute(statement)


def migration_install(apps, schema_editor):
    install(schema_editor.connection)


def migration_uninstall(apps, schema_editor):
    uninstall(schema_editor.connection)
