"""Settings come from the environment, with defaults that just work."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECRET = "x" * 20 + "-a-long-random-production-secret-for-tests-only-0123456789"


SHOW = (
    "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'], "
    "settings.CELERY_TASK_ALWAYS_EAGER, settings.CACHES['default']['BACKEND'])"
)


def run_settings(module, env, code=SHOW):
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "CELERY_", "REDIS_URL"))
    }
    clean.update(env, DJANGO_SETTINGS_MODULE=module)
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_nothing_set_means_sqlite_eager_tasks_and_local_memory_cache():
    out = run_settings("learning.settings.dev", {})
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["django.db.backends.sqlite3", "True", "django.core.cache.backends.locmem.LocMemCache"]


def test_database_and_redis_urls_switch_to_postgresql_and_redis():
    out = run_settings(
        "learning.settings.dev",
        {"DATABASE_URL": "postgres://u@127.0.0.1:5432/x", "REDIS_URL": "redis://127.0.0.1:6379/0"},
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == [
        "django.db.backends.postgresql",
        "False",
        "learning.core.cache.ResilientRedisCache",  # Django's RedisCache that survives a Redis outage
    ]


def test_prepared_statements_are_on_for_postgresql_unless_turned_off():
    show = (
        "from django.conf import settings; "
        "print(settings.DATABASES['default'].get('OPTIONS', {}).get('prepare_threshold'))"
    )
    url = {"DATABASE_URL": "postgres://u@127.0.0.1:5432/x"}
    assert run_settings("learning.settings.dev", url, show).stdout.split() == ["5"]
    off = {**url, "DATABASE_PREPARED_STATEMENTS": "false"}
    assert run_settings("learning.settings.dev", off, show).stdout.split() == ["None"]
    assert run_settings("learning.settings.dev", {}, show).stdout.split() == ["None"]  # SQLite: nothing to prepare


def test_production_refuses_to_start_without_secret_key_or_hosts():
    out = run_settings("learning.settings.production", {"DJANGO_ALLOWED_HOSTS": "example.org"})
    assert out.returncode != 0 and "DJANGO_SECRET_KEY" in out.stderr
    out = run_settings("learning.settings.production", {"DJANGO_SECRET_KEY": SECRET})
    assert out.returncode != 0 and "DJANGO_ALLOWED_HOSTS" in out.stderr
    out = run_settings(
        "learning.settings.production", {"DJANGO_SECRET_KEY": "short", "DJANGO_ALLOWED_HOSTS": "example.org"}
    )
    assert out.returncode != 0 and "at least 50 characters" in out.stderr


def test_check_deploy_reports_nothing_serious():
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_",))}
    clean.update(
        DJANGO_SETTINGS_MODULE="learning.settings.production",
        DJANGO_SECRET_KEY=SECRET,
        DJANGO_ALLOWED_HOSTS="example.org",
    )
    out = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stdout + out.stderr
