"""Large inserts for roster imports: PostgreSQL ``COPY`` where the database is PostgreSQL, ``bulk_create``
elsewhere (SQLite in development and in the test suite).

``bulk_create`` spends most of its time in Python, building one multi-row ``INSERT`` with a
placeholder per value and adapting every value; ``COPY`` streams plain rows. Rows that may clash with a
unique constraint go through a temporary table and ``INSERT … SELECT … ON CONFLICT``, which also
says (``RETURNING``) which rows were really inserted.

Values are given as tuples in the order of ``fields`` (attribute names, e.g. ``user_id``), already
as the database stores them; the model's other columns get their field defaults.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from itertools import count

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Model

_stages = count(1)


def is_postgresql(using: str = DEFAULT_DB_ALIAS) -> bool:
    return connections[using].vendor == "postgresql"


def _columns(model: type[Model], fields: Sequence[str]):
    """The model's concrete fields: those given (in order), and the others with their defaults."""
    meta = model._meta
    given = [meta.get_field(name) for name in fields]
    names = {f.attname for f in given}
    rest = [f for f in meta.concrete_fields if f.attname not in names and not f.primary_key]
    return given, rest


def _defaults(rest, connection) -> tuple:
    values = []
    for field in rest:
        value = field.get_db_prep_save(field.get_default(), connection)
        values.append(_copy_value(value))
    return tuple(values)


def _copy_value(value):
    """A value as ``COPY`` takes it: JSON as its text, the rest as psycopg adapts it."""
    from psycopg.types.json import Json, Jsonb

    if isinstance(value, Json | Jsonb):  # what JSONField.get_db_prep_save gives on PostgreSQL
        value = value.obj
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value


def insert(
    model: type[Model],
    fields: Sequence[str],
    rows: Iterable[tuple],
    *,
    ignore_conflicts: bool = False,
    update_conflicts: tuple[Sequence[str], Sequence[str]] | None = None,
    returning: Sequence[str] = (),
    using: str = DEFAULT_DB_ALIAS,
    batch_size: int = 2000,
) -> list[tuple] | None:
    """Insert ``rows`` into ``model``'s table.

    ``ignore_conflicts`` skips rows that break a unique constraint; ``update_conflicts=(unique_fields,
    update_fields)`` updates the existing row instead. ``returning`` (PostgreSQL only) lists the
    columns to return for each row really inserted; elsewhere the result is None.
    """
    rows = list(rows)
    if not rows:
        return [] if returning and is_postgresql(using) else None
    if is_postgresql(using):
        return _pg_insert(model, fields, rows, ignore_conflicts, update_conflicts, returning, using)
    objects = [model(**dict(zip(fields, row, strict=True))) for row in rows]
    options = {}
    if ignore_conflicts:
        options["ignore_conflicts"] = True
    elif update_conflicts:
        unique, update = update_conflicts
        options.update(update_conflicts=True, unique_fields=list(unique), update_fields=list(update))
    model._default_manager.using(using).bulk_create(objects, batch_size=batch_size, **options)
    return None


def _pg_insert(model, fields, rows, ignore_conflicts, update_conflicts, returning, using):
    from psycopg import sql

    connection = connections[using]
    given, rest = _columns(model, fields)
    columns = [f.column for f in given] + [f.column for f in rest]
    defaults = _defaults(rest, connection)
    table = sql.Identifier(model._meta.db_table)
    column_list = sql.SQL(", ").join(map(sql.Identifier, columns))
    plain = not (ignore_conflicts or update_conflicts or returning)
    with transaction.atomic(using=using, savepoint=False):
        connection.ensure_connection()
        with connection.connection.cursor() as cursor:
            if plain:
                _copy(cursor, sql.SQL("COPY {} ({}) FROM STDIN").format(table, column_list), given, rows, defaults)
                return None
            stage = sql.Identifier(f"_bulk_stage_{next(_stages)}")
            cursor.execute(
                sql.SQL("CREATE TEMPORARY TABLE {} ON COMMIT DROP AS SELECT {} FROM {} WITH NO DATA").format(
                    stage, column_list, table
                )
            )
            _copy(cursor, sql.SQL("COPY {} ({}) FROM STDIN").format(stage, column_list), given, rows, defaults)
            query = sql.SQL("INSERT INTO {} ({}) SELECT {} FROM {}").format(table, column_list, column_list, stage)
            if update_conflicts:
                unique, update = update_conflicts
                meta = model._meta
                query += sql.SQL(" ON CONFLICT ({}) DO UPDATE SET {}").format(
                    sql.SQL(", ").join(sql.Identifier(meta.get_field(n).column) for n in unique),
                    sql.SQL(", ").join(
                        sql.SQL("{0} = EXCLUDED.{0}").format(sql.Identifier(meta.get_field(n).column)) for n in update
                    ),
                )
            elif ignore_conflicts:
                query += sql.SQL(" ON CONFLICT DO NOTHING")
            if returning:
                meta = model._meta
                query += sql.SQL(" RETURNING {}").format(
                    sql.SQL(", ").join(sql.Identifier(meta.get_field(n).column) for n in returning)
                )
            cursor.execute(query)
            result = cursor.fetchall() if returning else None
            cursor.execute(sql.SQL("DROP TABLE {}").format(stage))
            return result


