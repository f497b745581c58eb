"""to_gift(): every parsed question re-imports to an equal question; the Vietnamese sample."""

from __future__ import annotations

import dataclasses
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest

from courses.quizformats import (
    Choice,
    GiftWriteError,
    MatchPair,
    NumericAnswer,
    ParsedQuestion,
    Text,
    parse_gift,
    parse_moodle_xml,
    to_gift,
)

from .conftest import FILES, corpus_files

NOT_UTF8 = {"questions_encoding_windows-1252.gift.txt", "windows-1252.gift"}
GIFT_FILES = [
    *(p for p in corpus_files("gift", "*.gift*") if p.name not in NOT_UTF8),
    *(p for p in sorted(FILES.glob("*.gift")) if p.name not in NOT_UTF8),
]


def without_line(questions: list[ParsedQuestion], *ignored: str) -> list[ParsedQuestion]:
    blank = {"line": 0, "files": {}, "shuffle": True, "case_sensitive": False}
    return [dataclasses.replace(q, **{k: blank[k] for k in ("line", *ignored)}) for q in questions]


@pytest.mark.parametrize("path", GIFT_FILES, ids=lambda p: p.name)
def test_round_trip(path: Path) -> None:
    original = parse_gift(path.read_bytes())
    written = to_gift(original.questions)
    again = parse_gift(written)
    assert without_line(again.questions) == without_line(original.questions)
    assert again.skipped == []
    assert set(again.categories) <= set(original.categories)


def test_round_trip_covers_the_corpus(corpus: Path) -> None:
    assert len([p for p in GIFT_FILES if p.is_relative_to(corpus)]) == 54


XML_FILES = [
    *(
        p
        for p in corpus_files("moodle-xml", "*.xml")
        if p.name not in ("broken_cloze_questions.xml", "error_invalid_grades.xml")
    ),
    FILES / "sample.xml",
]


@pytest.mark.parametrize("path", XML_FILES, ids=lambda p: p.name)
def test_moodle_xml_questions_convert_to_gift(path: Path) -> None:
    """GIFT cannot carry embedded files, shuffling or case sensitivity; everything else survives."""
    original = parse_moodle_xml(path.read_bytes())
    again = parse_gift(to_gift(original.questions))
    ignored = ("files", "shuffle", "case_sensitive")
    assert without_line(again.questions, *ignored) == without_line(original.questions, *ignored)


# -- the Vietnamese sample ------------------------------------------------------------------

VIETNAMESE = FILES / "vietnamese.gift"


def test_vietnamese_file_is_nfc_and_covers_every_type() -> None:
    source = VIETNAMESE.read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", source)
    result = parse_gift(VIETNAMESE.read_bytes())
    assert {q.type for q in result.questions} == {
        "description",
        "single_choice",
        "multiple_choice",
        "true_false",
        "short_answer",
        "numerical",
        "matching",
    }
    assert [(s.qtype, s.name, s.line, s.position) for s in result.skipped] == [("essay", "Cảm nhận", 51, 11)]
    assert result.categories == [
        "Kỹ năng số",
        "Kỹ năng số/An toàn thông tin",
        "Kỹ năng số/Dịch vụ công trực tuyến",
    ]


