"""Helpers shared by the parsers: size limits, decoding, category paths, names, checks."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from typing import BinaryIO, NoReturn

from .model import ParsedQuestion, QuizFormatError

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_QUESTIONS = 5000

# PHP's trim() characters: Moodle trims with these, not with every Unicode space.
PHP_WS = " \t\n\r\0\x0b"

_BOM = b"\xef\xbb\xbf"
_CONTEXT_RE = re.compile(r"^\$[a-z0-9]+\$$")
_SEPARATOR_RE = re.compile(r"(?<!/)/(?!/)")
_TAG_RE = re.compile(r"<[^>]*>")
_SPACES_RE = re.compile(r"\s+")


def read_limited(stream: BinaryIO, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Read an upload, refusing it as soon as it exceeds ``max_bytes`` (bounded memory)."""
    data = stream.read(max_bytes + 1)
    check_size(data, max_bytes)
    return data


def check_size(data: bytes | str, max_bytes: int) -> None:
    """Refuse data larger than ``max_bytes`` before any other work."""
    if len(data) > max_bytes:
        raise QuizFormatError(
            None,
            "the file is larger than the limit of {limit} bytes",
            limit=max_bytes,
        )


def decode_utf8(data: bytes | str, max_bytes: int) -> str:
    """Return NFC text; bytes must be UTF-8 (a BOM is allowed)."""
    check_size(data, max_bytes)
    if isinstance(data, str):
        text = data[1:] if data.startswith("\ufeff") else data
    else:
        if not isinstance(data, bytes | bytearray | memoryview):
            raise TypeError("data must be bytes or str")
        raw = bytes(data)
        if raw.startswith(_BOM):
            raw = raw[len(_BOM) :]
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw.count(b"\n", 0, exc.start) + 1
            raise QuizFormatError(
                line,
                "the file is not UTF-8 text (invalid byte 0x{byte:02X}); save it as UTF-8 and try again",
                byte=raw[exc.start],
            ) from None
    return unicodedata.normalize("NFC", text)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def split_category_path(path: str) -> list[str]:
    """Split a Moodle category path on "/" ("//" stands for a literal slash in a name)."""
    parts = [p.strip(PHP_WS) for p in _SEPARATOR_RE.split(path.strip(PHP_WS).strip("/"))]
    return [p for p in parts if p]


def normalise_category_path(raw: str) -> str | None:
    """Strip ``$course$/``-style contexts and a leading ``top/``; None for the top category."""
    parts = split_category_path(raw)
    if parts and _CONTEXT_RE.match(parts[0]):
        parts = parts[1:]
    if parts and parts[0] == "top":
        parts = parts[1:]
    return "/".join(parts) or None


def add_category(categories: list[str], path: str | None) -> None:
    """Record a category path and its parents, parents before children, without duplicates."""
    if not path:
        return
    parts = split_category_path(path)
    for depth in range(1, len(parts) + 1):
        prefix = "/".join(parts[:depth])
        if prefix not in categories:
            categories.append(prefix)


def default_question_name(text: str, fallback: str = "Question") -> str:
    """Moodle-like default name: the question text without tags, cut to 80 characters."""
    plain = _SPACES_RE.sub(" ", _TAG_RE.sub(" ", text)).strip()
    if len(plain) > 80:
        cut = plain[:77]
        if " " in cut:
            cut = cut[: cut.rfind(" ")]
        plain = cut.rstrip() + "..."
    return plain or fallback


def classify_choice_question(fractions: list[Decimal], single_flag: bool) -> str:
    """single_choice only for radio-style questions with exactly one answer at 100 %."""
    positive = [f for f in fractions if f > 0]
    if single_flag and len(positive) == 1 and positive[0] == 1:
        return "single_choice"
    return "multiple_choice"


def validate_question(question: ParsedQuestion, line: int | None, where: str = "") -> None:
    """Checks common to both formats; ``where`` prefixes the reason (e.g. the XML question)."""

    def fail(template: str, **params: object) -> NoReturn:
        raise QuizFormatError(line, "{where}" + template, where=where, **params)

    if not question.text.text.strip() and question.type != "description":
        fail("the question text is empty")
    if question.type == "description" and not question.text.text.strip():
        fail("the description is empty")
    if question.type in ("single_choice", "multiple_choice"):
        if len(question.choices) < 2:
            fail("a multiple-choice question needs at least 2 answers")
        if not any(c.fraction > 0 for c in question.choices):
            fail("the question has no correct answer")
    elif question.type == "short_answer":
        if not question.choices:
            fail("the answer block has no answers")
        if not any(c.fraction > 0 for c in question.choices):
            fail("the question has no correct answer")
    elif question.type == "numerical":
        if not question.numeric_answers:
            fail("the numerical question has no answers")
        if not any(a.fraction > 0 for a in question.numeric_answers):
            fail("the question has no correct answer")
    elif question.type == "matching":
        if sum(1 for p in question.pairs if p.question.text) < 2:
            fail("a matching question needs at least 2 pairs")
        for number, pair in enumerate(question.pairs, 1):
            if not pair.answer:
                fail("matching pair {number} has no answer after '->'", number=number)
