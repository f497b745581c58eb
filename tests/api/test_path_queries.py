"""SQL queries of a learner's everyday paths, counted so that they cannot creep back (make bench-paths measures
their CPU). Each path is asked once first: the page tree is then kept by the process (courses.page_cache), as
on a server that has answered anyone before; the first answer has a bound too."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from learning.progress import services as progress_services
from tests.quiz_fixtures import make_quiz

pytestmark = pytest.mark.django_db


@pytest.fixture
def token_api(learner):
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=learner).key}")
    return api


@pytest.fixture
def started(learner, course, lessons, make_course):
    """Enrolled in three courses, the first lesson of the first one complete."""
    import uuid

    for other in (course, make_course(), make_course()):
        progress_services.enrolment_ensure(user=learner, course=other)
    progress_services.lesson_complete(user=learner, lesson=lessons[0], client_id=uuid.uuid4(), time_spent_seconds=60)
    return learner


def test_lesson_page(client, started, lessons, django_assert_num_queries, django_assert_max_num_queries):
    client.force_login(started)
    with django_assert_max_num_queries(15):  # the tree read once: sites, the walk, courses, outlines
        assert client.get(lessons[1].url).status_code == 200
    # the page's row, the session, the user with their organiser check, the enrolment with completions and quiz
    # results
    with django_assert_num_queries(4):
        assert client.get(lessons[1].url).status_code == 200


def test_course_page(client, started, course, django_assert_num_queries):
    client.force_login(started)
    assert client.get(course.url).status_code == 200
    # the page's row, the session, the user with their organiser check, the enrolment with completions and quiz
    # results, the course's competences
    with django_assert_num_queries(5):
        assert client.get(course.url).status_code == 200


def test_my_progress(token_api, started, django_assert_num_queries, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        assert token_api.get("/api/v1/me/progress/").status_code == 200
    with django_assert_num_queries(2):  # the token and its user; the enrolments, completions and quiz results
        response = token_api.get("/api/v1/me/progress/")
    assert response.status_code == 200 and len(response.json()) == 3


def test_course_detail(token_api, started, course, django_assert_num_queries):
    assert token_api.get(f"/api/v1/courses/{course.pk}/").status_code == 200
    with django_assert_num_queries(2):  # the token and its user; the enrolment, completions and quiz results
        response = token_api.get(f"/api/v1/courses/{course.pk}/")
    assert response.json()["lessons"][0]["completed"] is True


def test_quiz_start(make_user, course, django_assert_max_num_queries):
    quiz = make_quiz(course, open_any_time=True)
    first, second = make_user(), make_user()
    for user, bound in ((first, 20), (second, 13)):
        api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
        with django_assert_max_num_queries(bound):
            assert api.post(f"/api/v1/quizzes/{quiz.pk}/attempts/").status_code == 201
