"""Writes to the outbox: statements for the records just made (in the caller's transaction), and the backfill.

A statement is written only while some LRS is enabled, with one delivery row per enabled LRS; the web request
pays these two inserts and nothing else (sending is ``sending.py``'s, in the ``xapi`` worker). Ids are
deterministic, so writing a statement again is harmless (``ON CONFLICT DO NOTHING``).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from learning.accounts.models import User
from learning.campaigns.models import Assignment, AssignmentMember
from learning.certificates.models import Certificate
from learning.progress.models import Enrolment, LessonCompletion, QuizAttempt

from . import statements as xs
from .models import ENABLED_KEY, Delivery, Lrs, Statement
from .selectors import groups_of


def enabled_lrs_ids() -> list[int]:
    """The enabled LRSs, remembered in the shared cache (saving an LRS forgets it)."""
    ids = cache.get(ENABLED_KEY)
    if ids is None:
        ids = list(Lrs.objects.filter(enabled=True).order_by("pk").values_list("pk", flat=True))
        cache.set(ENABLED_KEY, ids, settings.XAPI_LRS_CACHE_SECONDS)
    return ids


def outbox_add(built: Iterable[xs.Built], *, lrs_ids=None) -> int:
    """Queue statements for every enabled LRS (or ``lrs_ids``); returns how many were given."""
    lrs_ids = enabled_lrs_ids() if lrs_ids is None else list(lrs_ids)
    unique = {b.id: b for b in built}
    if not unique or not lrs_ids:
        return 0
    if connection.vendor == "postgresql":
        _insert_postgresql(list(unique.values()), lrs_ids)
        return len(unique)
    Statement.objects.bulk_create(
        [Statement(id=b.id, verb=b.verb, timestamp=b.timestamp, payload=b.payload) for b in unique.values()],
        ignore_conflicts=True,
    )
    Delivery.objects.bulk_create(
        [Delivery(lrs_id=lrs_id, statement_id=sid) for lrs_id in lrs_ids for sid in unique],
        ignore_conflicts=True,
    )
    return len(unique)


_INSERT = """
WITH statements AS (
    INSERT INTO xapi_statement (id, verb, "timestamp", payload, created_at)
    SELECT * FROM unnest(%s::uuid[], %s::varchar[], %s::timestamptz[], %s::jsonb[], %s::timestamptz[])
    ON CONFLICT (id) DO NOTHING
)
INSERT INTO xapi_delivery (lrs_id, statement_id, status, attempts, created_at, error)
SELECT lrs_id, statement_id, 'pending', 0, %s, '' FROM unnest(%s::bigint[]) AS lrs_id
CROSS JOIN unnest(%s::uuid[]) AS statement_id
ON CONFLICT (lrs_id, statement_id) DO NOTHING
"""


def _insert_postgresql(built: list[xs.Built], lrs_ids: list[int]) -> None:
    """Statements and their deliveries in one round trip (the request's whole cost of the outbox)."""
    now = timezone.now()
    ids = [b.id for b in built]
    params = [ids, [b.verb for b in built], [b.timestamp for b in built], [json.dumps(b.payload) for b in built]]
    params += [[now] * len(built), now, lrs_ids, ids]
    with connection.cursor() as cursor:
        cursor.execute(_INSERT, params)


# --- Statements for one record (the event handlers) ---------------------------------------------------------


def _groups(user_id, user=None) -> list[str]:
    """The person's target groups; remembered on the ``User`` instance the event carries, so the statements of
    one request (a course started and a lesson completed) read them once."""
    cached = getattr(user, "_xapi_groups", None) if user is not None else None
    if cached is None:
        cached = groups_of([user_id]).get(user_id, [])
        if user is not None:
            user._xapi_groups = cached
    return cached


def _user(record, field="user"):
    """The ``User`` a record already holds (no query), or None."""
    return record._state.fields_cache.get(field)


def person_registered(user: User) -> list[xs.Built]:
    return xs.registered(
        user_id=user.pk, joined_at=user.date_joined, commune_id=user.commune_id, groups=_groups(user.pk, user)
    )


def enrolment_statements(enrolment: Enrolment, *, completed: bool, groups=None) -> list[xs.Built]:
    """The course started (``completed=False``) or completed, from the enrolment."""
    return xs.course(
        completed=completed,
        enrolment_id=enrolment.pk,
        user_id=enrolment.user_id,
        course_id=enrolment.course_id,
        course_title=enrolment.course.title,
        at=enrolment.completed_at if completed else enrolment.enrolled_at,
        commune_id=enrolment.commune_id,
        groups=_groups(enrolment.user_id, _user(enrolment)) if groups is None else groups,
    )


def lesson_completed(completion: LessonCompletion, groups=None) -> list[xs.Built]:
    return xs.lesson_completed(
        completion_id=completion.pk,
        user_id=completion.user_id,
        lesson_id=completion.lesson_id,
        lesson_title=completion.lesson.title,
        course_id=completion.enrolment.course_id,
        at=completion.completed_at,
        seconds=completion.time_spent_seconds,
        commune_id=completion.commune_id,
        groups=_groups(completion.user_id, _user(completion)) if groups is None else groups,
    )


def quiz_submitted(attempt: QuizAttempt, groups=None, answers=None) -> list[xs.Built]:
    return xs.quiz_submitted(
        attempt=attempt,
        quiz_title=attempt.quiz.title,
        answers=list(attempt.answers.all()) if answers is None else answers,
        commune_id=attempt.commune_id,
        groups=_groups(attempt.user_id, _user(attempt)) if groups is None else groups,
    )


def certificate_issued(certificate: Certificate, groups=None) -> list[xs.Built]:
    return xs.certificate_issued(
        certificate=certificate,
        commune_id=certificate.enrolment.commune_id,
        groups=_groups(certificate.holder_id, _user(certificate, "holder")) if groups is None else groups,
    )


def _assignment_statements(code: str, members: list[AssignmentMember], when) -> list[xs.Built]:
    """``assigned`` / ``overdue`` statements for memberships (any number; a few queries in all)."""
    if not members:
        return []
    assignment_ids = {m.assignment_id for m in members}
    assignments = Assignment.objects.in_bulk(assignment_ids)
    courses: dict[int, list[int]] = defaultdict(list)
    for assignment_id, course_id in Assignment.courses.through.objects.filter(
        assignment_id__in=assignment_ids
    ).values_list("assignment_id", "coursepage_id"):
        courses[assignment_id].append(course_id)
    groups = groups_of(m.user_id for m in members)
    return [
        xs.assignment_statement(
            code=code,
            assignment=assignments[m.assignment_id],
            user_id=m.user_id,
            at=when(m, assignments[m.assignment_id]),
            commune_id=m.commune_id,
            groups=groups.get(m.user_id, []),
            course_ids=courses[m.assignment_id],
        )
        for m in members
        if m.assignment_id in assignments
    ]


def members_assigned(members: Iterable[AssignmentMember]) -> list[xs.Built]:
    current = [m for m in members if m.left_at is None]
    return _assignment_statements("assigned", current, lambda m, a: m.assigned_at)


def overdue_at(deadline: date) -> datetime:
    """A deadline is "the last day": overdue from the next midnight, the site's time."""
    return timezone.make_aware(datetime.combine(deadline + timedelta(days=1), time.min))


def members_overdue(*, since: date, today: date | None = None) -> list[xs.Built]:
    """Open memberships whose deadline passed (between ``since`` and yesterday) unfinished."""
    today = today or timezone.localdate()
    members = list(
        AssignmentMember.objects.filter(
            completed_at__isnull=True,
            left_at__isnull=True,
            assignment__deadline__lt=today,
            assignment__deadline__gte=since - timedelta(days=1),
        )
    )
    return _assignment_statements("overdue", members, lambda m, a: overdue_at(a.deadline))


# --- Backfill ----------------------------------------------------------------------------------------------


def _chunks(queryset, size):
    chunk = []
    for item in queryset.iterator(chunk_size=size):
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def backfill(*, since: date, lrs_ids=None, chunk_size: int = 1000) -> dict[str, int]:
    """Statements for every record made since ``since`` (the site's day), queued for the enabled LRSs (or
    ``lrs_ids``). Safe to repeat: the ids come from the records, so nothing is written twice."""
    lrs_ids = enabled_lrs_ids() if lrs_ids is None else list(lrs_ids)
    start = timezone.make_aware(datetime.combine(since, time.min))
    counts: dict[str, int] = {}

    def run(name, queryset, build, user_of):
        total = 0
        for chunk in _chunks(queryset, chunk_size):
            groups = groups_of(user_of(r) for r in chunk)
            built = [b for r in chunk for b in build(r, groups.get(user_of(r), []))]
            with transaction.atomic():
                total += outbox_add(built, lrs_ids=lrs_ids)
        counts[name] = total

    run(
        "registered",
        User.objects.filter(date_joined__gte=start).order_by("pk"),
        lambda u, g: xs.registered(user_id=u.pk, joined_at=u.date_joined, commune_id=u.commune_id, groups=g),
        lambda u: u.pk,
    )
    enrolments = Enrolment.objects.select_related("course").order_by("pk")
    run(
        "started",
        enrolments.filter(enrolled_at__gte=start),
        lambda e, g: enrolment_statements(e, completed=False, groups=g),
        lambda e: e.user_id,
    )
    run(
        "lesson_completed",
        LessonCompletion.objects.filter(completed_at__gte=start).select_related("lesson", "enrolment").order_by("pk"),
        lambda c, g: lesson_completed(c, g),
        lambda c: c.user_id,
    )
    run(
        "quiz",
        QuizAttempt.objects.filter(status="submitted", submitted_at__gte=start)
        .select_related("quiz")
        .prefetch_related("answers")
        .order_by("pk"),
        lambda a, g: quiz_submitted(a, g, answers=list(a.answers.all())),
        lambda a: a.user_id,
    )
    run(
        "course_completed",
        enrolments.filter(completed_at__gte=start),
        lambda e, g: enrolment_statements(e, completed=True, groups=g),
        lambda e: e.user_id,
    )
    run(
        "certificates",
        Certificate.objects.filter(issued_at__gte=start).select_related("enrolment").order_by("pk"),
        lambda c, g: certificate_issued(c, g),
        lambda c: c.holder_id,
    )
    total = 0
    for chunk in _chunks(AssignmentMember.objects.filter(assigned_at__gte=start, left_at__isnull=True), chunk_size):
        with transaction.atomic():
            total += outbox_add(members_assigned(chunk), lrs_ids=lrs_ids)
    counts["assigned"] = total
    with transaction.atomic():
        counts["overdue"] = outbox_add(members_overdue(since=since), lrs_ids=lrs_ids)
    return counts


def overdue_sweep(today: date | None = None) -> int:
    """Daily: ``overdue`` statements for the deadlines of the last days (repeating it writes nothing twice)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        return outbox_add(members_overdue(since=today - timedelta(days=settings.XAPI_OVERDUE_LOOKBACK_DAYS)))