def test_vietnamese_values() -> None:
    result = parse_gift(VIETNAMESE.read_bytes())
    q = {question.name: question for question in result.questions}

    password = q["Mật khẩu mạnh"]
    assert (password.line, password.idnumber, password.tags) == (10, "ATTT-01", ["an-toàn", "mật-khẩu"])
    assert password.text == Text("Mật khẩu nào dưới đây **mạnh nhất**?", "markdown")
    assert password.type == "single_choice"
    assert password.choices[2] == Choice(
        Text("Tr@ng-Xanh_2025!", "markdown"),
        Decimal(1),
        Text("Đúng! Dài, có chữ hoa, chữ số và ký tự đặc biệt.", "markdown"),
    )
    assert password.general_feedback == Text("Mật khẩu mạnh nên dài ít nhất 12 ký tự.", "markdown")

    scam = q["Dấu hiệu lừa đảo"]
    assert scam.type == "multiple_choice"
    assert [(c.fraction, c.text.format) for c in scam.choices] == [
        (Decimal("0.5"), "html"),
        (Decimal("0.5"), "html"),
        (Decimal(-1), "html"),
        (Decimal("-0.3333333"), "plain"),
    ]
    assert scam.choices[0].feedback == Text("Đúng, đây là dấu hiệu phổ biến.", "moodle")

    otp = q["Mã OTP"]
    assert (otp.correct_answer, otp.feedback_true.text, otp.feedback_false.text) == (
        False,
        "Sai rồi: ngân hàng không bao giờ hỏi mã OTP.",
        "Chính xác!",
    )
    update = q["Cập nhật phần mềm"]
    assert (update.correct_answer, update.feedback_true.text, update.feedback_false.text) == (
        True,
        "Đúng vậy.",
        "Hãy đọc lại bài 2.",
    )
    assert update.general_feedback.text == "Nên bật cập nhật tự động."

    vpn = q["Viết tắt"]
    assert vpn.has_embedded_answers and vpn.text.text == "Mạng riêng ảo thường được viết tắt là _____."
    assert [(c.text.text, c.fraction) for c in vpn.choices] == [
        ("VPN", Decimal(1)),
        ("V.P.N.", Decimal("0.5")),
        ("*", Decimal(0)),
    ]

    length = q["Độ dài mật khẩu"]
    assert length.numeric_answers == [
        NumericAnswer(value=Decimal(12), tolerance=Decimal(0), feedback=Text("Đúng.")),
        NumericAnswer(
            value=None, low=Decimal(10), high=Decimal(11), fraction=Decimal("0.5"), feedback=Text("Gần đúng.")
        ),
        NumericAnswer(value=None, fraction=Decimal(0), feedback=Text("Chưa đúng, hãy xem lại bài học.")),
    ]
    assert q["Xác thực hai lớp"].numeric_answers == [NumericAnswer(Decimal(100), Decimal("0.5"))]

    matching = q["Ghép nối"]
    assert matching.pairs == [
        MatchPair(Text("VNeID", "markdown"), "Định danh điện tử"),
        MatchPair(Text("<i>Zalo</i>", "html"), "Nhắn tin"),
        MatchPair(Text("Ngân hàng số", "markdown"), "Chuyển khoản"),
        MatchPair(Text("", "markdown"), "Đặt vé máy bay"),
    ]

    untitled = next(question for question in result.questions if question.line == 53)
    assert untitled.name == "Khi nhận cuộc gọi lạ yêu cầu chuyển tiền, bạn nên _____ trước khi làm bất cứ..."
    assert untitled.text.text == (
        "Khi nhận cuộc gọi lạ yêu cầu chuyển tiền, bạn nên _____ trước khi làm bất cứ điều gì."
    )

    escapes = q["Ký hiệu đặc biệt: dấu ngoặc"]
    assert escapes.text.text == (
        "Trong GIFT, để viết { và } ta đặt \\ phía trước. Phép tính 2 + 2 = 4 và a~b # c có đúng không?"
    )
    assert q["Nhiều dòng"].text.text == "Câu hỏi này\nđược viết trên nhiều dòng\nvà có cả ký tự xuống dòng thoát."
    portal = q["Cổng DVC"]
    assert (portal.category, portal.idnumber) == ("Kỹ năng số/Dịch vụ công trực tuyến", "DVC-01")
    assert portal.choices[1].text.text == "https://dichvucong.gov.vn"


def test_decomposed_vietnamese_is_normalised_to_nfc() -> None:
    nfc = VIETNAMESE.read_text(encoding="utf-8")
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfd != nfc
    assert parse_gift(nfd.encode("utf-8")) == parse_gift(nfc.encode("utf-8"))


