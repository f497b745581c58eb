"""A learner's journey reaches a real LRS (ralph, which validates every statement): one statement per record,
nothing personal, nothing lost or doubled through an outage, a sender killed mid-batch, a refused statement."""

import io
import json
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from learning.accounts.models import User
from learning.campaigns.models import Assignment, AssignmentMember
from learning.certificates.models import Certificate
from learning.localities.models import Commune
from learning.progress import quiz_services
from learning.progress.models import AttemptAnswer, Enrolment, LessonCompletion, QuizAttempt
from learning.progress.services import lesson_complete
from learning.xapi import sending, services
from learning.xapi.models import Delivery, Lrs, Statement
from learning.xapi.statements import pseudonym, statement_id
from learning.xapi.tasks import send_statements, sweep_overdue
from tests.quiz_fixtures import make_quiz

pytestmark = pytest.mark.django_db

PHONE, NAME = "0987654321", "Trần Thị Bình"


def answer_right(attempt, item):
    kind = item["type"]
    if kind == "single_choice":
        response = {"choice": next(c["id"] for c in item["choices"] if float(c["fraction"]) == 1)}
    elif kind == "multiple_choice":
        response = {"choices": [c["id"] for c in item["choices"] if float(c["fraction"]) > 0]}
    elif kind == "true_false":
        response = {"value": False}
    elif kind == "short_answer":
        response = {"text": "Hạ Long"}
    elif kind == "numerical":
        response = {"value": "12"}
    else:
        response = {"pairs": {i["id"]: i["answer"] for i in item["items"]}}
    quiz_services.answer_save(attempt=attempt, question_key=item["key"], response=response, client_id=uuid.uuid4())


def journey(make_user, course, lessons):
    """Register, be assigned a module, start, complete every lesson, fail the final test, pass it, complete the
    course, get the certificate."""
    commune = Commune.objects.get(code="06688")
    assignment = Assignment.objects.create(
        title="Kỹ năng số cơ bản", target_group_id="citizen", province_id=commune.province_id,
        deadline=timezone.localdate() + timedelta(days=30),
    )  # fmt: skip
    assignment.courses.set([course])
    quiz = make_quiz(course, pass_mark_percent=60, question_count=6)
    user = make_user(phone=PHONE, full_name=NAME)
    for lesson in lessons:
        lesson_complete(user=user, lesson=lesson, client_id=uuid.uuid4(), time_spent_seconds=95)
    failed = quiz_services.attempt_start(user=user, quiz=quiz).attempt
    answer_right(failed, failed.snapshot["questions"][0])
    quiz_services.attempt_submit(attempt=failed)
    passed = quiz_services.attempt_start(user=user, quiz=quiz).attempt
    for item in passed.snapshot["questions"]:
        answer_right(passed, item)
    quiz_services.attempt_submit(attempt=passed)
    return user


def expected_ids(user) -> set[str]:
    """The statement ids the database's records call for."""
    ids = {statement_id("registered", user.pk)}
    for enrolment in Enrolment.objects.filter(user=user):
        ids.add(statement_id("started", enrolment.pk))
        if enrolment.completed_at:
            ids.add(statement_id("course-completed", enrolment.pk))
    completions = LessonCompletion.objects.filter(user=user).values_list("pk", flat=True)
    ids |= {statement_id("lesson-completed", pk) for pk in completions}
    for attempt in QuizAttempt.objects.filter(user=user, status="submitted"):
        ids |= {statement_id("attempted", attempt.pk), statement_id("graded", attempt.pk)}
        answers = AttemptAnswer.objects.filter(attempt=attempt, fraction__isnull=False)
        ids |= {statement_id("answered", pk) for pk in answers.values_list("pk", flat=True)}
    ids |= {statement_id("earned", pk) for pk in Certificate.objects.filter(holder=user).values_list("pk", flat=True)}
    for member in AssignmentMember.objects.filter(user=user):
        ids.add(statement_id("assigned", member.assignment_id, user.pk))
    return {str(i) for i in ids}


def stored_ids(server) -> list[str]:
    return [s["id"] for s in server.statements()]


