"""Shared fixtures: the official localities and the site tree are loaded once per test database."""

import itertools

import pytest
from django.test import Client
from django.utils import timezone, translation
from rest_framework.test import APIClient

from courses.models import CoursePage, LessonPage
from courses.services import site_ensure
from learning.accounts.services import user_register
from learning.localities.models import Commune
from learning.localities.services import localities_load

PASSWORD = "Mat-khau-2025!"
_phones = itertools.count(1)


@pytest.fixture(autouse=True)
def english_messages():
    """Tests read messages in English (the msgids); tests/test_i18n.py checks the Vietnamese default."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def celery_eager(request):
    """Tasks run in the test's own process, even when CI configures the real broker; tests marked
    ``stack`` talk to a real worker instead."""
    from learning.celery import app

    if request.node.get_closest_marker("stack"):
        yield
        return
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache (ids are reused when SQLite rolls a test back), and with no page
    tree kept by this process (courses.page_cache)."""
    from django.core.cache import cache

    from courses import page_cache

    cache.clear()
    page_cache.clear()
    yield


@pytest.fixture
def client():
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def vi_client():
    """A browser that asks for nothing in particular: it must get Vietnamese."""
    return Client()


def migrated_rows_ensure():
    """Put back what migrations and the session set-up create, after a transactional test's flush:
    Wagtail's root page, collection and locale, the target groups, the competence framework, the
    localities and the site tree. (A serialized rollback cannot do it for browser tests: once
    Playwright runs, the test code sees another connection object than the one it was kept on.)"""
    from django.conf import settings
    from wagtail.models import Collection, Locale, Page

    from courses.competences import COMPONENTS
    from courses.models import Competence
    from learning.accounts.models import TargetGroup, TargetGroupCode

    locale, _created = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if not Page.objects.filter(depth=1).exists():
        Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    if not Collection.objects.filter(depth=1).exists():
        Collection.add_root(name="Root")
    for position, code in enumerate(TargetGroupCode.values):
        TargetGroup.objects.get_or_create(code=code, defaults={"position": position})
    for code, name in COMPONENTS:
        Competence.objects.get_or_create(code=code, defaults={"name": name})
    localities_load()
    site_ensure()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        localities_load()
        site_ensure()


@pytest.fixture
def catalogue(db):
    return site_ensure()[1]


@pytest.fixture
def make_user(db):
    def make(*, commune="06688", groups=("citizen",), phone=None, verified=True, **extra):
        """A self-registered learner; ``verified``: who has entered the code sent to the phone (most tests)."""
        phone = phone or f"09130{next(_phones):05d}"
        user = user_register(
            phone=phone,
            full_name=extra.pop("full_name", "Nguyễn Thị Học"),
            password=PASSWORD,
            commune=Commune.objects.get(code=commune),
            target_groups=list(groups),
        )
        if verified:
            user.phone_verified_at = timezone.now()
            user.save(update_fields=["phone_verified_at"])
        return user

    return make


@pytest.fixture
def learner(make_user):
    return make_user()


@pytest.fixture
def make_course(catalogue):
    counter = itertools.count(1)

    def make(*, title=None, lessons=3, sequential=True, topic="data", publish_lessons=True):
        n = next(counter)
        course = CoursePage(
            title=title or f"Khóa học thử {n}",
            slug=f"khoa-hoc-thu-{n}",
            intro="<p>Giới thiệu khóa học.</p>",
            topic=topic,
            estimated_minutes=30,
            sequential=sequential,
        )
        catalogue.add_child(instance=course)
        course.save_revision().publish()
        for i in range(1, lessons + 1):
            lesson = LessonPage(
                title=f"Bài {i} của khóa {n}",
                slug=f"bai-{i}",
                estimated_minutes=10,
                body=[("rich_text", f"<p>Nội dung bài {i}: dữ liệu và an toàn thông tin.</p>")],
                live=publish_lessons,
            )
            course.add_child(instance=lesson)
            if publish_lessons:
                lesson.save_revision().publish()
        return CoursePage.objects.get(pk=course.pk)

    return make


@pytest.fixture
def course(make_course):
    return make_course()


@pytest.fixture
def lessons(course):
    return list(LessonPage.objects.child_of(course).live().order_by("path"))


@pytest.fixture
def api():
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def learner_api(api, learner):
    api.force_authenticate(learner)
    return api
