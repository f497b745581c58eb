import re
from pathlib import Path

import pytest
from django.urls import reverse

from courses.models import LessonPage
from learning.progress.models import Enrolment, LessonCompletion

pytestmark = pytest.mark.django_db


def test_catalogue_lists_published_courses_and_filters_by_topic(client, make_course):
    make_course(title="Dữ liệu cho mọi người", topic="data")
    make_course(title="Trí tuệ nhân tạo hằng ngày", topic="ai")
    page = client.get("/khoa-hoc/").content.decode()
    assert "Dữ liệu cho mọi người" in page and "Trí tuệ nhân tạo hằng ngày" in page
    page = client.get("/khoa-hoc/?topic=ai").content.decode()
    assert "Dữ liệu cho mọi người" not in page and "Trí tuệ nhân tạo hằng ngày" in page


def test_opening_a_course_writes_nothing_starting_it_enrols_once(client, learner, course, lessons):
    client.force_login(learner)
    page = client.get(course.url)
    assert page.status_code == 200
    assert not Enrolment.objects.exists()  # a GET writes nothing
    start = reverse("progress:course_start", args=[course.pk])
    assert f'action="{start}"' in page.content.decode()
    first = client.post(start)
    assert first.status_code == 302 and first["Location"] == lessons[0].url
    client.post(start)
    enrolment = Enrolment.objects.get()
    assert (enrolment.user, enrolment.course_id, enrolment.commune_id) == (learner, course.pk, "06688")
    # Once started, the course page links straight to where to continue.
    assert f'href="{lessons[0].url}"' in client.get(course.url).content.decode()
    assert client.get(start).status_code == 405


def test_served_lesson_keeps_a_working_model_state(rf, learner, lessons):
    request = rf.get(lessons[0].url)
    request.user = learner
    lesson = LessonPage.objects.get(pk=lessons[0].pk)
    response = lesson.serve(request)
    assert response.status_code == 200
    assert "I have finished this lesson" in response.render().content.decode()
    assert lesson.content_type.model == "lessonpage"  # Django's ModelState is intact
    lesson.title = "Renamed after serving"
    lesson.save()
    assert LessonPage.objects.get(pk=lesson.pk).title == "Renamed after serving"


def test_anonymous_visitor_sees_the_course_without_enrolment(client, course):
    page = client.get(course.url).content.decode()
    assert "Sign up to track your progress" in page
    assert not Enrolment.objects.exists()


def test_locked_lesson_page_is_refused_until_the_previous_is_done(client, learner, lessons):
    client.force_login(learner)
    response = client.get(lessons[1].url)
    assert response.status_code == 403
    assert "opens when you have completed the previous one" in response.content.decode()
    page = client.get(lessons[0].url).content.decode()
    assert "I have finished this lesson" in page


def test_complete_button_records_time_and_moves_on(client, learner, lessons):
    client.force_login(learner)
    page = client.get(lessons[0].url).content.decode()
    form = dict(re.findall(r'name="(client_id|view_token)" value="([^"]+)"', page))
    response = client.post(reverse("progress:lesson_complete", args=[lessons[0].pk]), form)
    assert response.status_code == 302 and response["Location"] == lessons[1].url
    # The same form submitted twice (a double tap, a retry on a bad network) counts once.
    client.post(reverse("progress:lesson_complete", args=[lessons[0].pk]), form)
    assert LessonCompletion.objects.count() == 1
    assert 0 <= LessonCompletion.objects.get().time_spent_seconds < 60
    assert client.get(lessons[1].url).status_code == 200


def test_course_page_shows_percent_and_continue_link(client, learner, course, lessons):
    client.force_login(learner)
    page = client.get(course.url).content.decode()
    assert "0% complete" in page and "Start the first lesson" in page
    client.post(reverse("progress:lesson_complete", args=[lessons[0].pk]), {})
    page = client.get(course.url).content.decode()
    assert "33% complete" in page
    assert f'href="{lessons[1].url}">Continue where you left off' in page


def test_completing_a_locked_lesson_by_post_is_refused(client, learner, lessons):
    client.force_login(learner)
    response = client.post(reverse("progress:lesson_complete", args=[lessons[2].pk]), {}, follow=True)
    assert "locked" in response.content.decode()
    assert not LessonCompletion.objects.exists()


def test_unknown_or_unpublished_lesson_is_a_404(client, learner, make_course):
    course = make_course(publish_lessons=False)
    draft = course.get_children().first()
    client.force_login(learner)
    assert client.post(reverse("progress:lesson_complete", args=[draft.pk]), {}).status_code == 404
    assert client.post(reverse("progress:lesson_complete", args=[999999]), {}).status_code == 404
    assert client.get(course.url + "bai-1/").status_code == 404


def test_completion_needs_sign_in_and_post(client, lessons):
    url = reverse("progress:lesson_complete", args=[lessons[0].pk])
    assert client.post(url, {}).status_code == 302
    assert client.get(url).status_code in (302, 405)
    assert not LessonCompletion.objects.exists()


def test_my_learning_lists_courses_with_progress(client, learner, make_course, django_assert_max_num_queries):
    from learning.progress.services import enrolment_ensure

    for _i in range(4):
        enrolment_ensure(user=learner, course=make_course())
    client.force_login(learner)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("progress:my_learning")).content.decode()
    assert page.count("0% complete") == 4


def test_lesson_page_weight_is_under_60_kb(client, learner, lessons, settings):
    """HTML + CSS + JS of a lesson page (images and video excluded) under 60 KB."""
    from django.contrib.staticfiles import finders

    client.force_login(learner)
    html = client.get(lessons[0].url).content
    assets = re.findall(rb'(?:href|src)="/static/([^"]+\.(?:css|js))"', html)
    total = len(html) + sum(Path(finders.find(a.decode())).stat().st_size for a in assets)
    assert assets, "the page should link its stylesheet"
    assert total < 60 * 1024, total


def test_pages_use_only_local_assets(client, lessons):
    html = client.get(lessons[0].url).content.decode()
    assert not re.search(r'(?:src|href)="(?:https?:)?//', html)


def test_every_page_title_names_the_site_once(client, lessons):
    """The home page is titled like the site; its tab said "Bình dân học vụ số · Bình dân học vụ số"."""
    import re

    for url in ("/", lessons[0].get_url()):
        title = re.search(r"<title>(.*?)</title>", client.get(url, HTTP_ACCEPT_LANGUAGE="vi").content.decode()).group(1)
        assert title.count("Bình dân học vụ số") == 1, title
    home = client.get("/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert re.search(r"<title>(.*?)</title>", home).group(1) == "Học kỹ năng số · Bình dân học vụ số"
