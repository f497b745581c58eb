"""Drawing an attempt's questions, checking responses and grading them.

Works on the attempt's snapshot (plain JSON), never on the live question bank, so a question edited
or a quiz re-published during an attempt changes nothing for it. The snapshot holds the answers'
credit; only ``public_question`` output may be sent to a browser before the attempt is submitted.
"""

import hashlib
import logging
import random
import re
import secrets
from decimal import Decimal, InvalidOperation

from cachetools import LRUCache
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _

from learning.core.text import fold

from .models import Question, QuestionCategory, QuizPage
from .rendering import to_html, to_plain

logger = logging.getLogger(__name__)

# A numerical answer is a number a person types: at most this many characters, and within ±NUMBER_LIMIT.
# Anything larger (``1e9999999``) is refused when it is saved, and never reaches grading arithmetic.
NUMBER_LIMIT = Decimal(10) ** 12
NUMBER_MAX_LENGTH = 40
GRADED_TYPES = {"single_choice", "multiple_choice", "true_false", "short_answer", "numerical", "matching"}
_SPACES = re.compile(r"\s+")
# What no database text may hold: a NUL byte (PostgreSQL refuses it) and a lone UTF-16 surrogate (not UTF-8).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _opaque() -> str:
    return secrets.token_urlsafe(6)


def _html(text, fmt) -> str:
    return str(to_html(text, fmt))


# This process's copies of pools and pool sources: a quiz start then reads neither Redis nor the bank's
# rows when nothing changed. Keys identify the content exactly (published revision and publication
# time, or the bank's stamp); the least recently used go first when full.
_LOCAL: LRUCache = LRUCache(maxsize=256)


def _pool_source(quiz: QuizPage) -> tuple[list[int], list[int], str]:
    """(fixed question ids in order, category ids to draw from, a digest of both) of the quiz's
    published revision.

    Both are the live page's own relations, written only when a revision is published, so they are
    kept per published revision (a draft, which has none, is read every time)."""
    key = f"quiz-pool-source:{quiz.pk}:{quiz.live_revision_id}:{quiz.last_published_at}"
    source = _LOCAL.get(key) if quiz.live_revision_id else None
    if source is None:
        fixed = list(quiz.fixed_questions.values_list("question_id", flat=True))
        categories = [] if fixed else sorted(quiz.categories.values_list("pk", flat=True))
        digest = hashlib.blake2b(repr((fixed, categories)).encode(), digest_size=8).hexdigest()
        source = (fixed, categories, digest)
        if quiz.live_revision_id:
            _LOCAL[key] = source
    return source


def _pool_from(fixed: list[int], categories: list[int]) -> tuple[str, list[int]]:
    """The one definition of a quiz's candidate questions, as SQL ``FROM … WHERE …`` (question ``q``, its
    category ``c``) and its parameters: the fixed list, or every question but descriptions in the chosen
    categories and their sub-categories. Sub-categories are matched by their path as it is now (``c.path``
    starts with the chosen category's path and "/"), so a category created, moved or renamed under a
    chosen one counts at once. Portable SQL (SQLite and PostgreSQL); names come from the models, values
    are parameters."""
    quote = connection.ops.quote_name
    question, category = quote(Question._meta.db_table), quote(QuestionCategory._meta.db_table)
    marks = ", ".join(["%s"] * len(fixed or categories))
    if fixed:
        where = f"q.id IN ({marks})"
    else:
        where = (
            f"q.type <> 'description' AND EXISTS (SELECT 1 FROM {category} r WHERE r.id IN ({marks})"  # noqa: S608 - names from the models, values as parameters
            " AND (c.id = r.id OR substr(c.path, 1, length(r.path) + 1) = r.path || '/'))"
        )
    return f" FROM {question} q INNER JOIN {category} c ON c.id = q.category_id WHERE {where}", list(
        fixed or categories
    )


def pool_stamp_columns(quiz: QuizPage) -> tuple[str, list]:
    """Size and last change of the quiz's candidate questions as two columns for a caller's ``SELECT`` (SQL
    and parameters), so that a quiz start reads them in the statement that reads the learner's attempts;
    :func:`pool_stamp_of` makes the stamp of the two values."""
    fixed, categories, _digest = _pool_source(quiz)
    if not fixed and not categories:
        return "0, NULL", []
    from_where, params = _pool_from(fixed, categories)
    return f"(SELECT COUNT(q.id){from_where}), (SELECT MAX(q.updated_at){from_where})", params + params


