"""Reads of quiz attempts, always for one given learner, and of the quiz a learner starts."""

import functools
from dataclasses import dataclass, field
from datetime import timedelta

from cachetools import LRUCache
from django.db import connection
from django.utils import timezone

from courses import page_cache, quiz_engine
from courses.models import CoursePage, QuizPage
from learning.core.sql import prepared_cursor

from .models import Enrolment, QuizAttempt
from .selectors import quiz_lock_reason

# --- starting a quiz ------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuizTarget:
    """A quiz learners may start now, and the course its attempts belong to."""

    quiz: QuizPage
    course: CoursePage


def quiz_course(quiz) -> CoursePage | None:
    """The published course a quiz belongs to (one query)."""
    return CoursePage.objects.live().filter(path=quiz.path[: -quiz.steplen]).first()


# This process's quiz targets, by quiz id, each with the page rows it was checked against; the least
# recently used go first when full.
_TARGETS: LRUCache = LRUCache(maxsize=256)


def _page_rows(quiz) -> tuple:
    """The rows that decide whether ``quiz`` may be started, from one statement: for the quiz and
    each page above it (found by the quiz's path), its id, whether it is live, its published
    revision and publication time, and whether it has a view restriction.

    Hand-written because it runs on every quiz start, where building it with the ORM cost more
    than everything else it does; portable SQL (SQLite and PostgreSQL)."""
    from wagtail.models import Page, PageViewRestriction

    paths = [quiz.path[:end] for end in range(quiz.steplen, len(quiz.path) + 1, quiz.steplen)]
    quote = connection.ops.quote_name
    sql = (
        "SELECT p.path, p.id, p.live, p.live_revision_id, p.last_published_at, EXISTS"  # noqa: S608 - names from the models, values as parameters
        f" (SELECT 1 FROM {quote(PageViewRestriction._meta.db_table)} r WHERE r.page_id = p.id)"
        f" FROM {quote(Page._meta.db_table)} p WHERE p.path IN ({', '.join(['%s'] * len(paths))}) ORDER BY p.path"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, paths)
        return tuple(tuple(row) for row in cursor.fetchall())


def _rows_allow(rows: tuple, target: QuizTarget) -> bool:
    """Do the page rows show ``target`` as it was loaded: every page up to the quiz there, none
    restricted, the quiz live at the loaded revision and the course live?"""
    quiz, course = target.quiz, target.course
    by_path = {path: (pk, live, revision, restricted) for path, pk, live, revision, _published, restricted in rows}
    if len(by_path) != len(quiz.path) // quiz.steplen or any(row[3] for row in by_path.values()):
        return False
    quiz_row, course_row = by_path[quiz.path], by_path.get(course.path)
    return (
        course_row is not None
        and (quiz_row[0], bool(quiz_row[1]), quiz_row[2]) == (quiz.pk, True, quiz.live_revision_id)
        and (course_row[0], bool(course_row[1])) == (course.pk, True)
    )


def quiz_for_start(*, quiz_id) -> QuizTarget | None:
    """The published quiz with this id, if it is public and its course is published; else None.

    With a version of the page tree (``courses.page_cache``, whose version changes whenever a page is
    published, unpublished, moved, saved or restricted), the target is worked out once per version, as the
    course outlines are: no statement. Without one (the shared cache does not answer), this process keeps
    the quiz and course it loaded (Wagtail's ``live().public()``) with the page rows they were checked
    against, and reads those rows again on every call (one statement): when anything changed there, the
    quiz is loaded again."""
    if page_cache.version() is not None:
        return page_cache.kept(("quiz_target", quiz_id), lambda: _target_load(quiz_id))
    memo = _TARGETS.get(quiz_id)
    if memo is not None and _page_rows(memo[1].quiz) == memo[0]:
        return memo[1]
    target = _target_load(quiz_id)
    if target is None:
        _TARGETS.pop(quiz_id, None)
        return None
    rows = _page_rows(target.quiz)
    if _rows_allow(rows, target):  # else it changed while loading: load again next time
        _TARGETS[quiz_id] = (rows, target)
    return target


def _target_load(quiz_id) -> QuizTarget | None:
    quiz = QuizPage.objects.live().public().filter(pk=quiz_id).first()
    course = quiz_course(quiz) if quiz is not None else None
    return QuizTarget(quiz=quiz, course=course) if course is not None else None


@dataclass(frozen=True)
class StartState:
    """What decides how a learner's start goes: their open attempt (its id), how many attempts they
    submitted, and whether they are enrolled in the course."""

    open_id: int | None
    submitted: int
    enrolled: bool
    pool_stamp: str | None = field(default=None, compare=False)  # the question pool's, read in the same statement


