"""The bench app writes only to a database whose name contains "bench", and only with DEBUG on; it is installed in
development and tests, never in production; the product never imports it."""

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from bench import guard

ROOT = Path(__file__).resolve().parent.parent.parent
SECRET = "x" * 20 + "-a-long-random-production-secret-for-tests-only-0123456789"
UNREACHABLE_PG = "postgres://postgres@127.0.0.1:1"  # a script that tried to connect would fail differently

# On the test runner's database (without it, the connection still names the configured database).
pytestmark = pytest.mark.django_db


def run(args, env, timeout=120):
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "CELERY_", "REDIS_URL"))
    }
    clean.pop("BENCH_PG_URL", None)
    clean.update(env)
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=timeout)


# --- the rule ---------------------------------------------------------------------------------------------


def test_refusal_needs_debug_on_and_bench_in_the_name():
    assert guard.refusal(debug=True, name="bdhvs_bench_stats", test_database=False) is None
    assert "DEBUG is False" in guard.refusal(debug=False, name="bdhvs_bench_stats", test_database=False)
    assert "does not contain 'bench'" in guard.refusal(debug=True, name="bdhvs", test_database=False)
    # The test runner's database passes the name check only; DEBUG must still be on.
    assert guard.refusal(debug=True, name="test_bdhvs_ci", test_database=True) is None
    assert "DEBUG is False" in guard.refusal(debug=False, name="test_bdhvs_ci", test_database=True)


def test_this_test_database_is_allowed_only_as_the_test_runners(monkeypatch):
    assert guard.test_environment_active()
    assert guard.is_test_database()
    guard.ensure_bench_database()
    # Outside a test run, the same name is an ordinary database without "bench" in it.
    monkeypatch.setattr(guard, "test_environment_active", lambda: False)
    if "bench" not in guard.database_name():
        with pytest.raises(guard.BenchRefused, match="does not contain 'bench'"):
            guard.ensure_bench_database()


def test_a_production_looking_name_is_refused_even_in_a_test_run(monkeypatch):
    monkeypatch.setitem(connection.settings_dict, "NAME", "bdhvs")
    assert not guard.is_test_database()
    with pytest.raises(guard.BenchRefused, match="'bdhvs' does not contain 'bench'"):
        guard.ensure_bench_database()
    monkeypatch.setitem(connection.settings_dict, "NAME", "bdhvs_bench_roster")
    guard.ensure_bench_database()


# --- generate_province ----------------------------------------------------------------------------------


def test_generate_province_refuses_with_debug_off_and_writes_nothing(settings, django_assert_num_queries):
    settings.DEBUG = False
    with django_assert_num_queries(0), pytest.raises(CommandError, match="DEBUG is False"):
        call_command("generate_province", "--learners", "10")


def test_generate_province_refuses_a_database_without_bench_and_writes_nothing(monkeypatch, django_assert_num_queries):
    monkeypatch.setitem(connection.settings_dict, "NAME", "bdhvs")
    with django_assert_num_queries(0), pytest.raises(CommandError, match="does not contain 'bench'"):
        call_command("generate_province", "--learners", "10", "--reset")


def test_the_synthetic_functions_refuse_on_their_own(settings, django_assert_num_queries):
    from bench import synthetic

    settings.DEBUG = False
    with django_assert_num_queries(0):
        with pytest.raises(guard.BenchRefused):
            synthetic.province_generate(learners=10)
        with pytest.raises(guard.BenchRefused):
            synthetic.content_ensure()


def test_manage_py_exits_non_zero_and_creates_nothing(tmp_path):
    """From the command line, with the development settings: refused, exit status 1, the database file never
    created. A folder called "bench" does not make the file a benchmark database."""
    (tmp_path / "bench").mkdir()
    plain = tmp_path / "bench" / "bdhvs.sqlite3"
    out = run(["manage.py", "generate_province", "--learners", "10"], {"DATABASE_URL": f"sqlite:///{plain}"})
    assert out.returncode == 1, out.stdout + out.stderr
    assert "refused: the database 'bdhvs.sqlite3' does not contain 'bench'" in out.stderr
    assert not plain.exists()

    named = tmp_path / "bdhvs_bench.sqlite3"
    out = run(
        ["manage.py", "generate_province", "--learners", "10"],
        {"DATABASE_URL": f"sqlite:///{named}", "DJANGO_DEBUG": "false"},
    )
    assert out.returncode == 1, out.stdout + out.stderr
    assert "refused: settings.DEBUG is False" in out.stderr
    assert not named.exists()


def test_production_has_no_bench_app_and_no_generate_province():
    env = {"DJANGO_SETTINGS_MODULE": "learning.settings.production", "DJANGO_SECRET_KEY": SECRET}
    env["DJANGO_ALLOWED_HOSTS"] = "example.org"
    out = run(["manage.py", "generate_province", "--learners", "10"], env)
    assert out.returncode != 0 and "Unknown command: 'generate_province'" in out.stderr
    code = "import django; django.setup(); from django.conf import settings; print('bench' in settings.INSTALLED_APPS)"
    out = run(["-c", code], env)
    assert out.stdout.strip() == "False", out.stderr
    out = run(["-c", code], {"DJANGO_SETTINGS_MODULE": "learning.settings.dev"})
    assert out.stdout.strip() == "True", out.stderr


# --- the load scripts -----------------------------------------------------------------------------------


@pytest.mark.parametrize("script", ["bench.roster", "bench.stats", "bench.quiz"])
def test_load_scripts_refuse_a_database_without_bench_before_connecting(script):
    out = run(["-m", script, "--db", "bdhvs"], {"BENCH_PG_URL": UNREACHABLE_PG})
    assert out.returncode == 2, out.stdout + out.stderr
    assert "refused: the database 'bdhvs' does not contain 'bench'" in out.stderr


def test_load_scripts_refuse_with_debug_off_before_connecting():
    out = run(["-m", "bench.roster"], {"BENCH_PG_URL": UNREACHABLE_PG, "DJANGO_DEBUG": "false"})
    assert out.returncode == 2, out.stdout + out.stderr
    assert "refused: settings.DEBUG is False" in out.stderr


# --- the product does not depend on it -------------------------------------------------------------------


def test_the_product_never_imports_bench():
    offenders = []
    for package in ("learning", "courses"):
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = []
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0:
                    names = [node.module or ""]
                if any(name == "bench" or name.startswith("bench.") for name in names):
                    offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
