"""gunicorn settings for Kanalregistret (``gunicorn -c deploy/gunicorn.conf.py norsjo.wsgi``).

Every value can be changed through an environment variable of the same name with the
``GUNICORN_`` prefix, so the systemd unit's EnvironmentFile is the one place to tune it.
"""

import multiprocessing
import os


def _env(name: str, default):
    value = os.environ.get(f"GUNICORN_{name}")
    return type(default)(value) if value is not None else default


# nginx talks to gunicorn on loopback only.
bind = _env("BIND", "127.0.0.1:8000")
# Threaded workers: a slow request (a large export streaming for minutes) holds one thread,
# not a whole process, and the worker keeps answering its heartbeat meanwhile.
worker_class = "gthread"
workers = _env("WORKERS", min(2 * multiprocessing.cpu_count() + 1, 9))
threads = _env("THREADS", 4)
# Long enough for the longest export; a worker that is truly stuck is still replaced.
timeout = _env("TIMEOUT", 600)
# On HUP or a new master (systemctl reload), old workers finish their requests for this long.
graceful_timeout = _env("GRACEFUL_TIMEOUT", 120)
keepalive = _env("KEEPALIVE", 5)
# Replace workers now and then, so a slow leak never grows.
max_requests = _env("MAX_REQUESTS", 2000)
max_requests_jitter = _env("MAX_REQUESTS_JITTER", 200)
# Load the application in each worker, so that a HUP reload picks up new code.
preload_app = False
# Trust X-Forwarded-* only from the local nginx.
forwarded_allow_ips = _env("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Access log to stdout (journald): the request id ties it to the application's JSON lines.
accesslog = _env("ACCESSLOG", "-")
errorlog = "-"
access_log_format = _env(
    "ACCESS_LOG_FORMAT",
    '%(h)s "%(r)s" %(s)s %(B)s %(M)sms request_id=%({x-request-id}o)s',
)
proc_name = "kanalregistret"
