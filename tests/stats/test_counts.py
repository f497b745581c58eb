"""The precomputed counts: kept current by events, equal to a full recompute and to counts from the raw records."""

import datetime as dt
import random
import uuid
from collections import Counter, defaultdict

import pytest
import time_machine
from django.utils import timezone

from courses.models import LessonPage
from learning.accounts.models import User
from learning.accounts.services import user_update_profile
from learning.campaigns.models import Assignment, AssignmentMember, AssignmentStatus
from learning.campaigns.services import assignment_populate
from learning.localities.models import Commune
from learning.progress.models import Enrolment, LessonCompletion, QuizAttempt
from learning.progress.quiz_services import attempt_start, attempt_submit
from learning.progress.services import enrolment_ensure, lesson_complete
from learning.stats import fill
from learning.stats.models import ADULT, ALL_COURSES, EVERYONE, METRICS, DailyCount, DirtyDay
from learning.stats.tasks import recompute_recent_counts
from tests.quiz_fixtures import make_quiz

GROUPS = ["citizen", "student", "official", "party_member", "enterprise_worker", "other"]
START = dt.datetime(2026, 3, 2, 9, 0)  # a Monday, local time
DAYS = 8


def _stored() -> dict:
    return {
        (r.day, r.commune_id, r.course_id, r.target_group): tuple(getattr(r, m) for m in METRICS)
        for r in DailyCount.objects.all()
    }


def _groups_of(user) -> set[str]:
    codes = {g.code for g in user.target_groups.all()}
    out = codes | {EVERYONE}
    if codes != {"student"}:
        out.add(ADULT)
    return out


def _totals(course_id=ALL_COURSES, upto=None) -> dict:
    """Sum of the stored counts per (commune, group) and metric, up to a day."""
    rows = DailyCount.objects.filter(course_id=course_id)
    if upto:
        rows = rows.filter(day__lte=upto)
    out = defaultdict(Counter)
    for r in rows:
        for m in METRICS:
            out[(r.commune_id, r.target_group)][m] += getattr(r, m)
    return out


def _simulate(rng, django_capture_on_commit_callbacks, make_user, course, quizzes, communes):
    """Random sign-ups, enrolments, lessons, quizzes, profile changes and an assignment over DAYS days."""
    lessons = list(LessonPage.objects.child_of(course).live().order_by("path"))
    local = timezone.get_current_timezone()
    users = []
    for day in range(DAYS):
        with time_machine.travel(timezone.make_aware(START + dt.timedelta(days=day), local), tick=True):
            with django_capture_on_commit_callbacks(execute=True):
                recompute_recent_counts.delay()  # what beat does every hour
            if day == 1:
                with django_capture_on_commit_callbacks(execute=True):
                    assignment = Assignment.objects.create(
                        title="Bắt buộc cho cán bộ",
                        target_group_id="official",
                        province_id="22",
                        deadline=(START + dt.timedelta(days=3)).date(),
                    )
                    assignment.courses.set([course])
                    assignment_populate(assignment=assignment)
            for _ in range(rng.randint(25, 40)):
                action = rng.random()
                with django_capture_on_commit_callbacks(execute=True):
                    if action < 0.25 or not users:
                        groups = rng.sample(GROUPS, rng.choice([1, 1, 2]))
                        users.append(make_user(commune=rng.choice(communes), groups=groups))
                    elif action < 0.45:
                        enrolment_ensure(user=rng.choice(users), course=course)
                    elif action < 0.75:
                        user = rng.choice(users)
                        done = set(LessonCompletion.objects.filter(user=user).values_list("lesson_id", flat=True))
                        todo = [lesson for lesson in lessons if lesson.pk not in done]
                        if todo:
                            lesson_complete(user=user, lesson=todo[0], client_id=uuid.uuid4(), time_spent_seconds=60)
                    elif action < 0.88:
                        started = attempt_start(user=rng.choice(users), quiz=rng.choice(quizzes))
                        attempt_submit(attempt=started.attempt)
                    else:
                        user = rng.choice(users)
                        user_update_profile(
                            user=user,
                            full_name=user.full_name,
                            commune=Commune.objects.get(pk=rng.choice(communes)),
                            target_groups=rng.sample(GROUPS, rng.choice([1, 2])),
                        )
    return users


