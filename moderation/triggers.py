"""Database triggers that keep the moderation log append-only, per database vendor.

- ``moderation_removedcomment``: UPDATE and DELETE refused.
- ``moderation_removedcommentcontent`` and ``moderation_removedcommentattachment``: UPDATE
  refused; DELETE refused unless a ``moderation_disposedrecord`` row exists for the record
  (the disposal service writes it first, in the same transaction).
- ``moderation_disposedrecord`` and ``moderation_recordread``: UPDATE and DELETE refused.

Used by migration 0002 and by tests that must drop the triggers (tampering tests). The SQL
is part of the schema: change it only together with a new migration that reinstalls it.
On SQLite, a migration that *remakes* one of these tables (most ``AlterField``) drops its
triggers; such a migration must call ``install`` again (``tests/moderation`` checks that
the triggers are in place after all migrations).
"""

RECORD_TABLE = "moderation_removedcomment"
DISPOSABLE_TABLES = ("moderation_removedcommentcontent", "moderation_removedcommentattachment")
FROZEN_TABLES = (RECORD_TABLE, "moderation_disposedrecord", "moderation_recordread")

APPEND_ONLY_MESSAGE = "moderation log: records are append-only"
DISPOSAL_MESSAGE = "moderation log: content is deleted only by disposal (no disposal row for this record)"

_PG_FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION moderation_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{APPEND_ONLY_MESSAGE} (% on %)', TG_OP, TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END
$$;
CREATE OR REPLACE FUNCTION moderation_refuse_undisposed_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM moderation_disposedrecord WHERE record_id = OLD.record_id) THEN
        RAISE EXCEPTION '{DISPOSAL_MESSAGE} (record %)', OLD.record_id USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN OLD;
END
$$;
"""  # noqa: S608 - constants only


def _pg_install() -> list[str]:
    statements = [_PG_FUNCTIONS]
    for table in FROZEN_TABLES:
        statements.append(
            f"CREATE OR REPLACE TRIGGER {table}_frozen BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION moderation_refuse_change()"
        )
    for table in DISPOSABLE_TABLES:
        statements.append(
            f"CREATE OR REPLACE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION moderation_refuse_change()"
        )
        statements.append(
            f"CREATE OR REPLACE TRIGGER {table}_disposal_only BEFORE DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION moderation_refuse_undisposed_delete()"
        )
    return statements


def _pg_uninstall() -> list[str]:
    statements = []
    for table in FROZEN_TABLES:
        statements.append(f"DROP TRIGGER IF EXISTS {table}_frozen ON {table}")
    for table in DISPOSABLE_TABLES:
        statements.append(f"DROP TRIGGER IF EXISTS {table}_no_update ON {table}")
        statements.append(f"DROP TRIGGER IF EXISTS {table}_disposal_only ON {table}")
    return statements


def _sqlite_install() -> list[str]:
    statements = []
    for table in FROZEN_TABLES:
        for op in ("UPDATE", "DELETE"):
            statements.append(
                f"CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END"
            )
    for table in DISPOSABLE_TABLES:
        statements.append(
            f"CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END"
        )
        statements.append(
            f"CREATE TRIGGER IF NOT EXISTS {table}_disposal_only BEFORE DELETE ON {table} "  # noqa: S608 - constants
            "WHEN NOT EXISTS (SELECT 1 FROM moderation_disposedrecord WHERE record_id = OLD.record_id) "
            f"BEGIN SELECT RAISE(ABORT, '{DISPOSAL_MESSAGE}'); END"
        )
    return statements


def _sqlite_uninstall() -> list[str]:
    statements = []
    for table in FROZEN_TABLES:
        statements += [f"DROP TRIGGER IF EXISTS {table}_no_update", f"DROP TRIGGER IF EXISTS {table}_no_delete"]
    for table in DISPOSABLE_TABLES:
        statements += [f"DROP TRIGGER IF EXISTS {table}_no_update", f"DROP TRIGGER IF EXISTS {table}_disposal_only"]
    return statements


def _statements(vendor: str, *, install_: bool) -> list[str]:
    if vendor == "postgresql":
        return _pg_install() if install_ else _pg_uninstall()
    if vendor == "sqlite":
        return _sqlite_install() if install_ else _sqlite_uninstall()
    raise NotImplementedError(f"No append-only triggers for the {vendor} database; add them before using it.")


def install(connection) -> None:
    """Create (or replace) the triggers on *connection*'s database."""
    with connection.cursor() as cursor:
        for statement in _statements(connection.vendor, install_=True):
            cursor.execute(statement)


def uninstall(connection) -> None:
    """Drop the triggers (tests of tampering only; a migration never calls this)."""
    with connection.cursor() as cursor:
        for statement in _statements(connection.vendor, install_=False):
            cursor.execute(statement)


def migration_install(apps, schema_editor):
    install(schema_editor.connection)


def migration_uninstall(apps, schema_editor):
    uninstall(schema_editor.connection)
