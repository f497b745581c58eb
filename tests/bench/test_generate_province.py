"""``generate_province``: a synthetic Quảng Ninh on PostgreSQL that respects every rule of the real services."""

import datetime as dt
import io
import re
import uuid
from collections import Counter, defaultdict
from unittest import mock

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone

from bench import synthetic
from courses.models import CoursePage
from learning.accounts.models import User
from learning.accounts.phone import normalise_phone
from learning.campaigns.models import Assignment, AssignmentMember, AssignmentStatus, Campaign, CampaignTarget
from learning.campaigns.services import member_refresh_progress
from learning.localities.models import Commune
from learning.progress.models import Enrolment, LessonCompletion, QuizAttempt
from learning.progress.selectors import course_state
from learning.progress.services import enrolment_ensure, lesson_complete

NOW = timezone.make_aware(dt.datetime(2026, 11, 20, 10, 30))  # local time: the campaign's seventh month
N = 3000
GROUPS = {"citizen", "student", "official", "party_member", "enterprise_worker", "other"}
ISLANDS = {"07192", "06967", "06757"}  # Cô Tô, Cái Chiên, Vĩnh Thực
HA_LONG = "06688"

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="generate_province writes with PostgreSQL-only SQL; run with DATABASE_URL=postgres://…",
)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def generate(*args) -> str:
    out = io.StringIO()
    call_command("generate_province", *args, stdout=out)
    return out.getvalue()


def synthetic_users():
    return User.objects.filter(password=synthetic.MARKER_PASSWORD)


def sql(query, params=None):
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


@pytest.mark.django_db
def test_refuses_a_database_other_than_postgresql():
    with (
        mock.patch.object(synthetic, "is_postgresql", return_value=False),
        pytest.raises(CommandError, match="needs PostgreSQL"),
    ):
        generate("--learners", "10")


@postgresql_only
@pytest.mark.django_db
def test_refuses_options_that_make_no_sense(frozen):
    with pytest.raises(CommandError, match="only makes sense with --reset"):
        generate("--learners", "0")
    with pytest.raises(CommandError, match="between 0 and"):
        generate("--learners", "-5")
    with pytest.raises(CommandError, match="--batch must be at least"):
        generate("--learners", "10", "--batch", "10")
    with pytest.raises(CommandError, match="at least 7 days before today"):
        generate("--learners", "10", "--start", "2026-11-18")
    assert not synthetic_users().exists()


@pytest.fixture(scope="module")
def content(django_db_setup, django_db_blocker):
    """One transaction around the whole module, rolled back at its end: the demo content (slow to make) and
    the province are made once, and every test runs in a savepoint inside it. DEBUG is on throughout, as the
    bench guard requires (the per-test ``settings`` fixture cannot reach a module-wide fixture)."""
    if connection.vendor != "postgresql":
        pytest.skip("generate_province needs PostgreSQL")
    with django_db_blocker.unblock(), time_machine.travel(NOW, tick=False), override_settings(DEBUG=True):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            synthetic.content_ensure()
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(scope="module")
def generated(content):
    """N learners, generated once for the module; the command's output."""
    return generate("--learners", str(N), "--seed", "7", "--batch", "1000")


@pytest.fixture
def province(generated, db, frozen):
    return generated


