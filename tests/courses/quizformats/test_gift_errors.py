"""Malformed GIFT: the whole file is refused with a 1-based line number and a clear reason."""

from __future__ import annotations

import pytest

from courses.quizformats import QuizFormatError, parse_gift

from .conftest import FILES

CASES = [
    pytest.param(
        "::Q1::Câu một{T}\n\n::Q2::Câu hai {\n=a\n=b\n",
        3,
        "the answer block opened with '{' is not closed with '}'",
        id="unclosed-brace",
    ),
    pytest.param(
        "::Q1::Câu một{T}\n\nCâu hai } không có ngoặc mở\n",
        3,
        "found '}' without a matching '{' (write \\} for a literal brace)",
        id="stray-closing-brace",
    ),
    pytest.param(
        "::Q::Câu hỏi {\n=a\n\n=b\n}\n",
        1,
        "the answer block opened with '{' is not closed with '}'",
        id="blank-line-inside-block",
    ),
    pytest.param("Câu hỏi {~}\n", 1, "the answer block has no answers", id="mc-block-without-answers"),
    pytest.param("Câu hỏi {=}\n", 1, "the answer block has no answers", id="short-block-without-answers"),
    pytest.param("Câu hỏi {#}\n", 1, "the numerical question has no answers", id="numerical-without-answers"),
    pytest.param(
        "// ghép nối\n::M::Ghép nối {\n=a -> 1\n=b -> 2\n=c\n}\n",
        5,
        "every answer of a matching question needs 'question -> answer'; answer 3 has no '->'",
        id="arrow-mixed-with-non-matching-answers",
    ),
    pytest.param(
        "::W::Trọng số {\n=đúng\n~%150%quá nhiều\n}\n",
        3,
        "the answer weight 150% is outside the range -100% to 100%",
        id="weight-above-100",
    ),
    pytest.param(
        "Trọng số âm {=a ~%-100.5%b}\n",
        1,
        "the answer weight -100.5% is outside the range -100% to 100%",
        id="weight-below-minus-100",
    ),
    pytest.param(
        "Trọng số dấu phẩy {=a ~%33,3%b}\n",
        1,
        "the answer weight '%33,3%' is not a number",
        id="weight-with-decimal-comma",
    ),
    pytest.param(
        "::N::Năm sinh?\n{#\n=1822:0\n=%50%abc\n}\n",
        4,
        "the numerical answer 'abc' is not a number",
        id="numerical-not-a-number",
    ),
    pytest.param("Số? {#5:abc}\n", 1, "the tolerance in '5:abc' is not a number", id="tolerance-not-a-number"),
    pytest.param("Số? {#5:-1}\n", 1, "the tolerance in '5:-1' must not be negative", id="negative-tolerance"),
    pytest.param(
        "Số? {#1..x}\n", 1, "the range '1..x' must be two numbers: 'minimum..maximum'", id="range-not-numbers"
    ),
    pytest.param("Số? {#5..1}\n", 1, "the range '5..1' has its minimum above its maximum", id="range-reversed"),
    pytest.param(
        "Số? {#5 ~6#sai}\n",
        1,
        "in a numerical question '~' can only introduce the feedback for other answers ('~#feedback')",
        id="numerical-tilde-with-value",
    ),
    pytest.param(
        "Hai khối {=a} và {=b}\n",
        1,
        "only one answer block {…} is allowed per question (write \\{ and \\} for literal braces)",
        id="text-after-block-with-second-block",
    ),
    pytest.param(
        "Khối lồng {=a {=b}}\n",
        1,
        "found a second '{' before the answer block was closed with '}'",
        id="nested-brace",
    ),
    pytest.param(
        "Sau khối {=a =b} còn dấu }\n",
        1,
        "found '}' without a matching '{' (write \\} for a literal brace)",
        id="text-after-block-with-stray-brace",
    ),
    pytest.param(
        "// chú thích\n::Tiêu đề chưa đóng Câu hỏi{T}\n",
        2,
        "the question title is not closed with '::'",
        id="unclosed-title",
    ),
    pytest.param(
        "Một đáp án {~duy nhất}\n", 1, "a multiple-choice question needs at least 2 answers", id="mc-one-answer"
    ),
    pytest.param("Không có đáp án đúng {~a ~b}\n", 1, "the question has no correct answer", id="mc-no-correct"),
    pytest.param("Điền {=%0%a =%0%b}\n", 1, "the question has no correct answer", id="short-answer-no-correct"),
    pytest.param("::E::Đáp án rỗng {\n=a\n~\n~b\n}\n", 3, "answer 2 is empty", id="empty-answer-in-block"),
    pytest.param("Ghép {=a -> 1}\n", 1, "a matching question needs at least 2 pairs", id="matching-one-pair"),
    pytest.param(
        "Ghép {=a -> =b -> 2 =c -> 3}\n",
        1,
        "matching pair 1 has no answer after '->'",
        id="matching-pair-without-answer",
    ),
    pytest.param("::Tiêu đề::{=a =b}\n", 1, "the question text is empty", id="empty-stem"),
    pytest.param("::Chỉ có tiêu đề::\n", 1, "the description is empty", id="empty-description"),
]


@pytest.mark.parametrize(("source", "line", "reason"), CASES)
def test_malformed_gift_is_refused(source: str, line: int, reason: str) -> None:
    with pytest.raises(QuizFormatError) as error:
        parse_gift(source.encode("utf-8"))
    assert (error.value.line, error.value.reason) == (line, reason)
    assert str(error.value) == f"line {line}: {reason}"


def test_error_keeps_template_and_parameters_for_translation() -> None:
    with pytest.raises(QuizFormatError) as error:
        parse_gift("Câu {~%150%a =b}")
    assert error.value.template == "the answer weight {weight}% is outside the range -100% to 100%"
    assert error.value.params == {"weight": "150"}


def test_whole_file_is_refused_on_first_error() -> None:
    good = "::Q1::Câu đúng{T}\n\n::Q2::Câu đúng{=a =b}\n\n"
    with pytest.raises(QuizFormatError) as error:
        parse_gift(good + "::Q3::Câu sai {~a\n\n::Q4::Câu sai {~b}\n")
    assert error.value.line == 5


def test_not_utf8_is_refused_with_the_line_of_the_first_bad_byte() -> None:
    data = (FILES / "windows-1252.gift").read_bytes()
    with pytest.raises(QuizFormatError) as error:
        parse_gift(data)
    assert error.value.line == 2
    assert error.value.reason.startswith("the file is not UTF-8 text")


def test_literal_percent_text_is_not_a_weight() -> None:
    question = parse_gift("Giảm giá? {=%abc%x ~y}").questions[0]
    assert question.choices[0].text.text == "%abc%x"


def test_private_use_placeholder_characters_are_refused() -> None:
    with pytest.raises(QuizFormatError) as error:
        parse_gift("Câu {T}\n\nKý tự lạ \U000f003a {T}")
    assert error.value.line == 3