def pool_stamp_of(count, changed) -> str:
    """The pool's stamp for its size and last change. MAX() comes back as a datetime on PostgreSQL and as text
    on SQLite: either way it only has to change when a question does (no spaces: cache keys must not have
    any)."""
    return f"{count}:{changed or ''}".replace(" ", "T")


def _pool_stamp(fixed: list[int], categories: list[int]) -> str:
    """Size and last change of the candidate questions, read in one statement (hand-written because it
    runs on every quiz start, where building the equivalent ORM query cost more than the statement)."""
    if not fixed and not categories:
        return pool_stamp_of(0, None)
    from_where, params = _pool_from(fixed, categories)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(q.id), MAX(q.updated_at)" + from_where, params)
        return pool_stamp_of(*cursor.fetchone())


def _pool_questions(fixed: list[int], categories: list[int]):
    """The candidate questions as a queryset: the set ``_pool_from`` defines."""
    if not fixed and not categories:
        return Question.objects.none()
    from_where, params = _pool_from(fixed, categories)
    return Question.objects.filter(pk__in=RawSQL("SELECT q.id" + from_where, params))  # noqa: S611 - values as parameters


def question_pool(quiz: QuizPage, *, stamp: str | None = None) -> tuple[list[dict], bool]:
    """Every question the quiz may draw, rendered once and cached (the same for every learner).

    The cache key carries the quiz's published revision, where it draws from, and the candidate
    questions' size and last change, so an edited, added or removed question gives a new pool.
    Costs one statement when this process has the pool already, none when the caller read the ``stamp``
    (:func:`pool_stamp_columns`) just before (the templates are shared: never change them). Returns
    (templates, is_fixed_list).
    """
    fixed, categories, digest = _pool_source(quiz)
    stamp = stamp if stamp is not None else _pool_stamp(fixed, categories)
    key = f"quiz-pool:{quiz.pk}:{quiz.live_revision_id}:{digest}:{stamp}"
    pool = _LOCAL.get(key)
    if pool is None:
        pool = cache.get(key)
        if pool is None:
            questions = _pool_questions(fixed, categories)
            questions = questions.prefetch_related("choices", "numeric_answers", "pairs").select_related("image")
            by_id = {q.pk: _question_template(q) for q in questions}
            order = fixed if fixed else sorted(by_id)
            pool = [by_id[i] for i in order if i in by_id]
            cache.set(key, pool, 60 * 60)
        _LOCAL[key] = pool
    return pool, bool(fixed)


def _question_template(question: Question) -> dict:
    """A question as snapshot data, before an attempt gives its choices ids and an order."""
    item = {
        "key": str(question.pk),
        "type": question.type,
        "name": question.name,
        "html": _html(question.text, question.text_format),
        "image": question.image.get_rendition("max-720x480").url if question.image_id else None,
        "general_feedback": _html(question.general_feedback, question.general_feedback_format),
        "shuffle": question.shuffle,
    }
    if question.type in ("single_choice", "multiple_choice"):
        item["choices"] = [
            {
                "html": _html(c.text, c.text_format),
                "fraction": str(c.fraction),
                "feedback": _html(c.feedback, c.feedback_format),
            }
            for c in question.choices.all()
        ]
    elif question.type == "true_false":
        item.update(
            correct=bool(question.correct_answer),
            feedback_true=_html(question.feedback_true, question.feedback_true_format),
            feedback_false=_html(question.feedback_false, question.feedback_false_format),
        )
    elif question.type == "short_answer":
        item.update(
            accepted=[
                {
                    "text": to_plain(c.text, c.text_format),
                    "fraction": str(c.fraction),
                    "feedback": _html(c.feedback, c.feedback_format),
                }
                for c in question.choices.all()
            ],
            case_sensitive=question.case_sensitive,
            ignore_diacritics=question.ignore_diacritics,
        )
    elif question.type == "numerical":
        item["numeric"] = [
            {
                "value": None if n.value is None else str(n.value),
                "tolerance": str(n.tolerance),
                "low": None if n.low is None else str(n.low),
                "high": None if n.high is None else str(n.high),
                "fraction": str(n.fraction),
                "feedback": _html(n.feedback, n.feedback_format),
            }
            for n in question.numeric_answers.all()
        ]
    elif question.type == "matching":
        item["items"] = [
            {"html": _html(p.item, p.item_format), "answer": p.answer} for p in question.pairs.all() if p.item.strip()
        ]
        item["options"] = list(dict.fromkeys(p.answer for p in question.pairs.all()))
    return item


