"""Moodle XML: the corpus files as its README describes them, our own samples and hostile XML."""

from __future__ import annotations

import re
import struct
import time
import zlib
from decimal import Decimal
from pathlib import Path

import pytest

from courses.quizformats import (
    MOODLE_GRADES,
    NumericAnswer,
    ParseResult,
    QuizFormatError,
    Text,
    parse_moodle_xml,
)

from .conftest import FILES


def parse(corpus: Path, name: str) -> ParseResult:
    return parse_moodle_xml((corpus / "moodle-xml" / name).read_bytes())


def refused(data: bytes | str, **kwargs) -> QuizFormatError:
    with pytest.raises(QuizFormatError) as error:
        parse_moodle_xml(data, **kwargs)
    return error.value


def png_is_valid(data: bytes) -> bool:
    """Signature and CRC of every chunk, as the corpus README promises."""
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        return False
    pos = 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        chunk = data[pos + 4 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])
        if zlib.crc32(chunk) & 0xFFFFFFFF != crc:
            return False
        pos += 12 + length
        if chunk[:4] == b"IEND":
            return pos == len(data)
    return False


def jpeg_is_valid(data: bytes) -> bool:
    return data.startswith(b"\xff\xd8") and data.rstrip(b"\x00").endswith(b"\xff\xd9")


# -- corpus ---------------------------------------------------------------------------------


def test_broken_cloze_file_is_refused(corpus: Path) -> None:
    error = refused((corpus / "moodle-xml" / "broken_cloze_questions.xml").read_bytes())
    assert error.line == 4
    assert error.reason.startswith('question 1 "Multianswer question without subquestions": ')
    assert "invalid embedded answers (Cloze) question" in error.reason
    assert "at least one embedded answer" in error.reason


BROKEN_CLOZE = [
    ("Multianswer question without subquestions", "must include at least one embedded answer"),
    ("Multichoice subquestion without choices", "requires at least 2 choices"),
    ("Multichoice subquestion with only one choice", "requires at least 2 choices"),
    ("Multichoice subquestion with no completely correct answer", "should have a score of 100%"),
    ("Numerical subquestion with buggy answer", "must be a number"),
]


@pytest.mark.parametrize(("name", "reason"), BROKEN_CLOZE)
def test_each_broken_cloze_question_is_refused_with_moodles_reason(corpus: Path, name: str, reason: str) -> None:
    text = (corpus / "moodle-xml" / "broken_cloze_questions.xml").read_text(encoding="utf-8")
    questions = re.findall(r"<question type=\"cloze\">.*?</question>", text, re.S)
    (question,) = [q for q in questions if f"<text>{name}</text>" in q]
    error = refused(f"<quiz>\n{question}\n</quiz>")
    assert f'question 1 "{name}": invalid embedded answers (Cloze) question' in error.reason
    assert reason in error.reason


def test_categories_in_reverse_order(corpus: Path) -> None:
    result = parse(corpus, "categories_reverse_order.xml")
    assert result.categories == ["Sigma", "Sigma/Tau"]
    (essay,) = result.skipped
    assert (essay.qtype, essay.name, essay.category, essay.position) == ("essay", "Tau Question", "Sigma/Tau", 1)
    (question,) = result.questions
    assert (question.type, question.name, question.category) == ("short_answer", "Sigma Question", "Sigma")
    assert question.text == Text("Testing Sigma Question", "moodle")
    assert question.case_sensitive is False
    assert [(c.text.text, c.fraction) for c in question.choices] == [
        ("yes", Decimal(1)),
        ("no", Decimal(0)),
        ("may be", Decimal(0)),
    ]
    assert all(c.feedback is None for c in question.choices)


@pytest.mark.parametrize("name", ["category_with_description.xml", "deprecated_category.xml", "export_category.xml"])
def test_alpha_category_with_one_true_false(corpus: Path, name: str) -> None:
    result = parse(corpus, name)
    assert result.categories == ["Alpha"]
    assert result.skipped == []
    (question,) = result.questions
    assert question.type == "true_false"
    assert (question.name, question.category, question.line) == ("Alpha Question", "Alpha", 1)
    assert question.text == Text("<p>Testing Alpha Question</p>", "html")
    assert question.correct_answer is True
    assert (question.feedback_true, question.feedback_false, question.general_feedback) == (None, None, None)
    assert question.idnumber is None


