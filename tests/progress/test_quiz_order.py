"""Quizzes follow the course's order: a lesson check opens with its lesson, a final test once every lesson
is complete (unless the editor opens the quiz any time); the course shows what is left."""

import uuid

import pytest
from rest_framework.test import APIClient

from learning.progress import quiz_services, services
from learning.progress.errors import QuizError
from learning.progress.models import Enrolment
from learning.progress.selectors import course_state, lesson_state
from tests.quiz_fixtures import make_quiz

pytestmark = pytest.mark.django_db


def complete(user, lesson):
    services.lesson_complete(user=user, lesson=lesson, client_id=uuid.uuid4(), time_spent_seconds=60)


def move_after(quiz, lesson):
    quiz.move(lesson, pos="right")
    quiz.refresh_from_db()
    return quiz


@pytest.fixture
def final_test(course, lessons):
    return make_quiz(course, title="Bài kiểm tra cuối khóa", slug="cuoi-khoa", kind="final_test", open_any_time=False)


@pytest.fixture
def lesson_check(course, lessons):
    quiz = make_quiz(course, title="Kiểm tra nhanh bài 2", slug="nhanh-2", category="Nhanh", open_any_time=False)
    return move_after(quiz, lessons[1])


def test_a_lesson_check_opens_with_its_lesson(learner, lessons, lesson_check):
    with pytest.raises(QuizError) as refused:
        quiz_services.attempt_start(user=learner, quiz=lesson_check)
    assert refused.value.quiz_code == "locked"
    assert "Bài 2" in refused.value.messages[0] or lessons[1].title in refused.value.messages[0]
    complete(learner, lessons[0])  # lesson 2 is open now: so is its check
    assert quiz_services.attempt_start(user=learner, quiz=lesson_check).created


def test_the_lesson_page_links_to_its_check(client, learner, lessons, lesson_check):
    client.force_login(learner)
    complete(learner, lessons[0])
    page = client.get(lessons[1].url).content.decode()
    assert lesson_check.url in page and "Check what you have learned" in page
    assert lesson_check.url not in client.get(lessons[0].url).content.decode()
    assert [q.quiz.pk for q in lesson_state(user=learner, lesson=lessons[1]).quizzes] == [lesson_check.pk]


def test_a_final_test_opens_when_every_lesson_is_complete(learner, lessons, final_test):
    for lesson in lessons[:-1]:
        complete(learner, lesson)
    with pytest.raises(QuizError, match="1 lesson left"):
        quiz_services.attempt_start(user=learner, quiz=final_test)
    complete(learner, lessons[-1])
    assert quiz_services.attempt_start(user=learner, quiz=final_test).created


def test_the_api_answers_409_with_the_reason(learner, lessons, final_test):
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.force_authenticate(learner)
    response = api.post(f"/api/v1/quizzes/{final_test.pk}/attempts/")
    assert response.status_code == 409
    assert response.json()["code"] == "locked" and "3 lessons left" in response.json()["detail"][0]
    detail = api.get(f"/api/v1/courses/{final_test.get_parent().pk}/").json()
    test = next(q for q in detail["quizzes"] if q["id"] == final_test.pk)
    assert test["locked"] and "3 lessons left" in test["locked_reason"]


def test_a_quiz_open_any_time_is_never_locked(learner, course, lessons):
    placement = make_quiz(course, title="Kiểm tra đầu vào", slug="dau-vao", kind="final_test")
    placement = move_after(placement, lessons[2])
    assert placement.open_any_time
    assert quiz_services.attempt_start(user=learner, quiz=placement).created


def test_the_quiz_page_and_course_page_show_the_lock_and_why(client, learner, course, lessons, final_test):
    client.force_login(learner)
    page = client.get(final_test.url).content.decode()
    assert "3 lessons left" in page and "Start the quiz" not in page
    course_page = client.get(course.url).content.decode()
    assert '<small class="reason">The final test opens when every lesson is complete' in course_page


def test_every_lesson_done_is_not_done_until_the_final_test_is_passed(client, learner, course, lessons, final_test):
    for lesson in lessons:
        complete(learner, lesson)
    state = course_state(user=learner, course=course)
    assert state.lessons_complete and not state.is_complete
    assert state.percent == 75  # 3 lessons of 3, and the final test left: 3 steps of 4
    assert state.next_step.kind == "final_test" and state.next_step.pass_mark == final_test.pass_mark_percent
    assert Enrolment.objects.get(user=learner).completed_at is None
    client.force_login(learner)
    for url in ("/learning/", course.url):
        page = client.get(url).content.decode()
        assert "Final test left: you need 70% to pass" in page, url
        assert f'href="{final_test.url}"' in page and "Take the final test" in page
        assert "100% complete" not in page
    api = APIClient()
    api.force_authenticate(learner)
    (progress,) = api.get("/api/v1/me/progress/").json()
    assert progress["completed"] is False and progress["percent_complete"] == 75
    assert progress["final_tests_total"] == 1 and progress["final_tests_passed"] == 0
    assert progress["next_step"]["kind"] == "final_test" and progress["next_step"]["pass_mark_percent"] == 70
