"""Importing question files from the admin (upload → preview → confirm), and the conformance corpus."""

from dataclasses import replace
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from courses.models import Question, QuestionCategory, QuestionImport
from courses.question_bank import category_export_gift, question_to_parsed, questions_import
from courses.quizformats import QuizFormatError, parse_gift, parse_moodle_xml

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/question-bank/import/"
ROOT = "Kỹ năng số/Lừa đảo trực tuyến"
CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "quiz-formats"  # kept in the repository
# Documented negative files of the corpus (README): refused as a whole.
NEGATIVE = {"questions_encoding_windows-1252.gift.txt", "broken_cloze_questions.xml", "error_invalid_grades.xml"}

SAMPLE_GIFT = """// Bộ câu hỏi thử: lừa đảo trực tuyến

::Mã OTP::Có nên đọc mã OTP cho người gọi điện tự xưng là ngân hàng? {F#Sai rồi.#Đúng: không bao giờ đọc OTP.}

$CATEGORY: $course$/top/Tin nhắn

::Tin nhắn trúng thưởng::Tin nhắn báo trúng thưởng, yêu cầu chuyển phí trước là gì? {
  =Lừa đảo #Đúng.
  ~Khuyến mãi thật #Sai.
}

::Cảm nghĩ::Viết cảm nghĩ của bạn về an toàn trên mạng. {}

$CATEGORY: $course$/top/Tin nhắn/Cuộc gọi

::Số khẩn cấp::Số điện thoại khẩn cấp của công an là số mấy? {#113}
""".encode()

