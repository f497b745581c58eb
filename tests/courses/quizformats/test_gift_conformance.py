"""GIFT conformance: the 51 PEG.js expected parses and the 4 Moodle GIFT files of the corpus.

Our parser follows Moodle's qformat_gift. The PEG.js JSON is compared field by field after
mapping our result onto its shape, with exactly these documented differences:

* TF feedback: PEG.js keeps the ``#`` feedbacks by position (trueFeedback = 1st); Moodle's
  first is for the wrong answer, so they are swapped when isTrue (README, "TF feedback").
* Missing-word stems: PEG.js writes ``_____ `` and Moodle ``_____``; whitespace around the
  blank is normalised on both sides (README, "Missing-word stems").
* Essay: PEG.js returns it; we list it in ``skipped`` (compared there: title, id, tags, stem).
* A null PEG.js weight means 100 % for ``=`` answers and 0 % for ``~`` (README schema).
* A null title means "no ::title::"; we then carry Moodle's default name (start of the text).
* Category: PEG.js keeps ``$course$/top/…``; our model strips the context and ``top``.

Anything else is listed in EXCEPTIONS below with the value Moodle gives and why.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from courses.quizformats import (
    ParsedQuestion,
    QuizFormatError,
    SkippedQuestion,
    Text,
    default_question_name,
    parse_gift,
)

from .conftest import corpus_files

# Moodle trims every line of a question (qformat_default::readquestions) and joins the lines
# with "\n"; PEG.js joins them with a space (moodle format) or keeps the indentation (markdown).
NEWLINE = "Moodle keeps the line break (lines trimmed, joined with \\n); PEG.js joins lines with a space"
TRIMMED = (
    "Moodle trims every line, so trailing two-space breaks and indentation on real new lines "
    "are lost (use \\n escapes to keep them); PEG.js keeps them"
)

# (file, index in the JSON array) -> {path in the mapped question: (value Moodle gives, reason)}
EXCEPTIONS: dict[tuple[str, int], dict[str, tuple[Any, str]]] = {
    ("escapeAll.gift", 0): {
        "choices.6.feedback.text": (
            "Correct! \\ (backslash) is not a control character. BUT,\nit is used to escape the control characters.",
            NEWLINE,
        ),
    },
    ("giftFormatPhpExamples.gift", 5): {
        "stem.text": ("Match the following countries with their corresponding\ncapitals.", NEWLINE),
    },
    ("giftFormatPhpExamples.gift", 9): {
        "choices.1.feedback.text": ("He was born in 1822.\nYou get 50% credit for being close.", NEWLINE),
    },
    ("multiLineFeedback1.gift", 0): {
        "choices.1.feedback.text": ("feedback comment on this wrong answer\non multiple lines", NEWLINE),
        "globalFeedback.text": ("Global feedback split\non multiple lines", NEWLINE),
    },
    ("options1.gift", 1): {
        "stem.text": ("Japanese characters originally\ncame from what country?", NEWLINE),
    },
    ("options1.gift", 2): {
        "stem.text": (
            "The American holiday of Thanksgiving is\ncelebrated on the _____ Thursday of November.",
            NEWLINE,
        ),
    },
    ("options1.gift", 13): {
        "choices.5.feedback.text": (
            "Correct! \\ (backslash) is not a control character. BUT,\n"
            "it is used to escape the control characters. So, to specify\n"
            "a literal backslash, you must escape it with a backslash\n"
            "(as shown in this example).",
            NEWLINE,
        ),
    },
    ("symbolsAll.gift", 0): {
        "stem.text": (
            "Here's a question that has symbols inside,\nsuch as `-=[];',./~!@#$%^&*()_+{}|:\"<>?",
            NEWLINE,
        ),
    },
    ("markdown.gift", 1): {"stem.text": ("multiline2\nmarkdown", TRIMMED)},
    ("markdown.gift", 2): {"stem.text": ("nested lists\n- item 1\n- nested item 1\n- item 2", TRIMMED)},
    ("type_inferred_multiline_markdown.gift", 0): {
        "stem.text": ("stem line1\nstem line2", TRIMMED),
        "choices.0.text.text": ("answer1 line1\nanswer1 line2", TRIMMED),
        "choices.1.text.text": ("answer2 line1\nanswer2 line2", TRIMMED),
    },
    ("totara_moodle_pre_content.gift", 0): {
        "stem.text": (
            "<p>What would running the test method print?</p>\n<pre>\npublic void test() {\n"
            "method1();\nmethod2();\nmethod3();\n}\n</pre>",
            TRIMMED,
        ),
    },
}

TYPES = {
    "single_choice": "MC",
    "multiple_choice": "MC",
    "true_false": "TF",
    "short_answer": "Short",
    "numerical": "Numerical",
    "matching": "Matching",
    "description": "Description",
}
CONTEXT_PREFIX = re.compile(r"^\$[a-z0-9]+\$/(top/)?")
BLANK = re.compile(r"\s*_____\s*")


def text(value: Text | None) -> dict | None:
    return None if value is None else {"format": value.format, "text": value.text}


def number(value: float | int) -> Decimal:
    return Decimal(str(value))


# -- our result -> PEG.js shape -----------------------------------------------------------


def map_ours(question: ParsedQuestion | SkippedQuestion) -> dict:
    if isinstance(question, SkippedQuestion):
        assert question.qtype == "essay"
        return {
            "type": "Essay",
            "title": question.name,
            "id": question.idnumber,
            "tags": question.tags or None,
            "stem": text(question.text),
        }
    mapped: dict[str, Any] = {
        "type": TYPES[question.type],
        "title": question.name,
        "id": question.idnumber,
        "tags": question.tags or None,
        "stem": text(question.text),
        "hasEmbeddedAnswers": question.has_embedded_answers,
    }
    if question.type != "description":
        mapped["globalFeedback"] = text(question.general_feedback)
    if question.type == "true_false":
        first, second = question.feedback_true, question.feedback_false
        if question.correct_answer:  # documented swap: Moodle's 1st # is the wrong-answer feedback
            first, second = second, first
        mapped.update(isTrue=question.correct_answer, trueFeedback=text(first), falseFeedback=text(second))
    elif question.type in ("single_choice", "multiple_choice", "short_answer"):
        mapped["choices"] = [
            {"fraction": c.fraction, "text": text(c.text), "feedback": text(c.feedback)} for c in question.choices
        ]
    elif question.type == "numerical":
        mapped["choices"] = [
            {
                "fraction": a.fraction,
                "answer": numeric(a.value, a.tolerance, a.low, a.high),
                "feedback": text(a.feedback),
            }
            for a in question.numeric_answers
        ]
    elif question.type == "matching":
        mapped["matchPairs"] = [{"subquestion": text(p.question), "subanswer": p.answer} for p in question.pairs]
    return mapped


def numeric(value, tolerance, low, high) -> tuple:
    if value is None and low is None:
        return ("*",)
    if value is None:
        return ("high-low", low, high)
    return ("value", value, tolerance)


# -- PEG.js JSON -> the same shape ----------------------------------------------------------


def fraction(choice: dict) -> Decimal:
    if choice.get("weight") is not None:
        return number(choice["weight"]) / 100
    return Decimal(1) if choice["isCorrect"] else Decimal(0)


def peg_numeric(obj: dict) -> tuple:
    if "format" in obj:
        assert obj["text"] == "*"
        return ("*",)
    if obj["type"] == "simple":
        return ("value", number(obj["number"]), Decimal(0))
    if obj["type"] == "range":
        return ("value", number(obj["number"]), number(obj["range"]))
    return ("high-low", number(obj["numberLow"]), number(obj["numberHigh"]))


def map_expected(item: dict) -> dict:
    mapped = {key: item.get(key) for key in ("type", "title", "id", "tags", "stem")}
    if item["type"] == "Essay":
        return mapped
    mapped["hasEmbeddedAnswers"] = item["hasEmbeddedAnswers"]
    if item["type"] != "Description":
        mapped["globalFeedback"] = item["globalFeedback"]
    if item["type"] == "TF":
        mapped.update({k: item[k] for k in ("isTrue", "trueFeedback", "falseFeedback")})
    elif item["type"] in ("MC", "Short"):
        mapped["choices"] = [
            {"fraction": fraction(c), "text": c["text"], "feedback": c["feedback"]} for c in item["choices"]
        ]
    elif item["type"] == "Numerical":
        choices = item["choices"]
        if isinstance(choices, dict):  # single answer: the number object itself, 100 %
            mapped["choices"] = [{"fraction": Decimal(1), "answer": peg_numeric(choices), "feedback": None}]
        else:
            mapped["choices"] = [
                {"fraction": fraction(c), "answer": peg_numeric(c["text"]), "feedback": c["feedback"]} for c in choices
            ]
    elif item["type"] == "Matching":
        mapped["matchPairs"] = item["matchPairs"]
    return mapped


def get_path(obj: Any, path: str) -> Any:
    for key in path.split("."):
        obj = obj[int(key)] if isinstance(obj, list) else obj[key]
    return obj


def set_path(obj: Any, path: str, value: Any) -> None:
    *parents, last = path.split(".")
    for key in parents:
        obj = obj[int(key)] if isinstance(obj, list) else obj[key]
    obj[int(last) if isinstance(obj, list) else last] = value


def normalise_blank(mapped: dict) -> None:
    if mapped["stem"] is not None:
        mapped["stem"] = dict(mapped["stem"], text=BLANK.sub(" _____ ", mapped["stem"]["text"]).strip())


GIFT_PAIRS = [p for p in corpus_files("gift", "*.gift") if p.with_suffix(".json").exists()]


def test_corpus_has_51_pegjs_pairs(corpus: Path) -> None:
    assert len(GIFT_PAIRS) == 51


@pytest.mark.parametrize("path", GIFT_PAIRS, ids=lambda p: p.stem)
def test_pegjs_expected_parse(path: Path) -> None:
    expected_items = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    result = parse_gift(path.read_bytes())

    categories = [CONTEXT_PREFIX.sub("", item["title"]) for item in expected_items if item["type"] == "Category"]
    assert result.categories == categories

    items = [item for item in expected_items if item["type"] != "Category"]
    ours = sorted([*result.questions, *result.skipped], key=lambda q: q.line)
    assert len(ours) == len(items)
    assert [s.position for s in result.skipped] == [
        index for index, q in enumerate(ours, 1) if isinstance(q, SkippedQuestion)
    ]

    for index, (item, question) in enumerate(zip(items, ours, strict=True)):
        expected = map_expected(item)
        actual = map_ours(question)
        if expected["title"] is None:  # no ::title:: -> Moodle's default name
            expected["title"] = default_question_name(question.text.text)
        for field_path, (moodle_value, reason) in EXCEPTIONS.get((path.name, index), {}).items():
            assert get_path(expected, field_path) != moodle_value, f"exception no longer needed: {reason}"
            set_path(expected, field_path, moodle_value)
        if item.get("hasEmbeddedAnswers"):
            normalise_blank(expected)
            normalise_blank(actual)
        assert actual == expected, f"{path.name} question {index}"


def test_every_exception_is_used(corpus: Path) -> None:
    names = {p.name for p in GIFT_PAIRS}
    assert {name for name, _ in EXCEPTIONS} <= names


# -- the four GIFT files from Moodle ---------------------------------------------------------


def test_moodle_examples_import_without_error(corpus: Path) -> None:
    result = parse_gift((corpus / "gift" / "moodle_examples.gift").read_bytes())
    # Counted by reading examples.txt: 5 + 4 MC + 2 short + 2 TF + 2 matching + 4 numerical
    # + 14 "options" + 10 from format.php = 43, all importable (no essay).
    assert len(result.questions) == 43
    assert result.skipped == []
    assert all(q.category is None for q in result.questions)


def test_moodle_examples_types(corpus: Path) -> None:
    result = parse_gift((corpus / "gift" / "moodle_examples.gift").read_bytes())
    # Counted by hand: the partial-credit MCs ("Difficult question", "Jesus' hometown" MC,
    # the two "Multiple Answers" and "Difficult multiple choice") are multiple_choice.
    assert Counter(q.type for q in result.questions) == {
        "single_choice": 13,
        "multiple_choice": 5,
        "short_answer": 9,
        "true_false": 5,
        "numerical": 8,
        "matching": 3,
    }


def test_moodle_behat_questions(corpus: Path) -> None:
    result = parse_gift((corpus / "gift" / "questions.gift.txt").read_bytes())
    # Moodle's behat test imports 9 questions, the essay included; we skip the essay.
    assert len(result.questions) + len(result.skipped) == 9
    assert [(s.qtype, s.name, s.position) for s in result.skipped] == [("essay", "Q8", 1)]
    by_name = {q.name: q for q in result.questions}
    assert [q.type for q in result.questions] == [
        "matching",
        "single_choice",
        "multiple_choice",
        "numerical",
        "short_answer",
        "true_false",
        "true_false",
        "true_false",
    ]
    numerical = by_name["Q5"]
    # The stray '";' after the block makes it a missing-word question, as in Moodle.
    assert numerical.text.text == 'What is a number from 1 to 5? _____";'
    assert [(a.value, a.tolerance, a.fraction) for a in numerical.numeric_answers] == [
        (Decimal(3), Decimal(2), Decimal(1)),
        (None, Decimal(0), Decimal(0)),
    ]
    assert numerical.numeric_answers[1].feedback == Text("Completely wrong")
    tf = by_name["Q1"]
    assert tf.correct_answer is False
    assert tf.feedback_true == Text("42 is the Ultimate Answer.")
    assert tf.feedback_false == Text("You gave the right answer.")
    assert tf.general_feedback == Text("This is, of course, a Hitchiker's Guide to the Galaxy reference.")
    matching = by_name["Moodle activities"]
    assert [(p.question.format, p.answer) for p in matching.pairs] == [
        ("html", "Forum"),
        ("moodle", "Choice"),
        ("plain", "Database"),
        ("markdown", "Wiki"),
        ("html", "Chat"),
    ]
    assert matching.pairs[-1].question.text == ""


def test_moodle_questions_in_category(corpus: Path) -> None:
    result = parse_gift((corpus / "gift" / "questions_in_category.gift.txt").read_bytes())
    assert len(result.questions) == 4
    assert result.skipped == []
    assert result.categories == ["Default for New Features"]
    assert {q.category for q in result.questions} == {"Default for New Features"}
    greeting = next(q for q in result.questions if q.name == "Greeting")
    assert greeting.text == Text(
        '<a href="http://demo.moodle.net/file.php/5/media/bonjour.mp3">Listen to this greeting:</a>'
        "<br /><br />What language is being spoken?",
        "html",
    )
    user = next(q for q in result.questions if q.name == "Moodle user")
    assert user.type == "short_answer"
    assert user.choices[0].text.text == "Moodler" and user.choices[0].feedback is None


def test_windows_1252_file_is_refused(corpus: Path) -> None:
    data = (corpus / "gift" / "questions_encoding_windows-1252.gift.txt").read_bytes()
    with pytest.raises(QuizFormatError) as error:
        parse_gift(data)
    assert "not UTF-8" in error.value.reason
    assert error.value.line == data[: data.index(b"\xf6")].count(b"\n") + 1 == 15
