"""Serialise questions to GIFT, in the style of Moodle's GIFT export.

The output re-imports to equal questions with :func:`parse_gift` (apart from ``line``);
embedded files, ``shuffle`` and ``case_sensitive`` cannot be expressed in GIFT.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from .model import TEXT_FORMATS, ParsedQuestion, Text

__all__ = ["to_gift", "GiftWriteError"]

_ESCAPES = {"\\": "\\\\", "#": "\\#", "=": "\\=", "~": "\\~", "{": "\\{", "}": "\\}", ":": "\\:"}
_ESCAPES.update({"\n": "\\n", "\r": ""})
_TABLE = str.maketrans(_ESCAPES)
_BLANK = "_____"


class GiftWriteError(ValueError):
    """A question cannot be written as GIFT without changing its meaning."""


def escape(text: str) -> str:
    """Moodle's repchar(): escape GIFT control characters and new lines."""
    return text.translate(_TABLE)


def _number(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def _weight(fraction: Decimal) -> str:
    return "%" + _number(fraction * 100) + "%"


def _text(text: Text, default_format: str) -> str:
    """[format] tag when it differs from the default (or the text itself starts with '[')."""
    if text.format not in TEXT_FORMATS:
        raise GiftWriteError(f"unknown text format {text.format!r}")
    tag = f"[{text.format}]" if text.format != default_format or text.text.startswith("[") else ""
    return tag + escape(text.text)


def _feedback(feedback: Text | None, default_format: str) -> str:
    return "#" + _text(feedback, default_format) if feedback and feedback.text else ""


def _general_feedback(question: ParsedQuestion) -> str:
    feedback = question.general_feedback
    if not feedback or not feedback.text:
        return ""
    return "####" + _text(feedback, question.text.format)


def _block(question: ParsedQuestion) -> str:
    fmt = question.text.format
    lines: list[str] = []
    if question.type in ("single_choice", "multiple_choice"):
        single = question.type == "single_choice"
        for choice in question.choices:
            literal_percent = choice.text.text.startswith("%")  # would be read as a weight
            if single and choice.fraction == 1 and not literal_percent:
                marker = "="
            elif choice.fraction == 0 and not literal_percent:
                marker = "~"
            else:
                marker = ("=" if single and choice.fraction == 1 else "~") + _weight(choice.fraction)
            lines.append(marker + _text(choice.text, fmt) + _feedback(choice.feedback, fmt))
    elif question.type == "short_answer":
        for choice in question.choices:
            # "=" and "->" anywhere in the block would make it a matching question.
            _check_arrow(question, choice.text.text, "a short answer")
            _check_arrow(question, choice.feedback.text if choice.feedback else "", "short-answer feedback")
            explicit = choice.fraction != 1 or choice.text.text.startswith("%")
            marker = "=" + (_weight(choice.fraction) if explicit else "")
            lines.append(marker + _text(choice.text, fmt) + _feedback(choice.feedback, fmt))
    elif question.type == "numerical":
        lines.extend(_numeric_lines(question))
    elif question.type == "matching":
        for pair in question.pairs:
            _check_arrow(question, pair.question.text, "a matching question")
            lines.append("=" + _text(pair.question, fmt) + " -> " + escape(pair.answer))
    elif question.type == "true_false":
        right, wrong = question.feedback_true, question.feedback_false
        if not question.correct_answer:
            right, wrong = wrong, right
        answer = "TRUE" if question.correct_answer else "FALSE"
        wrong_part = _feedback(wrong, fmt) or ("#" if right and right.text else "")
        return "{" + answer + wrong_part + _feedback(right, fmt) + _general_feedback(question) + "}"
    else:
        raise GiftWriteError(f"question type {question.type!r} cannot be written as GIFT")
    general = _general_feedback(question)
    if general:
        lines.append(general)
    prefix = "{#\n" if question.type == "numerical" else "{\n"
    return prefix + "".join(f"\t{line}\n" for line in lines) + "}"


def _numeric_lines(question: ParsedQuestion) -> list[str]:
    fmt = question.text.format
    lines = []
    last = len(question.numeric_answers) - 1
    for index, answer in enumerate(question.numeric_answers):
        feedback = _feedback(answer.feedback, fmt)
        weight = "" if answer.fraction == 1 else _weight(answer.fraction)
        if answer.is_wildcard:
            if answer.fraction == 0 and index == last:
                lines.append("~" + (feedback or "#"))
            else:
                lines.append("=" + weight + "*" + feedback)
            continue
        if answer.value is None:
            if answer.low is None or answer.high is None:
                raise GiftWriteError(f"question {question.name!r}: a numerical range needs low and high")
            value = _number(answer.low) + ".." + _number(answer.high)
        else:
            value = _number(answer.value)
            if answer.tolerance:
                value += ":" + _number(Decimal(answer.tolerance))
        lines.append("=" + weight + value + feedback)
    return lines


def _check_arrow(question: ParsedQuestion, text: str, what: str) -> None:
    if "->" in text:
        raise GiftWriteError(f"question {question.name!r}: GIFT cannot write '->' inside {what}")


def _comments(question: ParsedQuestion) -> list[str]:
    lines = []
    if question.idnumber:
        lines.append("// [id:" + question.idnumber.replace("]", "\\]") + "]")
    if question.tags:
        lines.append("// " + " ".join("[tag:" + tag.replace("]", "\\]") + "]" for tag in question.tags))
    return lines


def _question(question: ParsedQuestion) -> str:
    stem = question.text
    tag = f"[{stem.format}]" if stem.format != "moodle" or stem.text.startswith("[") else ""
    head = "::" + escape(question.name) + "::" + tag
    if question.type == "description":
        return head + escape(stem.text)
    block = _block(question)
    if question.has_embedded_answers and _BLANK in stem.text:
        before, after = stem.text.split(_BLANK, 1)
        return head + escape(before) + block + escape(after)
    return head + escape(stem.text) + block


def _category_line(category: str) -> str:
    # Only backslashes need escaping: Moodle reads the rest of the line literally.
    return "$CATEGORY: $course$/top/" + category.replace("\\", "\\\\").replace("\n", " ")


def to_gift(questions: Iterable[ParsedQuestion], *, category: str | None = None) -> str:
    """Serialise questions to GIFT; a ``$CATEGORY:`` line is written whenever it changes."""
    parts: list[str] = []
    current: str | None = None
    for question in questions:
        wanted = question.category if question.category is not None else category
        if wanted and wanted != current:
            parts.append(_category_line(wanted) + "\n")
            current = wanted
        parts.append("\n".join([*_comments(question), _question(question)]) + "\n")
    if not parts and category:
        parts.append(_category_line(category) + "\n")
    return "\n".join(parts)