@functools.cache
def _start_state_sql() -> str:
    quote = connection.ops.quote_name
    attempts = quote(QuizAttempt._meta.db_table)
    return (
        "SELECT"  # noqa: S608 - names from the models, values as parameters
        f" (SELECT MAX(a.id) FROM {attempts} a WHERE a.user_id = %s AND a.quiz_id = %s AND a.status = 'in_progress'),"
        f" (SELECT COUNT(*) FROM {attempts} a WHERE a.user_id = %s AND a.quiz_id = %s AND a.status = 'submitted'),"
        f" EXISTS (SELECT 1 FROM {quote(Enrolment._meta.db_table)} e WHERE e.user_id = %s AND e.course_id = %s)"
    )


def start_state(*, user, quiz, course) -> StartState:
    """The learner's ``StartState`` for ``quiz`` of ``course``, with the stamp of the quiz's question pool,
    from one statement.

    Hand-written because it runs on every quiz start, where building four ORM queries cost more
    than everything else they do; portable SQL (SQLite and PostgreSQL), planned once per connection."""
    user_quiz, user_course = [user.pk, quiz.pk], [user.pk, course.pk]
    stamp_columns, stamp_params = quiz_engine.pool_stamp_columns(quiz)
    with prepared_cursor() as cursor:
        cursor.execute(f"{_start_state_sql()}, {stamp_columns}", user_quiz + user_quiz + user_course + stamp_params)
        open_id, submitted, enrolled, count, changed = cursor.fetchone()
    return StartState(
        open_id=open_id,
        submitted=submitted,
        enrolled=bool(enrolled),
        pool_stamp=quiz_engine.pool_stamp_of(count, changed),
    )


def last_submitted_at(*, user, quiz):
    """When the learner last submitted an attempt at ``quiz`` (None if never)."""
    return (
        QuizAttempt.objects.filter(user=user, quiz=quiz, status=QuizAttempt.Status.SUBMITTED)
        .order_by("-submitted_at")
        .values_list("submitted_at", flat=True)
        .first()
    )


# --- reading attempts -----------------------------------------------------------------------------


def attempt_for_user(*, user, attempt_id) -> QuizAttempt:
    """The learner's own attempt; someone else's is ``DoesNotExist``, as if it did not exist."""
    return QuizAttempt.objects.select_related("quiz", "course").get(pk=attempt_id, user=user)


def attempts_of(*, user, quiz=None):
    qs = QuizAttempt.objects.filter(user=user).select_related("quiz", "course").order_by("-started_at")
    return qs.filter(quiz=quiz) if quiz is not None else qs


@dataclass
class QuizOverview:
    quiz: object
    attempts: list = field(default_factory=list)
    open_attempt: QuizAttempt | None = None
    best_score: object = None
    passed: bool = False
    attempts_left: int | None = None
    next_start_at: object = None  # when the minimum wait between attempts is over
    locked_reason: str = ""  # why it does not open yet (the course's order), "" when open

    @property
    def can_start(self) -> bool:
        if self.open_attempt is not None:
            return True
        if self.locked_reason:
            return False
        if self.attempts_left is not None and self.attempts_left <= 0:
            return False
        return self.next_start_at is None or self.next_start_at <= timezone.now()


def best_results(*, user, quiz_ids) -> dict[int, tuple]:
    """quiz id → (best score, passed) over the learner's submitted attempts."""
    if not user.is_authenticated:
        return {}
    best: dict[int, tuple] = {}
    rows = QuizAttempt.objects.filter(user=user, quiz_id__in=list(quiz_ids), status="submitted").values_list(
        "quiz_id", "score_percent", "passed"
    )
    for quiz_id, score, passed in rows:
        old = best.get(quiz_id, (None, False))
        best[quiz_id] = (max(s for s in (old[0], score) if s is not None), old[1] or bool(passed))
    return best


def quiz_overview(*, user, quiz) -> QuizOverview:
    overview = QuizOverview(quiz=quiz)
    if not user.is_authenticated:
        return overview
    course = quiz_course(quiz)
    overview.locked_reason = quiz_lock_reason(user=user, quiz=quiz, course=course) if course else ""
    attempts = list(attempts_of(user=user, quiz=quiz))
    overview.attempts = attempts
    overview.open_attempt = next((a for a in attempts if a.status == "in_progress"), None)
    submitted = [a for a in attempts if a.status == "submitted"]
    if submitted:
        overview.best_score = max(a.score_percent for a in submitted)
        overview.passed = any(a.passed for a in submitted)
        last = max(a.submitted_at for a in submitted)
        if quiz.min_wait_minutes:
            overview.next_start_at = last + timedelta(minutes=quiz.min_wait_minutes)
    if quiz.max_attempts:
        overview.attempts_left = max(0, quiz.max_attempts - len(submitted))
    return overview
