"""Moodle GIFT and Moodle XML question files: parsers and a GIFT writer (no Django).

    result = parse_gift(uploaded_bytes)            # or parse_moodle_xml(uploaded_bytes)
    result.questions, result.skipped, result.categories
    text = to_gift(result.questions)

Files are refused as a whole with QuizFormatError (``.line``, ``.reason``).
"""

from .common import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_QUESTIONS,
    default_question_name,
    normalise_category_path,
    read_limited,
)
from .gift import parse_gift
from .gift_writer import GiftWriteError, to_gift
from .model import (
    QUESTION_TYPES,
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
from .moodle_xml import MOODLE_GRADES, parse_moodle_xml

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_QUESTIONS",
    "MOODLE_GRADES",
    "QUESTION_TYPES",
    "TEXT_FORMATS",
    "Choice",
    "GiftWriteError",
    "MatchPair",
    "NumericAnswer",
    "ParseResult",
    "ParsedQuestion",
    "QuizFormatError",
    "SkippedQuestion",
    "Text",
    "default_question_name",
    "normalise_category_path",
    "parse_gift",
    "parse_moodle_xml",
    "read_limited",
    "to_gift",
]