@postgresql_only
def test_counts_are_in_the_expected_ranges(province):
    assert synthetic_users().count() == N
    enrolments = Enrolment.objects.filter(user__password=synthetic.MARKER_PASSWORD).count()
    completions = LessonCompletion.objects.filter(user__password=synthetic.MARKER_PASSWORD).count()
    attempts = QuizAttempt.objects.filter(user__password=synthetic.MARKER_PASSWORD)
    assert 2.2 * N <= enrolments <= 2.9 * N
    assert 8.5 * N <= completions <= 11 * N  # ~10 million at 1,000,000 learners
    assert 1.6 * N <= attempts.count() <= 2.5 * N  # ~2 million
    assert attempts.filter(status="in_progress").exists()
    assert attempts.filter(status="submitted", passed=False).exists()
    assert attempts.filter(closed_by="timeout").exists()
    campaign = Campaign.objects.get(name__endswith=synthetic.CAMPAIGN_SUFFIX)
    assert (campaign.starts_on, campaign.province_id) == (synthetic.DEFAULT_START, "22")
    assert campaign.ends_on >= timezone.localdate()
    assert CampaignTarget.objects.filter(campaign=campaign).count() == 54 * 6
    assert Assignment.objects.filter(campaign=campaign).count() == 4
    assert 0.1 * N <= AssignmentMember.objects.filter(assignment__campaign=campaign).count() <= 0.5 * N
    # The command reports what it inserted.
    assert re.search(rf"accounts_user\s+{N:,}", province)
    assert re.search(rf"progress_lessoncompletion\s+{completions:,}", province)


@postgresql_only
def test_communes_are_all_used_with_skewed_sizes(province):
    sizes = Counter(synthetic_users().values_list("commune_id", flat=True))
    assert set(sizes) == set(Commune.objects.filter(province_id="22").values_list("code", flat=True))
    assert len(sizes) == 54
    ranked = [code for code, _n in sizes.most_common()]
    assert ranked[0] == HA_LONG
    assert max(sizes.values()) >= 10 * min(sizes.values())
    top4 = sum(n for _code, n in sizes.most_common(4))
    assert top4 >= 0.25 * N  # a few big urban wards hold many learners
    assert set(ranked[-5:]) >= ISLANDS  # the island communes few


@postgresql_only
def test_learners_look_real(province):
    users = list(synthetic_users().values_list("phone", "full_name", "date_joined", "is_active", "email"))
    phones = [u[0] for u in users]
    assert len(set(phones)) == N
    assert all(re.fullmatch(r"\+849[0-9]{8}", p) for p in phones)
    assert all(normalise_phone(p) == p for p in phones[:300])  # valid Vietnamese mobile numbers
    families = Counter(name.split()[0] for _p, name, *_rest in users)
    assert all(3 <= len(name.split()) <= 4 for _p, name, *_rest in users)
    assert set(families) <= set(synthetic.FAMILY_NAMES)
    assert families.most_common(1)[0][0] == "Nguyễn" and len(families) >= 15
    start = timezone.make_aware(dt.datetime.combine(synthetic.DEFAULT_START, dt.time.min))
    assert all(start <= joined <= NOW for _p, _n, joined, *_rest in users)
    months = Counter(timezone.localtime(joined).month for _p, _n, joined, *_rest in users)
    assert months[10] > months[6]  # sign-ups grow over the campaign
    assert all(active and email == "" for *_rest, active, email in users)
    assert not any(User.objects.get(phone=p).has_usable_password() for p in phones[:5])


@postgresql_only
def test_all_target_groups_and_officials_often_party_members(province):
    memberships = User.target_groups.through.objects.filter(user__password=synthetic.MARKER_PASSWORD)
    groups = Counter(memberships.values_list("targetgroup_id", flat=True))
    assert set(groups) == GROUPS
    assert groups["citizen"] == max(groups.values())
    officials = set(memberships.filter(targetgroup_id="official").values_list("user_id", flat=True))
    party = set(memberships.filter(targetgroup_id="party_member").values_list("user_id", flat=True))
    assert len(officials & party) >= 0.5 * len(officials)
    assert synthetic_users().exclude(target_groups__isnull=False).count() == 0  # everyone has a group