def test_invalid_grade_is_refused_with_question_name(corpus: Path) -> None:
    error = refused((corpus / "moodle-xml" / "error_invalid_grades.xml").read_bytes())
    assert error.line == 4
    assert 'question 1 "Question with <strong>invalid grades</strong> : x > 1 & x < 2"' in error.reason
    assert "invalid grade 33% for answer 2" in error.reason


def test_html_characters_in_idnumbers(corpus: Path) -> None:
    result = parse(corpus, "html_chars_in_idnumbers.xml")
    assert result.categories == ["Alpha"]
    assert result.questions[0].idnumber == "T & F"


def test_multianswer_is_skipped(corpus: Path) -> None:
    result = parse(corpus, "multianswer.xml")
    assert result.questions == []
    (cloze,) = result.skipped
    assert (cloze.qtype, cloze.name, cloze.position) == ("cloze", "cloze with images", 1)
    assert cloze.category == "Default for Test images in backup"
    assert "Cloze" in cloze.reason
    assert result.categories == ["Default for Test images in backup"]


def test_multichoice_with_embedded_media(corpus: Path) -> None:
    result = parse(corpus, "multichoice.xml")
    assert result.categories == ["Default for testhead", "Default for testhead/Multichoice"]
    (question,) = result.questions
    assert (question.type, question.name, question.category) == (
        "single_choice",
        "Greeting",
        "Default for testhead/Multichoice",
    )
    assert question.shuffle is True
    assert [c.fraction for c in question.choices] == [Decimal(0), Decimal(1), Decimal(0), Decimal(0)]
    assert [c.feedback.text for c in question.choices] == [
        "<p>Sorry, listen again.</p>",
        "<p>Yes, well done!</p>",
        "<p>Sorry, listen again.</p>",
        "<p>Sorry, listen again.</p>",
    ]
    assert sorted(question.files) == [
        "bonjour.mp3",
        "flag-denmark.jpg",
        "flag-france.jpg",
        "flag-german.jpg",
        "flag-uk.jpg",
    ]
    assert all(jpeg_is_valid(content) for name, content in question.files.items() if name.endswith(".jpg"))
    assert question.files["bonjour.mp3"][:3] == b"ID3" or question.files["bonjour.mp3"][0] == 0xFF
    assert "@@PLUGINFILE@@/bonjour.mp3" in question.text.text
    assert "@@PLUGINFILE@@/flag-france.jpg" in question.choices[1].text.text


def test_nested_categories(corpus: Path) -> None:
    result = parse(corpus, "nested_categories.xml")
    assert result.categories == ["Delta", "Delta/Epsilon", "Delta/Epsilon/Zeta"]
    (question,) = result.questions
    assert (question.name, question.category) == ("Zeta Question", "Delta/Epsilon/Zeta")


def test_nested_categories_with_questions(corpus: Path) -> None:
    result = parse(corpus, "nested_categories_with_questions.xml")
    assert result.categories == ["Iota", "Iota/Kappa", "Iota/Kappa/Lambda", "Iota/Mu"]
    assert [(q.name, q.category, q.line) for q in result.questions] == [
        ("Iota Question", "Iota", 1),
        ("Kappa Question", "Iota/Kappa", 3),
        ("Lambda Question", "Iota/Kappa/Lambda", 4),
        ("Mu Question", "Iota/Mu", 5),
    ]
    assert [(s.qtype, s.name, s.category, s.position) for s in result.skipped] == [
        ("essay", "Kappa Essay Question", "Iota/Kappa", 2)
    ]


def test_old_format_file(corpus: Path) -> None:
    result = parse(corpus, "old_format_file.xml")
    assert result.categories == ["Pi", "Pi/Rho"]
    assert [(q.type, q.name, q.category) for q in result.questions] == [
        ("true_false", "Pi Question", "Pi"),
        ("true_false", "Rho Question", "Pi/Rho"),
    ]


