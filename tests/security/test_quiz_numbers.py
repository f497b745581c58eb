"""One learner's hostile numerical answer must not break grading, their attempt's page, or anyone else's."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from learning.progress import quiz_services
from learning.progress.models import AttemptAnswer, QuizAttempt
from learning.progress.quiz_ids import public_id
from tests.quiz_fixtures import make_quiz

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz(course):
    return make_quiz(course, time_limit_minutes=10, review_policy="full")


def numerical(attempt):
    return next(i for i in attempt.snapshot["questions"] if i["type"] == "numerical")


def put(api, attempt, value):
    return api.put(
        f"/api/v1/attempts/{attempt.pk}/answers/{public_id(attempt.pk, numerical(attempt)['key'])}/",
        {"response": {"value": value}, "client_id": str(uuid.uuid4())},
        format="json",
    )


@pytest.mark.parametrize("value", ["1e9999999", "-1e9999999", "1e13", 1e300, "9" * 60, "1e-9999999" + "0" * 40])
def test_numbers_outside_the_allowed_range_are_refused_when_saved(learner_api, quiz, value):
    attempt = QuizAttempt.objects.get(pk=learner_api.post(f"/api/v1/quizzes/{quiz.pk}/attempts/").json()["id"])
    response = put(learner_api, attempt, value)
    assert response.status_code == 400
    assert "between -1,000,000,000,000 and 1,000,000,000,000" in str(response.json()) or "not a number" in str(
        response.json()
    )
    assert not AttemptAnswer.objects.exists()


def test_huge_exponent_names_the_allowed_range(learner_api, quiz):
    attempt = QuizAttempt.objects.get(pk=learner_api.post(f"/api/v1/quizzes/{quiz.pk}/attempts/").json()["id"])
    response = put(learner_api, attempt, "1e9999999")
    assert response.status_code == 400
    assert "between -1,000,000,000,000 and 1,000,000,000,000" in str(response.json())
    assert put(learner_api, attempt, "1000000000000").status_code == 200  # the limit itself is a number


def store_hostile_answer(attempt):
    """A value saved before the bound existed (or written by hand): grading must cope with it."""
    AttemptAnswer.objects.create(
        attempt=attempt,
        question_key=numerical(attempt)["key"],
        response={"value": "1e9999999"},
        client_id=uuid.uuid4(),
        saved_at=timezone.now(),
    )


def test_a_stored_hostile_value_grades_as_wrong_and_the_attempt_still_reads(learner_api, quiz):
    attempt = QuizAttempt.objects.get(pk=learner_api.post(f"/api/v1/quizzes/{quiz.pk}/attempts/").json()["id"])
    store_hostile_answer(attempt)
    submitted = learner_api.post(f"/api/v1/attempts/{attempt.pk}/submit/")
    assert submitted.status_code == 200, submitted.content
    assert AttemptAnswer.objects.get(attempt=attempt).fraction == 0
    shown = learner_api.get(f"/api/v1/attempts/{attempt.pk}/")
    assert shown.status_code == 200
    assert shown.json()["result"]["score_percent"] == "0.00"


def test_closing_expired_attempts_handles_each_attempt_on_its_own(make_user, quiz, monkeypatch, caplog):
    attempts = [quiz_services.attempt_start(user=make_user(), quiz=quiz).attempt for _ in range(3)]
    store_hostile_answer(attempts[0])
    QuizAttempt.objects.update(deadline=timezone.now() - timedelta(minutes=5))
    real_submit = quiz_services.attempt_submit

    def failing_for_the_second(*, attempt, closed_by="learner"):
        if attempt.pk == attempts[1].pk:
            raise RuntimeError("disk full")
        return real_submit(attempt=attempt, closed_by=closed_by)

    monkeypatch.setattr(quiz_services, "attempt_submit", failing_for_the_second)
    assert quiz_services.attempts_close_expired() == 2
    statuses = dict(QuizAttempt.objects.values_list("pk", "status"))
    assert statuses[attempts[0].pk] == "submitted"  # the hostile value graded as wrong
    assert statuses[attempts[1].pk] == "in_progress"  # the failure, logged
    assert statuses[attempts[2].pk] == "submitted"
    assert f"Could not close expired quiz attempt {attempts[1].pk}" in caplog.text


def test_a_late_submit_is_recorded_as_time_running_out_at_the_deadline(learner_api, quiz):
    attempt = QuizAttempt.objects.get(pk=learner_api.post(f"/api/v1/quizzes/{quiz.pk}/attempts/").json()["id"])
    deadline = timezone.now() - timedelta(minutes=3)
    QuizAttempt.objects.filter(pk=attempt.pk).update(deadline=deadline)
    assert learner_api.post(f"/api/v1/attempts/{attempt.pk}/submit/").status_code == 200
    attempt.refresh_from_db()
    assert attempt.closed_by == "timeout" and attempt.submitted_at == deadline


def test_a_submit_within_the_grace_is_the_learners(learner_api, quiz):
    attempt = QuizAttempt.objects.get(pk=learner_api.post(f"/api/v1/quizzes/{quiz.pk}/attempts/").json()["id"])
    QuizAttempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(seconds=2))
    learner_api.post(f"/api/v1/attempts/{attempt.pk}/submit/")
    attempt.refresh_from_db()
    assert attempt.closed_by == "learner"