def _instantiate(template: dict, *, shuffle: bool, rng: random.Random) -> dict:
    """This attempt's copy of a question: fresh opaque ids, choices and items in this attempt's order."""
    # Lists are copied: the template is shared by every attempt this process starts.
    item = {
        k: [dict(entry) for entry in v] if isinstance(v, list) else v
        for k, v in template.items()
        if k not in ("shuffle", "choices", "items", "options")
    }
    shuffle = shuffle and template["shuffle"]
    if "choices" in template:
        item["choices"] = [{"id": _opaque(), **choice} for choice in template["choices"]]
        if shuffle:
            rng.shuffle(item["choices"])
    if template["type"] == "matching":
        option_ids = {text: _opaque() for text in template["options"]}
        item["options"] = [{"id": option_ids[text], "text": text} for text in template["options"]]
        item["items"] = [
            {"id": _opaque(), "html": i["html"], "answer": option_ids[i["answer"]]} for i in template["items"]
        ]
        if shuffle:
            rng.shuffle(item["items"])
        rng.shuffle(item["options"])
    return item


def snapshot_build(quiz: QuizPage, *, rng: random.Random | None = None, stamp: str | None = None) -> dict:
    """The questions of a new attempt, drawn from the pool (``stamp``: the pool's, when the caller read it)."""
    rng = rng or random.Random(secrets.randbits(64))  # noqa: S311 - order, not secrecy
    pool, fixed = question_pool(quiz, stamp=stamp)
    drawn = pool if fixed else rng.sample(pool, k=min(quiz.question_count, len(pool)))
    if not any(q["type"] in GRADED_TYPES for q in drawn):
        raise ValidationError({"quiz": _("This quiz has no questions yet. Please tell the course organiser.")})
    return {
        "quiz_revision": quiz.live_revision_id,
        "questions": [_instantiate(q, shuffle=quiz.shuffle_choices, rng=rng) for q in drawn],
    }


def public_question(item: dict, question_id: str) -> dict:
    """What the learner may see of a question before submitting: no credit, no answers, no feedback.

    ``question_id`` is the id the learner sees for it in this attempt (never the bank's id, ``key``)."""
    public = {"id": question_id, "type": item["type"], "html": item["html"], "image": item["image"]}
    if item["type"] in ("single_choice", "multiple_choice"):
        public["choices"] = [{"id": c["id"], "html": c["html"]} for c in item["choices"]]
    elif item["type"] == "matching":
        public["items"] = [{"id": i["id"], "html": i["html"]} for i in item["items"]]
        public["options"] = [{"id": o["id"], "text": o["text"]} for o in item["options"]]
    return public


# --- responses ------------------------------------------------------------------------------


def _shape_error(expected):
    return ValidationError({"response": _("The answer has the wrong shape: expected %(shape)s.") % {"shape": expected}})


