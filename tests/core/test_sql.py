"""learning.core.sql: the hot paths' hand-written statements planned once per connection on PostgreSQL, and
counted like every other query."""

import pytest
from django.db import connection

from learning.core.sql import prepared_cursor

STATEMENT = "SELECT COUNT(*) FROM localities_commune WHERE code = %s OR code = %s"


def statement(tag: str) -> str:
    """A statement of its own for each test: the test connection outlives a test, and what one prepared on it
    would still be there for the next."""
    return f"{STATEMENT} /* {tag} */"


def prepared(tag: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE statement LIKE %s", [f"%/* {tag} */%"])
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.django_db
def test_statements_are_counted_and_answer_as_usual(django_assert_num_queries):
    with django_assert_num_queries(2), prepared_cursor() as cursor:
        cursor.execute(STATEMENT, ["X0000", "X0001"])
        assert cursor.fetchone() == (0,)
        cursor.execute(STATEMENT, ["X0000", "X0001"])
        assert cursor.fetchone() == (0,)


@pytest.mark.django_db
def test_postgresql_keeps_the_plan_of_a_statement_run_again():
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    with prepared_cursor() as cursor:
        cursor.execute(statement("keeps"), ["X0000", "X0001"])
    assert prepared("keeps") == []  # once is not enough
    for n in range(6):
        with prepared_cursor() as cursor:
            cursor.execute(statement("keeps"), [f"X000{n}", "X9999"])
            assert cursor.fetchone() == (0,)
    assert prepared("keeps") == ["SELECT COUNT(*) FROM localities_commune WHERE code = $1 OR code = $2 /* keeps */"]


@pytest.mark.django_db(transaction=True)  # autocommit, as a request runs outside atomic blocks
def test_an_error_is_djangos_and_leaves_the_connection_usable():
    from django.db import DatabaseError

    with pytest.raises(DatabaseError), prepared_cursor() as cursor:
        cursor.execute("SELECT no_such_column FROM localities_commune")
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


@pytest.mark.django_db
def test_turned_off_it_prepares_nothing():
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    threshold = connection.connection.prepare_threshold
    connection.connection.prepare_threshold = None  # what DATABASE_PREPARED_STATEMENTS=false sets
    try:
        for n in range(6):
            with prepared_cursor() as cursor:
                cursor.execute(statement("off"), [f"X000{n}", "X9999"])
        assert prepared("off") == []
    finally:
        connection.connection.prepare_threshold = threshold
