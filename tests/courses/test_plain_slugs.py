"""Page addresses people can share: made from Vietnamese titles without diacritics; old addresses redirect."""

import importlib
from urllib.parse import quote

import pytest
from django.apps import apps
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page

from courses.models import LessonPage
from learning.core.text import plain_slug

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Mật khẩu an toàn cho tài khoản", "mat-khau-an-toan-cho-tai-khoan"),
        ("Đăng nhập VNeID: bước 1", "dang-nhap-vneid-buoc-1"),
        ("Phường Hạ Long — Quảng Ninh", "phuong-ha-long-quang-ninh"),
        ("AI là gì?", "ai-la-gi"),
    ],
)
def test_plain_slug_drops_diacritics_and_punctuation(title, slug):
    assert plain_slug(title) == slug


def test_a_page_made_without_a_slug_gets_one_from_its_title(course):
    first = course.add_child(instance=LessonPage(title="Mật khẩu an toàn cho tài khoản"))
    second = course.add_child(instance=LessonPage(title="Mật khẩu an toàn cho tài khoản"))
    assert first.slug == "mat-khau-an-toan-cho-tai-khoan"
    assert second.slug == "mat-khau-an-toan-cho-tai-khoan-2"
    assert first.url.endswith("/mat-khau-an-toan-cho-tai-khoan/")


def test_a_slug_typed_with_diacritics_is_made_plain(course):
    lesson = course.add_child(instance=LessonPage(title="Bài mới", slug="bài-mới-đây"))
    assert lesson.slug == "bai-moi-day"


def test_existing_addresses_with_diacritics_move_and_redirect(client, course):
    lesson = LessonPage.objects.child_of(course).first()
    lesson.save_revision().publish()
    old_course_path, old_lesson_path = course.url, lesson.url
    # Pages made before addresses were plain: write the old form straight into the tree.
    Page.objects.filter(pk=course.pk).update(
        slug="khóa-học-mật-khẩu", url_path=course.url_path.replace(course.slug, "khóa-học-mật-khẩu")
    )
    Page.objects.filter(pk=lesson.pk).update(
        slug="bài-một",
        url_path=lesson.url_path.replace(course.slug, "khóa-học-mật-khẩu").replace(lesson.slug, "bài-một"),
    )
    unicode_lesson_url = old_lesson_path.replace(course.slug, "khóa-học-mật-khẩu").replace(lesson.slug, "bài-một")
    assert client.get(quote(unicode_lesson_url)).status_code == 200

    migration = importlib.import_module("courses.migrations.0007_plain_slugs_with_redirects")
    migration.forwards(apps, None)

    course.refresh_from_db()
    lesson.refresh_from_db()
    assert (course.slug, lesson.slug) == ("khoa-hoc-mat-khau", "bai-mot")
    assert lesson.url_path.endswith("/khoa-hoc-mat-khau/bai-mot/")
    assert course.url != old_course_path and lesson.url.endswith("/khoa-hoc-mat-khau/bai-mot/")
    # Links shared before the change (percent-encoded, as chat apps send them) still lead to the page.
    response = client.get(quote(unicode_lesson_url))
    assert response.status_code == 301
    assert response["Location"].endswith("/khoa-hoc-mat-khau/bai-mot/")
    assert Redirect.objects.filter(redirect_page=course).count() == 1
    assert client.get(lesson.url).status_code == 200

    redirects = Redirect.objects.count()
    assert redirects == 5  # the course and its three lessons under the old course address, the lesson's own
    migration.forwards(apps, None)  # running again changes nothing
    assert Redirect.objects.count() == redirects
