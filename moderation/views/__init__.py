"""Screens of the moderation app, one module per domain: ``log.py`` (the log of removals),
``export.py``, ``disposal.py`` (the archive's start page, disposal and its log), ``decisions.py``,
``holds.py`` and ``disclosure.py`` (requests for public records). Routes: ``moderation/urls.py``."""
