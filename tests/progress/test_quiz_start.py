"""Starting a quiz: the cached quiz lookup and question pool stay right, the learner's attempts are read in
one statement, and the database decides under concurrency."""

import dataclasses
import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from courses import quiz_engine
from courses.models import Question, QuestionCategory
from courses.question_bank import questions_import
from courses.quizformats import parse_gift
from learning.api.quizzes import AttemptSerializer, attempt_payload, attempt_representation
from learning.campaigns.models import Assignment, AssignmentMember
from learning.progress import quiz_selectors, quiz_services
from learning.progress.errors import QuizError
from learning.progress.models import Enrolment, QuizAttempt
from tests.quiz_fixtures import make_quiz

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz(course):
    return make_quiz(course, time_limit_minutes=10)


def start_url(quiz):
    return f"/api/v1/quizzes/{quiz.pk}/attempts/"


# --- the quiz a learner starts --------------------------------------------------------------------


def test_quiz_for_start_follows_publishing_moves_and_restrictions(quiz, course, make_course):
    target = quiz_selectors.quiz_for_start(quiz_id=quiz.pk)
    assert (target.quiz.pk, target.course.pk) == (quiz.pk, course.pk)
    assert quiz_selectors.quiz_for_start(quiz_id=quiz.pk) is target  # kept, checked in one statement
    assert quiz_selectors.quiz_for_start(quiz_id=987654) is None

    quiz.max_attempts = 3
    quiz.save_revision().publish()
    assert quiz_selectors.quiz_for_start(quiz_id=quiz.pk).quiz.max_attempts == 3

    restriction = PageViewRestriction.objects.create(page=course, restriction_type="login")
    assert quiz_selectors.quiz_for_start(quiz_id=quiz.pk) is None
    restriction.delete()
    assert quiz_selectors.quiz_for_start(quiz_id=quiz.pk) is not None

    course.unpublish()
    assert quiz_selectors.quiz_for_start(quiz_id=quiz.pk) is None
    course.save_revision().publish()
    assert quiz_selectors.quiz_for_start(quiz_id=quiz.pk) is not None

    other = make_course()
    quiz.refresh_from_db()
    quiz.move(other, pos="last-child")
    assert quiz_selectors.quiz_for_start(quiz_id=quiz.pk).course.pk == other.pk

    quiz.refresh_from_db()
    quiz.unpublish()
    assert quiz_selectors.quiz_for_start(quiz_id=quiz.pk) is None


def test_unpublished_course_means_no_start_in_the_api_or_the_page(client, learner, learner_api, quiz, course):
    course.unpublish()
    assert learner_api.post(start_url(quiz)).status_code == 404
    client.force_login(learner)
    assert client.post(f"/learning/quizzes/{quiz.pk}/start/").status_code == 404
    assert not QuizAttempt.objects.exists()


def test_the_pool_follows_the_bank(learner, make_user, quiz):
    def drawn_names(user):
        attempt = quiz_services.attempt_start(user=user, quiz=quiz).attempt
        return {item["name"] for item in attempt.snapshot["questions"]}

    assert len(drawn_names(learner)) == 6
    # A question in a new sub-category of the chosen one is drawn at once.
    questions_import(parse_gift("::Mới::Nên bật xác thực hai lớp. {T}"), category_path="Kiểm tra/An toàn/Con")
    assert "Mới" in drawn_names(make_user())
    # Moved out of the chosen category, it is not.
    child = QuestionCategory.objects.get(path="Kiểm tra/An toàn/Con")
    child.parent = None
    child.save()
    assert "Mới" not in drawn_names(make_user())
    # An edited question is served as edited.
    question = Question.objects.get(name="Chọn một")
    question.text = "Ai cấp tài khoản VNeID (đã sửa)?"
    question.save()
    attempt = quiz_services.attempt_start(user=make_user(), quiz=quiz).attempt
    assert any("đã sửa" in item["html"] for item in attempt.snapshot["questions"])


def test_a_fixed_list_keeps_its_order(learner, course):
    quiz = make_quiz(course, slug="co-dinh", question_count=1)
    ids = list(Question.objects.exclude(type="description").order_by("-pk").values_list("pk", flat=True)[:3])
    quiz.categories.clear()
    for question_id in ids:
        quiz.fixed_questions.create(question_id=question_id)
    quiz.save_revision().publish()
    attempt = quiz_services.attempt_start(user=learner, quiz=quiz).attempt
    assert [int(item["key"]) for item in attempt.snapshot["questions"]] == ids


