"""The question bank in the Wagtail admin: snippets, GIFT export, permissions, editing questions."""

import re
from dataclasses import replace

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from courses.models import Question, QuestionCategory, QuestionImport
from courses.question_bank import question_to_parsed, questions_import
from courses.quizformats import parse_gift

pytestmark = pytest.mark.django_db

ROOT = "Kỹ năng số/Lừa đảo trực tuyến"
QUESTIONS_URL = "/admin/snippets/courses/question/"
CATEGORIES_URL = "/admin/snippets/courses/questioncategory/"

GIFT = """
::OTP::Có nên đọc mã OTP cho người gọi điện tự xưng là ngân hàng? {F#Sai rồi.#Đúng.}

::Đường link lạ::Tin nhắn có đường link lạ báo khóa tài khoản: bạn làm gì? {
  =Không bấm, gọi tổng đài chính thức #Đúng.
  ~Bấm vào để mở khóa #Sai: đó là lừa đảo.
  ~Trả lời tin nhắn
}####Ngân hàng không gửi đường link yêu cầu đăng nhập.

::Chọn nhiều::Dấu hiệu lừa đảo? {
  ~%50%Yêu cầu chuyển tiền gấp
  ~%50%Hứa trúng thưởng lớn
  ~%-100%Gọi từ số tổng đài in trên thẻ
}

::Số khẩn cấp::Số điện thoại của công an? {#113}

::Ghép đôi::Ghép việc với ứng dụng. {
  =VNeID -> Định danh
  =Ngân hàng số -> Chuyển tiền
  = -> Nhắn tin
}

::Trả lời ngắn::Mạng xã hội phổ biến nhất Việt Nam? {=Facebook =Zalo}

::Mô tả::Phần sau nói về cuộc gọi giả mạo.
"""


@pytest.fixture
def editor(client, django_user_model):
    admin = django_user_model.objects.create_superuser("0900000009", "Mat-khau-2025!", full_name="Biên tập")
    client.force_login(admin)
    return admin


@pytest.fixture
def bank(db):
    questions_import(parse_gift(GIFT), category_path=ROOT)
    return QuestionCategory.objects.get(path=ROOT)


def staff(make_user, *codenames):
    user = make_user()
    user.user_permissions.add(*Permission.objects.filter(codename__in=["access_admin", *codenames]))
    return user


# --- snippets -----------------------------------------------------------------------------------


def test_question_bank_menu(client, editor):
    page = client.get("/admin/").content.decode()
    assert "Question bank" in page and "Import questions" in page and "Quiz statistics" in page


def test_question_listing_columns_filters_and_search(client, editor, bank):
    other = QuestionCategory.objects.create(name="Khác")
    questions_import(parse_gift("::Khác::Câu hỏi khác {T}"), category_path=other.path)
    page = client.get(QUESTIONS_URL).content.decode()
    for text in ("Đường link lạ", "Single choice", ROOT, "Medium", "Difficulty", "Competence", "Category", "Type"):
        assert text in page
    page = client.get(QUESTIONS_URL, {"category": bank.pk}).content.decode()
    assert "Đường link lạ" in page and "Câu hỏi khác" not in page and ">Khác<" not in page.split("<tbody")[-1]
    page = client.get(QUESTIONS_URL, {"type": "numerical"}).content.decode()
    assert "Số khẩn cấp" in page and "Đường link lạ" not in page
    page = client.get(QUESTIONS_URL, {"difficulty": "hard"}).content.decode()
    assert "Số khẩn cấp" not in page
    page = client.get(QUESTIONS_URL, {"q": "khóa tài khoản"}).content.decode()  # in the text only
    assert "Đường link lạ" in page and "Số khẩn cấp" not in page
    page = client.get(QUESTIONS_URL, {"q": "Ghép"}).content.decode()  # in the name
    assert "Ghép đôi" in page and "Đường link lạ" not in page


