"""The question bank's services: conversion to and from the interchange model, import, export.

Every write to questions goes through here; the admin and the command line call the same code.
"""

import hashlib
import json
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from courses.models import (
    Question,
    QuestionCategory,
    QuestionChoice,
    QuestionNumericAnswer,
    QuestionPair,
)
from courses.quizformats import (
    ParsedQuestion,
    ParseResult,
    parse_gift,
    parse_moodle_xml,
    to_gift,
)
from courses.quizformats.model import Choice, MatchPair, NumericAnswer, Text

FORMATS = {"gift": parse_gift, "moodle_xml": parse_moodle_xml}
EXTENSIONS = {".gift": "gift", ".txt": "gift", ".xml": "moodle_xml"}


def format_for_filename(filename: str) -> str | None:
    name = filename.lower()
    for ext, fmt in EXTENSIONS.items():
        if name.endswith(ext):
            return fmt
    return None


# --- categories ---------------------------------------------------------------------------


def category_ensure(path: str) -> QuestionCategory:
    """The category at ``path`` ("A/B/C"), creating missing levels."""
    parts = [p.strip() for p in path.split("/") if p.strip()]
    if not parts:
        raise ValueError(_("A category path cannot be empty."))
    parent = None
    for depth in range(1, len(parts) + 1):
        sub_path = "/".join(parts[:depth])
        node = QuestionCategory.objects.filter(path=sub_path).first()
        if node is None:
            node = QuestionCategory(name=parts[depth - 1], parent=parent)
            node.save()
        parent = node
    return parent


# --- model <-> interchange -----------------------------------------------------------------


def _text(text: str, fmt: str) -> Text | None:
    return Text(text, fmt) if text else None


def question_to_parsed(question: Question) -> ParsedQuestion:
    """The question as the interchange model (what GIFT export writes)."""
    return ParsedQuestion(
        type=question.type,
        name=question.name,
        text=Text(question.text, question.text_format),
        general_feedback=_text(question.general_feedback, question.general_feedback_format),
        choices=[
            Choice(Text(c.text, c.text_format), Decimal(c.fraction).normalize(), _text(c.feedback, c.feedback_format))
            for c in question.choices.all()
        ],
        numeric_answers=[
            NumericAnswer(
                value=None if n.value is None else Decimal(n.value).normalize(),
                tolerance=Decimal(n.tolerance).normalize(),
                low=None if n.low is None else Decimal(n.low).normalize(),
                high=None if n.high is None else Decimal(n.high).normalize(),
                fraction=Decimal(n.fraction).normalize(),
                feedback=_text(n.feedback, n.feedback_format),
            )
            for n in question.numeric_answers.all()
        ],
        pairs=[MatchPair(Text(p.item, p.item_format), p.answer) for p in question.pairs.all()],
        correct_answer=question.correct_answer,
        feedback_true=_text(question.feedback_true, question.feedback_true_format),
        feedback_false=_text(question.feedback_false, question.feedback_false_format),
        idnumber=question.idnumber or None,
        tags=list(question.tags or []),
        category=question.category.path,
        shuffle=question.shuffle,
        case_sensitive=question.case_sensitive,
    )


def _canonical(value):
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    return value


