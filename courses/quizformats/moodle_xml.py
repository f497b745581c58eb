"""Moodle XML parser following Moodle's qformat_xml importer (question/format/xml/format.php).

XML is parsed with defusedxml and any DTD is refused, so entity expansion attacks
("billion laughs") and external entities (XXE) never get expanded. ``ParsedQuestion.line``
is the ordinal of the question in the file (categories not counted); error lines are
real line numbers of the XML source.
"""

from __future__ import annotations

import base64
import binascii
import re
from decimal import Decimal, InvalidOperation
from typing import NoReturn
from urllib.parse import quote
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

from defusedxml.common import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import DefusedXMLParser

from .common import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_QUESTIONS,
    PHP_WS,
    add_category,
    check_size,
    classify_choice_question,
    default_question_name,
    nfc,
    normalise_category_path,
    validate_question,
)
from .model import (
    Choice,
    MatchPair,
    NumericAnswer,
    ParsedQuestion,
    ParseResult,
    QuizFormatError,
    SkippedQuestion,
    Text,
)

__all__ = ["parse_moodle_xml", "MOODLE_GRADES"]

_FORMATS = {
    "moodle_auto_format": "moodle",
    "html": "html",
    "plain_text": "plain",
    "markdown": "markdown",
    "wiki_like": "moodle",
}
# question_bank::fraction_options_full(): the only grades Moodle accepts (as fractions).
_POSITIVE_GRADES = (
    *("1", "0.9", "0.8333333", "0.8", "0.75", "0.7", "0.6666667", "0.6", "0.5", "0.4"),
    *("0.3333333", "0.3", "0.25", "0.2", "0.1666667", "0.1428571", "0.125", "0.1111111", "0.1", "0.05"),
)
MOODLE_GRADES = tuple(
    sorted({Decimal(0), *(Decimal(g) for g in _POSITIVE_GRADES), *(-Decimal(g) for g in _POSITIVE_GRADES)})
)
_GRADE_TOLERANCE = Decimal("0.00001")
_NUMBER_RE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_BAD_FILENAME_RE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
_UNSUPPORTED = {
    "essay": "essay questions are not supported (they need manual grading)",
    "cloze": "Cloze (embedded answers) questions are not supported",
    "multianswer": "Cloze (embedded answers) questions are not supported",
}

# Cloze subquestions: {weight:TYPE:alternatives}, see qtype_multianswer.
_CLOZE_RE = re.compile(r"\{(\d*):([A-Z_]+)(?::((?:\\.|[^\\}])*))?\}")
_CLOZE_CHOICE = {"MULTICHOICE", "MC", "MULTICHOICE_V", "MCV", "MULTICHOICE_H", "MCH", "MULTICHOICE_S", "MCS"}
_CLOZE_CHOICE |= {"MULTICHOICE_VS", "MCVS", "MULTICHOICE_HS", "MCHS"}
_CLOZE_MULTI = {"MULTIRESPONSE", "MR", "MULTIRESPONSE_H", "MRH", "MULTIRESPONSE_S", "MRS"}
_CLOZE_MULTI |= {"MULTIRESPONSE_HS", "MRHS"}
_CLOZE_SHORT = {"SHORTANSWER", "SA", "MW", "SHORTANSWER_C", "SAC", "MWC"}
_CLOZE_NUMERICAL = {"NUMERICAL", "NM"}
_CLOZE_ALT_RE = re.compile(r"^(=|%(-?\d+(?:\.\d+)?)%)?((?:\\.|[^\\#])*)(?:#(.*))?$", re.S)


# Bounds on the tree a hostile file can build: Moodle XML nests about 6 levels and uses a
# few dozen elements per question.
MAX_DEPTH = 50
ELEMENTS_PER_QUESTION = 200


class _LimitExceeded(Exception):
    def __init__(self, line: int, template: str, **params: object) -> None:
        self.line = line
        self.template = template
        self.params = params