@pytest.mark.parametrize("seed", [7, 2026])
def test_incremental_counts_equal_a_full_recompute_and_the_raw_records(
    seed, django_capture_on_commit_callbacks, make_user, course
):
    rng = random.Random(seed)
    communes = list(Commune.objects.filter(province_id="22").order_by("code").values_list("code", flat=True)[:3])
    quizzes = [
        make_quiz(course, slug="qua", title="Luôn đạt", pass_mark_percent=0),
        make_quiz(course, slug="truot", title="Khó đạt", pass_mark_percent=100, category="Kiểm tra/Khó"),
    ]
    end = timezone.make_aware(START + dt.timedelta(days=DAYS - 1, hours=12), timezone.get_current_timezone())
    _simulate(rng, django_capture_on_commit_callbacks, make_user, course, quizzes, communes)

    with time_machine.travel(end, tick=False):
        assert not DirtyDay.objects.exists(), "every mark was processed on commit"
        incremental = _stored()
        assert incremental, "the simulation produced counts"
        fill.fill_all(restart=True)
        assert _stored() == incremental

        today = timezone.localdate()
        totals, by_course = _totals(), _totals(course.pk)
        users = list(User.objects.prefetch_related("target_groups"))
        groups = {u.pk: _groups_of(u) for u in users}
        expected = defaultdict(Counter)
        for u in users:
            for g in groups[u.pk]:
                expected[(u.commune_id, g)]["registered"] += 1
        firsts = {}
        for e in Enrolment.objects.order_by("enrolled_at", "pk"):
            firsts.setdefault(e.user_id, e)
            for g in groups[e.user_id]:
                expected[(e.commune_id, g)]["enrolments"] += 1
                if e.completed_at:
                    expected[(e.commune_id, g)]["course_completions"] += 1
        for e in firsts.values():
            for g in groups[e.user_id]:
                expected[(e.commune_id, g)]["participants"] += 1
        for c in LessonCompletion.objects.all():
            for g in groups[c.user_id]:
                expected[(c.commune_id, g)]["lesson_completions"] += 1
        for a in QuizAttempt.objects.filter(passed=True):
            for g in groups[a.user_id]:
                expected[(a.commune_id, g)]["quiz_passes"] += 1
        for m in AssignmentMember.objects.select_related("assignment"):
            if m.left_at and not m.completed_at:
                continue  # left without completing: no longer theirs to do
            status = m.status(today)
            for g in {"official", EVERYONE, ADULT}:
                key = (m.commune_id, g)
                expected[key]["mandatory_assigned"] += 1
                if status == AssignmentStatus.COMPLETED:
                    expected[key]["mandatory_completed"] += 1
                elif status == AssignmentStatus.COMPLETED_LATE:
                    expected[key]["mandatory_completed_late"] += 1
                elif status == AssignmentStatus.OVERDUE:
                    expected[key]["mandatory_overdue"] += 1

        names = [
            "registered",
            "participants",
            "enrolments",
            "course_completions",
            "lesson_completions",
            "quiz_passes",
            "mandatory_assigned",
            "mandatory_completed",
            "mandatory_completed_late",
            "mandatory_overdue",
        ]
        keys = set(expected) | set(totals)
        got = {k: {n: totals[k][n] for n in names} for k in keys}
        want = {k: {n: expected[k][n] for n in names} for k in keys}
        assert got == want
        assert sum(v["mandatory_overdue"] for v in want.values()) > 0, "the scenario has overdue people"
        assert all(sum(v[n] for v in want.values()) > 0 for n in ("lesson_completions", "quiz_passes", "participants"))
        # One course: its rows hold the same flows as the all-courses rows.
        for key in keys:
            for n in ("enrolments", "lesson_completions", "course_completions", "quiz_passes"):
                assert by_course[key][n] == totals[key][n]

        # Active learners per day: distinct people who enrolled, completed a lesson or submitted a quiz.
        active = defaultdict(set)
        local = timezone.localtime
        for e in Enrolment.objects.all():
            active[(local(e.enrolled_at).date(), e.commune_id)].add(e.user_id)
        for c in LessonCompletion.objects.all():
            active[(local(c.completed_at).date(), c.commune_id)].add(c.user_id)
        for a in QuizAttempt.objects.exclude(submitted_at=None):
            active[(local(a.submitted_at).date(), a.commune_id)].add(a.user_id)
        stored_active = {
            (r.day, r.commune_id): r.active
            for r in DailyCount.objects.filter(course_id=ALL_COURSES, target_group=EVERYONE)
            if r.active
        }
        assert stored_active == {k: len(v) for k, v in active.items()}


