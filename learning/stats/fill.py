"""Recompute the daily counts from the raw learner records.

One function, :func:`recompute`, turns the raw records of a range of days (optionally a few communes) into
``DailyCount`` rows; everything else calls it:

- events (sign-up, enrolment, lesson, quiz, assignment) mark their commune-day dirty in their own
  transaction (:func:`learning.stats.services.mark`), and a task enqueued on commit recomputes the marked
  commune-days (:func:`refresh_dirty`), so the counts follow events within seconds;
- ``fill_stats`` and the nightly task recompute everything in chunks of days and record how far they got
  (:class:`~learning.stats.models.FillState`), so an interrupted fill resumes where it stopped;
- an hourly task recomputes yesterday and today, when deadlines pass without any event.

The definitions live in the SQL below and in :func:`_mandatory_events`; ``docs/architecture.md`` describes them.
"""

# SQL is assembled from model table names and fixed fragments; every value is a query parameter.
# ruff: noqa: S608
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Min, Q
from django.utils import timezone

from courses.models import CoursePage
from learning.accounts.models import User
from learning.campaigns import bulk
from learning.campaigns.models import Assignment, AssignmentMember
from learning.campaigns.status import completed_late, first_overdue_day
from learning.progress.models import Enrolment, LessonCompletion, QuizAttempt

from .models import ADULT, ALL_COURSES, EVERYONE, METRICS, DailyCount, DirtyDay, FillState
from .selectors import counts_changed

ADDITIVE = ("enrolments", "lesson_completions", "course_completions", "quiz_passes")
LOCK_KEY = 7_240_522  # PostgreSQL advisory lock: one writer of the count tables at a time


# --- SQL pieces ------------------------------------------------------------------------------------


