"""Data model shared by the GIFT and Moodle XML parsers and the GIFT writer.

Plain dataclasses, no Django: the platform maps them onto its own models.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

QUESTION_TYPES = (
    "single_choice",
    "multiple_choice",
    "true_false",
    "short_answer",
    "numerical",
    "matching",
    "description",
)

TEXT_FORMATS = ("moodle", "html", "markdown", "plain")


@dataclass
class Text:
    """A piece of rich text and its format: "moodle", "html", "markdown" or "plain"."""

    text: str
    format: str = "moodle"


@dataclass
class Choice:
    """An answer of a choice or short-answer question; fraction is in [-1, 1]."""

    text: Text
    fraction: Decimal
    feedback: Text | None = None


@dataclass
class NumericAnswer:
    """A numerical answer: value ± tolerance, or low..high.

    value, low and high all None means "any other answer" (Moodle's ``*``).
    """

    value: Decimal | None
    tolerance: Decimal = Decimal(0)
    low: Decimal | None = None
    high: Decimal | None = None
    fraction: Decimal = Decimal(1)
    feedback: Text | None = None

    @property
    def is_wildcard(self) -> bool:
        return self.value is None and self.low is None and self.high is None


@dataclass
class MatchPair:
    """A matching pair; an empty question text marks an extra distractor answer."""

    question: Text
    answer: str


@dataclass
class ParsedQuestion:
    """One importable question."""

    type: str
    name: str
    text: Text
    general_feedback: Text | None = None
    choices: list[Choice] = field(default_factory=list)
    numeric_answers: list[NumericAnswer] = field(default_factory=list)
    pairs: list[MatchPair] = field(default_factory=list)
    correct_answer: bool | None = None
    # Moodle semantics: the feedback shown when the learner answers true / false.
    feedback_true: Text | None = None
    feedback_false: Text | None = None
    idnumber: str | None = None
    tags: list[str] = field(default_factory=list)
    category: str | None = None
    line: int = 0
    shuffle: bool = True
    case_sensitive: bool = False
    has_embedded_answers: bool = False
    # Embedded media (Moodle XML), referenced as @@PLUGINFILE@@/name in the texts.
    files: dict[str, bytes] = field(default_factory=dict)


@dataclass
class SkippedQuestion:
    """A question that was read but is not imported (essay, cloze, unknown type)."""

    name: str
    position: int
    line: int
    qtype: str
    reason: str
    text: Text | None = None
    idnumber: str | None = None
    tags: list[str] = field(default_factory=list)
    category: str | None = None


@dataclass
class ParseResult:
    """Questions, skipped questions and every category path met (parents first)."""

    questions: list[ParsedQuestion] = field(default_factory=list)
    skipped: list[SkippedQuestion] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)


class QuizFormatError(ValueError):
    """A file is refused.

    ``reason`` is the English message; ``template`` (a ``str.format`` pattern) and ``params``
    let the platform translate it.
    """

    def __init__(self, line: int | None, template: str, **params: Any) -> None:
        self.line = line
        self.template = template
        self.params = params
        self.reason = template.format(**params)
        super().__init__(str(self))

    def __str__(self) -> str:
        if self.line is None:
            return self.reason
        return f"line {self.line}: {self.reason}"