def test_legacy_image_tag(corpus: Path) -> None:
    result = parse(corpus, "sample_questions_with_old_image_tag.xml")
    assert [(s.qtype, s.name, s.position) for s in result.skipped] == [("cloze", "cloze question with image", 1)]
    (question,) = result.questions
    assert (question.type, question.name, question.line) == ("single_choice", "mcq with image", 2)
    # No format attribute: html, as Moodle assumes; the legacy image is appended like Moodle does.
    assert question.text == Text(
        "This is a multichoice question with an image in the old &quot;image&quot; field that was used "
        'in Moodle 1.9 <img src="@@PLUGINFILE@@/moodle.png" />',
        "html",
    )
    assert list(question.files) == ["moodle.png"]
    assert png_is_valid(question.files["moodle.png"])
    assert [(c.text, c.fraction, c.feedback) for c in question.choices] == [
        (Text("wrong answer", "html"), Decimal(0), None),
        (Text("another wrong answer", "html"), Decimal(0), None),
        (Text("right answer", "html"), Decimal(1), None),
    ]
    assert question.shuffle is True  # the first of the two <shuffleanswers> ("1"), as Moodle reads it


def test_truefalse_with_images(corpus: Path) -> None:
    result = parse(corpus, "truefalse.xml")
    false_q, true_q = result.questions
    assert (false_q.name, false_q.correct_answer) == ("Moodle acronym (False)", False)
    assert (true_q.name, true_q.correct_answer) == ("Moodle acronym (True)", True)

    def words(text: Text) -> str:  # the "(True)" question uses no-break spaces
        return text.text.replace("\xa0", " ")

    assert "Your answer is incorrect." in words(false_q.feedback_true)
    assert "Your answer is correct." in words(false_q.feedback_false)
    assert "Your answer is correct." in words(true_q.feedback_true)
    assert "Your answer is incorrect." in words(true_q.feedback_false)
    for question in (false_q, true_q):
        assert sorted(question.files) == ["infos.jpg", "logo.jpg", "thumbdown.jpg", "thumbup.jpg"]
        assert all(jpeg_is_valid(content) for content in question.files.values())
        assert question.general_feedback.format == "html"
        assert "@@PLUGINFILE@@/infos.jpg" in question.general_feedback.text


# -- our own sample -------------------------------------------------------------------------


