import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from courses.models import QuestionChoice
from learning.progress import quiz_services
from learning.progress.errors import QuizError
from learning.progress.models import AnswerSubmission, AttemptAnswer, QuizAttempt
from learning.progress.tasks import close_expired_attempts
from tests.quiz_fixtures import make_quiz

pytestmark = pytest.mark.django_db


def q(attempt, qtype):
    return next(item for item in attempt.snapshot["questions"] if item["type"] == qtype)


def right_choice(item):
    return next(c["id"] for c in item["choices"] if float(c["fraction"]) == 1)


def answer(attempt, item, response, client_id=None):
    return quiz_services.answer_save(
        attempt=attempt, question_key=item["key"], response=response, client_id=client_id or uuid.uuid4()
    )


def answer_all_right(attempt):
    answer(attempt, q(attempt, "single_choice"), {"choice": right_choice(q(attempt, "single_choice"))})
    multi = q(attempt, "multiple_choice")
    answer(attempt, multi, {"choices": [c["id"] for c in multi["choices"] if float(c["fraction"]) > 0]})
    answer(attempt, q(attempt, "true_false"), {"value": False})
    answer(attempt, q(attempt, "short_answer"), {"text": "  hạ   LONG "})
    answer(attempt, q(attempt, "numerical"), {"value": "12"})
    matching = q(attempt, "matching")
    answer(attempt, matching, {"pairs": {i["id"]: i["answer"] for i in matching["items"]}})


@pytest.fixture
def quiz(course):
    return make_quiz(course, time_limit_minutes=10, pass_mark_percent=60)


def test_start_snapshots_questions_order_pass_mark_and_time_limit(learner, quiz):
    attempt = quiz_services.attempt_start(user=learner, quiz=quiz).attempt
    assert len(attempt.snapshot["questions"]) == 6  # the description is never drawn at random
    assert attempt.pass_mark_percent == 60 and attempt.time_limit_seconds == 600
    assert attempt.deadline - attempt.started_at == timedelta(minutes=10)
    assert attempt.commune_id == learner.commune_id


def test_starting_again_returns_the_open_attempt(learner, quiz):
    first = quiz_services.attempt_start(user=learner, quiz=quiz)
    again = quiz_services.attempt_start(user=learner, quiz=quiz)
    assert first.created and not again.created and first.attempt.pk == again.attempt.pk
    assert QuizAttempt.objects.count() == 1


def test_new_versions_published_mid_attempt_change_nothing_for_it(learner, quiz):
    attempt = quiz_services.attempt_start(user=learner, quiz=quiz).attempt
    quiz.pass_mark_percent = 100
    quiz.time_limit_minutes = 1
    quiz.save_revision().publish()
    QuestionChoice.objects.update(fraction=0)  # an editor "fixes" every answer
    answer_all_right(attempt)
    result = quiz_services.attempt_submit(attempt=attempt)
    assert (result.pass_mark_percent, result.time_limit_seconds) == (60, 600)
    assert result.score_percent == 100 and result.passed


def test_partial_credit_and_negative_weights(learner, quiz):
    attempt = quiz_services.attempt_start(user=learner, quiz=quiz).attempt
    multi = q(attempt, "multiple_choice")
    good = [c["id"] for c in multi["choices"] if float(c["fraction"]) > 0]
    bad = [c["id"] for c in multi["choices"] if float(c["fraction"]) < 0]
    answer(attempt, multi, {"choices": [good[0], bad[0]]})  # 0.5 - 1 → 0, never negative
    answer(attempt, q(attempt, "numerical"), {"value": "12,0"})  # Vietnamese decimal comma
    answer(attempt, q(attempt, "short_answer"), {"text": "Ha Long"})  # diacritics matter by default
    result = quiz_services.attempt_submit(attempt=attempt)
    fractions = dict(AttemptAnswer.objects.filter(attempt=attempt).values_list("question_key", "fraction"))
    assert fractions[multi["key"]] == 0
    assert fractions[q(attempt, "numerical")["key"]] == 1
    assert fractions[q(attempt, "short_answer")["key"]] == 0
    assert result.score_percent == Decimal("16.67")


