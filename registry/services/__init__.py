"""Every write to the registry, one module per domain: ``channels`` (with proposed changes of
an address), ``mandates``, ``guidelines``, ``politician_links``, ``documentation`` and
``reviews``. Callers import the module they need (``from registry.services import mandates``).
"""
