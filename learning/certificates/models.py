"""Certificates of completion: one per completed enrolment, each with a short code anyone can verify.

A certificate keeps a frozen copy of everything it prints (the holder's name, the course title, the
competences, the date, the issuing body, the final-test score), so editing the course or the person later
changes nothing on a certificate already issued. Revoking it keeps the record and says who, when and why.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Capital letters and digits that cannot be mistaken for one another when read off paper (no 0/O, 1/I/L).
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10  # 31^10 ≈ 8·10^14 codes: not guessable by trying
CODE_PATTERN = rf"^[{CODE_ALPHABET}]{{{CODE_LENGTH}}}$"


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class RevokeReason(models.TextChoices):
    ISSUED_IN_ERROR = "issued_in_error", _("Issued in error")
    WRONG_HOLDER = "wrong_holder", _("Issued to the wrong person")
    DISHONESTY = "dishonesty", _("Dishonesty in learning or in the final test")
    OTHER = "other", _("Other reason")


class Certificate(models.Model):
    code = models.CharField(_("verification code"), max_length=CODE_LENGTH, unique=True, default=new_code)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="certificates", verbose_name=_("holder")
    )
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.PROTECT, related_name="+", verbose_name=_("course")
    )
    enrolment = models.OneToOneField(
        "progress.Enrolment", on_delete=models.CASCADE, related_name="certificate", verbose_name=_("enrolment")
    )
    # What is printed, copied when the certificate is issued.
    holder_name = models.CharField(_("holder's full name"), max_length=150)
    course_title = models.CharField(_("course title"), max_length=255)
    competences = models.JSONField(_("competences"), default=list, blank=True)  # [[code, name], …]
    completed_on = models.DateField(_("completed on"))
    issuer = models.CharField(_("issued by"), max_length=255)
    signer = models.CharField(_("signed by"), max_length=255, blank=True)
    score_percent = models.DecimalField(
        _("final-test score (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    # Revocation: when, by whom and why (the reason's label is shown to anyone who verifies the code).
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revoke_reason = models.CharField(_("reason"), max_length=20, choices=RevokeReason.choices, blank=True)
    revoke_note = models.TextField(_("explanation"), blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(code__regex=CODE_PATTERN), name="certificate_code_format"),
            models.CheckConstraint(
                condition=models.Q(revoked_at__isnull=True, revoke_reason="")
                | (models.Q(revoked_at__isnull=False) & ~models.Q(revoke_reason="")),
                name="certificate_revoked_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(revoke_reason__in=["", *RevokeReason.values]), name="certificate_reason_known"
            ),
            models.CheckConstraint(
                condition=~models.Q(revoke_reason=RevokeReason.OTHER) | ~models.Q(revoke_note=""),
                name="certificate_other_reason_explained",
            ),
            models.CheckConstraint(
                condition=models.Q(score_percent__isnull=True) | models.Q(score_percent__gte=0, score_percent__lte=100),
                name="certificate_score_percent_range",
            ),
        ]
        indexes = [models.Index(fields=["holder", "-issued_at"], name="certificate_holder_recent")]

    def __str__(self):
        return f"{self.code} · {self.holder_name} · {self.course_title}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def signer_lines(self) -> list[str]:
        """``CERTIFICATE_SIGNER`` is one or more lines separated by "|" (a title, then a name)."""
        return [line.strip() for line in self.signer.split("|") if line.strip()]
