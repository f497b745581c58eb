"""Reads of certificates, each with its rule: the holder sees theirs, anyone may verify a code (and sees
the holder's name masked), an organiser sees the certificates of people in their communes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from courses.models import Competence
from learning.accounts.scopes import communes_in_scope
from learning.progress.selectors import course_state

from .models import CODE_PATTERN, Certificate, RevokeReason

_CODE = re.compile(CODE_PATTERN)


def code_clean(code) -> str | None:
    """The code as printed (capitals, no spaces or dashes), or None when it cannot be one."""
    if not isinstance(code, str) or len(code) > 40:
        return None
    cleaned = re.sub(r"[\s-]", "", code).upper()
    return cleaned if _CODE.match(cleaned) else None


def mask_name(name: str) -> str:
    """The family name whole, then each other word's first letter: "Nguyễn Văn An" → "Nguyễn V** A*"."""
    words = name.split()
    if not words:
        return ""
    if len(words) == 1:
        return words[0][0] + "*" * (len(words[0]) - 1)
    return " ".join([words[0], *(word[0] + "*" * (len(word) - 1) for word in words[1:])])


@dataclass(frozen=True)
class Verification:
    """What anyone who has the code may learn: never the full name, the phone or the score."""

    code: str
    valid: bool
    holder: str  # masked
    course_title: str
    competences: list
    completed_on: date
    issuer: str
    issued_on: date
    revoked_on: date | None = None
    revoke_reason: str = ""  # the reason's label

    @classmethod
    def of(cls, certificate: Certificate) -> Verification:
        revoked = certificate.revoked_at
        return cls(
            code=certificate.code,
            valid=revoked is None,
            holder=mask_name(certificate.holder_name),
            course_title=certificate.course_title,
            competences=[list(pair) for pair in certificate.competences],
            completed_on=certificate.completed_on,
            issuer=certificate.issuer,
            issued_on=timezone.localdate(certificate.issued_at),
            revoked_on=timezone.localdate(revoked) if revoked else None,
            revoke_reason=str(RevokeReason(certificate.revoke_reason).label) if revoked else "",
        )


def certificate_verify(code) -> Verification | None:
    """The public answer for ``code`` (any case, spaces allowed), or None if no certificate has it."""
    cleaned = code_clean(code)
    if cleaned is None:
        return None
    certificate = Certificate.objects.filter(code=cleaned).first()
    return Verification.of(certificate) if certificate else None


# --- the holder -------------------------------------------------------------------------------------


def certificates_of(*, user) -> QuerySet[Certificate]:
    """The learner's own certificates, newest first (none for an anonymous visitor)."""
    if not user.is_authenticated:
        return Certificate.objects.none()
    return Certificate.objects.filter(holder=user).order_by("-issued_at", "-pk")


def certificate_of_holder(*, user, code) -> Certificate:
    """The learner's own certificate with this code; anyone else's is ``DoesNotExist``, as if it did not exist."""
    cleaned = code_clean(code)
    if cleaned is None or not user.is_authenticated:
        raise Certificate.DoesNotExist
    return Certificate.objects.get(code=cleaned, holder=user)


def certificate_for(*, user, course) -> Certificate | None:
    """The learner's certificate for ``course`` (revoked ones too), or None."""
    if not user.is_authenticated:
        return None
    return Certificate.objects.filter(holder=user, course_id=course.pk).first()


# --- what is printed ----------------------------------------------------------------------------------


def competences_covered(course) -> list[list[str]]:
    """The competences of Circular 02/2025 the course and its published lessons name, by code."""
    lesson_ids = list(course.lessons().values_list("pk", flat=True))
    rows = (
        Competence.objects.filter(Q(coursepage=course.pk) | Q(lessonpage__in=lesson_ids))
        .distinct()
        .order_by("code")
        .values_list("code", "name")
    )
    return [[code, name] for code, name in rows]


def final_test_score(*, user, course):
    """The learner's best score in the course's final test (the lowest of those bests when the course
    has several), or None when the course has no final test or it was not passed."""
    bests = [info.best_score for info in course_state(user=user, course=course).final_tests]
    if not bests or any(score is None for score in bests):
        return None
    return min(bests)


# --- organisers -----------------------------------------------------------------------------------------


def organiser_certificates(*, user) -> QuerySet[Certificate]:
    """Certificates held by people who live in a commune ``user`` organises (none for anyone else)."""
    return (
        Certificate.objects.filter(holder__commune__in=communes_in_scope(user))
        .select_related("holder__commune", "revoked_by")
        .order_by("-issued_at", "-pk")
    )


def certificate_for_organiser(*, user, code) -> Certificate:
    """One certificate in the organiser's scope; out of scope is ``DoesNotExist``, as if it did not exist."""
    cleaned = code_clean(code)
    if cleaned is None:
        raise Certificate.DoesNotExist
    return organiser_certificates(user=user).get(code=cleaned)


def organiser_certificates_filtered(*, user, commune=None, course=None, status="") -> QuerySet[Certificate]:
    """The organiser's certificates, narrowed to one commune (already checked to be theirs), one course,
    and valid or revoked ones."""
    certificates = organiser_certificates(user=user)
    if commune is not None:
        certificates = certificates.filter(holder__commune=commune)
    if course is not None:
        certificates = certificates.filter(course=course)
    if status == "valid":
        certificates = certificates.filter(revoked_at__isnull=True)
    elif status == "revoked":
        certificates = certificates.filter(revoked_at__isnull=False)
    return certificates