def test_own_sample_with_every_type() -> None:
    result = parse_moodle_xml((FILES / "sample.xml").read_bytes())
    assert result.categories == ["Kỹ năng số", "Kỹ năng số/Dịch vụ công"]
    by_name = {q.name: q for q in result.questions}
    assert [q.type for q in result.questions] == [
        "single_choice",
        "multiple_choice",
        "true_false",
        "short_answer",
        "numerical",
        "matching",
        "description",
    ]
    assert [(s.qtype, s.name, s.position) for s in result.skipped] == [
        ("essay", "Bài luận", 8),
        ("cloze", "Điền khuyết", 9),
        ("calculated", "Câu tính toán", 10),
    ]

    lock = by_name["Biểu tượng khóa"]
    assert (lock.idnumber, lock.tags, lock.category) == ("MC-01", ["an-toàn", "trình-duyệt"], "Kỹ năng số")
    assert [c.fraction for c in lock.choices] == [Decimal(1), Decimal(0), Decimal("-0.5")]
    assert lock.choices[2].feedback is None
    # Two different files named khoa.png: the second is renamed and its reference rewritten.
    assert sorted(lock.files) == ["khoa-2.png", "khoa.png"]
    assert lock.files["khoa.png"] != lock.files["khoa-2.png"]
    assert all(png_is_valid(content) for content in lock.files.values())
    assert "@@PLUGINFILE@@/khoa.png" in lock.text.text
    assert "@@PLUGINFILE@@/khoa-2.png" in lock.general_feedback.text

    personal = by_name["Thông tin cá nhân"]
    assert personal.shuffle is False
    assert personal.text.format == "moodle"
    assert [(c.text.format, c.fraction) for c in personal.choices] == [
        ("plain", Decimal("0.5")),
        ("plain", Decimal("0.5")),
        ("plain", Decimal(-1)),
    ]

    residence = by_name["Đăng ký tạm trú"]
    assert residence.text == Text("Có thể đăng ký **tạm trú** trực tuyến.", "markdown")
    assert residence.correct_answer is True
    assert residence.feedback_true == Text("Đúng, qua Cổng dịch vụ công hoặc VNeID.", "html")
    assert residence.feedback_false == Text("Thủ tục này đã có trên mạng.", "html")

    app = by_name["Tên ứng dụng"]
    assert (app.case_sensitive, app.idnumber) == (True, "SA & 01")
    assert [(c.text.text, c.fraction) for c in app.choices] == [
        ("VNeID", Decimal(1)),
        ("vneid", Decimal("0.3333333")),
        ("*", Decimal(0)),
    ]

    emergency = by_name["Số điện thoại khẩn cấp"]
    assert emergency.numeric_answers == [
        NumericAnswer(value=Decimal(113), tolerance=Decimal(0), fraction=Decimal(1), feedback=Text("Đúng.", "html")),
        NumericAnswer(
            value=Decimal(114),
            tolerance=Decimal("0.5"),
            fraction=Decimal("0.5"),
            feedback=Text("Đó là số cứu hỏa.", "html"),
        ),
        NumericAnswer(value=None, fraction=Decimal(0), feedback=Text("Sai.", "html")),
    ]

    pairs = by_name["Ghép số khẩn cấp"]
    assert pairs.shuffle is False
    assert [(p.question.text, p.question.format, p.answer) for p in pairs.pairs] == [
        ("<b>113</b>", "html", "Công an"),
        ("114", "html", "Cứu hỏa"),
        ("115", "plain", "Cấp cứu"),
        ("", "html", "Tra cứu điểm thi"),
    ]
    assert by_name["Lưu ý"].text == Text("Các câu sau **không** tính điểm.", "markdown")


def test_grades_snap_to_moodles_list() -> None:
    def mc(fraction: str) -> str:
        return (
            '<quiz><question type="multichoice"><name><text>G</text></name>'
            "<questiontext><text>Q</text></questiontext><single>false</single>"
            f'<answer fraction="{fraction}"><text>a</text></answer>'
            '<answer fraction="100"><text>b</text></answer></question></quiz>'
        )

    assert parse_moodle_xml(mc("33.3333")).questions[0].choices[0].fraction == Decimal("0.3333333")
    assert parse_moodle_xml(mc("-14.28571")).questions[0].choices[0].fraction == Decimal("-0.1428571")
    assert refused(mc("33.3")).reason.startswith('question 1 "G": invalid grade 33.3% for answer 1')
    assert refused(mc("abc")).reason == "question 1 \"G\": the grade 'abc' of answer 1 is not a number"
    assert len(MOODLE_GRADES) == 41


def test_old_true_false_answers_are_read_in_order() -> None:
    xml = (
        '<quiz><question type="truefalse"><name><text>TF</text></name>'
        "<questiontext><text>Q</text></questiontext>"
        '<answer fraction="0"><text>Đúng</text><feedback><text>a</text></feedback></answer>'
        '<answer fraction="100"><text>Sai</text><feedback><text>b</text></feedback></answer>'
        "</question></quiz>"
    )
    question = parse_moodle_xml(xml).questions[0]
    assert question.correct_answer is False
    assert (question.feedback_true.text, question.feedback_false.text) == ("a", "b")


def test_invalid_question_is_refused_with_its_line() -> None:
    xml = (
        "<quiz>\n"
        '  <question type="truefalse"><name><text>TF</text></name><questiontext><text>Q</text></questiontext>'
        '<answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer>'
        "</question>\n"
        '  <question type="numerical">\n'
        "    <name><text>Năm</text></name><questiontext><text>Năm nào?</text></questiontext>\n"
        '    <answer fraction="100"><text>hai nghìn</text></answer>\n'
        "  </question>\n"
        "</quiz>\n"
    )
    error = refused(xml)
    assert (error.line, error.reason) == (3, "question 2 \"Năm\": the numerical answer 'hai nghìn' is not a number")


