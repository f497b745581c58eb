"""Gunicorn settings for the web process; every value can be overridden from the environment."""

import multiprocessing
import os

import environ

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
worker_class = "gthread"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
wsgi_app = "learning.wsgi:application"
# Django is imported once, in the master, and every worker is forked from it: a worker starts in a fraction of
# the time (and of the CPU) it takes to import everything again, which matters each time one is replaced after
# max_requests, and the workers share the imported code's memory. Code changes then need a restart, not a HUP.
preload_app = environ.Env().bool("GUNICORN_PRELOAD", default=True)


def when_ready(server):
    """With the application preloaded, what every worker would otherwise do again is done once, here."""
    if server.cfg.preload_app:
        from learning.stats.warm import process_warm

        process_warm()


def pre_fork(server, worker):
    """No connection of the master's may reach a worker: a forked socket would be shared by two processes."""
    from django.db import connections

    connections.close_all()


def post_worker_init(worker):
    """Before the worker's first request: URLs, views, catalogues, templates and the database connection ready
    (learning/stats/warm.py), so the first organiser after a restart does not pay for them."""
    from learning.stats.warm import worker_warm

    worker_warm()