class _Target:
    """TreeBuilder that records the source line of each <question> and counts them early."""

    def __init__(self, max_questions: int) -> None:
        self.builder = TreeBuilder()
        self.parser: DefusedXMLParser | None = None
        self.depth = 0
        self.lines: list[int] = []
        self.count = 0
        self.elements = 0
        self.max_questions = max_questions
        self.max_elements = (max_questions + 10) * ELEMENTS_PER_QUESTION

    def start(self, tag: str, attrs: dict[str, str]) -> Element:
        self.depth += 1
        self.elements += 1
        line = self.parser.parser.CurrentLineNumber if self.parser is not None else 0
        if self.depth > MAX_DEPTH:
            raise _LimitExceeded(line, "the XML is nested more than {limit} levels deep", limit=MAX_DEPTH)
        if self.elements > self.max_elements:
            raise _LimitExceeded(line, "the XML file has more than {limit} elements", limit=self.max_elements)
        if tag == "question" and self.depth == 2:
            self.lines.append(line)
            if attrs.get("type") != "category":
                self.count += 1
                if self.count > self.max_questions:
                    raise _LimitExceeded(line, "the file has more than {limit} questions", limit=self.max_questions)
        return self.builder.start(tag, attrs)

    def end(self, tag: str) -> Element:
        self.depth -= 1
        return self.builder.end(tag)

    def data(self, data: str) -> None:
        self.builder.data(data)

    def close(self) -> Element:
        return self.builder.close()