def _local_day(column: str) -> str:
    """SQL for the local calendar day of a timestamp column."""
    if connection.vendor == "postgresql":
        from psycopg import sql  # only with PostgreSQL

        connection.ensure_connection()
        zone = sql.Literal(settings.TIME_ZONE).as_string(connection.connection)  # quoted by psycopg
        return f"(({column}) AT TIME ZONE {zone})::date"
    offset = timezone.localtime().utcoffset()  # Vietnam keeps one offset all year
    hours = int(offset.total_seconds() // 3600)
    return f"date({column}, '{hours:+d} hours')"


def _tables() -> dict:
    m2m = User.target_groups.through._meta.db_table
    return {
        "user": User._meta.db_table,
        "groups": m2m,
        "enrolment": Enrolment._meta.db_table,
        "completion": LessonCompletion._meta.db_table,
        "attempt": QuizAttempt._meta.db_table,
    }


def _user_groups_sql(t: dict) -> str:
    """Each person of the events ``ev`` once per target group, once as everyone ("") and once as an adult unless
    only a student. Only the people of the events are looked up (by index), so a recompute costs what its
    events do, not what the whole population does."""
    return f"""
        SELECT g.user_id AS user_id, g.targetgroup_id AS grp FROM {t["groups"]} g
        WHERE g.user_id IN (SELECT user_id FROM ev)
        UNION ALL SELECT p.user_id, '{EVERYONE}' FROM (SELECT DISTINCT user_id FROM ev) p
        UNION ALL SELECT p.user_id, '{ADULT}' FROM (SELECT DISTINCT user_id FROM ev) p
        WHERE NOT EXISTS (SELECT 1 FROM {t["groups"]} s WHERE s.user_id = p.user_id AND s.targetgroup_id = 'student')
           OR EXISTS (SELECT 1 FROM {t["groups"]} o WHERE o.user_id = p.user_id AND o.targetgroup_id <> 'student')
    """


def _event_queries(t: dict, basic_ids: list[int]) -> dict[str, tuple[str, str]]:
    """metric -> (SQL of one row per counted event: day, commune_id, course_id, user_id; timestamp column).

    ``{w}`` is replaced by the window and commune filter on the given timestamp column and commune column.
    """
    enrol_day, done_day = _local_day("e.enrolled_at"), _local_day("e.completed_at")
    basic = ",".join(str(int(i)) for i in basic_ids) or "NULL"
    first_enrolment = f"""NOT EXISTS (SELECT 1 FROM {t["enrolment"]} e2 WHERE e2.user_id = e.user_id
        AND (e2.enrolled_at < e.enrolled_at OR (e2.enrolled_at = e.enrolled_at AND e2.id < e.id)))"""

    def first_completion(extra: str = "") -> str:
        return f"""NOT EXISTS (SELECT 1 FROM {t["enrolment"]} e2 WHERE e2.user_id = e.user_id
            AND e2.completed_at IS NOT NULL {extra}
            AND (e2.completed_at < e.completed_at OR (e2.completed_at = e.completed_at AND e2.id < e.id)))"""

    activity = f"""
        SELECT {enrol_day} AS day, e.commune_id, e.course_id, e.user_id FROM {t["enrolment"]} e
        WHERE {{w:e.enrolled_at:e.commune_id}}
        UNION SELECT {_local_day("c.completed_at")}, c.commune_id, e.course_id, c.user_id
        FROM {t["completion"]} c JOIN {t["enrolment"]} e ON e.id = c.enrolment_id
        WHERE {{w:c.completed_at:c.commune_id}}
        UNION SELECT {_local_day("a.submitted_at")}, a.commune_id, a.course_id, a.user_id FROM {t["attempt"]} a
        WHERE a.submitted_at IS NOT NULL AND {{w:a.submitted_at:a.commune_id}}
    """
    return {
        "registered": f"""SELECT {_local_day("u.date_joined")} AS day, u.commune_id, 0 AS course_id, u.id AS user_id
            FROM {t["user"]} u WHERE {{w:u.date_joined:u.commune_id}}""",
        "enrolments": f"""SELECT {enrol_day} AS day, e.commune_id, e.course_id, e.user_id FROM {t["enrolment"]} e
            WHERE {{w:e.enrolled_at:e.commune_id}}""",
        "participants": f"""SELECT {enrol_day} AS day, e.commune_id, 0 AS course_id, e.user_id
            FROM {t["enrolment"]} e WHERE {{w:e.enrolled_at:e.commune_id}} AND {first_enrolment}""",
        "lesson_completions": f"""SELECT {_local_day("c.completed_at")} AS day, c.commune_id, e.course_id, c.user_id
            FROM {t["completion"]} c JOIN {t["enrolment"]} e ON e.id = c.enrolment_id
            WHERE {{w:c.completed_at:c.commune_id}}""",
        "course_completions": f"""SELECT {done_day} AS day, e.commune_id, e.course_id, e.user_id
            FROM {t["enrolment"]} e WHERE e.completed_at IS NOT NULL AND {{w:e.completed_at:e.commune_id}}""",
        "completers": f"""SELECT {done_day} AS day, e.commune_id, 0 AS course_id, e.user_id
            FROM {t["enrolment"]} e WHERE e.completed_at IS NOT NULL AND {{w:e.completed_at:e.commune_id}}
            AND {first_completion()}""",
        "basic_completers": f"""SELECT {done_day} AS day, e.commune_id, 0 AS course_id, e.user_id
            FROM {t["enrolment"]} e WHERE e.completed_at IS NOT NULL AND {{w:e.completed_at:e.commune_id}}
            AND e.course_id IN ({basic}) AND {first_completion(f"AND e2.course_id IN ({basic})")}""",
        "quiz_passes": f"""SELECT {_local_day("a.submitted_at")} AS day, a.commune_id, a.course_id, a.user_id
            FROM {t["attempt"]} a WHERE a.passed = TRUE AND a.submitted_at IS NOT NULL
            AND {{w:a.submitted_at:a.commune_id}}""",
        "active": f"SELECT day, commune_id, course_id, user_id FROM ({activity}) act",
        "active_all": f"SELECT DISTINCT day, commune_id, 0 AS course_id, user_id FROM ({activity}) act",
    }


def _window_filter(template: str, start, end, communes: list[str] | None, params: list) -> str:
    """Replace each ``{w:timestamp:commune}`` with the filter and append its parameters."""
    out, rest = [], template
    adapt = connection.ops.adapt_datetimefield_value
    while "{w:" in rest:
        before, _, after = rest.partition("{w:")
        spec, _, rest = after.partition("}")
        ts_col, commune_col = spec.split(":")
        clause = f"{commune_col} IS NOT NULL AND {ts_col} >= %s AND {ts_col} < %s"
        params += [adapt(start), adapt(end)]
        if communes is not None:
            clause += f" AND {commune_col} IN ({','.join(['%s'] * len(communes))})"
            params += communes
        out.append(before + clause)
    return "".join(out) + rest


def _as_date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


# --- recompute -----------------------------------------------------------------------------------


def basic_course_ids() -> list[int]:
    """Courses of the basic programme; when none is marked, every course counts."""
    ids = list(CoursePage.objects.filter(basic_programme=True).values_list("pk", flat=True))
    return ids or list(CoursePage.objects.values_list("pk", flat=True))


def _bounds(first: dt.date, last: dt.date):
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(dt.datetime.combine(first, dt.time.min), tz)
    end = timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min), tz)
    return start, end


