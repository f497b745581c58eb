"""deploy/gunicorn.conf.py: the application loaded once in the master, and nothing of the master's connections
handed to a worker. (The fault tests run gunicorn itself with this file.)"""

import runpy
import types
from pathlib import Path

import pytest

CONF = Path(__file__).resolve().parents[1] / "deploy" / "gunicorn.conf.py"


def load(monkeypatch, **env) -> dict:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONF))


def test_the_application_is_preloaded_unless_turned_off(monkeypatch):
    monkeypatch.delenv("GUNICORN_PRELOAD", raising=False)
    assert load(monkeypatch)["preload_app"] is True
    assert load(monkeypatch, GUNICORN_PRELOAD="false")["preload_app"] is False
    assert load(monkeypatch, GUNICORN_PRELOAD="0")["preload_app"] is False
    assert load(monkeypatch, GUNICORN_PRELOAD="off")["preload_app"] is False  # as every other switch reads it


@pytest.mark.django_db(transaction=True)  # no test transaction holding the connection open
def test_no_database_connection_of_the_master_reaches_a_worker(monkeypatch):
    from django.db import connection

    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("Django never closes an in-memory SQLite database")
    conf = load(monkeypatch)
    connection.ensure_connection()
    assert connection.connection is not None
    conf["pre_fork"](types.SimpleNamespace(), types.SimpleNamespace())
    assert connection.connection is None


@pytest.mark.django_db
def test_a_preloading_master_warms_up_once_for_every_worker(monkeypatch):
    from django.urls import clear_url_caches

    from learning.stats import warm

    conf = load(monkeypatch)
    calls = []
    monkeypatch.setattr(warm, "_process_warmed", False)
    monkeypatch.setattr(warm, "_reverse_maps", lambda: calls.append("reverse maps"))
    clear_url_caches()

    conf["when_ready"](types.SimpleNamespace(cfg=types.SimpleNamespace(preload_app=False)))
    assert calls == [] and not warm._process_warmed  # without preloading, each worker warms itself up

    conf["when_ready"](types.SimpleNamespace(cfg=types.SimpleNamespace(preload_app=True)))
    assert warm._process_warmed and calls
    done = len(calls)
    warm.worker_warm()  # a worker forked from that master: nothing of it again
    assert len(calls) == done
