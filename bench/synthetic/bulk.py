"""Removing the synthetic data (following each relation's ``on_delete``) and the bulk load's switches: the big
tables' secondary indexes and foreign keys off during the load, then back on."""

# SQL is assembled from table names, fixed fragments and numbers computed here; values are query parameters.
# ruff: noqa: S608
import itertools

from django.db import connection, models

from .content import SyntheticError
from .province import CAMPAIGN_SUFFIX, MARKER_PASSWORD, PROVINCE

_temp_names = itertools.count(1)


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


def delete_cascade(cursor, model, where: str, params=(), depth: int = 0, truncatable=frozenset()) -> int:
    """Delete the rows of ``model`` matching ``where`` (SQL on alias ``t``) and, first, what depends on them,
    following each relation's ``on_delete`` as Django's collector does (CASCADE, SET_NULL; PROTECT and the
    like refuse). Set-based: one statement per relation, whatever the number of rows. A table of
    ``truncatable`` (no foreign key points at it for now) whose rows all go is truncated instead."""
    if depth > 10:
        raise RuntimeError("relations nested too deep")
    meta = model._meta
    table, pk = quote(meta.db_table), quote(meta.pk.column)
    doomed = f"syn_del_{next(_temp_names)}"
    cursor.execute(f"CREATE TEMPORARY TABLE {doomed} AS SELECT t.{pk} AS pk FROM {table} t WHERE {where}", params)
    count = cursor.rowcount
    if count:
        cursor.execute(f"ANALYZE {doomed}")
        seen = set()
        for rel in meta.get_fields(include_hidden=True):
            if not (rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one)):
                continue
            fk = rel.field
            related = fk.model
            key = (related._meta.db_table, fk.column)
            if key in seen or related._meta.proxy or not related._meta.managed:
                continue
            seen.add(key)
            target = fk.target_field.column
            if target == meta.pk.column:
                match = f"t.{quote(fk.column)} IN (SELECT pk FROM {doomed})"
            else:
                match = (
                    f"t.{quote(fk.column)} IN (SELECT s.{quote(target)} FROM {table} s "
                    f"WHERE s.{pk} IN (SELECT pk FROM {doomed}))"
                )
            on_delete = rel.on_delete
            if on_delete is models.CASCADE:
                delete_cascade(cursor, related, match, (), depth + 1, truncatable)
            elif on_delete is models.SET_NULL:
                cursor.execute(f"UPDATE {quote(related._meta.db_table)} t SET {quote(fk.column)} = NULL WHERE {match}")
            elif on_delete is models.DO_NOTHING:
                continue
            else:
                cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {quote(related._meta.db_table)} t WHERE {match})")
                if cursor.fetchone()[0]:
                    raise SyntheticError(
                        f"Cannot remove the synthetic data: rows of {related._meta.db_table} still refer to it."
                    )
        everything = False
        if meta.db_table in truncatable:
            cursor.execute(f"SELECT count(*) FROM {table}")
            everything = cursor.fetchone()[0] == count
        if everything:
            cursor.execute(f"TRUNCATE {table}")
        else:
            cursor.execute(f"DELETE FROM {table} t WHERE t.{pk} IN (SELECT pk FROM {doomed})")
    cursor.execute(f"DROP TABLE {doomed}")
    return count


def synthetic_remove(cursor, truncatable=frozenset()) -> int:
    """Delete the synthetic campaigns (with their targets and assignments) and learners; returns how many
    learners were removed."""
    from learning.accounts.models import User
    from learning.campaigns.models import Assignment, Campaign

    cursor.execute(
        f"SELECT id FROM {quote(Campaign._meta.db_table)} t WHERE t.province_id = %s AND t.name LIKE %s",
        [PROVINCE, "%" + CAMPAIGN_SUFFIX],
    )
    ids = [row[0] for row in cursor.fetchall()]
    if ids:
        delete_cascade(cursor, Assignment, "t.campaign_id = ANY(%s)", [ids], truncatable=truncatable)
        delete_cascade(cursor, Campaign, "t.id = ANY(%s)", [ids], truncatable=truncatable)
    return delete_cascade(cursor, User, "t.password = %s", [MARKER_PASSWORD], truncatable=truncatable)


# --- bulk load: indexes and foreign keys off, then back on --------------------------------------------


def deferred_checks_flush(cursor) -> None:
    """Run the foreign key checks waiting for the end of the transaction now, then defer again (Django's
    constraints are all ``DEFERRABLE INITIALLY DEFERRED``)."""
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def bulk_tables():
    from learning.accounts.models import User
    from learning.campaigns.models import AssignmentMember
    from learning.progress.models import Enrolment, LessonCompletion, QuizAttempt

    return [
        m._meta.db_table
        for m in (User, User.target_groups.through, Enrolment, LessonCompletion, QuizAttempt, AssignmentMember)
    ]


def bulk_off(cursor, tables: list[str]) -> list[str]:
    """Drop the secondary indexes of ``tables`` and every foreign key from or to them; returns the statements
    that create them again (indexes first)."""
    cursor.execute(
        """
        SELECT format('ALTER TABLE %%s DROP CONSTRAINT %%I', c.conrelid::regclass, c.conname),
               format('ALTER TABLE %%s ADD CONSTRAINT %%I %%s', c.conrelid::regclass, c.conname,
                      pg_get_constraintdef(c.oid))
        FROM pg_constraint c
        WHERE c.contype = 'f' AND (c.conrelid = ANY(%s::regclass[]) OR c.confrelid = ANY(%s::regclass[]))
        ORDER BY c.conrelid::regclass::text, c.conname
        """,
        [tables, tables],
    )
    foreign_keys = cursor.fetchall()
    cursor.execute(
        """
        SELECT CASE WHEN c.oid IS NULL THEN format('DROP INDEX %%s', i.indexrelid::regclass)
                    ELSE format('ALTER TABLE %%s DROP CONSTRAINT %%I', i.indrelid::regclass, c.conname) END,
               CASE WHEN c.oid IS NULL THEN pg_get_indexdef(i.indexrelid)
                    ELSE format('ALTER TABLE %%s ADD CONSTRAINT %%I %%s', i.indrelid::regclass, c.conname,
                                pg_get_constraintdef(c.oid)) END
        FROM pg_index i
        LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.contype IN ('u', 'x')
        WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary
        ORDER BY i.indrelid::regclass::text, i.indexrelid::regclass::text
        """,
        [tables],
    )
    indexes = cursor.fetchall()
    for drop, _create in foreign_keys + indexes:
        cursor.execute(drop)
    return [create for _drop, create in indexes + foreign_keys]


def pg_sequence(table: str) -> str:
    return f"pg_get_serial_sequence('{table}', 'id')::regclass"