def test_a_learner_journey_reaches_the_lrs_one_statement_per_record(lrs, lrs_server, make_user, course, lessons):
    user = journey(make_user, course, lessons)
    expected = expected_ids(user)
    assert len(expected) >= 3 + 2 + 2 + 7 + 2  # lessons, course started/completed, quiz, answers, earned, assigned
    assert set(Statement.objects.values_list("id", flat=True).iterator()) == {uuid.UUID(i) for i in expected}

    result = send_statements()

    assert result[lrs.name] == {"sent": len(expected), "parked": 0, "error": ""}
    stored = stored_ids(lrs_server)
    assert sorted(stored) == sorted(expected)  # one to one, none twice
    assert Delivery.objects.filter(status="sent").count() == len(expected)
    by_verb = {}
    for statement in lrs_server.statements():
        by_verb.setdefault(statement["verb"]["id"].rsplit("/", 1)[-1], []).append(statement)
    assert {v: len(s) for v, s in by_verb.items()} == {
        "registered": 1, "initialized": 1, "completed": 4, "attempted": 2, "answered": len(by_verb["answered"]),
        "failed": 1, "passed": 1, "earned": 1, "assigned": 1,
    }  # fmt: skip
    lesson = next(s for s in by_verb["completed"] if "/lesson/" in s["object"]["id"])
    assert lesson["result"]["duration"] == "PT95S"
    assert (
        lesson["object"]["id"].endswith(f"/xapi/activities/lesson/{lessons[0].pk}")
        or "/lesson/" in lesson["object"]["id"]
    )
    assert lesson["object"]["definition"]["name"]["vi-VN"]
    assert lesson["context"]["contextActivities"]["parent"][0]["id"].endswith(f"/xapi/activities/course/{course.pk}")
    passed = by_verb["passed"][0]
    assert passed["result"]["score"]["scaled"] == 1.0 and passed["result"]["success"] is True
    assert by_verb["failed"][0]["result"]["success"] is False
    for statement in lrs_server.statements():
        assert statement["actor"]["account"]["name"] == pseudonym(user.pk)
        extensions = statement["context"]["extensions"]
        assert extensions[next(k for k in extensions if k.endswith("/commune"))] == "06688"
        assert extensions[next(k for k in extensions if k.endswith("/target-groups"))] == ["citizen"]
    text = lrs_server.file.read_text()
    assert PHONE not in text and NAME not in text and json.dumps(NAME)[1:-1] not in text
    assert "Bộ Công an" not in text and "Hạ Long" not in text  # neither the answer key nor the answers

    # Sending again sends nothing; the statements of a record written again are not queued twice.
    assert send_statements()[lrs.name]["sent"] == 0
    services.outbox_add(services.person_registered(user))
    assert Delivery.objects.count() == len(expected) and Delivery.objects.filter(status="pending").count() == 0


def test_an_outage_then_a_replay_leaves_exactly_one_of_each(lrs, lrs_server, make_user, course, lessons):
    lrs_server.stop()
    user = make_user()
    for lesson in lessons:
        lesson_complete(user=user, lesson=lesson, client_id=uuid.uuid4(), time_spent_seconds=30)
    expected = expected_ids(user)

    outcome = sending.deliver(Lrs.objects.get(pk=lrs.pk))
    lrs.refresh_from_db()
    assert outcome.sent == 0 and "could not be reached" in outcome.error
    assert lrs.failures == 1 and lrs.retry_at > timezone.now() and "could not be reached" in lrs.last_error
    assert Delivery.objects.filter(status="pending", leased_until__isnull=True).count() == len(expected)
    assert not sending.lrs_due().exists()  # backing off
    sending.deliver(Lrs.objects.get(pk=lrs.pk))
    lrs.refresh_from_db()
    assert lrs.failures == 2  # the back-off doubles

    lrs_server.start()
    Lrs.objects.filter(pk=lrs.pk).update(retry_at=timezone.now())
    assert send_statements()[lrs.name]["sent"] == len(expected)
    # A replay of everything (a restored backup, a reset) leaves the LRS as it was.
    Delivery.objects.update(status="pending", sent_at=None)
    assert sending.deliver(Lrs.objects.get(pk=lrs.pk)).sent == len(expected)
    assert sorted(stored_ids(lrs_server)) == sorted(expected)
    lrs.refresh_from_db()
    assert lrs.failures == 0 and lrs.retry_at is None


class Killed(BaseException):
    """The worker dies: nothing after this runs, not even ``except Exception`` blocks."""


