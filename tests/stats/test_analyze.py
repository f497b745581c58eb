"""Bulk loads analyse the tables they changed before anything relies on them (PostgreSQL; nothing on SQLite):
a table analysed while empty keeps the planner on plans for an empty table, and the statistics refresh after
a roster import then takes minutes instead of a second."""

import pytest
from django.db import connection

from learning.accounts.models import User
from learning.campaigns import bulk
from learning.campaigns.models import AssignmentMember
from learning.campaigns.roster_models import RosterRow
from learning.campaigns.rosters import roster_import, roster_start
from learning.stats import fill
from learning.stats.models import DailyCount
from tests.campaigns.test_rosters import person, preview, xlsx

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="ANALYZE is PostgreSQL's")


@pytest.fixture
def organiser(make_user):
    from learning.accounts.services import role_grant

    user = make_user(phone="0987000001", full_name="Cán bộ Xã")
    role_grant(user=user, role="commune_organiser", scope_codes=["06688", "06652"])
    return user


@pytest.fixture
def analysed(monkeypatch):
    """The tables ``bulk.analyze`` was asked to analyse, in order (it still runs)."""
    calls: list[str] = []
    real = bulk.analyze

    def spy(*models, **kwargs):
        done = real(*models, **kwargs)
        calls.extend(done)
        return done

    monkeypatch.setattr(bulk, "analyze", spy)
    return calls


def _reltuples(table: str) -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table])
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the SQLite behaviour")
def test_analyse_is_a_no_op_outside_postgresql():
    assert bulk.analyze(User) == []
    assert bulk.analyze_grown(User, changed=10**6) == []


@postgresql_only
def test_a_table_is_analysed_when_never_analysed_or_outgrown_and_left_alone_otherwise():
    table = DailyCount._meta.db_table
    with connection.cursor() as cursor:  # as after a fresh migration: never analysed
        cursor.execute("UPDATE pg_class SET reltuples = -1 WHERE oid = %s::regclass", [table])
    assert bulk.analyze_grown(DailyCount, changed=1) == [table]
    assert _reltuples(table) == 0  # analysed (empty): the planner now believes 0 rows
    threshold = bulk.GROWTH_TO_ANALYZE * 0 + bulk.ROWS_TO_ANALYZE
    assert bulk.analyze_grown(DailyCount, changed=int(threshold)) == []  # not grown enough
    assert bulk.analyze_grown(DailyCount, changed=int(threshold) + 1) == [table]
    assert bulk.analyze_grown(DailyCount, changed=0) == []


@postgresql_only
def test_a_roster_import_analyses_the_people_tables_it_grew_before_its_batch_commits(
    organiser, analysed, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(bulk, "ROWS_TO_ANALYZE", 2)  # a small roster counts as a large one
    people = User._meta.db_table
    seen_at_commit = []
    from learning.stats import services

    monkeypatch.setattr(services, "_schedule_refresh", lambda: seen_at_commit.append(list(analysed)))
    roster = preview(organiser, xlsx([person(phone=f"09123471{i:02d}") for i in range(7)]))
    assert RosterRow._meta.db_table in analysed  # the preview's rows, read back by the import
    roster, _started = roster_start(roster=roster)
    with django_capture_on_commit_callbacks(execute=True):
        roster = roster_import(roster=roster, batch_size=3)
    assert roster.status == "imported"
    assert people in analysed and User.target_groups.through._meta.db_table in analysed
    assert seen_at_commit and people in seen_at_commit[0]  # analysed inside the first batch, before its commit
    assert _reltuples(people) >= 4  # the planner knows the first batch of accounts (and the organiser) is there
    assert AssignmentMember._meta.db_table not in analysed or AssignmentMember.objects.exists()


def test_fill_stats_analyses_the_counts_it_rewrote(analysed, monkeypatch):
    called = []
    monkeypatch.setattr(bulk, "analyze", lambda *models, **kw: called.extend(models) or [])
    fill.fill_all(restart=True)
    assert called == [DailyCount]
