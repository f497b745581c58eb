"""GIFT parser following Moodle's qformat_gift importer.

Moodle's behaviour (question/format/gift/format.php and qformat_default::readquestions)
is the reference: questions are separated by blank lines, every line is trimmed, lines
starting with ``//`` are comments, ``\\`` escapes ``\\ : # = { } ~`` and ``\\n`` is a
new line. Deliberate differences from Moodle, all stricter or clearer:

* errors refuse the whole file with a line number instead of skipping the question;
* ``=%50%answer`` in a multiple-choice question is a 50 % answer (Moodle keeps the
  text ``%50%answer`` at 100 %), and weights must lie in -100..100;
* a second answer block, a stray ``}``, a non-numeric numerical answer, an empty answer
  or a question without a correct answer are errors;
* a ``$CATEGORY:`` line ends at the end of its line (Moodle swallows the lines below it);
* comment lines inside a question are dropped instead of becoming a line with a space.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import NoReturn

from .common import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_QUESTIONS,
    PHP_WS,
    add_category,
    classify_choice_question,
    decode_utf8,
    default_question_name,
    normalise_category_path,
    validate_question,
)
from .model import (
    TEXT_FORMATS,
    Choice,
    MatchPair,
    NumericAnswer,
    ParsedQuestion,
    ParseResult,
    QuizFormatError,
    SkippedQuestion,
    Text,
)

__all__ = ["parse_gift", "GIFT_ESCAPED"]

# Characters that GIFT escapes with a backslash (plus "\n" for a new line).
GIFT_ESCAPED = ":#={}~"

# Escaped characters are replaced by private-use placeholders while the structure is parsed,
# like Moodle's "&&058;" placeholders but one character long so positions stay meaningful.
_PLACEHOLDER_BASE = 0xF0000
_PLACEHOLDER_RE = re.compile("[\U000f0000-\U000f00ff]")
_ESCAPE_RE = re.compile(r"\\([\\:#={}~n])")
_UNESCAPE = {_PLACEHOLDER_BASE + ord(c): c for c in GIFT_ESCAPED}
_UNESCAPE[_PLACEHOLDER_BASE + ord("n")] = "\n"

_LINE_RE = re.compile(r"\r\n|\r|\n")
_ID_RE = re.compile(r"\[id:((?:\\\]|[^\]\x00-\x1f\x7f])+)\]")
_TAG_RE = re.compile(r"\[tag:((?:\\\]|[^\]<>`\x00-\x1f\x7f])+)\]")
_WEIGHT_RE = re.compile(r"%([^%\s]*)%")
_WEIGHTISH_RE = re.compile(r"[+-]?[\d.,]*")
_WEIGHT_NUMBER_RE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_NUMBER_RE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_TF_WORDS = {"T": True, "TRUE": True, "F": False, "FALSE": False}
_CATEGORY = "$CATEGORY:"
# Bounds the memory a hostile file can use (one "question" of millions of short lines).
MAX_LINES_PER_QUESTION = 10_000
_BLANK = "_____"


def _escape_line(line: str) -> str:
    def repl(match: re.Match[str]) -> str:
        char = match.group(1)
        return "\\" if char == "\\" else chr(_PLACEHOLDER_BASE + ord(char))

    return _ESCAPE_RE.sub(repl, line)


def _unescape(text: str) -> str:
    return text.translate(_UNESCAPE)


def _text(raw: str, default_format: str) -> Text:
    """Moodle's parse_text_with_format: an optional leading [format] tag, then unescape+trim."""
    fmt = default_format
    if raw.startswith("["):
        end = raw.find("]")
        if end > 0 and raw[1:end] in TEXT_FORMATS:
            fmt = raw[1:end]
            raw = raw[end + 1 :]
    return Text(_unescape(raw).strip(PHP_WS), fmt)


def _optional(text: Text) -> Text | None:
    return text if text.text else None


def parse_gift(
    data: bytes | str,
    *,
    default_category: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_questions: int = DEFAULT_MAX_QUESTIONS,
) -> ParseResult:
    """Parse a GIFT file; raise QuizFormatError (with a line number) on the first error."""
    text = decode_utf8(data, max_bytes)
    found = _PLACEHOLDER_RE.search(text)
    if found:
        raise QuizFormatError(
            text.count("\n", 0, found.start()) + 1,
            "the file contains the unsupported character U+{code:05X}",
            code=ord(found.group()),
        )
    parser = _GiftParser(default_category, max_questions)
    block: list[tuple[int, str]] = []
    for number, raw_line in enumerate(_lines(text), 1):
        line = raw_line.strip(PHP_WS)
        if line:
            if len(block) >= MAX_LINES_PER_QUESTION:
                raise QuizFormatError(
                    block[0][0],
                    "the question starting here is longer than {limit} lines; "
                    "questions must be separated by a blank line",
                    limit=MAX_LINES_PER_QUESTION,
                )
            block.append((number, line))
        elif block:
            parser.read_block(block)
            block = []
    if block:
        parser.read_block(block)
    return parser.result