def test_a_sender_killed_between_the_post_and_the_marking_loses_and_doubles_nothing(
    lrs, lrs_server, make_user, course, lessons, monkeypatch, settings
):
    settings.XAPI_BATCH_SIZE = 3
    user = make_user()
    for lesson in lessons:
        lesson_complete(user=user, lesson=lesson, client_id=uuid.uuid4(), time_spent_seconds=30)
    expected = expected_ids(user)
    real_mark = sending.mark_sent
    calls = []

    def killed_after_first_batch(token, rows, note=""):
        calls.append(len(rows))
        if len(calls) == 2:
            raise Killed  # the second batch was posted, the worker dies before marking it
        return real_mark(token, rows, note)

    monkeypatch.setattr(sending, "mark_sent", killed_after_first_batch)
    with pytest.raises(Killed):
        sending.deliver(Lrs.objects.get(pk=lrs.pk))
    monkeypatch.setattr(sending, "mark_sent", real_mark)
    assert Delivery.objects.filter(status="sent").count() == 3
    held = Delivery.objects.filter(status="pending", leased_until__isnull=False)
    assert held.count() == 3 and len(stored_ids(lrs_server)) == 6  # posted, not marked

    assert sending.deliver(Lrs.objects.get(pk=lrs.pk)).sent == len(expected) - 6  # the lease still holds them
    Delivery.objects.filter(leased_until__isnull=False).update(leased_until=timezone.now() - timedelta(seconds=1))
    assert sending.deliver(Lrs.objects.get(pk=lrs.pk)).sent == 3
    assert Delivery.objects.exclude(status="sent").count() == 0
    assert sorted(stored_ids(lrs_server)) == sorted(expected)


def test_a_statement_the_lrs_refuses_is_parked_with_the_reason_and_the_rest_go_on(
    lrs, lrs_server, make_user, course, lessons
):
    user = make_user()
    for lesson in lessons:
        lesson_complete(user=user, lesson=lesson, client_id=uuid.uuid4(), time_spent_seconds=30)
    expected = expected_ids(user)
    bad = Statement.objects.get(
        id=statement_id("lesson-completed", LessonCompletion.objects.filter(user=user).first().pk)
    )
    bad.payload["actor"] = {"name": "không có định danh"}
    bad.save()

    outcome = sending.deliver(Lrs.objects.get(pk=lrs.pk))

    assert (outcome.sent, outcome.parked, outcome.error) == (len(expected) - 1, 1, "")
    parked = Delivery.objects.get(status="parked")
    assert parked.statement_id == bad.id and parked.error.startswith("HTTP 4")
    assert sorted(stored_ids(lrs_server)) == sorted(expected - {str(bad.id)})
    Lrs.objects.get(pk=lrs.pk)  # the LRS is not backing off for one bad statement
    assert Lrs.objects.get(pk=lrs.pk).failures == 0


def test_records_made_before_the_lrs_was_configured_are_backfilled_once(lrs_server, make_user, course, lessons):
    from django.core.management import call_command

    user = journey(make_user, course, lessons)
    assert not Statement.objects.exists()  # no LRS: nothing was built
    lrs = Lrs.objects.create(name="Kho", endpoint=lrs_server.endpoint, key="bdhvs", secret="lrs-test-secret")
    since = (timezone.localdate() - timedelta(days=1)).isoformat()
    out = io.StringIO()
    call_command("xapi_backfill", since=since, stdout=out)
    call_command("xapi_backfill", since=since, stdout=out)
    assert "lesson_completed: 3" in out.getvalue()
    expected = expected_ids(user)
    assert Statement.objects.count() == len(expected) == Delivery.objects.filter(lrs=lrs).count()
    send_statements()
    assert sorted(stored_ids(lrs_server)) == sorted(expected)


def test_overdue_modules_are_sent_once(lrs, lrs_server, make_user, course):
    commune = Commune.objects.get(code="06688")
    assignment = Assignment.objects.create(
        title="Quá hạn", target_group_id="citizen", province_id=commune.province_id,
        deadline=timezone.localdate() - timedelta(days=2),
    )  # fmt: skip
    assignment.courses.set([course])
    user = make_user()
    assert sweep_overdue() == 1 and sweep_overdue() == 1
    send_statements()
    verbs = [s["verb"]["id"].rsplit("/", 1)[-1] for s in lrs_server.statements()]
    assert sorted(verbs) == ["assigned", "overdue", "registered"]
    overdue = next(s for s in lrs_server.statements() if s["verb"]["id"].endswith("/overdue"))
    assert overdue["id"] == str(statement_id("overdue", assignment.pk, user.pk))
    assert overdue["verb"]["display"]["vi-VN"] == "quá hạn"
    assert User.objects.count() == 1