def test_multichoice_without_correct_answer_is_refused() -> None:
    xml = (
        '<quiz><question type="multichoice"><name><text>M</text></name><questiontext><text>Q</text></questiontext>'
        '<answer fraction="0"><text>a</text></answer><answer fraction="0"><text>b</text></answer>'
        "</question></quiz>"
    )
    assert refused(xml).reason == 'question 1 "M": the question has no correct answer'


def test_invalid_base64_is_refused() -> None:
    xml = (
        '<quiz><question type="description"><name><text>D</text></name>'
        '<questiontext format="html"><text>x</text><file name="a.png" encoding="base64">@@@</file>'
        "</questiontext></question></quiz>"
    )
    assert refused(xml).reason == "question 1 \"D\": the embedded file 'a.png' is not valid base64"


# -- hostile and broken XML -----------------------------------------------------------------


@pytest.mark.parametrize("name", ["billion_laughs.xml", "xxe_file.xml", "xxe_parameter_entity.xml", "external_dtd.xml"])
def test_dtd_entities_and_external_references_are_refused(name: str) -> None:
    started = time.monotonic()
    error = refused((FILES / name).read_bytes())
    assert time.monotonic() - started < 1
    assert error.line == 2
    assert "document type declaration" in error.reason
    assert "not allowed for security reasons" in error.reason


def test_entity_declared_outside_a_dtd_cannot_sneak_in() -> None:
    error = refused('<quiz><question type="description"><name><text>&xxe;</text></name></question></quiz>')
    assert "not well-formed XML" in error.reason
    assert "undefined entity" in error.reason


def test_not_well_formed_xml_is_refused_with_line() -> None:
    error = refused("<quiz>\n<question type='truefalse'>\n<name><text>x</name>\n</quiz>")
    assert error.line == 3
    assert error.reason.startswith("the file is not well-formed XML (mismatched tag")


def test_other_root_element_is_refused() -> None:
    assert "root element must be <quiz>" in refused("<questions/>").reason


def test_oversize_xml_is_refused_quickly() -> None:
    data = b"<quiz>" + b" " * (50 * 1024 * 1024) + b"</quiz>"
    started = time.monotonic()
    error = refused(data)
    assert time.monotonic() - started < 0.5
    assert error.reason == "the file is larger than the limit of 10485760 bytes"
    assert refused(b"<quiz>" + b" " * 100 + b"</quiz>", max_bytes=100).line is None


def test_too_many_questions_are_refused_before_reading_them() -> None:
    question = (
        '<question type="description"><name><text>D</text></name>'
        "<questiontext><text>x</text></questiontext></question>\n"
    )
    category = '<question type="category"><category><text>$course$/A</text></category></question>\n'
    xml = "<quiz>\n" + category + question * 3 + "</quiz>"
    assert len(parse_moodle_xml(xml, max_questions=3).questions) == 3
    error = refused(xml, max_questions=2)
    assert (error.line, error.reason) == (5, "the file has more than 2 questions")


def test_blank_answers_are_ignored_like_moodle() -> None:
    xml = (
        '<quiz><question type="multichoice"><name><text>M</text></name><questiontext><text>Q</text></questiontext>'
        '<answer fraction="100"><text>a</text></answer><answer fraction="0"><text>b</text></answer>'
        '<answer fraction="0"><text> </text></answer></question>'
        '<question type="shortanswer"><name><text>S</text></name><questiontext><text>Q</text></questiontext>'
        '<answer fraction="100"><text>a</text></answer><answer fraction="0"><text></text></answer></question>'
        '<question type="matching"><name><text>P</text></name><questiontext><text>Q</text></questiontext>'
        "<subquestion><text>1</text><answer><text>a</text></answer></subquestion>"
        "<subquestion><text>2</text><answer><text>b</text></answer></subquestion>"
        "<subquestion><text></text><answer><text></text></answer></subquestion></question></quiz>"
    )
    choice, short, matching = parse_moodle_xml(xml).questions
    assert [c.text.text for c in choice.choices] == ["a", "b"]
    assert [c.text.text for c in short.choices] == ["a"]
    assert [p.answer for p in matching.pairs] == ["a", "b"]
