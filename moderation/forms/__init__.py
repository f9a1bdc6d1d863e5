"""Forms of the moderation app: ``log.py`` (logging removals, the list's filters), ``archive.py`` (the archivist's)."""