def test_attempts_do_not_share_the_cached_templates(learner, make_user, quiz):
    first = quiz_services.attempt_start(user=learner, quiz=quiz).attempt
    short = next(item for item in first.snapshot["questions"] if item["type"] == "short_answer")
    short["accepted"][0]["text"] = "changed"
    pool, _fixed = quiz_engine.question_pool(quiz)
    assert all(a["text"] != "changed" for q in pool if q["type"] == "short_answer" for a in q["accepted"])


# --- the learner's attempts -----------------------------------------------------------------------


def test_start_state_reads_attempts_enrolment_and_assignments(learner, make_user, quiz, course):
    state = quiz_selectors.start_state(user=learner, quiz=quiz, course=course)
    assert state == quiz_selectors.StartState(open_id=None, submitted=0, enrolled=False)
    attempt = quiz_services.attempt_start(user=learner, quiz=quiz).attempt
    state = quiz_selectors.start_state(user=learner, quiz=quiz, course=course)
    assert (state.open_id, state.submitted, state.enrolled) == (attempt.pk, 0, True)
    quiz_services.attempt_submit(attempt=attempt)
    state = quiz_selectors.start_state(user=learner, quiz=quiz, course=course)
    assert (state.open_id, state.submitted) == (None, 1)


def _start_reads(api, quiz) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert api.post(start_url(quiz)).status_code == 201
    return [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]


def test_a_first_start_reads_with_one_statement(learner, make_user, quiz, course):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(make_user())
    assert api.post(start_url(quiz)).status_code == 201  # loads the quiz and the pool
    api.force_authenticate(learner)
    # The learner's state with the pool's stamp; the quiz and its course come from the kept page tree, and no
    # assignment requires the course, so the start (CourseStarted) has no mandatory module to move on.
    reads = _start_reads(api, quiz)
    assert len(reads) == 1 and "courses_question" in reads[0], reads
    assert not any("campaigns_assignmentmember" in sql for sql in reads)

    assignment = Assignment.objects.create(
        title="Kỹ năng số", target_group_id="official", province_id="22", deadline="2099-12-31"
    )
    assignment.courses.set([course])
    api.force_authenticate(make_user())
    reads = _start_reads(api, quiz)  # a course an assignment requires: the learner's modules that require it
    assert len(reads) == 3 and "campaigns_assignmentmember" in reads[-1], reads  # and the set of such courses


def test_start_enrols_and_moves_a_mandatory_assignment_on(make_user, quiz, course):
    official = make_user(groups=["official"])
    assignment = Assignment.objects.create(
        title="Kỹ năng số", target_group_id="official", province_id="22", deadline="2099-12-31"
    )
    assignment.courses.set([course])
    from learning.campaigns.services import assignment_populate

    assignment_populate(assignment=assignment)
    quiz_services.attempt_start(user=official, quiz=quiz)
    assert Enrolment.objects.filter(user=official, course=course).count() == 1
    assert AssignmentMember.objects.get(user=official, assignment=assignment).status() == "in_progress"


def test_an_enrolled_learner_is_not_enrolled_again(learner, quiz, course):
    from learning.progress.services import enrolment_ensure

    enrolment = enrolment_ensure(user=learner, course=course)
    quiz_services.attempt_start(user=learner, quiz=quiz)
    assert list(Enrolment.objects.filter(user=learner)) == [enrolment]


def stale_first(monkeypatch, state):
    """The first read of the learner's attempts returns ``state``, as if a concurrent request changed them
    right after it was read."""
    real, calls = quiz_selectors.start_state, []

    def start_state(**kwargs):
        calls.append(kwargs)
        return state if len(calls) == 1 else real(**kwargs)

    monkeypatch.setattr(quiz_selectors, "start_state", start_state)
    return calls