@postgresql_only
def test_records_respect_the_rules_of_the_services(province):
    marker = synthetic.MARKER_PASSWORD
    violations = {
        "completion without its enrolment": """
            SELECT count(*) FROM progress_lessoncompletion c
            LEFT JOIN progress_enrolment e ON e.id = c.enrolment_id AND e.user_id = c.user_id
            WHERE e.id IS NULL""",
        "completion of a lesson of another course": """
            SELECT count(*) FROM progress_lessoncompletion c
            JOIN progress_enrolment e ON e.id = c.enrolment_id
            JOIN wagtailcore_page lesson ON lesson.id = c.lesson_id
            JOIN wagtailcore_page course ON course.id = e.course_id
            WHERE lesson.path NOT LIKE course.path || '%%'""",
        "record without the learner's commune": """
            SELECT (SELECT count(*) FROM progress_enrolment r JOIN accounts_user u ON u.id = r.user_id
                    WHERE r.commune_id IS DISTINCT FROM u.commune_id)
                 + (SELECT count(*) FROM progress_lessoncompletion r JOIN accounts_user u ON u.id = r.user_id
                    WHERE r.commune_id IS DISTINCT FROM u.commune_id)
                 + (SELECT count(*) FROM progress_quizattempt r JOIN accounts_user u ON u.id = r.user_id
                    WHERE r.commune_id IS DISTINCT FROM u.commune_id)
                 + (SELECT count(*) FROM campaigns_assignmentmember r JOIN accounts_user u ON u.id = r.user_id
                    WHERE r.commune_id IS DISTINCT FROM u.commune_id)""",
        "events out of time": """
            SELECT (SELECT count(*) FROM progress_enrolment e JOIN accounts_user u ON u.id = e.user_id
                    WHERE e.enrolled_at < u.date_joined OR e.last_activity_at > %(now)s
                       OR e.last_activity_at < e.enrolled_at OR e.completed_at > e.last_activity_at)
                 + (SELECT count(*) FROM progress_lessoncompletion c JOIN progress_enrolment e ON e.id = c.enrolment_id
                    WHERE c.completed_at < e.enrolled_at OR c.completed_at > %(now)s)
                 + (SELECT count(*) FROM progress_quizattempt a
                    JOIN progress_enrolment e ON e.user_id = a.user_id AND e.course_id = a.course_id
                    WHERE a.started_at < e.enrolled_at OR a.started_at > %(now)s OR a.submitted_at > %(now)s
                       OR a.submitted_at < a.started_at)""",
        "attempt without enrolment": """
            SELECT count(*) FROM progress_quizattempt a
            LEFT JOIN progress_enrolment e ON e.user_id = a.user_id AND e.course_id = a.course_id
            WHERE e.id IS NULL""",
        "attempt numbers with gaps": """
            SELECT count(*) FROM (SELECT user_id, quiz_id FROM progress_quizattempt
                                  GROUP BY 1, 2 HAVING max(number) <> count(*) OR min(number) <> 1) s""",
        "open attempt that is not the last": """
            SELECT count(*) FROM progress_quizattempt a WHERE a.status = 'in_progress' AND EXISTS (
                SELECT 1 FROM progress_quizattempt b
                WHERE b.user_id = a.user_id AND b.quiz_id = a.quiz_id AND b.number > a.number)""",
        "grade that does not match the pass mark": """
            SELECT count(*) FROM progress_quizattempt
            WHERE status = 'submitted' AND (passed <> (score_percent >= pass_mark_percent) OR closed_by = '')
               OR status = 'in_progress' AND (passed IS NOT NULL OR score_percent IS NOT NULL
                                             OR submitted_at IS NOT NULL OR closed_by <> '')""",
        "attempt beyond its time limit or without waiting": """
            SELECT (SELECT count(*) FROM progress_quizattempt
                    WHERE submitted_at > deadline + interval '5 seconds'
                       OR (status = 'in_progress' AND deadline < %(now)s))
                 + (SELECT count(*) FROM progress_quizattempt a
                    JOIN progress_quizattempt b ON b.user_id = a.user_id AND b.quiz_id = a.quiz_id
                                               AND b.number = a.number + 1
                    JOIN courses_quizpage q ON q.page_ptr_id = a.quiz_id
                    WHERE b.started_at < a.submitted_at + q.min_wait_minutes * interval '1 minute'
                       OR (q.max_attempts IS NOT NULL AND b.number > q.max_attempts))""",
        "completed course without every lesson": """
            SELECT count(*) FROM progress_enrolment e
            WHERE e.completed_at IS NOT NULL
              AND (SELECT count(*) FROM progress_lessoncompletion c WHERE c.enrolment_id = e.id)
               <> (SELECT count(*) FROM courses_lessonpage l JOIN wagtailcore_page p ON p.id = l.page_ptr_id
                   JOIN wagtailcore_page course ON course.id = e.course_id
                   WHERE p.live AND p.path LIKE course.path || '%%')""",
        "completed course without its final test passed (when it was completed)": """
            SELECT count(*) FROM progress_enrolment e
            WHERE e.completed_at IS NOT NULL AND NOT EXISTS (
                SELECT 1 FROM progress_quizattempt a JOIN courses_quizpage q ON q.page_ptr_id = a.quiz_id
                WHERE q.kind = 'final_test' AND a.user_id = e.user_id AND a.course_id = e.course_id
                  AND a.passed AND a.submitted_at = e.completed_at)""",
        "final test passed but course not completed": """
            SELECT count(*) FROM progress_quizattempt a
            JOIN courses_quizpage q ON q.page_ptr_id = a.quiz_id
            JOIN progress_enrolment e ON e.user_id = a.user_id AND e.course_id = a.course_id
            WHERE q.kind = 'final_test' AND a.passed AND e.completed_at IS NULL""",
    }
    for name, query in violations.items():
        assert sql(query, {"now": NOW}) == [(0,)], name
    assert Enrolment.objects.filter(user__password=marker, completed_at__isnull=False).exists()
    assert Enrolment.objects.filter(user__password=marker, completed_at__isnull=True).exists()

    # Lessons are completed in order: the completions of an enrolment are lessons 1 … n, in time order.
    positions = {}
    for course in CoursePage.objects.filter(enrolments__user__password=marker).distinct():
        for number, lesson in enumerate(course.lessons(), start=1):
            positions[lesson.pk] = number
    done = defaultdict(list)
    rows = LessonCompletion.objects.values_list("enrolment_id", "lesson_id", "completed_at")
    for enrolment_id, lesson_id, at in rows:
        done[enrolment_id].append((at, positions[lesson_id]))
    for completions in done.values():
        assert [n for _at, n in sorted(completions)] == list(range(1, len(completions) + 1))


