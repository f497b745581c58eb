"""xAPI 1.0.3 statements (IEEE 9274.1.1) built from the site's records — pure functions, no writes.

- ``id``: a uuid5 of the record (``statement_id``), the same every time the record is described, so a replayed
  event or a backfill writes nothing twice and the LRS takes a resent batch as already stored.
- ``actor``: an account on the site's home page whose name is an HMAC of the user id (``XAPI_ACTOR_SECRET``):
  stable for the warehouse, never the phone number or the name.
- Activities by IRIs made of page ids (``XAPI_IRI_BASE``/xapi/activities/course/12), not slugs, which editors
  change; names in Vietnamese ("vi-VN").
- ``context.extensions``: the commune the record was made in and the learner's target groups, so the warehouse
  can count by locality; ``timestamp``: when it happened.
- Quiz statements carry the score, never the answers or the answer key.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.conf import settings

# Fixed for ever: the ids of statements already sent depend on it.
NAMESPACE = uuid.UUID("4f1b2d0e-6c3a-5b8e-9d7f-2a6c1e0b9f31")
XAPI_VERSION = "1.0.3"
PLATFORM = "Bình dân học vụ số"

ADL = "http://adlnet.gov/expapi/verbs/"


@dataclass(frozen=True)
class Verb:
    code: str  # short name kept with the outbox row
    iri: str
    vi: str
    en: str

    def as_json(self) -> dict:
        return {"id": self.iri, "display": {"vi-VN": self.vi, "en-US": self.en}}


def _own(name: str) -> str:
    return f"{iri_base()}/xapi/verbs/{name}"


VERBS = {
    "registered": (ADL + "registered", "đã đăng ký", "registered"),
    "started": (ADL + "initialized", "đã bắt đầu", "started"),
    "completed": (ADL + "completed", "đã hoàn thành", "completed"),
    "attempted": (ADL + "attempted", "đã làm bài", "attempted"),
    "answered": (ADL + "answered", "đã trả lời", "answered"),
    "passed": (ADL + "passed", "đã đạt", "passed"),
    "failed": (ADL + "failed", "chưa đạt", "failed"),
    "earned": ("http://id.tincanapi.com/verb/earned", "đã được cấp", "earned"),
    "assigned": (None, "được giao", "was assigned"),
    "overdue": (None, "quá hạn", "is overdue on"),
}


def verb(code: str) -> Verb:
    iri, vi, en = VERBS[code]
    return Verb(code, iri or _own(code), vi, en)


ACTIVITY_TYPES = {
    "site": "http://id.tincanapi.com/activitytype/lms",
    "course": "http://adlnet.gov/expapi/activities/course",
    "lesson": "http://adlnet.gov/expapi/activities/lesson",
    "quiz": "http://adlnet.gov/expapi/activities/assessment",
    "question": "http://adlnet.gov/expapi/activities/question",
    "certificate": "https://w3id.org/xapi/tla/activity-types/credential",
    "assignment": "http://adlnet.gov/expapi/activities/objective",
}


def homepage() -> str:
    return settings.XAPI_HOMEPAGE.rstrip("/")


def iri_base() -> str:
    return (settings.XAPI_IRI_BASE or settings.XAPI_HOMEPAGE).rstrip("/")


def statement_id(kind: str, *keys) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, ":".join([kind, *map(str, keys)]))


def pseudonym(user_id: int) -> str:
    """A stable name for the learner that says nothing about who they are."""
    key = settings.XAPI_ACTOR_SECRET.encode()
    return hmac.new(key, f"user:{user_id}".encode(), hashlib.sha256).hexdigest()[:32]


def actor(user_id: int) -> dict:
    return {"objectType": "Agent", "account": {"homePage": homepage(), "name": pseudonym(user_id)}}


def activity_iri(kind: str, *keys) -> str:
    return "/".join([f"{iri_base()}/xapi/activities/{kind}", *map(str, keys)])


def activity(kind: str, *keys, name: str = "", name_en: str = "") -> dict:
    definition: dict = {"type": ACTIVITY_TYPES[kind]}
    if name:
        definition["name"] = {"vi-VN": name, **({"en-US": name_en} if name_en else {})}
    return {"objectType": "Activity", "id": activity_iri(kind, *keys), "definition": definition}


def extension(name: str) -> str:
    return f"{iri_base()}/xapi/extensions/{name}"


def context(*, commune_id: str | None, groups: list[str], parents: list[dict] = (), others: list[dict] = ()) -> dict:
    activities: dict = {"grouping": [{"objectType": "Activity", "id": activity_iri("site")}]}
    if parents:
        activities["parent"] = list(parents)
    if others:
        activities["other"] = list(others)
    return {
        "platform": PLATFORM,
        "language": "vi-VN",
        "contextActivities": activities,
        "extensions": {extension("commune"): commune_id or "", extension("target-groups"): sorted(groups)},
    }


def timestamp(when: datetime) -> str:
    return when.isoformat()


def duration(seconds: float | int | Decimal) -> str:
    seconds = max(0, round(float(seconds), 2))
    return f"PT{int(seconds) if seconds == int(seconds) else seconds}S"


@dataclass(frozen=True)
class Built:
    id: uuid.UUID
    verb: str
    timestamp: datetime
    payload: dict


def build(
    *,
    kind: str,
    keys: tuple,
    verb_code: str,
    user_id: int,
    when: datetime,
    obj: dict,
    ctx: dict,
    result: dict | None = None,
) -> Built:
    sid = statement_id(kind, *keys)
    payload = {
        "id": str(sid),
        "actor": actor(user_id),
        "verb": verb(verb_code).as_json(),
        "object": obj,
        "context": ctx,
        "timestamp": timestamp(when),
        "version": XAPI_VERSION,
    }
    if result:
        payload["result"] = result
    return Built(sid, verb_code, when, payload)


# --- One function per kind of record --------------------------------------------------------------------
# Each takes the record (and the names it needs) and returns the statements describing it.


def registered(*, user_id: int, joined_at: datetime, commune_id, groups) -> list[Built]:
    obj = activity("site", name=PLATFORM, name_en="Digital literacy for all")
    ctx = context(commune_id=commune_id, groups=groups)
    return [
        build(
            kind="registered",
            keys=(user_id,),
            verb_code="registered",
            user_id=user_id,
            when=joined_at,
            obj=obj,
            ctx=ctx,
        )
    ]


def course(*, completed: bool, enrolment_id, user_id, course_id, course_title, at, commune_id, groups) -> list[Built]:
    """A course started (*initialized*) or completed, from its enrolment."""
    obj = activity("course", course_id, name=course_title)
    ctx = context(commune_id=commune_id, groups=groups)
    kind, code, result = (
        ("course-completed", "completed", {"completion": True}) if completed else ("started", "started", None)
    )
    return [
        build(
            kind=kind, keys=(enrolment_id,), verb_code=code, user_id=user_id, when=at, obj=obj, ctx=ctx, result=result
        )
    ]


def lesson_completed(
    *, completion_id, user_id, lesson_id, lesson_title, course_id, at, seconds, commune_id, groups
) -> list[Built]:
    obj = activity("lesson", lesson_id, name=lesson_title)
    ctx = context(commune_id=commune_id, groups=groups, parents=[activity("course", course_id)])
    result = {"completion": True, "duration": duration(seconds)}
    return [
        build(
            kind="lesson-completed",
            keys=(completion_id,),
            verb_code="completed",
            user_id=user_id,
            when=at,
            obj=obj,
            ctx=ctx,
            result=result,
        )
    ]


def _score(percent) -> dict:
    percent = Decimal(percent)
    return {"scaled": float(round(percent / 100, 4)), "raw": float(percent), "min": 0, "max": 100}


def quiz_submitted(*, attempt, quiz_title: str, answers, commune_id, groups) -> list[Built]:
    """``attempted`` (when it started), ``answered`` per graded answer (its credit only), then ``passed`` or
    ``failed`` with the score and the time taken."""
    quiz = activity("quiz", attempt.quiz_id, name=quiz_title)
    course = activity("course", attempt.course_id)
    ctx = context(commune_id=commune_id, groups=groups, parents=[course])
    user_id = attempt.user_id
    out = [
        build(
            kind="attempted",
            keys=(attempt.pk,),
            verb_code="attempted",
            user_id=user_id,
            when=attempt.started_at,
            obj=quiz,
            ctx=ctx,
        )
    ]
    question_ctx = context(
        commune_id=commune_id, groups=groups, parents=[activity("quiz", attempt.quiz_id)], others=[course]
    )
    for answer in answers:
        if answer.fraction is None:
            continue
        fraction = Decimal(answer.fraction)
        result = {"score": {"scaled": float(round(fraction, 4))}, "success": fraction >= 1}
        out.append(
            build(
                kind="answered",
                keys=(answer.pk,),
                verb_code="answered",
                user_id=user_id,
                when=answer.saved_at,
                obj=activity("question", attempt.quiz_id, answer.question_key),
                ctx=question_ctx,
                result=result,
            )
        )
    taken = (attempt.submitted_at - attempt.started_at).total_seconds()
    result = {
        "score": _score(attempt.score_percent),
        "success": bool(attempt.passed),
        "completion": True,
        "duration": duration(taken),
    }
    out.append(
        build(
            kind="graded",
            keys=(attempt.pk,),
            verb_code="passed" if attempt.passed else "failed",
            user_id=user_id,
            when=attempt.submitted_at,
            obj=quiz,
            ctx=ctx,
            result=result,
        )
    )
    return out


def certificate_issued(*, certificate, commune_id, groups) -> list[Built]:
    obj = activity(
        "certificate",
        certificate.pk,
        name=f"Chứng nhận: {certificate.course_title}",
        name_en=f"Certificate: {certificate.course_title}",
    )
    ctx = context(commune_id=commune_id, groups=groups, parents=[activity("course", certificate.course_id)])
    result = {"completion": True}
    if certificate.score_percent is not None:
        result["score"] = _score(certificate.score_percent)
    return [
        build(
            kind="earned",
            keys=(certificate.pk,),
            verb_code="earned",
            user_id=certificate.holder_id,
            when=certificate.issued_at,
            obj=obj,
            ctx=ctx,
            result=result,
        )
    ]


def assignment_statement(*, code: str, assignment, user_id, at, commune_id, groups, course_ids) -> Built:
    """``assigned`` (a mandatory module given to the person) or ``overdue`` (its deadline passed unfinished)."""
    obj = activity("assignment", assignment.pk, name=assignment.title)
    others = [activity("course", pk) for pk in sorted(course_ids)]
    ctx = context(commune_id=commune_id, groups=groups, others=others)
    ctx["extensions"][extension("deadline")] = assignment.deadline.isoformat()
    return build(kind=code, keys=(assignment.pk, user_id), verb_code=code, user_id=user_id, when=at, obj=obj, ctx=ctx)
