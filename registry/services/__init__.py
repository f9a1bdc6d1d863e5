"""Every write to the registry, one module per domain: ``channels`` (with proposed changes of
an address), ``mandates``, ``guidelines``, ``politician_links``, ``documentation`` and
``reviews``. Callers import the module they need (``from registry.services import mandates``).
"""

from ..history import record as history_record  # noqa: F401 - the archive's old import path; see below

# ``history_record`` is kept importable here only for moderation's archive services, which are
# being restructured at the same time; they should call ``registry.history.record`` directly.
# Remove this alias when they do.
