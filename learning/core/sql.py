"""Hand-written statements on the hot paths, planned once per connection.

Django sends every statement with its values written into the text (psycopg's client-side binding), so
PostgreSQL parses and plans each one anew. For most statements that costs little; for a statement of several
subqueries run on every quiz start, planning cost four times what running it did (0.35 against 0.09 ms).
:func:`prepared_cursor` sends the values apart from the text instead, and psycopg prepares a statement on
its connection once it has run a few times (``prepare_threshold``, 5, set in the settings: Django leaves
it off): from then on the server runs the plan it keeps. Django's own statements are never prepared (values
in the text cannot be). ``DATABASE_PREPARED_STATEMENTS=false`` turns the preparing off (a PgBouncer in
transaction mode older than 1.21, or one without ``max_prepared_statements``).

The cursor is Django's wrapper around it, so the statements count in ``CaptureQueriesContext`` and
``django_assert_num_queries`` like any other, and database errors are Django's. On SQLite it is Django's
ordinary cursor.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from django.db import DEFAULT_DB_ALIAS, connections


@contextmanager
def prepared_cursor(using: str = DEFAULT_DB_ALIAS) -> Iterator:
    """A cursor (in a ``with``) whose statements PostgreSQL plans once per connection; ``%s`` placeholders."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            yield cursor
        return
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    with connection.wrap_database_errors:
        raw = psycopg.Cursor(connection.connection)  # server-side binding, whatever the connection's default
    cursor = connection.make_debug_cursor(raw) if connection.queries_logged else connection.make_cursor(raw)
    with cursor:
        yield cursor
