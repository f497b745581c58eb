"""Proving a phone is one's own, and a new password for a forgotten one, by a one-time SMS code.

**Verification.** A self-registered account starts with ``phone_verified_at`` empty and is sent a code at
once. Until the code is entered the person may sign in and learn (a notice on every page leads to the
code page), but the account does not own the number: a roster row for that phone claims it
(``accounts_claim``) — its password is made unusable, every token and session ends, and the real owner
gets an activation code — instead of handing an official's mandatory modules to whoever typed the number.
Entering an activation or a password-reset code proves the phone too.

**Password reset.** Asking for a code answers the same whether or not the number has an account, and
takes the same time: the request only queues ``send_password_reset_code``, which looks the person up in
a worker. Entering the code with a new password ends every other session (Django ties sessions to the
password) and every API token.

Both go through the one sign-in policy (``signin``): a wrong code counts as a failed sign-in of the
account and the client; asking for a reset code counts for the client; a locked account or client is
refused. A new code may be sent ``PHONE_CODE_RESEND_SECONDS`` after the previous one, and lives
``PHONE_CODE_MINUTES``.
"""

from __future__ import annotations

from datetime import UTC, timedelta

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from django.utils.translation import override

from learning.notifications.services import derived_code, sms_renderer, sms_send

from .activation_models import ActivationCode, CodePurpose
from .codes import (
    CODE_DIGITS,
    code_check,
    code_hash,
    code_latest,
    code_live,
    code_use,
    password_set_by_code,
    wrong_code_error,
)
from .models import User
from .phone import display_phone
from .tokens import api_tokens_revoke


def code_of(row: ActivationCode) -> str:
    """The code of a verification or reset row, rebuilt from the site's secret (``derived_code``): the SMS
    text is made when it is sent, so a retried message carries the same code and no clear copy is stored."""
    moment = row.created_at.astimezone(UTC).strftime("%Y%m%d%H%M%S%f")
    return derived_code(row.purpose, f"{row.user_id}:{row.pk}:{moment}", CODE_DIGITS)


def code_issue(*, user_id: int, purpose: str, minutes: int) -> ActivationCode:
    """A new code of ``purpose`` for the person (their unused one of that purpose is dropped); its text is
    ``code_of(row)``, to be put in the SMS when it is sent."""
    now = timezone.now()
    with transaction.atomic():
        ActivationCode.objects.filter(user_id=user_id, purpose=purpose, used_at__isnull=True).delete()
        row = ActivationCode.objects.create(
            user_id=user_id, purpose=purpose, code_hash="", created_at=now, expires_at=now + timedelta(minutes=minutes)
        )
        row.code_hash = code_hash(user_id, code_of(row))
        row.save(update_fields=["code_hash"])
    return row


class ResendTooSoon(Exception):
    """A code was sent less than ``PHONE_CODE_RESEND_SECONDS`` ago; ``seconds`` until the next may go."""

    def __init__(self, seconds: int):
        self.seconds = seconds
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return _("A code was sent a moment ago. You can ask for a new one in %(seconds)d seconds.") % {
            "seconds": self.seconds
        }


def unproven_accounts() -> Q:
    """Accounts someone can sign in to without having shown the phone is theirs: self-registered and
    not verified. (An account made from a roster and not activated yet has no usable password.)"""
    return Q(phone_verified_at__isnull=True, is_active=True, is_staff=False) & ~Q(
        password__startswith=UNUSABLE_PASSWORD_PREFIX
    )


def resend_wait(*, user_id: int, purpose: str) -> int:
    """Seconds before another code of ``purpose`` may be sent to the person (0: now)."""
    latest = code_latest(user_id=user_id, purpose=purpose)
    if latest is None:
        return 0
    ready = latest.created_at + timedelta(seconds=settings.PHONE_CODE_RESEND_SECONDS)
    return max(0, int((ready - timezone.now()).total_seconds() + 0.999))


def _send(user: User, purpose: str) -> None:
    wait = resend_wait(user_id=user.pk, purpose=purpose)
    if wait:
        raise ResendTooSoon(wait)
    row = code_issue(user_id=user.pk, purpose=purpose, minutes=settings.PHONE_CODE_MINUTES)
    with override(settings.LANGUAGE_CODE):
        masked = _TEXTS[purpose]("*" * CODE_DIGITS)
    sms_send(user=user, key=f"{purpose}:{row.pk}", text=masked)  # sent once this transaction commits


