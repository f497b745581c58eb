import pytest

from courses.models import LessonPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def ai_course(make_course):
    course = make_course(title="Trí tuệ nhân tạo cho mọi người", topic="ai")
    lesson = LessonPage(
        title="Kiểm chứng thông tin",
        slug="kiem-chung",
        body=[("rich_text", "<p>Cảnh giác với Deepfake và tin giả.</p>")],
    )
    course.add_child(instance=lesson)
    lesson.save_revision().publish()
    return course


@pytest.mark.parametrize("query", ["tri tue nhan tao", "Trí tuệ nhân tạo", "TRI TUE", "nhan tao tri"])
def test_course_search_ignores_case_and_diacritics(client, ai_course, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert [c.pk for c in response.context["results"]["courses"]] == [ai_course.pk]


def test_lesson_body_is_searched(client, ai_course):
    lessons = client.get("/search/", {"q": "deepfake tin gia"}).context["results"]["lessons"]
    assert [lesson.title for lesson in lessons] == ["Kiểm chứng thông tin"]


def test_unpublished_content_is_not_found(client, ai_course):
    ai_course.unpublish()
    results = client.get("/search/", {"q": "tri tue nhan tao"}).context["results"]
    assert not list(results["courses"]) and not list(results["lessons"])


def test_empty_and_unmatched_queries(client, ai_course):
    assert client.get("/search/", {"q": ""}).context["results"] is None
    page = client.get("/search/", {"q": "khong co gi"}).content.decode()
    assert "Nothing found" in page
