"""Names in Vietnamese alphabetical order, in the database, on PostgreSQL and on SQLite.

``order_by(vietnamese("name"))`` sorts "Đ" after "D" and before "E", "Ư" after "U", and the tones after the
letters ("Hạ Long", "Hà Tu", then "Hoành Bồ"). PostgreSQL uses its ICU collation for Vietnamese; SQLite gets a
collation of the same name registered on every connection, which compares
:func:`learning.core.text.vietnamese_sort_key` — the same order.
"""

from __future__ import annotations

from functools import lru_cache

from django.db.models.functions import Collate

from learning.core.text import vietnamese_sort_key

SQLITE_COLLATION = "vi"
# The first of these a PostgreSQL server has (ICU builds have all three; "und" only knows the root order).
POSTGRESQL_COLLATIONS = ("vi-x-icu", "vi-VN-x-icu", "und-x-icu")


class Vietnamese(Collate):
    """``expression`` compared in Vietnamese alphabetical order (for ``order_by``)."""

    def __init__(self, expression):
        super().__init__(expression, SQLITE_COLLATION)

    def as_postgresql(self, compiler, connection, **extra_context):
        name = postgresql_collation(connection)
        if name is None:  # a server built without ICU: its default order
            return compiler.compile(self.source_expressions[0])
        return self.as_sql(compiler, connection, collation=connection.ops.quote_name(name), **extra_context)


def vietnamese(field: str) -> Vietnamese:
    return Vietnamese(field)


_server_collations: dict[tuple, str | None] = {}  # (host, port, database) → its collation, for this process


def postgresql_collation(connection) -> str | None:
    """The server's Vietnamese collation, looked up once per process and server (not per connection: every
    thread of a web worker has its own connection, and each would ask on its first request)."""
    settings = connection.settings_dict
    server = (settings.get("HOST"), settings.get("PORT"), settings.get("NAME"))
    if server not in _server_collations:
        with connection.cursor() as cursor:
            cursor.execute("SELECT collname FROM pg_collation WHERE collname = ANY(%s)", [list(POSTGRESQL_COLLATIONS)])
            found = {row[0] for row in cursor.fetchall()}
        _server_collations[server] = next((c for c in POSTGRESQL_COLLATIONS if c in found), None)
    return _server_collations[server]


@lru_cache(maxsize=20_000)
def _key(text: str) -> tuple:
    return vietnamese_sort_key(text)


def _compare(left: str, right: str) -> int:
    a, b = _key(left), _key(right)
    return (a > b) - (a < b)


def connection_prepare(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: teach SQLite the Vietnamese collation."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(SQLITE_COLLATION, _compare)
