"""Reads for the moderation app's screens, scoped to what each person may see.

- ``log.py``: the log of removed comments (list, search, a record, statistics).
- ``archive.py``: the archivist's screens (decisions, holds, disposal log, requests for public records).
"""
