"""The registry's screens, one module per domain: ``home``, ``channels``, ``mandates``,
``politician_links``, ``documentation``, ``reviews`` and ``public`` (the pages without sign-in).

Views are thin: parse (a form), check permission (``registry.permissions``, the same function
the service asks), call a service, message, redirect. Objects are fetched through the
selectors' scoped querysets, so "not yours" and "does not exist" are both 404.
"""