def test_bom_and_crlf() -> None:
    result = parse_gift((FILES / "bom_crlf.gift").read_bytes())
    assert [(q.name, q.line, q.type) for q in result.questions] == [
        ("Câu 1", 2, "true_false"),
        ("Câu 2", 4, "short_answer"),
    ]
    assert result.questions[1].text.text == "Thủ đô của Việt Nam là _____."


def test_default_category() -> None:
    source = "Câu một{T}\n\n$CATEGORY: $course$/top/Khác\n\nCâu hai{T}\n"
    result = parse_gift(source, default_category="$course$/top/Mặc định")
    assert [q.category for q in result.questions] == ["Mặc định", "Khác"]
    assert result.categories == ["Khác"]


# -- writer details ---------------------------------------------------------------------------


def test_writer_output_is_moodle_style() -> None:
    result = parse_gift(VIETNAMESE.read_bytes())
    text = to_gift(result.questions)
    assert text.startswith("$CATEGORY: $course$/top/Kỹ năng số/An toàn thông tin\n\n")
    assert "\n// [id:ATTT-01]\n// [tag:an-toàn] [tag:mật-khẩu]\n::Mật khẩu mạnh::[markdown]" in text
    assert "::Mã OTP::Nên đọc mã OTP" in text
    assert "{FALSE#Sai rồi\\: ngân hàng không bao giờ hỏi mã OTP.#Chính xác!}" in text
    assert "{TRUE#Hãy đọc lại bài 2.#Đúng vậy.####Nên bật cập nhật tự động.}" in text
    assert "\t~%-33.33333%[plain]Có lời chào bằng tên của bạn\n" in text
    assert "::Viết tắt::Mạng riêng ảo thường được viết tắt là {\n" in text
    assert "\t=%50%10..11#Gần đúng.\n\t~#Chưa đúng" in text
    assert "\t= -> Đặt vé máy bay\n" in text
    assert "Câu hỏi này\\nđược viết trên nhiều dòng\\nvà có" in text
    assert "\n\n$CATEGORY: $course$/top/Kỹ năng số/Dịch vụ công trực tuyến\n\n" in text


def test_writer_category_argument_and_weights() -> None:
    question = ParsedQuestion(
        type="multiple_choice",
        name="Chọn nhiều",
        text=Text("Chọn các đáp án đúng"),
        choices=[
            Choice(Text("một"), Decimal(1)),
            Choice(Text("%50% giảm giá"), Decimal(0)),
            Choice(Text("hai"), Decimal("0.5")),
        ],
    )
    text = to_gift([question], category="Kiểm tra/Thử")
    assert text == (
        "$CATEGORY: $course$/top/Kiểm tra/Thử\n\n"
        "::Chọn nhiều::Chọn các đáp án đúng{\n\t~%100%một\n\t~%0%%50% giảm giá\n\t~%50%hai\n}\n"
    )
    again = parse_gift(text).questions[0]
    assert without_line([again]) == without_line([dataclasses.replace(question, category="Kiểm tra/Thử")])
    assert to_gift([], category="Trống") == "$CATEGORY: $course$/top/Trống\n"


def test_writer_refuses_what_gift_cannot_express() -> None:
    short = ParsedQuestion(
        type="short_answer",
        name="Mũi tên",
        text=Text("Viết mũi tên"),
        choices=[Choice(Text("->"), Decimal(1)), Choice(Text("=>"), Decimal(1))],
    )
    with pytest.raises(GiftWriteError):
        to_gift([short])
    feedback = dataclasses.replace(short, choices=[Choice(Text("mũi tên"), Decimal(1), Text("viết là ->"))])
    with pytest.raises(GiftWriteError):
        to_gift([feedback])
    pairs = [MatchPair(Text("a -> b"), "c"), MatchPair(Text("d"), "e")]
    with pytest.raises(GiftWriteError):
        to_gift([ParsedQuestion(type="matching", name="M", text=Text("Ghép"), pairs=pairs)])