MALFORMED_GIFT = "::Một::Câu một {T}\n\n// chú thích\n::Hai::Câu hai? {\n=Đúng\n~Sai\n~%150%Quá nhiều\n}\n".encode()

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE quiz [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<quiz><question type="truefalse"><name><text>&lol9;</text></name>
<questiontext format="html"><text>&lol9;</text></questiontext>
<answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer>
</question></quiz>
"""


@pytest.fixture
def editor(client, django_user_model):
    admin = django_user_model.objects.create_superuser("0900000009", "Mat-khau-2025!", full_name="Biên tập")
    client.force_login(admin)
    return admin


def upload(client, content: bytes, name: str = "lua-dao.gift", category: str = ROOT, fmt: str = ""):
    return client.post(
        IMPORT_URL,
        {
            "file": SimpleUploadedFile(name, content, content_type="application/octet-stream"),
            "category": category,
            "format": fmt,
        },
    )


def confirm(client, record: QuestionImport):
    return client.post(f"{IMPORT_URL}{record.pk}/", follow=True)


def test_upload_preview_confirm(client, editor):
    response = upload(client, SAMPLE_GIFT)
    record = QuestionImport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{IMPORT_URL}{record.pk}/"
    assert record.status == "preview" and record.format == "gift" and record.category.path == ROOT
    assert bytes(record.content) == SAMPLE_GIFT
    assert not Question.objects.exists()  # nothing imported before the confirmation

    page = client.get(f"{IMPORT_URL}{record.pk}/").content.decode()
    for name in ("Mã OTP", "Tin nhắn trúng thưởng", "Số khẩn cấp"):
        assert name in page
    assert f"{ROOT}/Tin nhắn/Cuộc gọi" in page  # each question's target category
    assert "True / false" in page and "Numerical" in page  # types
    # The essay is listed as skipped, with its name, position, line, type and reason.
    skipped = page[page.index('id="skipped-questions"') :]
    assert "Cảm nghĩ" in skipped and "essay" in skipped and "<td>12</td>" in skipped and "<td>3</td>" in skipped
    assert "essay questions are not supported" in skipped
    assert "Confirm import" in page

    page = confirm(client, record).content.decode()
    assert "3 questions created" in page
    record.refresh_from_db()
    assert record.status == "imported" and record.report["created"] == 3 and record.report["unchanged"] == 0
    assert set(Question.objects.values_list("name", "category__path")) == {
        ("Mã OTP", ROOT),
        ("Tin nhắn trúng thưởng", f"{ROOT}/Tin nhắn"),
        ("Số khẩn cấp", f"{ROOT}/Tin nhắn/Cuộc gọi"),
    }
    assert not Question.objects.filter(name="Cảm nghĩ").exists()
    assert QuestionCategory.objects.get(path=f"{ROOT}/Tin nhắn/Cuộc gọi").parent.path == f"{ROOT}/Tin nhắn"


def test_second_confirm_changes_nothing_and_same_file_again_is_unchanged(client, editor):
    upload(client, SAMPLE_GIFT)
    record = QuestionImport.objects.get()
    confirm(client, record)
    page = confirm(client, record).content.decode()
    assert "already handled" in page
    assert Question.objects.count() == 3
    record.refresh_from_db()
    assert record.report["created"] == 3

    upload(client, SAMPLE_GIFT, name="lai-lan-nua.txt")
    again = QuestionImport.objects.exclude(pk=record.pk).get()
    assert again.format == "gift"
    page = confirm(client, again).content.decode()
    again.refresh_from_db()
    assert (again.report["created"], again.report["unchanged"]) == (0, 3)
    assert "0 questions created" in page and "3 unchanged" in page
    assert Question.objects.count() == 3


def test_malformed_gift_is_refused_with_its_line_and_nothing_is_stored(client, editor):
    response = upload(client, MALFORMED_GIFT, name="hong.gift")
    assert response.status_code == 200
    page = response.content.decode()
    assert "refused at line 7" in page and "the answer weight 150% is outside the range -100% to 100%" in page
    assert "hong.gift" in page
    assert not QuestionImport.objects.exists() and not Question.objects.exists()
    assert not QuestionCategory.objects.exists()


def test_windows_1252_gift_is_refused_with_its_line(client, editor):
    response = upload(client, "::Ö::Câu hỏi {T}".encode() + b"\n\n::B::Gr\xf6\xdfe {T}\n", name="cp1252.gift")
    page = response.content.decode()
    assert "refused at line 3" in page and "not UTF-8" in page
    assert not QuestionImport.objects.exists()


@override_settings(QUESTION_IMPORT_MAX_BYTES=100)
def test_file_over_the_limit_is_refused_naming_the_limit(client, editor):
    response = upload(client, SAMPLE_GIFT)
    page = response.content.decode()
    assert response.status_code == 200
    assert "The file is too large: the limit is 100\xa0bytes (100 bytes)." in page
    assert not QuestionImport.objects.exists()


def test_real_eleven_megabyte_upload_is_refused(client, editor):
    big = b"// padding\n" * (11 * 1024 * 1024 // 11 + 1)
    assert len(big) > 11 * 1024 * 1024
    response = upload(client, big, name="qua-lon.gift")
    page = response.content.decode()
    assert "The file is too large" in page and "10485760 bytes" in page
    assert not QuestionImport.objects.exists() and not Question.objects.exists()


def test_file_of_exactly_the_limit_is_read(client, editor):
    with override_settings(QUESTION_IMPORT_MAX_BYTES=len(SAMPLE_GIFT)):
        upload(client, SAMPLE_GIFT)
    assert QuestionImport.objects.count() == 1


def test_billion_laughs_is_refused(client, editor):
    response = upload(client, BILLION_LAUGHS, name="laughs.xml")
    page = response.content.decode()
    assert response.status_code == 200 and "laughs.xml" in page and "was refused" in page
    assert not QuestionImport.objects.exists() and not Question.objects.exists()


def test_unknown_extension_asks_for_the_format(client, editor):
    response = upload(client, SAMPLE_GIFT, name="cau-hoi.docx")
    assert "Cannot tell the format from the file name" in response.content.decode()
    assert not QuestionImport.objects.exists()
    upload(client, SAMPLE_GIFT, name="cau-hoi.docx", fmt="gift")
    assert QuestionImport.objects.get().format == "gift"


def test_chosen_format_wins_over_the_extension(client, editor):
    response = upload(client, SAMPLE_GIFT, name="cau-hoi.xml", fmt="gift")
    assert response.status_code == 302
    response = upload(client, SAMPLE_GIFT, name="cau-hoi.gift", fmt="moodle_xml")
    assert "refused at line 1" in response.content.decode()


@pytest.mark.parametrize("category", ["", " / / ", "A/" + "x" * 201])
def test_bad_category_path_is_refused(client, editor, category):
    response = upload(client, SAMPLE_GIFT, category=category)
    assert response.status_code == 200
    assert not QuestionImport.objects.exists()


def test_moodle_xml_upload(client, editor):
    xml = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category"><category><text>$course$/top/Mật khẩu</text></category></question>
  <question type="truefalse">
    <name><text>Mật khẩu mạnh</text></name>
    <questiontext format="html"><text><![CDATA[<p>"123456" là mật khẩu mạnh?</p>]]></text></questiontext>
    <answer fraction="0"><text>true</text></answer>
    <answer fraction="100"><text>false</text></answer>
  </question>
  <question type="essay">
    <name><text>Tự luận</text></name>
    <questiontext format="html"><text>Hãy giải thích.</text></questiontext>
  </question>
</quiz>""".encode()
    upload(client, xml, name="mat-khau.xml")
    record = QuestionImport.objects.get()
    page = client.get(f"{IMPORT_URL}{record.pk}/").content.decode()
    assert "Mật khẩu mạnh" in page and "Tự luận" in page and "essay" in page
    confirm(client, record)
    question = Question.objects.get()
    assert question.category.path == f"{ROOT}/Mật khẩu" and question.correct_answer is False


# --- the conformance corpus through questions_import -----------------------------------------


def corpus_files() -> list[Path]:
    return sorted([*CORPUS.glob("gift/*.gift"), *CORPUS.glob("gift/*.gift.txt"), *CORPUS.glob("moodle-xml/*.xml")])


def parse_file(path: Path):
    return (parse_moodle_xml if path.suffix == ".xml" else parse_gift)(path.read_bytes())


def test_corpus_is_present():
    names = {p.name for p in corpus_files()}
    assert names >= NEGATIVE
    assert len(names) >= 60


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_corpus_file_imports_once(path):
    if path.name in NEGATIVE:
        with pytest.raises(QuizFormatError):
            parse_file(path)
        return
    result = parse_file(path)
    first = questions_import(result, category_path=f"Corpus/{path.stem}")
    assert first.created + first.unchanged == len(result.questions)
    assert Question.objects.count() == first.created
    second = questions_import(parse_file(path), category_path=f"Corpus/{path.stem}")
    assert (second.created, second.unchanged) == (0, len(result.questions))
    assert Question.objects.count() == first.created


@pytest.mark.parametrize("path", [p for p in corpus_files() if p.name not in NEGATIVE], ids=lambda p: p.name)
def test_corpus_file_exports_and_reimports_unchanged(path):
    """Export each category to GIFT: it parses back to the same questions and re-imports as unchanged."""
    questions_import(parse_file(path), category_path="Corpus")
    for category in QuestionCategory.objects.filter(questions__isnull=False).distinct():
        stored = list(Question.objects.filter(category=category).order_by("pk"))
        exported = parse_gift(category_export_gift(category))
        assert [replace(q, line=0, category=None) for q in exported.questions] == [
            replace(question_to_parsed(q), line=0, category=None) for q in stored
        ]
        again = questions_import(exported, category_path=category.path)
        assert (again.created, again.unchanged) == (0, len(stored))


def test_confirm_refuses_stored_content_that_no_longer_parses(client, editor):
    """A stored upload that the parser now refuses is marked refused, with its line; nothing is imported."""
    upload(client, SAMPLE_GIFT)
    record = QuestionImport.objects.get()
    QuestionImport.objects.filter(pk=record.pk).update(content=MALFORMED_GIFT)
    page = confirm(client, record).content.decode()
    record.refresh_from_db()
    assert record.status == "failed" and record.report["error"]["line"] == 7
    assert "refused at line 7" in page and "Nothing was stored." in page and "Confirm import" not in page
    assert not Question.objects.exists()


def test_imported_answers_keep_the_file_order():
    """Choices, numeric answers and pairs are numbered as in the file, so every database reads them back alike."""
    text = (
        "::A::Pick {=one ~two ~three}\n\n"
        "::N::How many? {#=3:0 =%50%4:0 =%25%5:0}\n\n"
        "::M::Match {=a -> 1 =b -> 2 =c -> 3}\n"
    )
    questions_import(parse_gift(text.encode()), category_path="Order")
    by_name = {q.name: q for q in Question.objects.all()}
    assert [(c.sort_order, c.text) for c in by_name["A"].choices.all()] == [(0, "one"), (1, "two"), (2, "three")]
    assert [n.sort_order for n in by_name["N"].numeric_answers.all()] == [0, 1, 2]
    assert [(p.sort_order, p.answer) for p in by_name["M"].pairs.all()] == [(0, "1"), (1, "2"), (2, "3")]


def test_embedded_image_becomes_the_question_image():
    """A Moodle XML question with an embedded picture shows it (as the question's image), once."""
    data = (Path(__file__).parent / "quizformats" / "files" / "sample.xml").read_bytes()
    questions_import(parse_moodle_xml(data), category_path="Ảnh")
    lock = Question.objects.get(name="Biểu tượng khóa")
    assert lock.image is not None and lock.image.file.name.endswith(".png")
    assert lock.image.width > 0 and "@@PLUGINFILE@@/khoa.png" in lock.text  # kept as in the file, for export
    from courses.rendering import to_html

    assert "@@PLUGINFILE@@" not in to_html(lock.text, lock.text_format)  # never shown as a broken picture
    images = lock.image.__class__.objects.count()
    again = questions_import(parse_moodle_xml(data), category_path="Ảnh")
    assert again.created == 0 and lock.image.__class__.objects.count() == images  # nothing twice
