"""Benchmarks write only to a benchmark database, and only in a development configuration.

Every part of ``bench`` that writes (``generate_province``, ``bench.synthetic``, the three load scripts) calls
:func:`ensure_bench_database` before its first statement. It raises :class:`BenchRefused`, and nothing is
written, when

- ``settings.DEBUG`` is False: production runs with DEBUG off (``learning.settings.production`` forces it), or
- the database's NAME does not contain ``bench`` (for SQLite, the file's own name, not its folder).

One narrow allowance, for the test suite: the database that Django's test runner (pytest-django included) made
for this process is accepted although its name is ``test_`` + the configured name. Both must hold: the test
environment is set up in this process (``django.test.utils.setup_test_environment``, which only test runners
call) and the name starts with Django's test prefix ``test_`` (or it is SQLite's in-memory test database). The
test runner turns DEBUG off, so tests that write through ``bench`` turn it on themselves.
"""

import sys
from pathlib import PurePath

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

MARK = "bench"
TEST_PREFIX = "test_"  # django.db.backends.base.creation.TEST_DATABASE_PREFIX


class BenchRefused(Exception):
    """Why a benchmark refuses to write to this database."""


def database_name(using: str = DEFAULT_DB_ALIAS) -> str:
    """The NAME of the database ``using``; for SQLite, the file's name without its folder."""
    connection = connections[using]
    name = str(connection.settings_dict.get("NAME") or "")
    if connection.vendor == "sqlite" and not connection.is_in_memory_db():
        return PurePath(name).name
    return name


def test_environment_active() -> bool:
    """Whether Django's test environment is set up in this process (by a test runner)."""
    from django.test.utils import _TestState

    return hasattr(_TestState, "saved_data")


def is_test_database(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether ``using`` is the database the test runner made for this process (see the module's docstring)."""
    if not test_environment_active():
        return False
    connection = connections[using]
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        return True
    return database_name(using).startswith(TEST_PREFIX)


def refusal(*, debug: bool, name: str, test_database: bool) -> str | None:
    """The reason to refuse, or None when writing is allowed."""
    if not debug:
        return (
            "refused: settings.DEBUG is False. Benchmarks and synthetic data run only in a development "
            "configuration (learning.settings.dev with DJANGO_DEBUG unset or true), never against production."
        )
    if MARK not in name and not test_database:
        return (
            f"refused: the database {name!r} does not contain {MARK!r} in its name. Benchmarks and synthetic "
            f"data write only to a database of their own (e.g. DATABASE_URL=postgres://…/bdhvs_bench)."
        )
    return None


def ensure_bench_database(using: str = DEFAULT_DB_ALIAS) -> None:
    """Raise :class:`BenchRefused` unless ``using`` may be written to by a benchmark. Reads only the settings:
    no connection is opened."""
    reason = refusal(debug=settings.DEBUG, name=database_name(using), test_database=is_test_database(using))
    if reason:
        raise BenchRefused(reason)


def exit_unless_bench_database(using: str = DEFAULT_DB_ALIAS) -> None:
    """For the load scripts: print the reason on stderr and exit with status 2 when refused."""
    try:
        ensure_bench_database(using)
    except BenchRefused as exc:
        print(exc, file=sys.stderr)
        raise SystemExit(2) from None