def _copy(cursor, statement, given, rows, defaults: tuple) -> None:
    json_at = [i for i, field in enumerate(given) if field.get_internal_type() == "JSONField"]
    with cursor.copy(statement) as copy:
        for row in rows:
            if json_at:
                row = list(row)
                for i in json_at:
                    row[i] = _copy_value(row[i])
            copy.write_row((*row, *defaults))


def update(
    model: type[Model],
    fields: Sequence[str],
    rows: Iterable[tuple],
    *,
    using: str = DEFAULT_DB_ALIAS,
    batch_size: int = 500,
) -> None:
    """Set ``fields`` of many rows at once, each to its own values: ``rows`` are (pk, *values).

    On PostgreSQL the values are copied into a temporary table and applied by one ``UPDATE … FROM``;
    elsewhere ``bulk_update`` (a ``CASE`` per field, in small batches)."""
    rows = list(rows)
    if not rows:
        return
    meta = model._meta
    if not is_postgresql(using):
        objects = [model(**dict(zip([meta.pk.attname, *fields], row, strict=True))) for row in rows]
        model._default_manager.using(using).bulk_update(objects, list(fields), batch_size=batch_size)
        return
    from psycopg import sql

    connection = connections[using]
    given = [meta.pk, *(meta.get_field(name) for name in fields)]
    columns = [f.column for f in given]
    table = sql.Identifier(meta.db_table)
    stage = sql.Identifier(f"_bulk_stage_{next(_stages)}")
    column_list = sql.SQL(", ").join(map(sql.Identifier, columns))
    with transaction.atomic(using=using, savepoint=False):
        connection.ensure_connection()
        with connection.connection.cursor() as cursor:
            cursor.execute(
                sql.SQL("CREATE TEMPORARY TABLE {} ON COMMIT DROP AS SELECT {} FROM {} WITH NO DATA").format(
                    stage, column_list, table
                )
            )
            _copy(cursor, sql.SQL("COPY {} ({}) FROM STDIN").format(stage, column_list), given, rows, ())
            cursor.execute(
                sql.SQL("UPDATE {table} AS t SET {assignments} FROM {stage} AS s WHERE t.{pk} = s.{pk}").format(
                    table=table,
                    stage=stage,
                    pk=sql.Identifier(meta.pk.column),
                    assignments=sql.SQL(", ").join(
                        sql.SQL("{0} = s.{0}").format(sql.Identifier(c)) for c in columns[1:]
                    ),
                )
            )
            cursor.execute(sql.SQL("DROP TABLE {}").format(stage))


# --- planner statistics -------------------------------------------------------------------------------------
# A table that grew by tens of thousands of rows in one go still has the statistics of its last ANALYZE (maybe
# of an empty table) until autovacuum gets round to it: the planner then picks plans for the old size (nested
# loops over "empty" tables), and a statistics refresh that takes a second with fresh statistics takes minutes.
# Every bulk load therefore analyses the tables it changed before anything relies on them.

GROWTH_TO_ANALYZE = 0.5  # changed rows, as a share of the rows the planner believes the table holds
ROWS_TO_ANALYZE = 1000  # ... plus this many (small tables)


def analyze(*models: type[Model], using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """``ANALYZE`` the tables of ``models`` (PostgreSQL; nothing elsewhere) and return their names. Allowed
    inside a transaction, where it also samples the transaction's own uncommitted rows."""
    if not is_postgresql(using):
        return []
    from psycopg import sql

    tables = list(dict.fromkeys(model._meta.db_table for model in models))
    connection = connections[using]
    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        for table in tables:
            cursor.execute(sql.SQL("ANALYZE {}").format(sql.Identifier(table)))
    return tables


def analyze_grown(*models: type[Model], changed: int, using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """``ANALYZE`` those of the ``models``' tables whose planner statistics ``changed`` rows (written by the
    caller since it last analysed them) have outdated: never analysed, or ``changed`` above
    ``GROWTH_TO_ANALYZE`` × the rows the planner believes they hold + ``ROWS_TO_ANALYZE``. A growing table is
    thus analysed a logarithmic number of times. Returns the tables analysed (none outside PostgreSQL)."""
    if not is_postgresql(using) or changed <= 0:
        return []
    tables = list(dict.fromkeys(model._meta.db_table for model in models))
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT relname, reltuples FROM pg_class WHERE oid = ANY(%s::regclass[])", [tables])
        believed = dict(cursor.fetchall())
    stale = [
        model
        for model in models
        if believed.get(model._meta.db_table, -1) < 0  # never analysed (PostgreSQL 14+ says -1)
        or changed > GROWTH_TO_ANALYZE * believed[model._meta.db_table] + ROWS_TO_ANALYZE
    ]
    return analyze(*stale, using=using)
