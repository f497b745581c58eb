"""Seeded random questions full of GIFT control characters survive to_gift() -> parse_gift()."""

from __future__ import annotations

import dataclasses
import random
from decimal import Decimal

import pytest

from courses.quizformats import (
    TEXT_FORMATS,
    Choice,
    MatchPair,
    NumericAnswer,
    ParsedQuestion,
    Text,
    parse_gift,
    to_gift,
)

PIECES = [
    "Hà Nội",
    "điện thoại",
    "a",
    "x",
    "\\",
    "\\\\",
    "\\n",
    "{",
    "}",
    "#",
    "##",
    "####",
    "=",
    "~",
    ":",
    "::",
    "%",
    "%50%",
    "[html]",
    "[b]",
    "]",
    "_____",
    "//",
    "$CATEGORY:",
    "\n",
    "\n  indented",
    "\t",
    " ",
    "->",
    "<p>",
    "&amp;",
    "\xa0",
    "ữ",
]
WS = " \t\n\r\0\x0b"


def text(rng: random.Random, *, allow_arrow: bool = True, max_pieces: int = 6) -> str:
    while True:
        pieces = [rng.choice(PIECES) for _ in range(rng.randint(1, max_pieces))]
        value = "".join(pieces).strip(WS)
        if value.strip() and (allow_arrow or "->" not in value):
            return value


def rich(rng: random.Random, **kwargs) -> Text:
    return Text(text(rng, **kwargs), rng.choice(TEXT_FORMATS))


def maybe(rng: random.Random, **kwargs) -> Text | None:
    return rich(rng, **kwargs) if rng.random() < 0.5 else None


def fraction(rng: random.Random) -> Decimal:
    return Decimal(rng.choice(["1", "0", "0.5", "-1", "0.3333333", "-0.25", "0.125", "0.05"]))


def number(rng: random.Random) -> Decimal:
    return Decimal(rng.choice(["0", "1", "-1", "3.1415", "1822", "-0.0005", "1E+3", "2.50"]))


def question(rng: random.Random, index: int) -> ParsedQuestion:
    qtype = rng.choice(
        ["single_choice", "multiple_choice", "true_false", "short_answer", "numerical", "matching", "description"]
    )
    q = ParsedQuestion(
        type=qtype,
        name=text(rng),
        text=rich(rng),
        general_feedback=None if qtype == "description" else maybe(rng),
        idnumber=rng.choice([None, f"id-{index}", "a]b"]),
        tags=rng.choice([[], ["thẻ"], ["a b", "c]d"]]),
        category=rng.choice([None, "A", "A/Bé"]),
    )
    if qtype == "single_choice":
        q.choices = [Choice(rich(rng), Decimal(1), maybe(rng))]
        q.choices += [Choice(rich(rng), rng.choice([Decimal(0), Decimal("-0.5")]), maybe(rng)) for _ in range(3)]
        rng.shuffle(q.choices)
    elif qtype == "multiple_choice":
        q.choices = [Choice(rich(rng), Decimal("0.5"), maybe(rng))]
        q.choices += [Choice(rich(rng), fraction(rng), maybe(rng)) for _ in range(rng.randint(1, 4))]
    elif qtype == "true_false":
        q.correct_answer = rng.random() < 0.5
        q.feedback_true, q.feedback_false = maybe(rng), maybe(rng)
    elif qtype == "short_answer":
        q.choices = [Choice(rich(rng, allow_arrow=False), Decimal(1), maybe(rng, allow_arrow=False))]
        q.choices += [
            Choice(rich(rng, allow_arrow=False), fraction(rng), maybe(rng, allow_arrow=False)) for _ in range(2)
        ]
    elif qtype == "numerical":
        q.numeric_answers = [NumericAnswer(number(rng), abs(number(rng)), feedback=maybe(rng))]
        low = number(rng)
        q.numeric_answers.append(NumericAnswer(None, low=low, high=low + 2, fraction=fraction(rng)))
        if rng.random() < 0.5:
            q.numeric_answers.append(NumericAnswer(None, fraction=Decimal(0), feedback=maybe(rng)))
    elif qtype == "matching":
        q.pairs = [MatchPair(rich(rng, allow_arrow=False), text(rng)) for _ in range(3)]
        q.pairs.append(MatchPair(Text("", rng.choice(TEXT_FORMATS)), text(rng)))
    if qtype != "description" and rng.random() < 0.3:
        q.text = Text(text(rng) + " _____ " + text(rng), q.text.format)
        q.has_embedded_answers = True
    return q


@pytest.mark.parametrize("seed", range(20))
def test_random_questions_round_trip(seed: int) -> None:
    rng = random.Random(seed)
    questions = [question(rng, index) for index in range(25)]
    again = parse_gift(to_gift(questions)).questions
    # A question without a category after one with a category inherits it in GIFT.
    expected, current = [], None
    for q in questions:
        current = q.category if q.category is not None else current
        expected.append(dataclasses.replace(q, category=current))
    assert [dataclasses.replace(q, line=0) for q in again] == expected
