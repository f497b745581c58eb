"""The editor role can do an editor's job in the admin — courses, lessons, the question bank — and nothing
organiser-only."""

import io

import pytest
from django.core.management import call_command

from courses.models import CoursePage, LessonPage, QuestionCategory
from courses.question_bank import category_ensure

pytestmark = pytest.mark.django_db

GIFT = "::Mật khẩu::Mật khẩu mạnh có ít nhất mấy ký tự? {=12 ~4 ~6}\n"


@pytest.fixture
def editor(make_user, catalogue, client):
    user = make_user(phone="0912000201")
    call_command("grant_role", "0912000201", "editor", stdout=io.StringIO())
    client.force_login(user)
    return user


def test_editor_reaches_the_question_bank_and_imports_questions(client, editor):
    bank = category_ensure("Kỹ năng số/An toàn")
    assert client.get("/admin/snippets/courses/question/").status_code == 200
    assert client.get("/admin/snippets/courses/question/add/").status_code == 200
    assert client.get("/admin/snippets/courses/questioncategory/add/").status_code == 200
    assert client.get(f"/admin/question-bank/categories/{bank.pk}/export.gift").status_code == 200
    assert client.get("/admin/question-bank/import/").status_code == 200
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        "/admin/question-bank/import/",
        {"file": SimpleUploadedFile("a.gift", GIFT.encode()), "category": "Kỹ năng số/An toàn"},
    )
    assert response.status_code in (200, 302), response.content[:500]
    assert QuestionCategory.objects.filter(pk=bank.pk).exists()


def test_editor_writes_lessons_in_the_catalogue(client, editor, course):
    assert client.get(f"/admin/pages/{course.pk}/").status_code == 200
    assert client.get(f"/admin/pages/add/courses/lessonpage/{course.pk}/").status_code == 200
    assert client.get(f"/admin/pages/{course.pk}/edit/").status_code == 200


def test_editor_sees_nothing_organiser_only(client, editor):
    assert client.get("/organiser/stats/").status_code == 403
    assert client.get("/organiser/certificates/").status_code == 403
    assert client.get("/api/v1/stats/provinces/22/").status_code in (401, 403)
    assert client.get("/admin/users/").status_code in (302, 403)


def test_the_admin_lists_lessons_in_course_order(client, editor, course):
    lessons = list(LessonPage.objects.child_of(course).order_by("path"))
    lessons[0].save_revision().publish()  # the first lesson edited last: newest first would list it first
    body = client.get(f"/admin/pages/{course.pk}/").content.decode()
    positions = [body.index(lesson.title) for lesson in lessons]
    assert positions == sorted(positions)
    assert CoursePage.objects.get(pk=course.pk).get_admin_default_ordering() == "ord"