@sms_renderer(f"{CodePurpose.VERIFY}:")
@sms_renderer(f"{CodePurpose.RESET}:")
def code_sms_text(delivery) -> str | None:
    """The text of a verification or reset SMS with its code, made when it is sent (None: the code was
    used, replaced or has expired — nothing to send)."""
    purpose, _sep, pk = delivery.key.partition(":")
    row = code_live(pk=int(pk)) if pk.isdigit() else None
    if row is None or row.user_id != delivery.user_id or row.purpose != purpose:
        return None
    with override(settings.LANGUAGE_CODE):
        return _TEXTS[purpose](code_of(row))


def _verify_text(code: str) -> str:
    return _(
        "Your Bình dân học vụ số verification code is %(code)s. It is valid for %(minutes)d minutes. "
        "Do not share this code with anyone."
    ) % {"code": code, "minutes": settings.PHONE_CODE_MINUTES}


def _reset_text(code: str) -> str:
    return _(
        "Your Bình dân học vụ số password reset code is %(code)s. It is valid for %(minutes)d minutes. "
        "If you did not ask for it, ignore this message. Do not share this code with anyone."
    ) % {"code": code, "minutes": settings.PHONE_CODE_MINUTES}


_TEXTS = {CodePurpose.VERIFY: _verify_text, CodePurpose.RESET: _reset_text}


def phone_verification_send(*, user: User) -> None:
    """Send a verification code to the person's phone (after the transaction commits).

    Raises ``ResendTooSoon`` within ``PHONE_CODE_RESEND_SECONDS`` of the previous code; does nothing
    for an account whose phone is already proven."""
    if user.phone_verified_at is not None:
        return
    _send(user, CodePurpose.VERIFY)


def phone_verify(*, user: User, code: str) -> User:
    """The code from the SMS proves the phone. ValidationError on ``code`` otherwise."""
    if user.phone_verified_at is not None:
        return user
    active = code_check(
        user_id=user.pk,
        purpose=CodePurpose.VERIFY,
        code=code,
        too_many=_("Too many wrong codes were tried. Ask for a new code."),
    )
    with transaction.atomic():
        code_use(active)
        user.phone_verified_at = timezone.now()
        user.save(update_fields=["phone_verified_at"])
    return user


def password_reset_request(*, phone: str) -> None:
    """Queue the sending of a reset code to ``phone`` (a normalised number). The caller answers the same
    whether or not the number has an account: nothing here looks it up."""
    from .tasks import send_password_reset_code  # noqa: PLC0415  (tasks imports this module)

    transaction.on_commit(lambda: send_password_reset_code.delay(phone))


def reset_sent_message(phone: str) -> str:
    return _(
        "If an account uses the number %(phone)s, we have sent a code to it. The code is valid for %(minutes)d minutes."
    ) % {"phone": display_phone(phone), "minutes": settings.PHONE_CODE_MINUTES}


def password_reset_code_send(*, phone: str) -> bool:
    """Send a reset code to the active account of ``phone``, unless one was sent within the resend wait.
    True when a code was issued."""
    user = User.objects.filter(phone=phone, is_active=True).first()
    if user is None:
        return False
    try:
        _send(user, CodePurpose.RESET)
    except ResendTooSoon:
        return False
    return True


def password_reset_complete(*, phone: str, code: str, password1: str, password2: str) -> User:
    """Check the reset code and set the new password; the phone is proven by the code. Every API token
    and every other session of the person ends. ValidationError naming the field at fault; a wrong code,
    an expired one, too many tries and an unknown number all give the same answer."""
    return password_set_by_code(
        phone=phone,
        code=code,
        password1=password1,
        password2=password2,
        purpose=CodePurpose.RESET,
        too_many=wrong_code_error().message_dict["code"][0],
    )


def accounts_claim(*, user_ids: list[int]) -> int:
    """Take unverified self-registered accounts back for the owner of their phone (a roster names them):
    unusable passwords (so every session ends), no API tokens, no pending codes. Who signed up with the
    number cannot sign in any more; the owner activates the account with the code sent to the phone.
    Only accounts still unproven are claimed (in the caller's transaction); returns how many."""
    ids = list(User.objects.filter(unproven_accounts(), pk__in=user_ids).values_list("pk", flat=True))
    for pk in ids:
        User.objects.filter(pk=pk).update(password=UNUSABLE_PASSWORD_PREFIX + get_random_string(40))
        api_tokens_revoke(user_id=pk)
    ActivationCode.objects.filter(user_id__in=ids, used_at__isnull=True).delete()
    return len(ids)