@postgresql_only
def test_progress_reads_the_same_through_the_selectors(province):
    """For a sample of learners, the app's own selectors agree with what was generated."""
    enrolments = Enrolment.objects.filter(user__password=synthetic.MARKER_PASSWORD).select_related("user")
    sample = list(enrolments.filter(completed_at__isnull=False)[:40]) + list(
        enrolments.filter(completed_at__isnull=True)[:40]
    )
    courses = {c.pk: c for c in CoursePage.objects.filter(pk__in={e.course_id for e in sample})}
    for enrolment in sample:
        state = course_state(user=enrolment.user, course=courses[enrolment.course_id])
        assert state.is_complete == (enrolment.completed_at is not None)
        assert state.completed_count == enrolment.completions.count()
        flags = [info.completed for info in state.lessons]
        assert flags == sorted(flags, reverse=True)  # a prefix: nothing completed after a gap
        assert not any(info.locked and info.completed for info in state.lessons)


@postgresql_only
def test_mandatory_assignments_have_every_status(province):
    today = timezone.localdate()
    members = list(
        AssignmentMember.objects.filter(assignment__campaign__name__endswith=synthetic.CAMPAIGN_SUFFIX).select_related(
            "assignment"
        )
    )
    statuses = Counter(m.status(today) for m in members)
    for status in (
        AssignmentStatus.COMPLETED,
        AssignmentStatus.COMPLETED_LATE,
        AssignmentStatus.OVERDUE,
        AssignmentStatus.IN_PROGRESS,
    ):
        assert statuses[status] > 0, status
    assert all(m.assignment.deadline >= synthetic.DEFAULT_START for m in members)
    assert all(m.assignment.target_group_id in ("official", "party_member") for m in members)
    # Members were made for exactly the people in each assignment's group and scope ...
    for assignment in Assignment.objects.filter(campaign__name__endswith=synthetic.CAMPAIGN_SUFFIX):
        scope = set(assignment.communes.values_list("code", flat=True))
        expected = User.objects.filter(target_groups=assignment.target_group_id, commune__province_id="22")
        if scope:
            expected = expected.filter(commune_id__in=scope)
        assert set(assignment.members.values_list("user_id", flat=True)) == set(expected.values_list("pk", flat=True))
    # ... and their progress is what the campaign service computes from the enrolments.
    for member in members[::7]:
        before = (member.started_at, member.completed_at)
        assert (member_refresh_progress(member).started_at, member.completed_at) == before