def compute(first: dt.date, last: dt.date, communes: list[str] | None = None) -> dict[tuple, dict[str, int]]:
    """The counts of the days ``first``..``last`` (local days) from the raw records, keyed by
    (day, commune_id, course_id, target_group). Nothing is written."""
    t = _tables()
    start, end = _bounds(first, last)
    counts: dict[tuple, dict[str, int]] = defaultdict(lambda: dict.fromkeys(METRICS, 0))
    ug = _user_groups_sql(t)
    # The events once (PostgreSQL would otherwise inline them into each place they are read).
    materialized = "MATERIALIZED " if connection.vendor == "postgresql" else ""
    for metric, events in _event_queries(t, basic_course_ids()).items():
        params: list = []
        inner = _window_filter(events, start, end, communes, params)
        sql = f"""WITH ev AS {materialized}({inner})
            SELECT ev.day, ev.commune_id, ev.course_id, ug.grp, COUNT(*)
            FROM ev JOIN ({ug}) ug ON ug.user_id = ev.user_id
            GROUP BY ev.day, ev.commune_id, ev.course_id, ug.grp"""
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        name = "active" if metric == "active_all" else metric
        for day, commune, course, grp, n in rows:
            counts[(_as_date(day), commune, int(course), grp)][name] += n
            if metric in ADDITIVE:  # the all-courses row sums the courses
                counts[(_as_date(day), commune, ALL_COURSES, grp)][name] += n
                if metric == "enrolments":  # a course's participants are its enrolments (one per person)
                    counts[(_as_date(day), commune, int(course), grp)]["participants"] += n
            if metric == "course_completions":
                counts[(_as_date(day), commune, int(course), grp)]["completers"] += n
    for key, deltas in _mandatory_events(first, last, communes).items():
        row = counts[key]
        for name, n in deltas.items():
            row[name] += n
    return {key: row for key, row in counts.items() if any(row.values())}


def _groups_of(target_group: str) -> tuple[str, ...]:
    return (target_group, EVERYONE) if target_group == "student" else (target_group, EVERYONE, ADULT)


def _mandatory_events(first: dt.date, last: dt.date, communes: list[str] | None) -> dict[tuple, dict[str, int]]:
    """Signed changes of the mandatory-assignment states, by day.

    A membership counts as assigned from the day it starts; it drops out on the day the person leaves the
    group or scope without having completed (people who leave keep what they completed). Completed on time
    or late is counted on the completion day. Overdue starts the day after the deadline (or the day of a
    late assignment) and ends on a late completion or on leaving.
    """
    today = timezone.localdate()
    out: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    assignments = {
        a.pk: (a.deadline, a.target_group_id, [ALL_COURSES, *(c.pk for c in a.courses.all())])
        for a in Assignment.objects.prefetch_related("courses")
    }
    # Only memberships with an event inside the window: each event day above is one of these four days.
    start, end = _bounds(first, last)
    one_day = dt.timedelta(days=1)
    members = AssignmentMember.objects.filter(commune__isnull=False).filter(
        Q(assigned_at__gte=start, assigned_at__lt=end)
        | Q(completed_at__gte=start, completed_at__lt=end)
        | Q(left_at__gte=start, left_at__lt=end)
        | Q(assignment__deadline__gte=first - one_day, assignment__deadline__lte=last - one_day)
    )
    if communes is not None:
        members = members.filter(commune_id__in=communes)
    local = timezone.localtime
    fields = ("assignment_id", "commune_id", "assigned_at", "completed_at", "left_at")
    for assignment_id, commune, assigned_at, completed_at, left_at in members.values_list(*fields).iterator(
        chunk_size=5000
    ):
        deadline, group, courses = assignments[assignment_id]
        assigned = local(assigned_at).date()
        done = local(completed_at).date() if completed_at else None
        left = local(left_at).date() if left_at else None
        dropped = left is not None and (completed_at is None or completed_at > left_at)
        events: list[tuple[dt.date, str, int]] = [(assigned, "mandatory_assigned", 1)]
        if dropped:
            events.append((left, "mandatory_assigned", -1))
        elif done:
            late = completed_late(done, deadline)
            events.append((max(done, assigned), "mandatory_completed_late" if late else "mandatory_completed", 1))
        overdue_from = max(first_overdue_day(deadline), assigned)
        on_time = done is not None and not dropped and not completed_late(done, deadline)
        left_in_time = dropped and left <= deadline
        if overdue_from <= today and not on_time and not left_in_time:
            end = done if (done and not dropped) else (left if dropped else None)
            if end is None or end > overdue_from:  # a late completion before the late assignment: never overdue
                events.append((overdue_from, "mandatory_overdue", 1))
                if end is not None:
                    events.append((end, "mandatory_overdue", -1))
        for day, name, n in events:
            if first <= day <= last:
                for course in courses:
                    for grp in _groups_of(group):
                        out[(day, commune, course, grp)][name] += n
    return out


