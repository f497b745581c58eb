"""Activating an account someone else made (e.g. from a roster) with a one-time code sent by SMS.

The code is kept only as a keyed hash; the stored copy of the message has it masked, so it exists in
clear only in the SMS itself (and in the console backend's own log line, in development). A code
takes at most ``ACTIVATION_MAX_ATTEMPTS`` wrong tries and expires after ``ACTIVATION_CODE_DAYS``.
"""

import secrets
from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override
from django.views.decorators.http import require_http_methods

from learning.notifications.models import Channel, Delivery
from learning.notifications.sms import SmsError, get_backend

from . import codes, signin
from .activation_models import ActivationCode, CodePurpose
from .forms import PhoneField
from .models import User
from .phone import normalise_phone

CODE_DIGITS = codes.CODE_DIGITS


def max_attempts() -> int:
    return settings.ACTIVATION_MAX_ATTEMPTS


def code_days() -> int:
    return settings.ACTIVATION_CODE_DAYS


def activation_key(user_id: int) -> str:
    return f"activation:{user_id}"


_hash = codes.code_hash  # one hashing of codes for every purpose (learning/accounts/codes.py)


def activation_url() -> str:
    base = (settings.SITE_URL or settings.WAGTAILADMIN_BASE_URL).rstrip("/")
    return f"{base}{reverse('accounts:activate')}"


def _message(code: str, url: str) -> str:
    with override(settings.LANGUAGE_CODE):
        return _(
            "Your Bình dân học vụ số account activation code is %(code)s. Open %(url)s, enter your phone number "
            "and this code, and choose a password. Do not share this code."
        ) % {"code": code, "url": url}


def activation_codes_send(*, users: list[tuple[int, str]]) -> int:
    """Send a one-time code to each (user id, phone) that has not had one; returns how many were sent.

    Bulk and idempotent: the ``activation:<user id>`` SMS slot of the notifications is claimed for all
    of them in one transaction (with the hashed codes), then the messages go out and the slots are
    marked sent or failed — running it again for the same people sends nothing.
    """
    if not users:
        return 0
    keys = {uid: activation_key(uid) for uid, _phone in users}
    taken = set(
        Delivery.objects.filter(channel=Channel.SMS, key__in=list(keys.values()), user_id__in=list(keys)).values_list(
            "user_id", flat=True
        )
    )
    todo = [(uid, phone) for uid, phone in dict(users).items() if uid not in taken]
    if not todo:
        return 0
    now = timezone.now()
    url = activation_url()
    codes = {uid: f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}" for uid, _phone in todo}
    masked = _message("*" * CODE_DIGITS, url)
    with transaction.atomic():
        ActivationCode.objects.filter(user_id__in=list(codes), used_at__isnull=True).delete()
        ActivationCode.objects.bulk_create(
            [
                ActivationCode(
                    user_id=uid,
                    code_hash=_hash(uid, code),
                    created_at=now,
                    expires_at=now + timedelta(days=code_days()),
                )
                for uid, code in codes.items()
            ],
            batch_size=2000,
        )
        Delivery.objects.bulk_create(
            [
                Delivery(user_id=uid, key=keys[uid], channel=Channel.SMS, body=masked, url=url, created_at=now)
                for uid, _phone in todo
            ],
            batch_size=2000,
            ignore_conflicts=True,
        )
    backend = get_backend()
    sent, failed = [], {}
    head, tail = _message("\0", url).split("\0")  # translated once, not once per person
    for uid, phone in todo:
        try:
            backend.send(phone, head + codes.pop(uid) + tail)
            sent.append(uid)
        except SmsError as exc:
            failed[uid] = str(exc)[:300]
    done = timezone.now()
    for start in range(0, len(sent), 5000):
        chunk = sent[start : start + 5000]
        Delivery.objects.filter(channel=Channel.SMS, user_id__in=chunk, key__in=[keys[u] for u in chunk]).update(
            status=Delivery.Status.SENT, sent_at=done
        )
    for uid, error in failed.items():
        Delivery.objects.filter(channel=Channel.SMS, user_id=uid, key=keys[uid]).update(
            status=Delivery.Status.FAILED, error=error, sent_at=done
        )
    return len(sent)


def activation_complete(*, phone: str, code: str, password1: str, password2: str) -> User:
    """Check the code and set the password; the code proves the phone. ValidationError naming the field
    at fault otherwise."""
    try:
        phone = normalise_phone(phone)
    except ValidationError as exc:
        raise ValidationError({"phone": exc.messages}) from None
    if password1 != password2:
        raise ValidationError({"password2": _("The two passwords are not the same.")})
    user = User.objects.filter(phone=phone, is_active=True).first()
    active = codes.code_check(
        user_id=user.pk if user else None,
        purpose=CodePurpose.ACTIVATION,
        code=code,
        too_many=_("Too many wrong codes were tried. Ask your organiser to send you a new activation code."),
    )
    try:
        validate_password(password1, user)
    except ValidationError as exc:
        raise ValidationError({"password1": exc.messages}) from None
    with transaction.atomic():
        codes.code_use(active)
        user.set_password(password1)
        user.phone_verified_at = user.phone_verified_at or timezone.now()
        user.save(update_fields=["password", "phone_verified_at"])
    return user


class ActivationForm(forms.Form):
    phone = PhoneField()
    code = forms.CharField(
        label=gettext_lazy("Activation code"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
        help_text=gettext_lazy("The 6 digits in the SMS you received."),
    )
    password1 = forms.CharField(
        label=gettext_lazy("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=gettext_lazy("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


@require_http_methods(["GET", "POST"])
def activate(request):
    if request.method == "POST":
        form = ActivationForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                signin.signin_check(request, data["phone"])
                user = activation_complete(
                    phone=data["phone"], code=data["code"], password1=data["password1"], password2=data["password2"]
                )
            except signin.SignInLocked as exc:
                form.add_error(None, exc.message)
            except ValidationError as exc:
                if "code" in exc.message_dict:  # a wrong code counts as a failed sign-in
                    signin.signin_failed(request, data["phone"])
                for name, errors in exc.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                signin.signin_succeeded(request, data["phone"])
                login(request, user, backend="learning.accounts.backends.PhoneBackend")
                messages.success(request, _("Your account is active. Welcome, %(name)s!") % {"name": user.full_name})
                return redirect("progress:my_learning")
    else:
        form = ActivationForm(initial={"phone": request.GET.get("phone", "")[:20]})
    return render(request, "accounts/activate.html", {"form": form})
