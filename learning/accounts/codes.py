"""One-time codes sent by SMS, checked the same way for every purpose (``CodePurpose``): activation of an
account made for someone (codes made by ``activation``), verification of a self-registered phone and
password reset (made by ``verification``).

A code is 6 digits kept only as a keyed hash; it takes at most ``ACTIVATION_MAX_ATTEMPTS`` wrong tries, and
a new code of a purpose replaces the person's unused one. The stored copy of the SMS has the code masked,
so it exists in clear only in the message itself.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from .activation_models import ActivationCode, CodePurpose
from .phone import normalise_phone

CODE_DIGITS = 6
_SALT = "learning.accounts.activation"


def code_hash(user_id: int, code: str) -> str:
    return salted_hmac(_SALT, f"{user_id}:{code}", algorithm="sha256").hexdigest()


def code_digits(text: str | None) -> str:
    """What a person typed, without spaces or dashes."""
    return "".join(ch for ch in (text or "") if ch.isdigit())[: CODE_DIGITS * 2]


def code_live(*, pk: int) -> ActivationCode | None:
    """The code row ``pk`` while it can still be used (for the text of its SMS)."""
    return ActivationCode.objects.filter(pk=pk, used_at__isnull=True, expires_at__gt=timezone.now()).first()


def code_latest(*, user_id: int, purpose: str) -> ActivationCode | None:
    """The person's most recent unused code of ``purpose`` (expired or not)."""
    return (
        ActivationCode.objects.filter(user_id=user_id, purpose=purpose, used_at__isnull=True)
        .order_by("-created_at")
        .first()
    )


def wrong_code_error() -> ValidationError:
    return ValidationError({"code": _("This code is not correct or has expired. Check the SMS and try again.")})


def code_check(*, user_id: int | None, purpose: str, code: str, too_many: str) -> ActivationCode:
    """The person's live code of ``purpose`` when ``code`` is it; a wrong try is counted on the code.

    Raises ``ValidationError`` on ``code``: wrong or expired (one message for both, and for an unknown
    person — ``user_id`` None — after the same hashing work), or ``too_many`` once the code has had
    ``ACTIVATION_MAX_ATTEMPTS`` wrong tries (then even the right code is refused)."""
    code = code_digits(code)
    if user_id is None:
        code_hash(0, code)  # the same work as for a real person: the answer's timing tells nothing
        raise wrong_code_error()
    active = (
        ActivationCode.objects.filter(
            user_id=user_id, purpose=purpose, used_at__isnull=True, expires_at__gt=timezone.now()
        )
        .order_by("-created_at")
        .first()
    )
    if active is None:
        code_hash(user_id, code)
        raise wrong_code_error()
    if active.attempts >= settings.ACTIVATION_MAX_ATTEMPTS:
        raise ValidationError({"code": too_many})
    if len(code) != CODE_DIGITS or not constant_time_compare(code_hash(user_id, code), active.code_hash):
        ActivationCode.objects.filter(pk=active.pk).update(attempts=F("attempts") + 1)
        raise wrong_code_error()
    return active


def password_set_by_code(*, phone: str, code: str, password1: str, password2: str, purpose: str, too_many: str):
    """Check the person's code of ``purpose`` and set their new password; the code proves the phone (the
    save ends the API tokens, the new hash the other sessions). ValidationError naming the field at fault;
    a wrong, expired or used code and an unknown number get the same answer."""
    from .models import User  # noqa: PLC0415  (models imports this app's code models)

    try:
        phone = normalise_phone(phone)
    except ValidationError as exc:
        raise ValidationError({"phone": exc.messages}) from None
    if password1 != password2:
        raise ValidationError({"password2": _("The two passwords are not the same.")})
    user = User.objects.filter(phone=phone, is_active=True).first()
    active = code_check(user_id=user.pk if user else None, purpose=purpose, code=code, too_many=too_many)
    try:
        validate_password(password1, user)
    except ValidationError as exc:
        raise ValidationError({"password1": exc.messages}) from None
    with transaction.atomic():
        code_use(active)
        user.set_password(password1)
        user.phone_verified_at = user.phone_verified_at or timezone.now()
        user.save(update_fields=["password", "phone_verified_at"])
    return user


def code_use(code: ActivationCode) -> None:
    """Mark ``code`` used (in the caller's transaction); a concurrent use of the same code loses."""
    if not ActivationCode.objects.filter(pk=code.pk, used_at__isnull=True).update(used_at=timezone.now()):
        raise wrong_code_error()


__all__ = [
    "CODE_DIGITS",
    "CodePurpose",
    "code_check",
    "code_digits",
    "code_hash",
    "code_latest",
    "code_live",
    "code_use",
    "password_set_by_code",
    "wrong_code_error",
]
