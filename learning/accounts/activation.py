"""Activating an account someone else made (e.g. from a roster) with a one-time code sent by SMS.

The code is kept only as a keyed hash; the stored copy of the message has it masked, so it exists in
clear only in the SMS itself (and in the console backend's own log line, in development). A code
takes at most ``ACTIVATION_MAX_ATTEMPTS`` wrong tries and expires after ``ACTIVATION_CODE_DAYS``.
"""

from datetime import UTC, timedelta

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override
from django.views.decorators.http import require_http_methods

from learning.notifications.models import Channel, Delivery
from learning.notifications.services import deliveries_record, deliveries_send, derived_code, sms_renderer

from . import codes, signin
from .activation_models import ActivationCode, CodePurpose
from .consent_models import ConsentSource
from .forms import PhoneField, SignupForm
from .models import User
from .services import consent_record

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


def _code(user_id: int, issued_at) -> str:
    """The activation code of a person's code row: rebuilt from the site's secret whenever it is sent."""
    moment = issued_at.astimezone(UTC).strftime("%Y%m%d%H%M%S%f")
    return derived_code("activation", f"{user_id}:{moment}", CODE_DIGITS)


@sms_renderer("activation:")
def activation_sms_text(delivery: Delivery) -> str | None:
    """The text of an activation SMS with its code in clear, made at send time (None: nothing to send,
    the code was used, replaced or has expired)."""
    issued = (
        ActivationCode.objects.filter(
            user_id=delivery.user_id,
            purpose=CodePurpose.ACTIVATION,
            used_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .order_by("-created_at")
        .first()
    )
    if issued is None:
        return None
    return _message(_code(delivery.user_id, issued.created_at), delivery.url or activation_url())


def activation_codes_send(*, users: list[tuple[int, str]]) -> int:
    """Give a one-time code to each (user id, phone) that has not had one and send it by SMS; returns how
    many messages this call sent.

    Each person's message is a notification row (``activation:<user id>``) recorded with the code's hash
    in one transaction; then the rows are sent one at a time, each claimed before sending and marked sent
    once the gateway accepted it. Run again (a task delivered twice, a resumed import), it sends only what
    is still waiting; what a worker that died left half-way is sent by the notifications' sweep. The code
    is derived from the site's secret and the moment it was issued, so the SMS text is rebuilt when it is
    sent (the same code on every try) and the clear code is stored nowhere.
    """
    if not users:
        return 0
    keys = {uid: activation_key(uid) for uid, _phone in users}
    taken = set(
        Delivery.objects.filter(channel=Channel.SMS, key__in=list(keys.values()), user_id__in=list(keys)).values_list(
            "user_id", flat=True
        )
    )
    todo = [uid for uid in keys if uid not in taken]
    url = activation_url()
    if todo:
        now = timezone.now()
        with transaction.atomic():
            ActivationCode.objects.filter(
                user_id__in=todo, purpose=CodePurpose.ACTIVATION, used_at__isnull=True
            ).delete()
            ActivationCode.objects.bulk_create(
                [
                    ActivationCode(
                        user_id=uid,
                        purpose=CodePurpose.ACTIVATION,
                        code_hash=_hash(uid, _code(uid, now)),
                        created_at=now,
                        expires_at=now + timedelta(days=code_days()),
                    )
                    for uid in todo
                ],
                batch_size=2000,
            )
            deliveries_record(
                rows=[(uid, keys[uid]) for uid in todo],
                channel=Channel.SMS,
                body=_message("*" * CODE_DIGITS, url),
                url=url,
            )
    ids = Delivery.objects.filter(
        channel=Channel.SMS, key__in=list(keys.values()), user_id__in=list(keys), status=Delivery.Status.PENDING
    ).values_list("pk", flat=True)
    return deliveries_send(list(ids))


def activation_complete(*, phone: str, code: str, password1: str, password2: str) -> User:
    """Check the activation code and set the password; the code proves the phone. ValidationError naming
    the field at fault otherwise."""
    return codes.password_set_by_code(
        phone=phone,
        code=code,
        password1=password1,
        password2=password2,
        purpose=CodePurpose.ACTIVATION,
        too_many=_("Too many wrong codes were tried. Ask your organiser to send you a new activation code."),
    )


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
    consent = SignupForm.base_fields["consent"]  # the privacy policy, agreed to as at sign-up


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
                consent_record(user=user, source=ConsentSource.ACTIVATION)
                signin.signin_succeeded(request, data["phone"])
                login(request, user, backend="learning.accounts.backends.PhoneBackend")
                messages.success(request, _("Your account is active. Welcome, %(name)s!") % {"name": user.full_name})
                return redirect("progress:my_learning")
    else:
        form = ActivationForm(initial={"phone": request.GET.get("phone", "")[:20]})
    return render(request, "accounts/activate.html", {"form": form})