def _parse_xml(data: bytes | str, max_questions: int) -> tuple[Element, list[int]]:
    target = _Target(max_questions)
    parser = DefusedXMLParser(target=target, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    target.parser = parser
    try:
        parser.feed(data)
        root = parser.close()
    except DTDForbidden:
        raise QuizFormatError(
            parser.parser.CurrentLineNumber,
            "the XML file contains a document type declaration (<!DOCTYPE …>); "
            "DTDs and entity declarations are not allowed for security reasons",
        ) from None
    except (EntitiesForbidden, ExternalReferenceForbidden):
        raise QuizFormatError(
            parser.parser.CurrentLineNumber,
            "the XML file declares or references entities, which is not allowed for security reasons",
        ) from None
    except _LimitExceeded as exc:
        raise QuizFormatError(exc.line, exc.template, **exc.params) from None
    except ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        message = str(exc).split(": line ")[0]
        raise QuizFormatError(line, "the file is not well-formed XML ({message})", message=message) from None
    return root, target.lines


def parse_moodle_xml(
    data: bytes | str,
    *,
    default_category: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_questions: int = DEFAULT_MAX_QUESTIONS,
) -> ParseResult:
    """Parse a Moodle XML file; raise QuizFormatError on the first invalid question."""
    check_size(data, max_bytes)
    if isinstance(data, str) and data.startswith("\ufeff"):
        data = data[1:]
    root, lines = _parse_xml(data, max_questions)
    if root.tag != "quiz":
        raise QuizFormatError(1, "this is not a Moodle XML question file (the root element must be <quiz>)")
    reader = _XmlReader(default_category)
    for element, line in zip(root.findall("question"), lines, strict=False):
        reader.read(element, line)
    return reader.result


class _XmlReader:
    def __init__(self, default_category: str | None) -> None:
        self.result = ParseResult()
        self.category = normalise_category_path(default_category) if default_category else None
        self.ordinal = 0

    def read(self, element: Element, line: int) -> None:
        qtype = (element.get("type") or "").strip()
        if qtype == "category":
            raw = _plain(element.find("category/text"))
            self.category = normalise_category_path(raw)
            add_category(self.result.categories, self.category)
            return
        self.ordinal += 1
        _QuestionReader(self, element, qtype, line).read()


class _QuestionReader:
    def __init__(self, reader: _XmlReader, element: Element, qtype: str, line: int) -> None:
        self.reader = reader
        self.element = element
        self.qtype = qtype
        self.line = line
        self.files: dict[str, bytes] = {}
        name_node = element.find("name/text")
        self.raw_name = _plain(name_node) if name_node is not None else ""
        self.where = (
            f'question {reader.ordinal} "{self.raw_name}": ' if self.raw_name else f"question {reader.ordinal}: "
        )

    def fail(self, template: str, **params: object) -> NoReturn:
        raise QuizFormatError(self.line, "{where}" + template, where=self.where, **params)

    # -- texts and files ----------------------------------------------------------------

    def rich(self, node: Element | None, default_format: str) -> Text:
        """Moodle's import_text_with_files: <text>, format attribute and <file> children."""
        if node is None:
            return Text("", default_format)
        text = Text(_plain(node.find("text")), _format_of(node, default_format))
        for file_node in node.findall("file"):
            name = (file_node.get("path") or "/").strip("/") + "/" + (file_node.get("name") or "").strip()
            self.attach(text, name.lstrip("/"), file_node.text or "")
        return text

    def attach(self, text: Text, name: str, encoded: str) -> None:
        if not name:
            self.fail("an embedded file has no name")
        try:
            content = base64.b64decode("".join(encoded.split()), validate=True)
        except (binascii.Error, ValueError):
            self.fail("the embedded file '{name}' is not valid base64", name=name)
        if name in self.files and self.files[name] != content:
            stem, dot, ext = name.rpartition(".")
            stem, ext = (stem, dot + ext) if dot else (name, "")
            number = 2
            while f"{stem}-{number}{ext}" in self.files:
                number += 1
            new_name = f"{stem}-{number}{ext}"
            for old, new in ((name, new_name), (quote(name), quote(new_name))):
                text.text = text.text.replace("@@PLUGINFILE@@/" + old, "@@PLUGINFILE@@/" + new)
            name = new_name
        self.files[name] = content

    # -- common header ------------------------------------------------------------------

    def header(self) -> ParsedQuestion:
        element = self.element
        stem = self.rich(element.find("questiontext"), "html")
        image_data = element.findtext("image_base64")
        image_name = element.findtext("image")
        if image_data and image_data.strip() and image_name and image_name.strip():
            filename = _BAD_FILENAME_RE.sub("", image_name.strip().replace("/", "_"))
            self.attach(stem, filename, image_data)
            stem.text += f' <img src="@@PLUGINFILE@@/{filename}" />'
        name = nfc(self.raw_name) or default_question_name(stem.text)
        general = self.rich(element.find("generalfeedback"), stem.format)
        idnumber = (element.findtext("idnumber") or "").strip(PHP_WS)
        return ParsedQuestion(
            type="description",
            name=name,
            text=stem,
            general_feedback=general if general.text else None,
            idnumber=nfc(idnumber) or None,
            tags=[nfc(t) for t in (_plain(n) for n in element.findall("tags/tag/text")) if t],
            category=self.reader.category,
            line=self.reader.ordinal,
            files=self.files,
        )

    def read(self) -> None:
        handler = {
            "multichoice": self.multichoice,
            "truefalse": self.truefalse,
            "shortanswer": self.shortanswer,
            "numerical": self.numerical,
            "matching": self.matching,
            "match": self.matching,
            "description": self.description,
        }.get(self.qtype)
        if handler is None:
            self.skip()
            return
        question = self.header()
        handler(question)
        validate_question(question, self.line, self.where)
        self.reader.result.questions.append(question)

    def skip(self) -> None:
        if self.qtype in ("cloze", "multianswer"):
            self.check_cloze()
        reason = _UNSUPPORTED.get(self.qtype, f"the question type '{self.qtype or 'unknown'}' is not supported")
        stem = self.rich(self.element.find("questiontext"), "html")
        idnumber = (self.element.findtext("idnumber") or "").strip(PHP_WS)
        self.reader.result.skipped.append(
            SkippedQuestion(
                name=nfc(self.raw_name) or default_question_name(stem.text),
                position=self.reader.ordinal,
                line=self.reader.ordinal,
                qtype=self.qtype or "unknown",
                reason=reason,
                text=stem,
                idnumber=nfc(idnumber) or None,
                tags=[nfc(t) for t in (_plain(n) for n in self.element.findall("tags/tag/text")) if t],
                category=self.reader.category,
            )
        )

    # -- answers ------------------------------------------------------------------------

    def fraction(self, answer: Element, number: int, check_grades: bool = True) -> Decimal:
        raw = (answer.get("fraction") or "0").strip()
        try:
            percent = Decimal(raw)
        except InvalidOperation:
            percent = None
        if percent is None or not percent.is_finite():
            self.fail("the grade '{grade}' of answer {number} is not a number", grade=raw, number=number)
        fraction = percent / 100
        if not check_grades:
            return fraction
        for grade in MOODLE_GRADES:
            if abs(fraction - grade) < _GRADE_TOLERANCE:
                return grade
        self.fail(
            "invalid grade {grade}% for answer {number}; Moodle only accepts the grades "
            "100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20, "
            "16.66667, 14.28571, 12.5, 11.11111, 10, 5 and 0 % (or their negatives)",
            grade=raw,
            number=number,
        )

    def description(self, question: ParsedQuestion) -> None:
        """A description has no answers."""

    def multichoice(self, question: ParsedQuestion) -> None:
        fmt = question.text.format
        for number, answer in enumerate(self.element.findall("answer"), 1):
            fraction = self.fraction(answer, number)
            text = self.rich(answer, fmt)
            feedback = self.rich(answer.find("feedback"), fmt)
            if not text.text.strip():  # Moodle ignores blank choices
                continue
            question.choices.append(Choice(text, fraction, feedback if feedback.text else None))
        single = _flag(self.element.findtext("single"), default=True)
        question.shuffle = _flag(self.element.findtext("shuffleanswers"), default=False)
        question.type = classify_choice_question([c.fraction for c in question.choices], single)

    def truefalse(self, question: ParsedQuestion) -> None:
        question.type = "true_false"
        fmt = question.text.format
        for index, answer in enumerate(self.element.findall("answer")):
            text = _plain(answer.find("text"))
            if text not in ("true", "false"):  # old exports: true first, then false
                text = "true" if index == 0 else "false"
            feedback = self.rich(answer.find("feedback"), fmt)
            is_full = self.fraction(answer, index + 1, check_grades=False) == 1
            if text == "true":
                question.correct_answer = is_full
                question.feedback_true = feedback if feedback.text else None
            else:
                question.correct_answer = not is_full
                question.feedback_false = feedback if feedback.text else None
        if question.correct_answer is None:
            self.fail("a true/false question needs its two answers")

    def shortanswer(self, question: ParsedQuestion) -> None:
        question.type = "short_answer"
        question.case_sensitive = _flag(self.element.findtext("usecase"), default=False)
        fmt = question.text.format
        for number, answer in enumerate(self.element.findall("answer"), 1):
            fraction = self.fraction(answer, number)
            text = Text(_plain(answer.find("text")), _format_of(answer, fmt))
            feedback = self.rich(answer.find("feedback"), fmt)
            if not text.text:
                if fraction == 0 and not feedback.text:  # Moodle ignores blank answers
                    continue
                self.fail("answer {number} is empty", number=number)
            question.choices.append(Choice(text, fraction, feedback if feedback.text else None))

    def numerical(self, question: ParsedQuestion) -> None:
        question.type = "numerical"
        fmt = question.text.format
        for number, answer in enumerate(self.element.findall("answer"), 1):
            fraction = self.fraction(answer, number)
            feedback = self.rich(answer.find("feedback"), fmt)
            value = _plain(answer.find("text"))
            tolerance = (answer.findtext("tolerance") or "0").strip(PHP_WS) or "0"
            numeric = NumericAnswer(value=None, fraction=fraction, feedback=feedback if feedback.text else None)
            if not value and fraction == 0 and not feedback.text:  # Moodle ignores blank answers
                continue
            if value not in ("", "*"):
                if not _NUMBER_RE.fullmatch(value):
                    self.fail("the numerical answer '{answer}' is not a number", answer=value)
                if not _NUMBER_RE.fullmatch(tolerance) or Decimal(tolerance) < 0:
                    self.fail("the tolerance '{tolerance}' is not a positive number", tolerance=tolerance)
                numeric.value = Decimal(value)
                numeric.tolerance = Decimal(tolerance)
            question.numeric_answers.append(numeric)

    def matching(self, question: ParsedQuestion) -> None:
        question.type = "matching"
        question.shuffle = _flag(self.element.findtext("shuffleanswers"), default=True)
        fmt = question.text.format
        for subquestion in self.element.findall("subquestion"):
            text = self.rich(subquestion, fmt)
            answer = _plain(subquestion.find("answer/text"))
            if text.text or answer:  # Moodle ignores pairs with neither question nor answer
                question.pairs.append(MatchPair(text, answer))

    # -- cloze --------------------------------------------------------------------------

    def check_cloze(self) -> None:
        """Refuse invalid Cloze questions like Moodle (qtype_multianswer_validate_question)."""
        text = _plain(self.element.find("questiontext/text"))
        parts = [m for m in _CLOZE_RE.finditer(text) if _is_cloze_type(m.group(2))]
        if not parts:
            self._cloze_error(
                "the question text must include at least one embedded answer such as {{1:SHORTANSWER:=answer}}"
            )
        for part in parts:
            kind = part.group(2)
            alternatives = [a for a in re.split(r"(?<!\\)~", part.group(3) or "") if a.strip(PHP_WS)]
            parsed = [_CLOZE_ALT_RE.match(a.strip(PHP_WS)) for a in alternatives]
            fractions = []
            for match in parsed:
                if match is None or not match.group(3).strip(PHP_WS):
                    self._cloze_error("an embedded answer is empty in {part}", part=part.group(0))
                mark = match.group(1) or ""
                fractions.append(Decimal(1) if mark == "=" else Decimal(match.group(2) or 0) / 100)
            if kind in _CLOZE_CHOICE | _CLOZE_MULTI and len(alternatives) < 2:
                self._cloze_error("the multiple-choice part {part} requires at least 2 choices", part=part.group(0))
            if not alternatives:
                self._cloze_error("the part {part} has no answers", part=part.group(0))
            if kind in _CLOZE_MULTI:
                if not any(f > 0 for f in fractions):
                    self._cloze_error("the part {part} has no correct answer", part=part.group(0))
            elif not any(f == 1 for f in fractions):
                self._cloze_error(
                    "one of the answers of {part} should have a score of 100% so that full marks are possible",
                    part=part.group(0),
                )
            if kind in _CLOZE_NUMERICAL:
                for match in parsed:
                    answer = match.group(3).strip(PHP_WS)
                    value = answer.split(":", 1)
                    if answer != "*" and not all(_NUMBER_RE.fullmatch(v.strip()) for v in value):
                        self._cloze_error(
                            "the answer '{answer}' in {part} must be a number, for example -1.234 or 3e8, or '*'",
                            answer=answer,
                            part=part.group(0),
                        )

    def _cloze_error(self, template: str, **params: object) -> NoReturn:
        self.fail("invalid embedded answers (Cloze) question: " + template, **params)


def _is_cloze_type(kind: str) -> bool:
    return kind in _CLOZE_CHOICE | _CLOZE_MULTI | _CLOZE_SHORT | _CLOZE_NUMERICAL


def _plain(node: Element | None) -> str:
    """The trimmed, NFC text of an element (Moodle trims every text it imports)."""
    if node is None or node.text is None:
        return ""
    return nfc(node.text.strip(PHP_WS))


def _format_of(node: Element, default_format: str) -> str:
    fmt = node.get("format")
    return _FORMATS.get(fmt.strip(), "html") if fmt else default_format


def _flag(value: str | None, *, default: bool) -> bool:
    """Moodle's trans_single(): "false", "0" and "" are false, anything else true."""
    if value is None:
        return default
    return value.strip().lower() not in ("false", "0", "")