def _lines(text: str) -> Iterator[str]:
    """The lines of the text, lazily (CRLF, CR or LF line ends)."""
    start = 0
    for match in _LINE_RE.finditer(text):
        yield text[start : match.start()]
        start = match.end()
    yield text[start:]


class _Block:
    """The escaped text of one question and the source line of each of its lines."""

    def __init__(self, content: list[tuple[int, str]]) -> None:
        self.numbers = [number for number, _ in content]
        self.text = "\n".join(_escape_line(line) for _, line in content)

    def line_at(self, pos: int) -> int:
        return self.numbers[self.text.count("\n", 0, max(pos, 0))]


class _GiftParser:
    def __init__(self, default_category: str | None, max_questions: int) -> None:
        self.result = ParseResult()
        self.category = normalise_category_path(default_category) if default_category else None
        self.max_questions = max_questions
        self.count = 0

    # -- blocks -------------------------------------------------------------------------

    def read_block(self, block: list[tuple[int, str]]) -> None:
        start = 0
        while True:  # leading $CATEGORY: lines, each ending at the end of its line
            first = start
            while first < len(block) and block[first][1].startswith("//"):
                first += 1
            if first == len(block):
                return
            if not block[first][1].startswith(_CATEGORY):
                break
            raw = _unescape(_escape_line(block[first][1][len(_CATEGORY) :])).strip(PHP_WS)
            self.category = normalise_category_path(raw)
            add_category(self.result.categories, self.category)
            start = first + 1
        block = block[start:]
        comments = [line for _, line in block if line.startswith("//")]
        content = [(n, line) for n, line in block if not line.startswith("//")]
        first_number = content[0][0]
        self.count += 1
        if self.count > self.max_questions:
            raise QuizFormatError(
                first_number,
                "the file has more than {limit} questions",
                limit=self.max_questions,
            )
        self._read_question(_Block(content), "\n".join(comments))

    # -- one question -------------------------------------------------------------------

    def _fail(self, block: _Block, pos: int, template: str, **params: object) -> NoReturn:
        raise QuizFormatError(block.line_at(pos), template, **params)

    def _read_question(self, block: _Block, comments: str) -> None:
        full = block.text
        line = block.numbers[0]
        name: str | None = None
        body = 0
        if full.startswith("::"):
            finish = full.find("::", 2)
            if finish < 0:
                self._fail(block, 0, "the question title is not closed with '::'")
            name = _unescape(full[2:finish]).strip(PHP_WS)
            body = finish + 2
            while body < len(full) and full[body] in PHP_WS:
                body += 1

        start = full.find("{", body)
        end = full.find("}", body)
        description = start < 0 and end < 0
        embedded = False
        answertext, answer_pos, gf_raw = "", 0, ""
        if description:
            stem_raw = full[body:]
        else:
            self._check_braces(block, start, end)
            raw = full[start + 1 : end]
            answer_pos = start + 1 + len(raw) - len(raw.lstrip(PHP_WS))
            answertext = raw.strip(PHP_WS)
            if end == len(full) - 1:
                stem_raw = full[body:start]
            else:
                stem_raw = full[body:start] + _BLANK + full[end + 1 :]
                embedded = True
            separator = answertext.rfind("####")
            if separator >= 0:
                gf_raw = answertext[separator + 4 :]
                answertext = answertext[:separator].strip(PHP_WS)

        stem = _text(stem_raw, "moodle")
        if not name:
            name = default_question_name(stem.text)
        idnumber, tags = _ids_and_tags(comments)
        question = ParsedQuestion(
            type="description",
            name=name,
            text=stem,
            general_feedback=_optional(_text(gf_raw, stem.format)),
            idnumber=idnumber,
            tags=tags,
            category=self.category,
            line=line,
            has_embedded_answers=embedded,
        )
        if not description:
            if not answertext:
                self.result.skipped.append(
                    SkippedQuestion(
                        name=name,
                        position=self.count,
                        line=line,
                        qtype="essay",
                        reason="essay questions are not supported (they need manual grading)",
                        text=stem,
                        idnumber=idnumber,
                        tags=tags,
                        category=self.category,
                    )
                )
                return
            self._read_answers(block, question, answertext, answer_pos)
        validate_question(question, line)
        self.result.questions.append(question)

    def _check_braces(self, block: _Block, start: int, end: int) -> None:
        full = block.text
        stray = "found '}}' without a matching '{{' (write \\}} for a literal brace)"
        if end < 0:
            self._fail(block, start, "the answer block opened with '{{' is not closed with '}}'")
        if start < 0 or end < start:
            self._fail(block, end, stray)
        inner = full.find("{", start + 1, end)
        if inner >= 0:
            self._fail(block, inner, "found a second '{{' before the answer block was closed with '}}'")
        after_open = full.find("{", end + 1)
        if after_open >= 0:
            self._fail(
                block,
                after_open,
                "only one answer block {{…}} is allowed per question (write \\{{ and \\}} for literal braces)",
            )
        after_close = full.find("}", end + 1)
        if after_close >= 0:
            self._fail(block, after_close, stray)

    def _read_answers(self, block: _Block, question: ParsedQuestion, text: str, pos: int) -> None:
        fmt = question.text.format
        if text[0] == "#":
            self._numerical(block, question, text, pos)
        elif "~" in text:
            self._multichoice(block, question, text, pos, fmt)
        elif "=" in text and "->" in text:
            self._matching(block, question, text, pos, fmt)
        else:
            check = text
            hash_pos = text.find("#")
            if hash_pos > 0:
                check = text[:hash_pos].strip(PHP_WS)
            if check in _TF_WORDS:
                self._truefalse(question, text, fmt)
            else:
                self._shortanswer(block, question, text, pos, fmt)

    # -- answers --------------------------------------------------------------------------

    def _split(self, block: _Block, text: str, pos: int, separators: str, keep: str = "") -> list[tuple[int, str]]:
        """Split on unescaped separators like Moodle's explode(); returns (position, text)."""
        cuts = [m.start() for m in re.finditer("[" + re.escape(separators) + "]", text)]
        bounds = [0, *cuts, len(text)]
        pieces = []
        for index in range(len(bounds) - 1):
            begin, finish = bounds[index], bounds[index + 1]
            if index > 0 and text[begin] not in keep:
                begin += 1
            piece = text[begin:finish].strip(PHP_WS)
            # Position of the answer text, or of its marker when the answer is empty.
            where = text.find(piece, begin, finish) if piece else bounds[index]
            pieces.append((pos + where, piece))
        if pieces and not pieces[0][1]:
            pieces.pop(0)
        if not any(piece for _, piece in pieces):
            self._fail(block, pos, "the answer block has no answers")
        for number, (piece_pos, piece) in enumerate(pieces, 1):
            if not piece:
                self._fail(block, piece_pos, "answer {number} is empty", number=number)
        return pieces

    def _weight(self, block: _Block, piece: str, pos: int) -> tuple[Decimal, str] | None:
        match = _WEIGHT_RE.match(piece)
        if not match or not _WEIGHTISH_RE.fullmatch(match.group(1)):
            return None
        raw = match.group(1)
        if not _WEIGHT_NUMBER_RE.fullmatch(raw):
            self._fail(block, pos, "the answer weight '%{weight}%' is not a number", weight=raw)
        value = Decimal(raw)
        if not Decimal(-100) <= value <= Decimal(100):
            self._fail(
                block,
                pos,
                "the answer weight {weight}% is outside the range -100% to 100%",
                weight=raw,
            )
        return value / 100, piece[match.end() :]

    def _comment(self, block: _Block, piece: str, pos: int, fmt: str, number: int) -> tuple[Text, Text | None]:
        """Moodle's commentparser: "answer#feedback"."""
        bits = piece.split("#", 1)
        answer = _text(bits[0].strip(PHP_WS), fmt)
        if not answer.text:
            self._fail(block, pos, "answer {number} is empty", number=number)
        feedback = _optional(_text(bits[1].strip(PHP_WS), fmt)) if len(bits) > 1 else None
        return answer, feedback

    def _multichoice(self, block: _Block, question: ParsedQuestion, text: str, pos: int, fmt: str) -> None:
        has_equals = False
        for number, (piece_pos, piece) in enumerate(self._split(block, text, pos, "~=", keep="="), 1):
            fraction = Decimal(0)
            if piece.startswith("="):
                has_equals = True
                fraction = Decimal(1)
                piece = piece[1:]
            weighted = self._weight(block, piece, piece_pos)
            if weighted:
                fraction, piece = weighted
            answer, feedback = self._comment(block, piece, piece_pos, fmt, number)
            question.choices.append(Choice(answer, fraction, feedback))
        question.type = classify_choice_question([c.fraction for c in question.choices], has_equals)

    def _shortanswer(self, block: _Block, question: ParsedQuestion, text: str, pos: int, fmt: str) -> None:
        question.type = "short_answer"
        for number, (piece_pos, piece) in enumerate(self._split(block, text, pos, "="), 1):
            fraction = Decimal(1)
            weighted = self._weight(block, piece, piece_pos)
            if weighted:
                fraction, piece = weighted
            answer, feedback = self._comment(block, piece, piece_pos, fmt, number)
            question.choices.append(Choice(answer, fraction, feedback))

    def _matching(self, block: _Block, question: ParsedQuestion, text: str, pos: int, fmt: str) -> None:
        question.type = "matching"
        for number, (piece_pos, piece) in enumerate(self._split(block, text, pos, "="), 1):
            marker = piece.find("->")
            if marker < 0:
                self._fail(
                    block,
                    piece_pos,
                    "every answer of a matching question needs 'question -> answer'; answer {number} has no '->'",
                    number=number,
                )
            subquestion = _text(piece[:marker], fmt)
            question.pairs.append(MatchPair(subquestion, _unescape(piece[marker + 2 :]).strip(PHP_WS)))

    def _truefalse(self, question: ParsedQuestion, text: str, fmt: str) -> None:
        """Moodle: the first #feedback is for a wrong answer, the second for the right one."""
        question.type = "true_false"
        bits = text.split("#", 2)
        correct = _TF_WORDS[bits[0].strip(PHP_WS)]
        wrong = _optional(_text(bits[1].strip(PHP_WS), fmt)) if len(bits) > 1 else None
        right = _optional(_text(bits[2].strip(PHP_WS), fmt)) if len(bits) > 2 else None
        question.correct_answer = correct
        question.feedback_true, question.feedback_false = (right, wrong) if correct else (wrong, right)

    def _numerical(self, block: _Block, question: ParsedQuestion, text: str, pos: int) -> None:
        question.type = "numerical"
        fmt = question.text.format
        body, base = text[1:], pos + 1
        wildcard: NumericAnswer | None = None
        tilde = body.find("~")
        if tilde >= 0:
            bits = body[tilde + 1 :].split("#", 1)
            if bits[0].strip(PHP_WS) not in ("", "*"):
                self._fail(
                    block,
                    base + tilde,
                    "in a numerical question '~' can only introduce the feedback for other answers ('~#feedback')",
                )
            feedback = _optional(_text(bits[1].strip(PHP_WS), fmt)) if len(bits) > 1 else None
            wildcard = NumericAnswer(value=None, fraction=Decimal(0), feedback=feedback)
            body = body[:tilde]
        pieces = []
        if body.strip(PHP_WS) or wildcard is None:
            if not body.strip(PHP_WS):
                self._fail(block, pos, "the numerical question has no answers")
            pieces = self._split(block, body, base, "=")
        for number, (piece_pos, piece) in enumerate(pieces, 1):
            fraction = Decimal(1)
            weighted = self._weight(block, piece, piece_pos)
            if weighted:
                fraction, piece = weighted
            answer, feedback = self._comment(block, piece, piece_pos, fmt, number)
            numeric = self._number(block, answer.text, piece_pos)
            numeric.fraction = fraction
            numeric.feedback = feedback
            question.numeric_answers.append(numeric)
        if wildcard:
            question.numeric_answers.append(wildcard)

    def _number(self, block: _Block, answer: str, pos: int) -> NumericAnswer:
        """[min]..[max], [answer]:[tolerance], [answer] or * (Moodle's checks, stricter)."""

        def number(raw: str, template: str) -> Decimal:
            raw = raw.strip(PHP_WS)
            if not _NUMBER_RE.fullmatch(raw):
                self._fail(block, pos, template, answer=answer)
            return Decimal(raw)

        if answer == "*":
            return NumericAnswer(value=None)
        if answer.find("..") > 0:
            low_raw, high_raw = answer.split("..", 1)
            template = "the range '{answer}' must be two numbers: 'minimum..maximum'"
            low, high = number(low_raw, template), number(high_raw, template)
            if low > high:
                self._fail(block, pos, "the range '{answer}' has its minimum above its maximum", answer=answer)
            return NumericAnswer(value=None, low=low, high=high)
        if answer.find(":") > 0:
            value_raw, tolerance_raw = answer.split(":", 1)
            value = number(value_raw, "the numerical answer '{answer}' is not a number")
            tolerance = number(tolerance_raw, "the tolerance in '{answer}' is not a number")
            if tolerance < 0:
                self._fail(block, pos, "the tolerance in '{answer}' must not be negative", answer=answer)
            return NumericAnswer(value=value, tolerance=tolerance)
        return NumericAnswer(value=number(answer, "the numerical answer '{answer}' is not a number"))


def _ids_and_tags(comments: str) -> tuple[str | None, list[str]]:
    """Moodle's extract_idnumber_and_tags_from_comment: // [id:x] and // [tag:a] [tag:b]."""
    idnumber = None
    match = _ID_RE.search(comments)
    if match:
        idnumber = match.group(1).strip(PHP_WS).replace("\\]", "]") or None
    tags = [m.group(1).strip(PHP_WS).replace("\\]", "]") for m in _TAG_RE.finditer(comments)]
    return idnumber, [tag for tag in tags if tag]