def test_recompute_is_idempotent_and_resumes(make_user, course, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        learner = make_user(groups=("official", "party_member"))
        enrolment_ensure(user=learner, course=course)
    before = _stored()
    assert before
    state = fill.fill_all(restart=True)
    assert state.status == "done" and _stored() == before
    # An interrupted fill (done through yesterday only) resumes from where it stopped.
    state.status, state.done_through = "running", timezone.localdate() - dt.timedelta(days=1)
    state.save()
    DailyCount.objects.filter(day=timezone.localdate()).delete()
    calls = []
    fill.fill_all(progress=lambda first, last, rows, st: calls.append((first, last)))
    assert calls == [(timezone.localdate(), timezone.localdate())]
    assert _stored() == before


def test_fill_stats_command(make_user, course, django_capture_on_commit_callbacks):
    import io

    from django.core.management import CommandError, call_command

    with django_capture_on_commit_callbacks(execute=True):
        learner = make_user(groups=("student",))
        enrolment_ensure(user=learner, course=course)
    expected = _stored()
    DailyCount.objects.all().delete()
    out = io.StringIO()
    call_command("fill_stats", "--restart", "--chunk-days", "7", stdout=out)
    assert "Statistics recomputed" in out.getvalue() and "100 %" in out.getvalue()
    assert _stored() == expected
    with pytest.raises(CommandError, match="chunk-days"):
        call_command("fill_stats", "--chunk-days", "0")


def test_roster_import_keeps_the_counts_current(make_user, django_capture_on_commit_callbacks):
    """Bulk writes send no signals: the roster import marks what it changes itself (new people, a move, groups)."""
    from learning.accounts.services import role_grant
    from learning.campaigns.rosters import roster_import, roster_preview, roster_start
    from tests.campaigns.test_rosters import person, xlsx

    with django_capture_on_commit_callbacks(execute=True):
        organiser = make_user(phone="0987000001", full_name="Cán bộ Xã")
        role_grant(user=organiser, role="commune_organiser", scope_codes=["06688", "06652"])
        make_user(phone="0912345201", commune="06652", groups=["citizen"])  # will move to 06688 and gain a group
        content = xlsx([person(phone="0912345201", group="official"), person(phone="0912345202", name="Lê Mới")])
        roster, _started = roster_start(roster=roster_preview(organiser=organiser, content=content, filename="d.xlsx"))
        roster_import(roster=roster)
    incremental = _stored()
    fill.fill_all(restart=True)
    assert _stored() == incremental
    officials = DailyCount.objects.filter(commune_id="06688", course_id=ALL_COURSES, target_group="official")
    assert sum(r.registered for r in officials) == 1  # the mover, an official now
    everyone = DailyCount.objects.filter(commune_id="06688", course_id=ALL_COURSES, target_group=EVERYONE)
    assert sum(r.registered for r in everyone) == 3  # the organiser, the mover and the new person


def test_a_batched_roster_import_refreshes_to_what_a_full_recompute_gives(
    make_user, course, lessons, django_capture_on_commit_callbacks
):
    """Each batch's refresh recomputes only the commune-days it marked, reading only the people of their events;
    after a roster imported in batches of two (new people in two communes, students and adults, a mover with a
    history of enrolments and lessons, a person given a new group) the counts are what a full recompute gives."""
    from learning.accounts.services import role_grant
    from learning.campaigns.rosters import roster_import, roster_preview, roster_start
    from tests.campaigns.test_rosters import person, xlsx

    with django_capture_on_commit_callbacks(execute=True):
        organiser = make_user(phone="0987000001", full_name="Cán bộ Xã")
        role_grant(user=organiser, role="commune_organiser", scope_codes=["06688", "06652"])
        mover = make_user(phone="0912345301", commune="06652", groups=["citizen"])
        enrolment_ensure(user=mover, course=course)
        lesson_complete(user=mover, lesson=lessons[0], client_id=uuid.uuid4(), time_spent_seconds=60)
        make_user(phone="0912345302", commune="06688", groups=["student"])  # a student who becomes an official too
        rows = [
            person(phone="0912345301", group="official"),  # moves to 06688 with their history, a new group
            person(phone="0912345302", group="student, official"),
            *(person(phone=f"09123453{10 + i}", name=f"Người {i}", group="student") for i in range(3)),
            *(person(phone=f"09123453{20 + i}", name=f"Dân {i}", commune="06652") for i in range(3)),
        ]
        preview = roster_preview(organiser=organiser, content=xlsx(rows), filename="b.xlsx")
        roster, _started = roster_start(roster=preview)
        roster_import(roster=roster, batch_size=2)
    assert not DirtyDay.objects.exists()
    incremental = _stored()
    fill.fill_all(restart=True)
    assert _stored() == incremental
    adults = DailyCount.objects.filter(commune_id="06688", course_id=ALL_COURSES, target_group=ADULT)
    assert sum(r.registered for r in adults) == 3  # the organiser, the mover, the student now also an official
    # The mover's lesson stays where it happened, now counted among the officials they became.
    history = DailyCount.objects.filter(commune_id="06652", course_id=course.pk, target_group="official")
    assert sum(r.lesson_completions for r in history) == 1