def test_category_listing_shows_path_count_and_export(client, editor, bank):
    QuestionCategory.objects.create(name="Trống", parent=bank)
    page = client.get(CATEGORIES_URL).content.decode()
    body = page.split("<tbody")[-1]
    assert ROOT in body and f"{ROOT}/Trống" in body
    cells = [re.sub(r"\s+", "", cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", body, re.S)]
    assert [cell for cell in cells if cell.isdigit()] == ["0", "7", "0"]  # Kỹ năng số, ROOT, ROOT/Trống
    assert body.index(f">{ROOT}<") < body.index(f">{ROOT}/Trống<")
    assert f"/admin/question-bank/categories/{bank.pk}/export.gift" in body
    assert "Export as GIFT" in body


def test_question_edit_view_opens(client, editor, bank):
    question = Question.objects.get(name="Ghép đôi")
    assert client.get(f"{QUESTIONS_URL}edit/{question.pk}/").status_code == 200
    assert client.get(f"{CATEGORIES_URL}edit/{bank.pk}/").status_code == 200


def test_duplicate_category_path_is_refused_not_a_crash(client, editor, bank):
    response = client.post(
        f"{CATEGORIES_URL}add/", {"name": "Lừa đảo trực tuyến", "parent": bank.parent_id, "description": ""}
    )
    assert response.status_code == 200
    assert f"There is already a category “{ROOT}”." in response.content.decode()
    response = client.post(f"{CATEGORIES_URL}add/", {"name": "Mới", "parent": bank.pk, "description": ""})
    assert response.status_code == 302
    assert QuestionCategory.objects.get(path=f"{ROOT}/Mới").parent == bank


def question_post(category, name, text, choices):
    data = {
        "category": category.pk,
        "type": "single_choice",
        "name": name,
        "competence": "",
        "difficulty": "medium",
        "text": text,
        "text_format": "html",
        "image": "",
        "shuffle": "on",
        "correct_answer": "unknown",
        "feedback_true": "",
        "feedback_false": "",
        "general_feedback": "",
        "idnumber": "",
        "choices-TOTAL_FORMS": str(len(choices)),
        "choices-INITIAL_FORMS": "0",
        "choices-MIN_NUM_FORMS": "0",
        "choices-MAX_NUM_FORMS": "1000",
    }
    for prefix in ("numeric_answers", "pairs"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0", f"{prefix}-MIN_NUM_FORMS": "0"})
        data[f"{prefix}-MAX_NUM_FORMS"] = "1000"
    for i, (choice, fraction) in enumerate(choices):
        data.update({f"choices-{i}-text": choice, f"choices-{i}-fraction": fraction, f"choices-{i}-feedback": ""})
        data.update({f"choices-{i}-ORDER": str(i + 1), f"choices-{i}-id": "", f"choices-{i}-DELETE": ""})
    return data


def test_questions_made_in_the_admin_get_a_fingerprint(client, editor, bank):
    empty = QuestionCategory.objects.create(name="Mới", parent=bank)
    choices = [("<p>Có</p>", "1"), ("<p>Không</p>", "0")]
    assert (
        client.post(f"{QUESTIONS_URL}add/", question_post(empty, "Một", "<p>Câu một?</p>", choices)).status_code == 302
    )
    assert (
        client.post(f"{QUESTIONS_URL}add/", question_post(empty, "Hai", "<p>Câu hai?</p>", choices)).status_code == 302
    )
    one, two = Question.objects.filter(category=empty).order_by("pk")
    assert one.fingerprint and two.fingerprint and one.fingerprint != two.fingerprint
    assert [c.text for c in one.choices.all()] == ["<p>Có</p>", "<p>Không</p>"]
    # The same content again in the same category is refused with a message, not a crash.
    response = client.post(f"{QUESTIONS_URL}add/", question_post(empty, "Một", "<p>Câu một?</p>", choices))
    assert response.status_code == 200
    assert "The question “Một” in this category already has exactly this content." in response.content.decode()
    # What the admin stored exports and re-imports as unchanged.
    text = client.get(f"/admin/question-bank/categories/{empty.pk}/export.gift").content.decode()
    report = questions_import(parse_gift(text), category_path=empty.path)
    assert (report.created, report.unchanged) == (0, 2)


# --- export -----------------------------------------------------------------------------------


def test_export_download_parses_back_to_the_same_questions(client, editor, bank):
    response = client.get(f"/admin/question-bank/categories/{bank.pk}/export.gift")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="ky-nang-so_lua-dao-truc-tuyen.gift"'
    exported = parse_gift(response.content)
    stored = Question.objects.filter(category=bank).order_by("pk")
    assert len(exported.questions) == 7
    assert [replace(q, line=0, category=None) for q in exported.questions] == [
        replace(question_to_parsed(q), line=0, category=None) for q in stored
    ]


def test_export_then_import_into_the_same_category_is_unchanged(client, editor, bank):
    content = client.get(f"/admin/question-bank/categories/{bank.pk}/export.gift").content
    client.post(
        "/admin/question-bank/import/",
        {"file": SimpleUploadedFile("export.gift", content), "category": ROOT, "format": ""},
    )
    record = QuestionImport.objects.get()
    page = client.post(f"/admin/question-bank/import/{record.pk}/", follow=True).content.decode()
    record.refresh_from_db()
    assert (record.report["created"], record.report["unchanged"]) == (0, 7)
    assert "0 questions created" in page and "7 unchanged" in page
    assert Question.objects.count() == 7


def test_export_of_an_unknown_category_is_404(client, editor):
    assert client.get("/admin/question-bank/categories/999999/export.gift").status_code == 404


# --- permissions --------------------------------------------------------------------------------


def test_editor_without_question_permission_gets_403(client, make_user, bank):
    client.force_login(staff(make_user))
    assert client.get("/admin/question-bank/import/").status_code == 403
    response = client.post(
        "/admin/question-bank/import/", {"file": SimpleUploadedFile("a.gift", GIFT.encode()), "category": ROOT}
    )
    assert response.status_code == 403
    assert client.get(f"/admin/question-bank/categories/{bank.pk}/export.gift").status_code == 403
    assert client.get("/admin/question-bank/quizzes/").status_code == 403
    assert not QuestionImport.objects.exists()


def test_viewer_can_export_but_not_import(client, make_user, bank):
    client.force_login(staff(make_user, "view_question"))
    assert client.get(f"/admin/question-bank/categories/{bank.pk}/export.gift").status_code == 200
    assert client.get("/admin/question-bank/import/").status_code == 403


def test_preview_and_confirm_need_the_add_permission(client, make_user, editor, bank):
    client.post("/admin/question-bank/import/", {"file": SimpleUploadedFile("a.gift", GIFT.encode()), "category": "X"})
    record = QuestionImport.objects.get()
    client.force_login(staff(make_user, "view_question", "change_question"))
    assert client.get(f"/admin/question-bank/import/{record.pk}/").status_code == 403
    assert client.post(f"/admin/question-bank/import/{record.pk}/").status_code == 403
    record.refresh_from_db()
    assert record.status == "preview"


def test_user_with_add_question_permission_can_import(client, make_user):
    client.force_login(staff(make_user, "add_question"))
    assert client.get("/admin/question-bank/import/").status_code == 200
    response = client.post(
        "/admin/question-bank/import/", {"file": SimpleUploadedFile("a.gift", GIFT.encode()), "category": ROOT}
    )
    record = QuestionImport.objects.get()
    assert response.status_code == 302
    client.post(f"/admin/question-bank/import/{record.pk}/")
    assert Question.objects.count() == 7


def test_learners_are_sent_to_the_login(client, learner):
    client.force_login(learner)
    response = client.get("/admin/question-bank/import/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.logout()
    assert client.get("/admin/question-bank/quizzes/").status_code == 302