def test_each_answer_is_saved_and_a_retry_is_harmless(learner, quiz):
    attempt = quiz_services.attempt_start(user=learner, quiz=quiz).attempt
    single = q(attempt, "single_choice")
    first, second = single["choices"][0]["id"], single["choices"][1]["id"]
    client_id = uuid.uuid4()
    answer(attempt, single, {"choice": first}, client_id)
    answer(attempt, single, {"choice": second})
    # The first request, retried late by a flaky network, does not overwrite the newer answer.
    answer(attempt, single, {"choice": first}, client_id)
    assert AttemptAnswer.objects.get(attempt=attempt).response == {"choice": second}
    assert AnswerSubmission.objects.filter(attempt=attempt).count() == 2


def test_submitting_is_idempotent(learner, quiz):
    attempt = quiz_services.attempt_start(user=learner, quiz=quiz).attempt
    answer_all_right(attempt)
    first = quiz_services.attempt_submit(attempt=attempt)
    again = quiz_services.attempt_submit(attempt=attempt)
    assert (first.score_percent, first.submitted_at) == (again.score_percent, again.submitted_at)
    with pytest.raises(QuizError) as exc:
        answer(attempt, q(attempt, "true_false"), {"value": True})
    assert exc.value.quiz_code == "submitted"


def test_server_enforces_the_deadline(learner, quiz):
    attempt = quiz_services.attempt_start(user=learner, quiz=quiz).attempt
    answer(attempt, q(attempt, "true_false"), {"value": False})
    QuizAttempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(seconds=3))
    attempt.refresh_from_db()
    answer(attempt, q(attempt, "numerical"), {"value": "12"})  # within the grace period: counts
    QuizAttempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(seconds=30))
    attempt.refresh_from_db()
    with pytest.raises(QuizError) as exc:
        answer(attempt, q(attempt, "short_answer"), {"text": "Hạ Long"})
    assert exc.value.quiz_code == "time_up"
    assert close_expired_attempts() == 1
    attempt.refresh_from_db()
    assert attempt.status == "submitted" and attempt.closed_by == "timeout"
    assert attempt.score_percent == Decimal("33.33")
    assert close_expired_attempts() == 0


def test_attempt_limit_and_wait_between_attempts(learner, course):
    quiz = make_quiz(course, max_attempts=2, min_wait_minutes=30)
    attempt = quiz_services.attempt_start(user=learner, quiz=quiz).attempt
    quiz_services.attempt_submit(attempt=attempt)
    with pytest.raises(QuizError) as exc:
        quiz_services.attempt_start(user=learner, quiz=quiz)
    assert exc.value.quiz_code == "wait" and "try again from" in exc.value.messages[0]
    QuizAttempt.objects.update(submitted_at=timezone.now() - timedelta(hours=1))
    second = quiz_services.attempt_start(user=learner, quiz=quiz).attempt
    assert second.number == 2
    quiz_services.attempt_submit(attempt=second)
    QuizAttempt.objects.update(submitted_at=timezone.now() - timedelta(hours=1))
    with pytest.raises(QuizError) as exc:
        quiz_services.attempt_start(user=learner, quiz=quiz)
    assert exc.value.quiz_code == "attempt_limit"
    assert QuizAttempt.objects.count() == 2


def test_course_with_a_final_test_is_complete_only_when_it_is_passed(learner, course, lessons):
    from learning.progress.models import Enrolment
    from learning.progress.selectors import course_state
    from learning.progress.services import lesson_complete

    final = make_quiz(course, kind="final_test", pass_mark_percent=80)
    for lesson in lessons:
        lesson_complete(user=learner, lesson=lesson, client_id=uuid.uuid4(), time_spent_seconds=60)
    state = course_state(user=learner, course=course)
    assert state.lessons_complete and not state.is_complete
    assert Enrolment.objects.get(user=learner).completed_at is None
    failed = quiz_services.attempt_start(user=learner, quiz=final).attempt
    quiz_services.attempt_submit(attempt=failed)
    assert not course_state(user=learner, course=course).is_complete
    passing = quiz_services.attempt_start(user=learner, quiz=final).attempt
    answer_all_right(passing)
    assert quiz_services.attempt_submit(attempt=passing).passed
    assert course_state(user=learner, course=course).is_complete
    assert Enrolment.objects.get(user=learner).completed_at is not None


def test_quiz_with_no_questions_says_so(learner, course):
    from courses.models import QuizPage

    quiz = QuizPage(title="Trống", slug="trong", question_count=5, open_any_time=True)
    course.add_child(instance=quiz)
    quiz.save_revision().publish()
    with pytest.raises(Exception, match="no questions yet"):
        quiz_services.attempt_start(user=learner, quiz=quiz)
    assert not QuizAttempt.objects.exists()
