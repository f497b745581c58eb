"""Rich text of pages (course and quiz intros, lesson text, callouts, transcripts) is sanitised when shown,
whatever was stored (an import, the admin's API, old data)."""

import pytest

from courses.models import CoursePage, LessonPage
from courses.rendering import page_html

pytestmark = pytest.mark.django_db

HOSTILE = (
    '<p>Giới thiệu <b>an toàn</b> <a href="https://dichvucong.gov.vn/">Cổng dịch vụ công</a>'
    "<script>alert('intro')</script>"
    '<img src="x" onerror="alert(1)">'
    '<a href="javascript:alert(2)" onclick="alert(3)">bấm</a>'
    '<iframe src="https://evil.example/"></iframe>'
    '<span style="position:fixed">che</span></p>'
)


def assert_clean(html: str):
    # The site's own pages carry their own scripts: what must be gone is everything the stored text brought.
    for bad in ("alert(", "onerror", "onclick", "javascript:", "<iframe", "evil.example", "position:fixed"):
        assert bad not in html, bad


def test_page_html_keeps_formatting_and_drops_what_runs():
    html = str(page_html(HOSTILE))
    assert_clean(html)
    assert "<script" not in html and "style=" not in html
    assert "<b>an toàn</b>" in html and 'href="https://dichvucong.gov.vn/"' in html
    assert page_html(None) == "" and page_html("") == ""


def test_course_intro_and_lesson_text_are_sanitised_on_the_page_and_in_the_api(client, learner, learner_api, course):
    CoursePage.objects.filter(pk=course.pk).update(intro=HOSTILE)
    lesson = LessonPage.objects.child_of(course).first()
    lesson.body = [
        ("rich_text", HOSTILE),
        ("callout", {"kind": "tip", "title": "Mẹo", "text": HOSTILE}),
    ]
    lesson.save_revision().publish()
    course.refresh_from_db()

    page = client.get(course.url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Giới thiệu" in body and "Cổng dịch vụ công" in body
    assert_clean(body)

    client.force_login(learner)
    lesson_page = client.get(lesson.url)
    assert lesson_page.status_code == 200
    text = lesson_page.content.decode()
    assert text.count("Cổng dịch vụ công") == 2
    assert_clean(text)

    detail = learner_api.get(f"/api/v1/courses/{course.pk}/").json()
    assert "Giới thiệu" in detail["intro"]
    assert_clean(detail["intro"])
    assert "<script" not in detail["intro"]
