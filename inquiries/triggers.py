"""Database triggers that keep inquiries append-only (section 5; like moderation.triggers).

``inquiries_inquiry`` and ``inquiries_inquiryaddendum``: UPDATE and DELETE refused. There is
no disposal path for inquiries yet (docs/architecture.md, "Inquiries"): when one is built,
DELETE must be allowed only with a disposal row, as moderation's content tables do.
The number series (``inquiries_inquirysequence``) is updated on every registration and has
no trigger.
"""

TABLES = ("inquiries_inquiry", "inquiries_inquiryaddendum")
MESSAGE = "inquiries: records are append-only"


def _statements(vendor: str, *, install_: bool) -> list[str]:
    statements = []
    if vendor == "postgresql":
        if install_:
            statements.append(
                "CREATE OR REPLACE FUNCTION inquiries_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f"BEGIN RAISE EXCEPTION '{MESSAGE} (% on %)', TG_OP, TG_TABLE_NAME "
                "USING ERRCODE = 'restrict_violation'; END $$"
            )
        for table in TABLES:
            if install_:
                statements.append(
                    f"CREATE OR REPLACE TRIGGER {table}_frozen BEFORE UPDATE OR DELETE ON {table} "
                    "FOR EACH ROW EXECUTE FUNCTION inquiries_refuse_change()"
                )
            else:
                statements.append(f"DROP TRIGGER IF EXISTS {table}_frozen ON {table}")
        return statements
    if vendor == "sqlite":
        for table in TABLES:
            for op in ("UPDATE", "DELETE"):
                if install_:
                    statements.append(
                        f"CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} ON {table} "
                        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
                    )
                else:
                    statements.append(f"DROP TRIGGER IF EXISTS {table}_no_{op.lower()}")
        return statements
    raise NotImplementedError(f"No append-only triggers for the {vendor} database; add them before using it.")


def install(connection) -> None:
    """Create (or replace) the triggers on *connection*'s database."""
    with connection.cursor() as cursor:
        for statement in _statements(connection.vendor, install_=True):
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
