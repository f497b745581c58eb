"""Size and question-count limits: refused early, with bounded memory."""

from __future__ import annotations

import io
import time

import pytest

from courses.quizformats import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_QUESTIONS,
    QuizFormatError,
    parse_gift,
    parse_moodle_xml,
    read_limited,
)

FIFTY_MB = 50 * 1024 * 1024


class EndlessUpload(io.RawIOBase):
    """A never-ending upload that counts how much was read from it."""

    def __init__(self) -> None:
        self.served = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        buffer[:] = b"x" * len(buffer)
        self.served += len(buffer)
        return len(buffer)


def test_defaults() -> None:
    assert (DEFAULT_MAX_BYTES, DEFAULT_MAX_QUESTIONS) == (10 * 1024 * 1024, 5000)


@pytest.mark.parametrize("data", [b"x" * FIFTY_MB, "x" * FIFTY_MB], ids=["bytes", "str"])
def test_fifty_megabytes_are_refused_quickly(data: bytes | str) -> None:
    started = time.monotonic()
    with pytest.raises(QuizFormatError) as error:
        parse_gift(data)
    assert time.monotonic() - started < 0.5
    assert error.value.line is None
    assert error.value.reason == "the file is larger than the limit of 10485760 bytes"


def test_read_limited_stops_reading_an_endless_upload() -> None:
    upload = EndlessUpload()
    stream = io.BufferedReader(upload)
    with pytest.raises(QuizFormatError):
        read_limited(stream, max_bytes=1024 * 1024)
    assert upload.served <= 1024 * 1024 + 64 * 1024
    assert read_limited(io.BytesIO(b"Q{T}"), max_bytes=4) == b"Q{T}"


def test_custom_byte_limit() -> None:
    assert parse_gift(b"Q{T}", max_bytes=4).questions
    with pytest.raises(QuizFormatError):
        parse_gift(b"Q{T}\n", max_bytes=4)


def test_too_many_questions_are_refused_at_the_first_extra_question() -> None:
    source = "\n\n".join(f"Câu {n}{{T}}" for n in range(1, 8))
    assert len(parse_gift(source, max_questions=7).questions) == 7
    with pytest.raises(QuizFormatError) as error:
        parse_gift(source, max_questions=5)
    assert (error.value.line, error.value.reason) == (11, "the file has more than 5 questions")


def test_a_large_valid_file_parses_in_reasonable_time() -> None:
    question = "::Câu {n}::Thủ đô của Việt Nam là {{=Hà Nội =Ha Noi#Đúng ~%-50%Huế}}.\n\n"
    source = "".join(question.format(n=n) for n in range(DEFAULT_MAX_QUESTIONS))
    started = time.monotonic()
    result = parse_gift(source)
    assert len(result.questions) == DEFAULT_MAX_QUESTIONS
    assert time.monotonic() - started < 10


def test_many_category_lines_without_blank_lines() -> None:
    source = "\n".join(f"$CATEGORY: $course$/top/C{n}" for n in range(5000)) + "\nCâu hỏi{T}\n"
    result = parse_gift(source)
    assert len(result.categories) == 5000
    assert result.questions[0].category == "C4999"


def test_a_question_of_millions_of_lines_is_refused() -> None:
    with pytest.raises(QuizFormatError) as error:
        parse_gift("::Q::Câu hỏi\n" + "x\n" * 3_000_000)
    assert error.value.line == 1
    assert "longer than 10000 lines" in error.value.reason


def test_xml_with_millions_of_elements_is_refused() -> None:
    with pytest.raises(QuizFormatError) as error:
        parse_moodle_xml(b"<quiz>" + b"<a/>" * 2_000_000 + b"</quiz>")
    assert error.value.reason == "the XML file has more than 1002000 elements"
    with pytest.raises(QuizFormatError) as error:
        parse_moodle_xml(b"<quiz>" + b"<a>" * 100 + b"</a>" * 100 + b"</quiz>")
    assert error.value.reason == "the XML is nested more than 50 levels deep"
