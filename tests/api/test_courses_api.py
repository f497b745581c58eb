import uuid

import pytest

from learning.progress.models import LessonCompletion

pytestmark = pytest.mark.django_db


def test_course_list_and_detail_with_lessons_in_order(learner_api, course, lessons):
    listing = learner_api.get("/api/v1/courses/").json()
    assert [c["id"] for c in listing["results"]] == [course.pk]
    detail = learner_api.get(f"/api/v1/courses/{course.pk}/").json()
    assert [(lesson["id"], lesson["title"], lesson["locked"], lesson["completed"]) for lesson in detail["lessons"]] == [
        (lessons[0].pk, lessons[0].title, False, False),
        (lessons[1].pk, lessons[1].title, True, False),
        (lessons[2].pk, lessons[2].title, True, False),
    ]
    assert detail["percent_complete"] == 0 and detail["next_lesson_id"] == lessons[0].pk


def test_complete_lesson_is_idempotent_on_client_id(learner_api, course, lessons):
    body = {"client_id": str(uuid.uuid4()), "time_spent_seconds": 240}
    url = f"/api/v1/lessons/{lessons[0].pk}/complete/"
    first = learner_api.post(url, body, format="json")
    assert first.status_code == 201
    assert first.json() == {
        "id": lessons[0].pk,
        "title": lessons[0].title,
        "completed": True,
        "locked": False,
        "course_id": course.pk,
        "course_percent_complete": 33,
        "course_completed": False,
        "next_lesson_id": lessons[1].pk,
    }
    replay = learner_api.post(url, body, format="json")
    assert replay.status_code == 200 and replay.json() == first.json()
    assert LessonCompletion.objects.count() == 1
    detail = learner_api.get(f"/api/v1/courses/{course.pk}/").json()
    assert [lesson["completed"] for lesson in detail["lessons"]] == [True, False, False]
    assert [lesson["locked"] for lesson in detail["lessons"]] == [False, False, True]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"client_id": "not-a-uuid", "time_spent_seconds": 10}, "client_id"),
        ({"time_spent_seconds": 10}, "client_id"),
        ({"client_id": str(uuid.uuid4()), "time_spent_seconds": -5}, "time_spent_seconds"),
        ({"client_id": str(uuid.uuid4()), "time_spent_seconds": 10**7}, "time_spent_seconds"),
        ({"client_id": str(uuid.uuid4()), "time_spent_seconds": "lâu"}, "time_spent_seconds"),
    ],
)
def test_complete_lesson_bad_input_is_a_400_naming_the_field(learner_api, lessons, body, field):
    response = learner_api.post(f"/api/v1/lessons/{lessons[0].pk}/complete/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not LessonCompletion.objects.exists()


def test_completing_a_locked_lesson_is_a_409(learner_api, lessons):
    body = {"client_id": str(uuid.uuid4()), "time_spent_seconds": 10}
    response = learner_api.post(f"/api/v1/lessons/{lessons[2].pk}/complete/", body, format="json")
    assert response.status_code == 409
    assert "locked" in response.json()["lesson"][0]
    assert not LessonCompletion.objects.exists()


def test_forged_or_unpublished_lesson_ids_are_a_404(learner_api, make_course):
    draft = make_course(publish_lessons=False).get_children().first()
    body = {"client_id": str(uuid.uuid4()), "time_spent_seconds": 10}
    for lesson_id in (draft.pk, 987654):
        response = learner_api.post(f"/api/v1/lessons/{lesson_id}/complete/", body, format="json")
        assert response.status_code == 404
        assert "detail" in response.json()
    assert learner_api.get("/api/v1/courses/987654/").status_code == 404


def test_completion_needs_authentication(api, lessons):
    body = {"client_id": str(uuid.uuid4()), "time_spent_seconds": 10}
    assert api.post(f"/api/v1/lessons/{lessons[0].pk}/complete/", body, format="json").status_code == 401
    assert api.get("/api/v1/me/progress/").status_code == 401


def test_me_progress_shows_only_my_courses(learner_api, make_user, make_course, django_assert_max_num_queries):
    mine, theirs = make_course(), make_course()
    other = make_user()
    from learning.progress.services import enrolment_ensure

    enrolment_ensure(user=other, course=theirs)
    lesson = mine.lessons().first()
    learner_api.post(
        f"/api/v1/lessons/{lesson.pk}/complete/",
        {"client_id": str(uuid.uuid4()), "time_spent_seconds": 5},
        format="json",
    )
    with django_assert_max_num_queries(8):
        body = learner_api.get("/api/v1/me/progress/").json()
    assert [(row["course_id"], row["lessons_completed"], row["percent_complete"]) for row in body] == [(mine.pk, 1, 33)]


def test_openapi_schema_lists_the_stable_paths(api):
    response = api.get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in [
        "/api/v1/auth/register/",
        "/api/v1/auth/token/",
        "/api/v1/localities/provinces/",
        "/api/v1/localities/communes/",
        "/api/v1/courses/",
        "/api/v1/courses/{id}/",
        "/api/v1/lessons/{id}/complete/",
        "/api/v1/me/progress/",
        "/api/v1/stats/provinces/{code}/",
        "/api/v1/stats/provinces/{code}/communes/",
        "/api/v1/stats/provinces/{code}/timeseries/",
        "/api/v1/stats/communes/{code}/",
        "/api/v1/stats/communes/{code}/people/",
        "/api/v1/reports/",
        "/api/v1/reports/{id}/download/",
    ]:
        assert path in paths, path
    assert api.get("/api/v1/docs/").status_code == 200
