"""Every write to certificates goes through here: issuing one for a completed enrolment, revoking one."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from learning.core.events import publish
from learning.core.text import clean_name
from learning.progress.models import Enrolment

from .events import CertificateIssued
from .models import Certificate, RevokeReason, new_code
from .selectors import competences_covered, final_test_score, organiser_certificates

NOTE_MAX_LENGTH = 1000
_CODE_TRIES = 5


def certificate_issue(*, enrolment: Enrolment) -> tuple[Certificate, bool]:
    """The certificate of a completed enrolment, issued now if it has none yet; ``(certificate, created)``.

    Idempotent: a replay, a second completion event or a concurrent request returns the one certificate
    (the database allows one per enrolment). Refuses an enrolment whose course is not completed — the
    completion is read from the database, not from the caller's object. Runs in the caller's transaction
    (the completion that triggers it commits or rolls back with it)."""
    existing = Certificate.objects.filter(enrolment_id=enrolment.pk).first()
    if existing is not None:
        return existing, False
    enrolment = Enrolment.objects.select_related("user", "course").get(pk=enrolment.pk)
    if enrolment.completed_at is None:
        raise ValidationError({"enrolment": _("This course is not completed yet, so it has no certificate.")})
    user, course = enrolment.user, enrolment.course
    frozen = {
        "holder": user,
        "course": course,
        "enrolment": enrolment,
        "holder_name": clean_name(user.full_name),
        "course_title": course.title,
        "competences": competences_covered(course),
        "completed_on": timezone.localdate(enrolment.completed_at),
        "issuer": settings.CERTIFICATE_ISSUER,
        "signer": settings.CERTIFICATE_SIGNER,
        "score_percent": final_test_score(user=user, course=course),
    }
    for _try in range(_CODE_TRIES):
        try:
            with transaction.atomic():
                certificate = Certificate.objects.create(code=new_code(), **frozen)
        except IntegrityError:
            # A concurrent request issued it first (one per enrolment), or, all but never, the code was taken.
            existing = Certificate.objects.filter(enrolment_id=enrolment.pk).first()
            if existing is not None:
                return existing, False
        else:
            publish(CertificateIssued(certificate=certificate))
            return certificate, True
    raise IntegrityError("no free certificate code after several tries")


def certificates_issue_missing() -> tuple[int, int]:
    """Issue the certificate of every completed enrolment that has none (a backfill; safe to repeat).
    Returns ``(issued, already_issued)``."""
    completed = Enrolment.objects.filter(completed_at__isnull=False)
    already = completed.filter(certificate__isnull=False).count()
    issued = 0
    for enrolment in completed.filter(certificate__isnull=True).order_by("pk").iterator():
        with transaction.atomic():
            _certificate, created = certificate_issue(enrolment=enrolment)
        issued += created
    return issued, already


def certificate_revoke(*, certificate: Certificate, by, reason: str, note: str = "") -> Certificate:
    """Revoke a certificate of someone in ``by``'s communes, recording who, when and why. The reason is
    one of ``RevokeReason`` (its label is shown to whoever verifies the code); "other" needs a note."""
    note = (note or "").strip()
    if reason not in RevokeReason.values:
        raise ValidationError({"reason": _("Choose why the certificate is revoked.")})
    if reason == RevokeReason.OTHER and not note:
        raise ValidationError({"note": _("Explain the reason in a few words.")})
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError({"note": _("Keep the explanation under %(n)d characters.") % {"n": NOTE_MAX_LENGTH}})
    with transaction.atomic():
        if not organiser_certificates(user=by).filter(pk=certificate.pk).exists():
            raise PermissionDenied(_("This certificate belongs to someone outside your area."))
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.revoked_at is not None:
            raise ValidationError(_("This certificate has already been revoked."))
        locked.revoked_at = timezone.now()
        locked.revoked_by = by
        locked.revoke_reason = reason
        locked.revoke_note = note
        locked.save(update_fields=["revoked_at", "revoked_by", "revoke_reason", "revoke_note"])
    return locked


def certificate_holder_erase(*, user) -> int:
    """The person deleted their account: their certificates stay valid (and counted) but lose the printed
    name; the public verification page then says the holder's name was removed at their request."""
    return Certificate.objects.filter(holder=user).update(holder_name="")