def response_clean(item: dict, response) -> dict:
    """Check a response's shape against the question it answers; returns the normalised response."""
    qtype = item["type"]
    if not isinstance(response, dict):
        raise _shape_error("{…}")
    if qtype == "single_choice":
        choice = response.get("choice")
        if not isinstance(choice, str):
            raise _shape_error('{"choice": "<choice id>"}')
        if choice not in {c["id"] for c in item["choices"]}:
            raise ValidationError({"response": _("This choice is not part of this question in this attempt.")})
        return {"choice": choice}
    if qtype == "multiple_choice":
        chosen = response.get("choices")
        if not isinstance(chosen, list) or not all(isinstance(c, str) for c in chosen):
            raise _shape_error('{"choices": ["<choice id>", …]}')
        if not set(chosen) <= {c["id"] for c in item["choices"]}:
            raise ValidationError({"response": _("This choice is not part of this question in this attempt.")})
        return {"choices": sorted(set(chosen))}
    if qtype == "true_false":
        value = response.get("value")
        if not isinstance(value, bool):
            raise _shape_error('{"value": true | false}')
        return {"value": value}
    if qtype == "short_answer":
        text = response.get("text")
        if not isinstance(text, str) or len(text) > 500:
            raise _shape_error('{"text": "…"} (at most 500 characters)')
        if _UNSTORABLE.search(text):
            raise ValidationError({"response": _("The answer contains a character that cannot be saved; remove it.")})
        return {"text": text}
    if qtype == "numerical":
        value = response.get("value")
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise _shape_error('{"value": "3,5"}')
        number = _read_number(str(value))
        if number is None:
            raise ValidationError({"response": _("“%(value)s” is not a number.") % {"value": str(value)[:50]}})
        if not _within_limit(number):
            raise ValidationError(
                {"response": _("Enter a number between -1,000,000,000,000 and 1,000,000,000,000 (a trillion).")}
            )
        return {"value": str(value).strip()}
    if qtype == "matching":
        pairs = response.get("pairs")
        if not isinstance(pairs, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in pairs.items()):
            raise _shape_error('{"pairs": {"<item id>": "<option id>"}}')
        items, options = {i["id"] for i in item["items"]}, {o["id"] for o in item["options"]}
        if not set(pairs) <= items or not set(pairs.values()) <= options:
            raise ValidationError({"response": _("This choice is not part of this question in this attempt.")})
        return {"pairs": pairs}
    raise ValidationError({"question_id": _("This question takes no answer.")})


def _read_number(text: str) -> Decimal | None:
    text = text.strip().replace(" ", "")
    if len(text) > NUMBER_MAX_LENGTH:
        return None
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _within_limit(value: Decimal) -> bool:
    # Comparisons only: arithmetic on an unbounded Decimal can overflow the context.
    return -NUMBER_LIMIT <= value <= NUMBER_LIMIT


def parse_number(text: str) -> Decimal | None:
    """A number as people type it: ``3.5``, ``3,5`` (Vietnamese decimal comma), ``-2``; None when it is
    not a number or lies outside ±``NUMBER_LIMIT``."""
    value = _read_number(text)
    return value if value is not None and _within_limit(value) else None


# --- grading --------------------------------------------------------------------------------


def _normalise_text(text: str, *, case_sensitive: bool, ignore_diacritics: bool) -> str:
    text = _SPACES.sub(" ", text).strip()
    if ignore_diacritics:
        return fold(text)
    return text if case_sensitive else text.casefold()


def _short_answer_matches(given: str, accepted: str, *, case_sensitive: bool, ignore_diacritics: bool) -> bool:
    norm = {"case_sensitive": case_sensitive, "ignore_diacritics": ignore_diacritics}
    given, accepted = _normalise_text(given, **norm), _normalise_text(accepted, **norm)
    if "*" in accepted:  # Moodle's wildcard
        pattern = ".*".join(re.escape(part) for part in accepted.split("*"))
        return re.fullmatch(pattern, given, flags=re.DOTALL) is not None
    return given == accepted


def _matching_entry(item: dict, response: dict | None):
    """The best-credit accepted answer or numerical range the response matches (or None)."""
    if response is None:
        return None
    if item["type"] == "short_answer":
        hits = [
            a
            for a in item["accepted"]
            if _short_answer_matches(
                response["text"],
                a["text"],
                case_sensitive=item["case_sensitive"],
                ignore_diacritics=item["ignore_diacritics"],
            )
        ]
    else:
        value = parse_number(str(response.get("value", "")))
        if value is None:  # a stored value that is no longer acceptable matches nothing
            return None
        hits = []
        for a in item["numeric"]:
            if a["low"] is not None and a["high"] is not None:
                ok = Decimal(a["low"]) <= value <= Decimal(a["high"])
            elif a["value"] is not None:
                ok = abs(value - Decimal(a["value"])) <= Decimal(a["tolerance"])
            else:
                ok = True  # "any other answer"
            if ok:
                hits.append(a)
    return max(hits, key=lambda a: Decimal(a["fraction"]), default=None)


def grade(item: dict, response: dict | None) -> Decimal:
    """Credit for one question, between 0 and 1. Never raises on stored data: a response or an answer
    key that cannot be read grades as wrong (and is logged)."""
    try:
        return _grade(item, response)
    except (ArithmeticError, KeyError, TypeError, ValueError, AttributeError):
        logger.warning("Ungradable response to question %s graded as wrong", item.get("key"), exc_info=True)
        return Decimal(0)


