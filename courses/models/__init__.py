"""Authored content: pages (catalogue, course, lesson, quiz) and the question bank."""

from .pages import CatalogPage, Competence, CoursePage, FoldedSearchMixin, HomePage, LessonPage, Topic
from .questions import (
    Difficulty,
    Question,
    QuestionCategory,
    QuestionChoice,
    QuestionImport,
    QuestionNumericAnswer,
    QuestionPair,
    QuestionType,
    TextFormat,
)
from .quizzes import QuizKind, QuizPage, QuizQuestion, ReviewPolicy

__all__ = [
    "CatalogPage",
    "Competence",
    "CoursePage",
    "Difficulty",
    "FoldedSearchMixin",
    "HomePage",
    "LessonPage",
    "Question",
    "QuestionCategory",
    "QuestionChoice",
    "QuestionImport",
    "QuestionNumericAnswer",
    "QuestionPair",
    "QuestionType",
    "QuizKind",
    "QuizPage",
    "QuizQuestion",
    "ReviewPolicy",
    "TextFormat",
    "Topic",
]
