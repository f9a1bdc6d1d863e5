"""Background jobs: work that runs outside the request (an archival package, a large export).

One ``Job`` row per job (who, what, state, progress, result file, error) that a page polls;
the work itself runs in django-tasks' database worker (``manage.py db_worker``). Each app
registers its kinds of job (``kinds.register``) from its ``AppConfig.ready()``.
"""