def _grade(item: dict, response: dict | None) -> Decimal:
    if response is None:
        return Decimal(0)
    qtype = item["type"]
    if qtype == "single_choice":
        credit = next((Decimal(c["fraction"]) for c in item["choices"] if c["id"] == response["choice"]), Decimal(0))
    elif qtype == "multiple_choice":
        credit = sum((Decimal(c["fraction"]) for c in item["choices"] if c["id"] in response["choices"]), Decimal(0))
    elif qtype == "true_false":
        credit = Decimal(1) if response["value"] == item["correct"] else Decimal(0)
    elif qtype in ("short_answer", "numerical"):
        entry = _matching_entry(item, response)
        credit = Decimal(entry["fraction"]) if entry else Decimal(0)
    elif qtype == "matching":
        items = item["items"]
        right = sum(1 for i in items if response["pairs"].get(i["id"]) == i["answer"])
        credit = Decimal(right) / Decimal(len(items)) if items else Decimal(0)
    else:
        return Decimal(0)
    return min(max(credit, Decimal(0)), Decimal(1))


def score_percent(snapshot: dict, fractions: dict[str, Decimal]) -> Decimal:
    graded = [q for q in snapshot["questions"] if q["type"] in GRADED_TYPES]
    if not graded:
        return Decimal(0)
    total = sum((fractions.get(q["key"], Decimal(0)) for q in graded), Decimal(0))
    return (Decimal(100) * total / Decimal(len(graded))).quantize(Decimal("0.01"))


def _outcome(fraction: Decimal | None, answered: bool) -> str:
    if not answered:
        return "unanswered"
    if fraction is not None and fraction >= 1:
        return "correct"
    return "partial" if fraction and fraction > 0 else "wrong"


def _correct_answer(item: dict) -> dict:
    qtype = item["type"]
    if qtype in ("single_choice", "multiple_choice"):
        return {"choices": [c["id"] for c in item["choices"] if Decimal(c["fraction"]) > 0]}
    if qtype == "true_false":
        return {"value": item["correct"]}
    if qtype == "short_answer":
        best = max(item["accepted"], key=lambda a: Decimal(a["fraction"]), default=None)
        return {"text": best["text"] if best else ""}
    if qtype == "numerical":
        best = max(item["numeric"], key=lambda a: Decimal(a["fraction"]), default=None)
        if best is None:
            return {}
        if best["low"] is not None:
            return {"low": best["low"], "high": best["high"]}
        return {"value": best["value"], "tolerance": best["tolerance"]}
    if qtype == "matching":
        return {"pairs": {i["id"]: i["answer"] for i in item["items"]}}
    return {}


def _feedback(item: dict, response: dict | None) -> list[str]:
    out = []
    if response is not None:
        if item["type"] in ("single_choice", "multiple_choice"):
            chosen = {response.get("choice")} | set(response.get("choices", []))
            out += [c["feedback"] for c in item["choices"] if c["id"] in chosen and c["feedback"]]
        elif item["type"] == "true_false":
            out.append(item["feedback_true"] if response["value"] else item["feedback_false"])
        elif item["type"] in ("short_answer", "numerical"):
            try:
                entry = _matching_entry(item, response)
            except (ArithmeticError, KeyError, TypeError, ValueError, AttributeError):
                entry = None  # graded as wrong (see grade)
            if entry:
                out.append(entry["feedback"])
    out.append(item["general_feedback"])
    return [f for f in out if f]


def review(
    snapshot: dict, responses: dict[str, dict], fractions: dict[str, Decimal], policy: str, ids: dict[str, str]
) -> list[dict]:
    """Per-question review after submission, as much as the quiz's review policy allows. ``ids``: question
    key → the id the learner sees in this attempt."""
    if policy == "score_only":
        return []
    rows = []
    for item in snapshot["questions"]:
        if item["type"] not in GRADED_TYPES:
            continue
        response = responses.get(item["key"])
        question_id = ids[item["key"]]
        row = {"question_id": question_id, "outcome": _outcome(fractions.get(item["key"]), response is not None)}
        if policy == "full":
            row.update(
                question=public_question(item, question_id),
                response=response,
                credit=str(fractions.get(item["key"], Decimal(0))),
                correct_response=_correct_answer(item),
                feedback=_feedback(item, response),
            )
        rows.append(row)
    return rows
