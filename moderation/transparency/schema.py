"""Schema pieces of the tree for migrations: append-only triggers on the nodes, the first build.

The nodes are never updated or deleted (PostgreSQL reuses ``moderation_refuse_change()`` of
``moderation.triggers``). Tests of tampering drop them with ``uninstall``.
"""

from moderation.triggers import APPEND_ONLY_MESSAGE

from . import merkle

NODE_TABLE = "moderation_treenode"


def _statements(vendor: str, *, install_: bool) -> list[str]:
    if vendor == "postgresql":
        if install_:
            return [
                f"CREATE OR REPLACE TRIGGER {NODE_TABLE}_frozen BEFORE UPDATE OR DELETE ON {NODE_TABLE} "
                "FOR EACH ROW EXECUTE FUNCTION moderation_refuse_change()"
            ]
        return [f"DROP TRIGGER IF EXISTS {NODE_TABLE}_frozen ON {NODE_TABLE}"]
    if vendor == "sqlite":
        if install_:
            return [
                f"CREATE TRIGGER IF NOT EXISTS {NODE_TABLE}_no_{op.lower()} BEFORE {op} ON {NODE_TABLE} "
                f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END"
                for op in ("UPDATE", "DELETE")
            ]
        return [f"DROP TRIGGER IF EXISTS {NODE_TABLE}_no_{op}" for op in ("update", "delete")]
    raise NotImplementedError(f"No append-only triggers for the {vendor} database.")


def install(connection) -> None:
    with connection.cursor() as cursor:
        for statement in _statements(connection.vendor, install_=True):
            cursor.execute(statement)


def uninstall(connection) -> None:
    with connection.cursor() as cursor:
        for statement in _statements(connection.vendor, install_=False):
            cursor.execute(statement)


def migration_install(apps, schema_editor):
    install(schema_editor.connection)


def migration_uninstall(apps, schema_editor):
    uninstall(schema_editor.connection)


def migration_build(apps, schema_editor):
    """Build the tree over the records already logged (signed at the first append or request)."""
    alias = schema_editor.connection.alias
    record_model = apps.get_model("moderation", "RemovedComment")
    node_model = apps.get_model("moderation", "TreeNode")
    head_model = apps.get_model("moderation", "TreeHead")
    frontier, pending = merkle.EMPTY, []
    hashes = record_model.objects.using(alias).order_by("sequence").values_list("record_hash", flat=True)
    for record_hash in hashes.iterator(chunk_size=5000):
        frontier, new_nodes = merkle.append(frontier, merkle.leaf_hash(bytes.fromhex(record_hash)))
        pending += [node_model(key=index * 64 + level, hash=digest) for level, index, digest in new_nodes]
        if len(pending) >= 5000:
            node_model.objects.using(alias).bulk_create(pending)
            pending = []
    node_model.objects.using(alias).bulk_create(pending)
    head_model.objects.using(alias).create(
        id=1, size=frontier.size, frontier=b"".join(frontier.hashes), root=merkle.root(frontier), checkpoint=""
    )
