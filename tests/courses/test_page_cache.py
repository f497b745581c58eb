"""The page tree kept per process (courses.page_cache): every change to the tree reaches the next request, a
stale entry never serves a draft, an unpublished, a moved or a restricted page, and the site works without
the shared cache."""

import pytest
from django.core.cache import cache
from wagtail.models import Page, PageViewRestriction

from courses import page_cache
from courses.models import LessonPage

pytestmark = pytest.mark.django_db


def lesson_html(client, lesson) -> tuple[int, str]:
    response = client.get(lesson.url)
    return response.status_code, response.content.decode() if response.status_code == 200 else ""


def test_a_new_revision_is_shown_once_published_and_a_draft_never(client, learner, lessons):
    client.force_login(learner)
    lesson = lessons[0]
    status, html = lesson_html(client, lesson)
    assert status == 200 and "Nội dung bài 1" in html
    lesson = LessonPage.objects.get(pk=lesson.pk)
    lesson.body = [("rich_text", "<p>Bản nháp chưa xuất bản.</p>")]
    lesson.save_revision()  # a draft: the published text stays
    assert "Bản nháp" not in lesson_html(client, lesson)[1]
    assert "Nội dung bài 1" in lesson_html(client, lesson)[1]
    lesson.body = [("rich_text", "<p>Nội dung mới đã xuất bản.</p>")]
    lesson.save_revision().publish()
    status, html = lesson_html(client, lesson)
    assert status == 200 and "Nội dung mới đã xuất bản" in html and "Nội dung bài 1" not in html


def test_an_unpublished_lesson_answers_404(client, learner, lessons):
    client.force_login(learner)
    assert lesson_html(client, lessons[0])[0] == 200
    url = lessons[0].url
    LessonPage.objects.get(pk=lessons[0].pk).unpublish()
    assert client.get(url).status_code == 404


def test_a_moved_lesson_answers_at_its_new_address_and_the_old_one_as_wagtail_does(client, learner, make_course):
    first, second = make_course(sequential=False), make_course(sequential=False, lessons=2)
    lesson = LessonPage.objects.child_of(first).live().order_by("path").last()
    old_url = lesson.url
    client.force_login(learner)
    assert client.get(old_url).status_code == 200
    lesson.move(second, pos="last-child")
    lesson = LessonPage.objects.get(pk=lesson.pk)
    assert lesson.url != old_url
    assert client.get(lesson.url).status_code == 200
    old = client.get(old_url)
    assert old.status_code in (301, 302, 404)
    if old.status_code != 404:  # Wagtail's redirects app made one
        assert old["Location"].endswith(lesson.url)


def test_a_view_restriction_added_later_restricts_the_page(client, lessons, course):
    assert lesson_html(client, lessons[0])[0] == 200  # a visitor reads it: the route is kept
    assert not page_cache.restrictions_exist()
    PageViewRestriction.objects.create(page=course, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(lessons[0].url)
    assert response.status_code == 302 and "login" in response["Location"]
    assert client.get(f"/api/v1/courses/{course.pk}/").status_code == 404


def test_another_process_changing_the_tree_is_seen_through_the_shared_version(client, learner, lessons):
    client.force_login(learner)
    assert lesson_html(client, lessons[0])[0] == 200
    # Another process unpublished it: the rows changed without this process's signals, and the version
    # in the shared cache was replaced.
    Page.objects.filter(pk=lessons[0].pk).update(title="Tiêu đề do nơi khác đổi")
    cache.set(page_cache.VERSION_KEY, "changed elsewhere", timeout=None)
    assert "Tiêu đề do nơi khác đổi" in client.get(f"/api/v1/courses/{lessons[0].get_parent().pk}/").content.decode()


def test_a_stale_route_is_never_used(client, learner, lessons):
    """Without any version change (a change the signals missed), the kept route still checks the row."""
    client.force_login(learner)
    url = lessons[0].url
    assert client.get(url).status_code == 200
    Page.objects.filter(pk=lessons[0].pk).update(live=False)  # no signal, same version
    assert client.get(url).status_code == 404


def test_pages_are_served_without_the_shared_cache(client, learner, lessons, monkeypatch):
    class Away:
        def get(self, *args, **kwargs):
            return None

        def add(self, *args, **kwargs):
            return False

        def set(self, *args, **kwargs):
            return None

    monkeypatch.setattr(page_cache, "cache", Away())
    page_cache.clear()
    client.force_login(learner)
    assert page_cache.version() is None
    assert lesson_html(client, lessons[0])[0] == 200
    LessonPage.objects.get(pk=lessons[0].pk).unpublish()
    assert client.get(lessons[0].url).status_code == 404
    assert client.get("/api/v1/me/progress/").status_code == 200