def _lock():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def recompute(first: dt.date, last: dt.date, communes: list[str] | None = None) -> int:
    """Replace the stored counts of those days (and communes) with a fresh computation; returns rows written."""
    with transaction.atomic():
        _lock()
        counts = compute(first, last, communes)
        stale = DailyCount.objects.filter(day__gte=first, day__lte=last)
        if communes is not None:
            stale = stale.filter(commune_id__in=communes)
        stale.delete()
        DailyCount.objects.bulk_create(
            (
                DailyCount(day=day, commune_id=commune, course_id=course, target_group=grp, **row)
                for (day, commune, course, grp), row in counts.items()
            ),
            batch_size=2000,
        )
        transaction.on_commit(counts_changed)
    counts_changed()  # at once as well (the figures' cache: a miss at worst when an outer transaction rolls back)
    return len(counts)


def refresh_dirty(limit: int = 500) -> int:
    """Recompute the commune-days marked by events; returns how many marks were processed."""
    marks = list(
        DirtyDay.objects.order_by("day", "commune_id").values_list("pk", "day", "commune_id", "marked_at")[:limit]
    )
    by_day: dict[dt.date, list[str]] = defaultdict(list)
    for _pk, day, commune, _at in marks:
        by_day[day].append(commune)
    for day, communes in by_day.items():
        recompute(day, day, communes)
    for pk, _day, _commune, marked_at in marks:
        # A mark touched again while we recomputed keeps its new time and stays for the next run.
        DirtyDay.objects.filter(pk=pk, marked_at=marked_at).delete()
    return len(marks)


def first_record_day() -> dt.date:
    """The earliest local day with any record (today when there are none)."""
    stamps = [
        User.objects.filter(commune__isnull=False).aggregate(v=Min("date_joined"))["v"],
        Enrolment.objects.aggregate(v=Min("enrolled_at"))["v"],
        AssignmentMember.objects.aggregate(v=Min("assigned_at"))["v"],
    ]
    return min((timezone.localtime(s).date() for s in stamps if s), default=timezone.localdate())


def fill_all(*, chunk_days: int = 31, restart: bool = False, progress=None, name: str = "full") -> FillState:
    """Recompute every day from the first record to today, chunk by chunk; resumes an interrupted fill."""
    today = timezone.localdate()
    state = FillState.objects.filter(pk=name).first()
    if state is None or restart or state.status == FillState.Status.DONE:
        first = first_record_day()
        state, _ = FillState.objects.update_or_create(
            pk=name,
            defaults={
                "first_day": first,
                "last_day": today,
                "done_through": None,
                "status": FillState.Status.RUNNING,
                "started_at": timezone.now(),
                "finished_at": None,
            },
        )
        with transaction.atomic():
            _lock()
            DailyCount.objects.exclude(day__gte=first, day__lte=today).delete()
    else:
        state.last_day = max(state.last_day, today)
        state.save(update_fields=["last_day"])
    day = state.done_through + dt.timedelta(days=1) if state.done_through else state.first_day
    while day <= state.last_day:
        chunk_end = min(day + dt.timedelta(days=chunk_days - 1), state.last_day)
        rows = recompute(day, chunk_end)
        state.done_through = chunk_end
        state.save(update_fields=["done_through"])
        if progress:
            progress(day, chunk_end, rows, state)
        day = chunk_end + dt.timedelta(days=1)
    # The dashboards read what the fill rewrote: analyse it now rather than when autovacuum gets to it.
    bulk.analyze(DailyCount)
    state.status = FillState.Status.DONE
    state.finished_at = timezone.now()
    state.save(update_fields=["status", "finished_at"])
    return state


def recompute_recent(days: int = 2) -> int:
    """Recompute the last ``days`` days for every commune (deadlines that passed, marks missed)."""
    today = timezone.localdate()
    return recompute(today - dt.timedelta(days=days - 1), today)


def communes_days_of_user(user_id: int) -> set[tuple[dt.date, str]]:
    """Every (day, commune) the user's records count in, for re-marking after a profile change."""
    found: set[tuple[dt.date, str]] = set()
    local = timezone.localtime

    def add(rows: Iterable[tuple]):
        for commune, *stamps in rows:
            if commune:
                found.update((local(s).date(), commune) for s in stamps if s)

    add(User.objects.filter(pk=user_id).values_list("commune_id", "date_joined"))
    add(Enrolment.objects.filter(user_id=user_id).values_list("commune_id", "enrolled_at", "completed_at"))
    add(LessonCompletion.objects.filter(user_id=user_id).values_list("commune_id", "completed_at"))
    add(QuizAttempt.objects.filter(user_id=user_id).values_list("commune_id", "submitted_at"))
    add(
        AssignmentMember.objects.filter(user_id=user_id).values_list(
            "commune_id", "assigned_at", "completed_at", "left_at"
        )
    )
    return found