def fingerprint(parsed: ParsedQuestion) -> str:
    """A digest of the question's content (not its position, category or media)."""
    data = asdict(parsed)
    for key in ("line", "category", "files", "has_embedded_answers"):
        data.pop(key, None)
    blob = json.dumps(_canonical(data), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()


def question_problems(question: Question) -> dict:
    """What is wrong with a question as edited in the admin, by field (empty when fine)."""
    problems = {}
    if question.type == "true_false" and question.correct_answer is None:
        problems["correct_answer"] = _("Say whether the statement is true or false.")
    return problems


def _save_parsed(parsed: ParsedQuestion, category: QuestionCategory) -> tuple[Question, bool]:
    digest = fingerprint(parsed)
    existing = Question.objects.filter(category=category, fingerprint=digest).first()
    if existing:
        return existing, False
    question = Question(
        category=category,
        type=parsed.type,
        name=parsed.name[:255],
        text=parsed.text.text,
        text_format=parsed.text.format,
        general_feedback=parsed.general_feedback.text if parsed.general_feedback else "",
        general_feedback_format=parsed.general_feedback.format if parsed.general_feedback else "html",
        shuffle=parsed.shuffle,
        case_sensitive=parsed.case_sensitive,
        correct_answer=parsed.correct_answer,
        feedback_true=parsed.feedback_true.text if parsed.feedback_true else "",
        feedback_false=parsed.feedback_false.text if parsed.feedback_false else "",
        feedback_true_format=parsed.feedback_true.format if parsed.feedback_true else "html",
        feedback_false_format=parsed.feedback_false.format if parsed.feedback_false else "html",
        idnumber=(parsed.idnumber or "")[:100],
        tags=parsed.tags,
        fingerprint=digest,
    )
    question.choices = [
        QuestionChoice(
            sort_order=i,
            text=c.text.text,
            text_format=c.text.format,
            fraction=c.fraction,
            feedback=c.feedback.text if c.feedback else "",
            feedback_format=c.feedback.format if c.feedback else "html",
        )
        for i, c in enumerate(parsed.choices)
    ]
    question.numeric_answers = [
        QuestionNumericAnswer(
            sort_order=i,
            value=n.value,
            tolerance=n.tolerance,
            low=n.low,
            high=n.high,
            fraction=n.fraction,
            feedback=n.feedback.text if n.feedback else "",
            feedback_format=n.feedback.format if n.feedback else "html",
        )
        for i, n in enumerate(parsed.numeric_answers)
    ]
    question.pairs = [
        QuestionPair(sort_order=i, item=p.question.text, item_format=p.question.format, answer=p.answer)
        for i, p in enumerate(parsed.pairs)
    ]
    question.image = _embedded_image(parsed)  # the text keeps its reference, as in the file (export, fingerprint)
    question.save()
    return question, True


def _embedded_image(parsed: ParsedQuestion):
    """The first embedded file of the question text (Moodle XML ``<file>``) that is a real image, stored as a
    Wagtail image; None when there is none. Other files stay out (they could not be shown anyway)."""
    import io

    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images import get_image_model

    for name, content in parsed.files.items():
        if not content or not name.lower().endswith((".png", ".jpg", ".jpeg", ".gif", ".webp")):
            continue
        try:
            with PILImage.open(io.BytesIO(content)) as probe:
                probe.verify()
        except Exception:  # noqa: BLE001, S112 - not an image Pillow can read: leave it out
            continue
        filename = name.rsplit("/", 1)[-1]
        image = get_image_model()(title=f"{parsed.name or filename}"[:255])
        image.file = ImageFile(io.BytesIO(content), name=filename)
        image.save()
        return image
    return None


# --- import -----------------------------------------------------------------------------------


@dataclass
class ImportReport:
    created: int = 0
    unchanged: int = 0
    categories: list[str] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)
    questions: list[dict] = field(default_factory=list)

    def as_dict(self):
        return asdict(self)


def _target_category(root: QuestionCategory, sub_path: str | None) -> QuestionCategory:
    return category_ensure(f"{root.path}/{sub_path}") if sub_path else root


def questions_preview(result: ParseResult) -> ImportReport:
    """What an import would do, without writing anything."""
    report = ImportReport(categories=list(result.categories))
    for q in result.questions:
        report.questions.append({"name": q.name, "type": q.type, "line": q.line, "category": q.category or ""})
    report.skipped = [
        {"name": s.name, "position": s.position, "line": s.line, "type": s.qtype, "reason": s.reason}
        for s in result.skipped
    ]
    return report


@transaction.atomic
def questions_import(result: ParseResult, *, category_path: str) -> ImportReport:
    """Import parsed questions under ``category_path`` (sub-categories from the file go below it).

    All or nothing; importing the same file again creates nothing.
    """
    root = category_ensure(category_path)
    report = questions_preview(result)
    for path in result.categories:
        _target_category(root, path)
    for parsed in result.questions:
        _question, created = _save_parsed(parsed, _target_category(root, parsed.category))
        if created:
            report.created += 1
        else:
            report.unchanged += 1
    return report


def category_export_gift(category: QuestionCategory) -> str:
    """The category's questions (not its sub-categories) as GIFT text."""
    questions = (
        Question.objects.filter(category=category)
        .prefetch_related("choices", "numeric_answers", "pairs")
        .select_related("category")
        .order_by("pk")
    )
    parsed = [question_to_parsed(q) for q in questions]
    for item in parsed:
        item.category = None  # no $CATEGORY line: the file imports into whichever category is chosen
    header = f"// {category.path}\n// {len(parsed)} questions\n\n"
    return header + to_gift(parsed)