@postgresql_only
def test_campaign_targets_roughly_match_the_communes(province):
    campaign = Campaign.objects.get(name__endswith=synthetic.CAMPAIGN_SUFFIX)
    people = Counter(
        User.target_groups.through.objects.filter(user__commune__province_id="22").values_list(
            "user__commune_id", "targetgroup_id"
        )
    )
    for target in CampaignTarget.objects.filter(campaign=campaign):
        actual = people[(target.commune_id, target.target_group_id)]
        assert 0.85 * actual - 3 <= target.expected_participants <= 1.35 * actual + 3
        assert target.expected_completions <= target.expected_participants
    assert CoursePage.objects.get(pk=campaign.courses.order_by("path").first().pk).basic_programme


@postgresql_only
def test_runs_twice_only_with_reset_and_never_touches_real_accounts(content, db, frozen, make_user):
    real = make_user(commune=HA_LONG, groups=("official", "party_member"), full_name="Người Thật")
    generate("--learners", "800", "--seed", "3", "--reset")  # (replaces the module's province, if made)
    course = CoursePage.objects.get(basic_programme=True)
    enrolment_ensure(user=real, course=course)
    lesson_complete(user=real, lesson=course.lessons().first(), client_id=uuid.uuid4(), time_spent_seconds=300)
    first_campaign = Campaign.objects.get(name__endswith=synthetic.CAMPAIGN_SUFFIX)
    assert AssignmentMember.objects.filter(user=real, assignment__campaign=first_campaign).count() == 4

    with pytest.raises(CommandError, match="already exists.*--reset"):
        generate("--learners", "500")
    assert synthetic_users().count() == 800

    out = generate("--learners", "1200", "--seed", "4", "--reset")
    assert "Removed the previous synthetic data: 800 learners" in out
    assert synthetic_users().count() == 1200
    assert Campaign.objects.filter(name__endswith=synthetic.CAMPAIGN_SUFFIX).count() == 1
    assert not Campaign.objects.filter(pk=first_campaign.pk).exists()
    real.refresh_from_db()
    assert real.password != synthetic.MARKER_PASSWORD
    assert LessonCompletion.objects.filter(user=real).count() == 1
    assert Enrolment.objects.filter(user=real).count() == 1
    member = AssignmentMember.objects.get(
        user=real,
        assignment__campaign__name__endswith=synthetic.CAMPAIGN_SUFFIX,
        assignment__target_group="official",
        assignment__courses=course,
    )
    assert member.started_at == Enrolment.objects.get(user=real).enrolled_at  # counted like the service does

    generate("--learners", "0", "--reset")
    assert not synthetic_users().exists()
    assert not Campaign.objects.filter(name__endswith=synthetic.CAMPAIGN_SUFFIX).exists()
    assert User.objects.filter(pk=real.pk).exists() and LessonCompletion.objects.filter(user=real).count() == 1
    # The sequences moved past the explicit ids: the next account gets a fresh one.
    assert make_user(groups=("citizen",)).pk > real.pk


@postgresql_only
def test_the_same_seed_gives_the_same_province(content, db, frozen):
    generate("--learners", "1500", "--seed", "5", "--reset")
    first = synthetic.digest()
    assert first
    generate("--learners", "1500", "--seed", "5", "--reset", "--batch", "100000")  # batch size changes nothing
    assert synthetic.digest() == first
    generate("--learners", "1500", "--seed", "6", "--reset")
    assert synthetic.digest() != first