def test_a_start_on_stale_reads_cannot_pass_the_attempt_limit(monkeypatch, learner, course):
    quiz = make_quiz(course, max_attempts=1)
    before = quiz_selectors.start_state(user=learner, quiz=quiz, course=course)
    quiz_services.attempt_submit(attempt=quiz_services.attempt_start(user=learner, quiz=quiz).attempt)
    calls = stale_first(monkeypatch, dataclasses.replace(before, enrolled=True))
    with pytest.raises(QuizError) as exc:  # attempt number 1 is taken: the database refuses, the retry sees why
        quiz_services.attempt_start(user=learner, quiz=quiz)
    assert exc.value.quiz_code == "attempt_limit" and len(calls) == 2
    assert QuizAttempt.objects.count() == 1


def test_a_start_on_stale_reads_cannot_skip_the_wait(monkeypatch, learner, course):
    quiz = make_quiz(course, min_wait_minutes=30)
    before = quiz_selectors.start_state(user=learner, quiz=quiz, course=course)
    quiz_services.attempt_submit(attempt=quiz_services.attempt_start(user=learner, quiz=quiz).attempt)
    stale_first(monkeypatch, before)  # not enrolled yet, no attempt: both inserts would collide
    with pytest.raises(QuizError) as exc:
        quiz_services.attempt_start(user=learner, quiz=quiz)
    assert exc.value.quiz_code == "wait"
    assert QuizAttempt.objects.count() == 1 and Enrolment.objects.count() == 1


def test_a_concurrent_start_returns_its_attempt(monkeypatch, learner, quiz, course):
    before = quiz_selectors.start_state(user=learner, quiz=quiz, course=course)
    first = quiz_services.attempt_start(user=learner, quiz=quiz)
    stale_first(monkeypatch, dataclasses.replace(before, enrolled=True))
    again = quiz_services.attempt_start(user=learner, quiz=quiz)
    assert first.created and not again.created and again.attempt.pk == first.attempt.pk


def test_a_start_that_keeps_losing_races_says_so(monkeypatch, learner, quiz, course):
    attempt = quiz_services.attempt_start(user=learner, quiz=quiz).attempt
    quiz_services.attempt_submit(attempt=attempt)
    gone = quiz_selectors.StartState(open_id=attempt.pk, submitted=0, enrolled=True)
    monkeypatch.setattr(quiz_selectors, "start_state", lambda **kwargs: gone)
    with pytest.raises(QuizError) as exc:
        quiz_services.attempt_start(user=learner, quiz=quiz)
    assert exc.value.quiz_code == "busy"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections (PostgreSQL)")
@pytest.mark.django_db(transaction=True)
def test_starts_at_once_make_one_attempt_and_one_enrolment(make_user):
    from courses.models import CoursePage
    from courses.services import site_ensure
    from tests.conftest import migrated_rows_ensure

    migrated_rows_ensure()
    catalogue = site_ensure()[1]
    course = CoursePage(title="Khóa đồng thời", slug="khoa-dong-thoi", intro="<p>.</p>", topic="data")
    catalogue.add_child(instance=course)
    course.save_revision().publish()
    quiz = make_quiz(course, max_attempts=1)
    user = make_user()
    barrier = threading.Barrier(4)
    results, errors = [], []

    def job():
        barrier.wait()
        try:
            target = quiz_selectors.quiz_for_start(quiz_id=quiz.pk)
            results.append(quiz_services.attempt_start(user=user, quiz=target.quiz, course=target.course))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=job) for _i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(results) == 4
    assert sum(r.created for r in results) == 1 and len({r.attempt.pk for r in results}) == 1
    assert QuizAttempt.objects.filter(user=user).count() == 1
    assert Enrolment.objects.filter(user=user, course=course).count() == 1


# --- what goes back -------------------------------------------------------------------------------


def test_representation_is_what_the_serializer_gives(learner, quiz):
    import uuid

    attempt = quiz_services.attempt_start(user=learner, quiz=quiz).attempt
    assert attempt_representation(attempt, new=True) == AttemptSerializer(attempt_payload(attempt)).data
    item = next(i for i in attempt.snapshot["questions"] if i["type"] == "true_false")
    quiz_services.answer_save(
        attempt=attempt, question_key=item["key"], response={"value": False}, client_id=uuid.uuid4()
    )
    assert attempt_representation(attempt) == AttemptSerializer(attempt_payload(attempt)).data
    attempt = quiz_services.attempt_submit(attempt=attempt)
    assert attempt_representation(attempt) == AttemptSerializer(attempt_payload(attempt)).data
