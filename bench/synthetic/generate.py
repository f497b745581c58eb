"""The generator: one transaction, the bulk-load switches around the four phases; and the digest of the result."""

# SQL is assembled from table names, fixed fragments and numbers computed here; values are query parameters.
# ruff: noqa: S608
from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from bench import guard

from .bulk import bulk_off, bulk_tables, deferred_checks_flush, pg_sequence, quote, synthetic_remove
from .campaign import CampaignPhase
from .clock import random_functions_create
from .content import SyntheticError, content_ensure, is_postgresql
from .enrolments import EnrolmentsPhase
from .people import PeoplePhase
from .progress import ProgressPhase
from .province import DEFAULT_START, MARKER_PASSWORD, TEMPORARY_TABLES


@dataclass
class Result:
    counts: dict[str, int] = field(default_factory=dict)
    removed_learners: int = 0
    seconds: float = 0.0


class Generator(PeoplePhase, EnrolmentsPhase, ProgressPhase, CampaignPhase):
    """The state shared by the phases (the cursor, the options, the rows inserted per table) and their helpers."""

    def __init__(self, cursor, *, learners, seed, batch, start, now, log):
        self.c = cursor
        self.n = learners
        self.seed = seed
        self.batch = batch
        self.start = start
        self.now = now
        self.log = log
        self.t0 = time.monotonic()
        self.counts: dict[str, int] = {}
        # Seconds east of UTC of the site's time zone (Vietnam keeps one offset all year).
        self.offset = int(timezone.localtime(now).utcoffset().total_seconds())

    def run(self, sql, params=None) -> int:
        self.c.execute(sql, params)
        return self.c.rowcount

    def scalar(self, sql, params=None):
        self.c.execute(sql, params)
        return self.c.fetchone()[0]

    def add(self, table, rows):
        self.counts[table] = self.counts.get(table, 0) + max(rows, 0)

    def step(self, table, rows):
        self.add(table, rows)
        self.log(f"{table}: {rows:,} rows ({time.monotonic() - self.t0:.1f} s)")

    def next_id(self, table) -> int:
        """The first free id of ``table`` (after both its rows and its sequence)."""
        t = quote(table)
        return self.scalar(
            f"SELECT GREATEST((SELECT COALESCE(MAX(id), 0) FROM {t}),"
            f" COALESCE(pg_sequence_last_value({pg_sequence(table)}), 0)) + 1"
        )


def province_generate(
    *,
    learners: int,
    seed: int = 1,
    batch: int = 100_000,
    start: dt.date = DEFAULT_START,
    reset: bool = False,
    now: dt.datetime | None = None,
    log: Callable[[str], None] = lambda line: None,
) -> Result:
    """Generate the synthetic province (after removing the previous one when ``reset``); PostgreSQL only.

    Runs in one transaction. Returns the rows inserted per table, the learners removed and the time taken."""
    from learning.accounts.models import User
    from learning.progress.models import Enrolment

    guard.ensure_bench_database()
    if not is_postgresql():
        raise SyntheticError(
            f"generate_province needs PostgreSQL (set DATABASE_URL); this database is {connection.vendor}."
        )
    now = now or timezone.now()
    result = Result()
    t0 = time.monotonic()
    courses = content_ensure() if learners else []
    if learners:
        lessons = sum(len(c.lessons) for c in courses)
        basic = courses[0].page.title if courses else "-"
        log(
            f"Content: {len(courses)} demo courses, {lessons} lessons; basic programme: {basic} "
            f"({time.monotonic() - t0:.1f} s)"
        )
    tables = bulk_tables()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
        cursor.execute("SET LOCAL synchronous_commit = off")
        if learners < 100_000:  # compiling the expressions costs more than it saves on small runs
            cursor.execute("SET LOCAL jit = off")
        deferred_checks_flush(cursor)  # DDL refuses tables with foreign key checks still pending
        recreate = bulk_off(cursor, tables)
        if reset:
            result.removed_learners = synthetic_remove(cursor, frozenset(tables))
            log(
                f"Removed the previous synthetic data: {result.removed_learners:,} learners "
                f"({time.monotonic() - t0:.1f} s)"
            )
        if learners:
            random_functions_create(cursor, seed)
            gen = Generator(cursor, learners=learners, seed=seed, batch=batch, start=start, now=now, log=log)
            gen.t0 = t0
            gen.communes()
            gen.content_tables(courses)
            gen.learners(gen.next_id(User._meta.db_table))
            gen.enrolments(courses, gen.next_id(Enrolment._meta.db_table))
            gen.progress()
            gen.campaign(courses)
            result.counts = gen.counts
            for name in TEMPORARY_TABLES:
                cursor.execute(f"DROP TABLE IF EXISTS {name}")
        deferred_checks_flush(cursor)
        for statement in recreate:
            cursor.execute(statement)
        log(f"Indexes and constraints checked and rebuilt ({time.monotonic() - t0:.1f} s)")
        if learners:  # explicit ids were inserted: the sequences go past them
            for table in (User._meta.db_table, Enrolment._meta.db_table):
                cursor.execute(
                    f"SELECT setval({pg_sequence(table)}, GREATEST((SELECT MAX(id) FROM {quote(table)}),"
                    f" pg_sequence_last_value({pg_sequence(table)})))"
                )
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {quote(table)}")
    result.seconds = time.monotonic() - t0
    return result


def digest() -> str:
    """A fingerprint of the synthetic data that does not depend on ids (for reproducibility checks)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT md5(string_agg(line, E'\\n' ORDER BY line)) FROM (
                SELECT u.phone || u.full_name || u.commune_id || u.date_joined::text
                       || COALESCE((SELECT string_agg(g.targetgroup_id, ',' ORDER BY g.targetgroup_id)
                                    FROM accounts_user_target_groups g WHERE g.user_id = u.id), '') AS line
                FROM accounts_user u WHERE u.password = %(marker)s
                UNION ALL
                SELECT u.phone || e.course_id || e.enrolled_at::text || COALESCE(e.completed_at::text, '-')
                FROM progress_enrolment e JOIN accounts_user u ON u.id = e.user_id WHERE u.password = %(marker)s
                UNION ALL
                SELECT u.phone || c.lesson_id || c.client_id::text || c.completed_at::text || c.time_spent_seconds
                FROM progress_lessoncompletion c JOIN accounts_user u ON u.id = c.user_id
                WHERE u.password = %(marker)s
                UNION ALL
                SELECT u.phone || a.quiz_id || a.number || a.status || a.started_at::text
                       || COALESCE(a.score_percent::text, '-')
                FROM progress_quizattempt a JOIN accounts_user u ON u.id = a.user_id WHERE u.password = %(marker)s
            ) s
            """,
            {"marker": MARKER_PASSWORD},
        )
        return cursor.fetchone()[0] or ""
