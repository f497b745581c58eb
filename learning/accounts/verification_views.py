"""Pages for proving one's phone after signing up, and for a new password when the old one is forgotten
(services in ``verification``; one sign-in policy in ``signin``)."""

from __future__ import annotations

import time

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from . import signin, verification
from .activation import ActivationForm
from .activation_models import CodePurpose
from .forms import PhoneField
from .phone import display_phone

RESET_SESSION = "password_reset"  # {"phone": E.164, "at": when a code was last asked for}


def _code_field() -> forms.CharField:
    return forms.CharField(
        label=gettext_lazy("Verification code"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9 ]*"}),
        help_text=gettext_lazy("The 6 digits in the SMS we sent you."),
    )


class VerifyPhoneForm(forms.Form):
    code = _code_field()


class PasswordResetForm(forms.Form):
    phone = PhoneField()


class PasswordResetConfirmForm(ActivationForm):
    """The activation form's fields (phone, code, new password twice), with the code named as sent."""

    code = _code_field()
    consent = None  # the account exists: its consent was given when it was made

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password1"].help_text = gettext_lazy("At least 8 characters, not only digits.")


def _next_url(request) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure()):
        return url
    return reverse("progress:my_learning")


def _apply(form, exc: ValidationError) -> None:
    for name, errors in exc.message_dict.items():
        form.add_error(name if name in form.fields else None, errors)


@login_required
@require_http_methods(["GET", "POST"])
def verify_phone(request):
    """Enter the code sent to one's phone at sign-up, or ask for a new one."""
    user = request.user
    if user.phone_verified_at is not None:
        return redirect(_next_url(request))
    form = VerifyPhoneForm()
    if request.method == "POST" and "resend" in request.POST:
        try:
            signin.signin_check(request, user.phone)
            verification.phone_verification_send(user=user)
        except (signin.SignInLocked, verification.ResendTooSoon) as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("We have sent a new code to %(phone)s.") % {"phone": user.phone_display})
        return redirect(f"{reverse('accounts:verify_phone')}?{urlencode({'next': _next_url(request)})}")
    if request.method == "POST":
        form = VerifyPhoneForm(request.POST)
        if form.is_valid():
            try:
                signin.signin_check(request, user.phone)
                verification.phone_verify(user=user, code=form.cleaned_data["code"])
            except signin.SignInLocked as exc:
                form.add_error(None, exc.message)
            except ValidationError as exc:
                signin.signin_failed(request, user.phone)
                _apply(form, exc)
            else:
                messages.success(request, _("Your phone number is verified. Thank you!"))
                return redirect(_next_url(request))
    wait = verification.resend_wait(user_id=user.pk, purpose=CodePurpose.VERIFY)
    return render(
        request,
        "accounts/verify_phone.html",
        {"form": form, "wait": wait, "phone": user.phone_display, "next": _next_url(request)},
    )


def _reset_wait(request) -> int:
    """Seconds before this browser may ask for another reset code (the same for every number)."""
    at = request.session.get(RESET_SESSION, {}).get("at", 0)
    return max(0, int(at + settings.PHONE_CODE_RESEND_SECONDS - time.time() + 0.999))


@require_http_methods(["GET", "POST"])
def password_reset(request):
    """Ask for a password-reset code: the answer is the same whether or not the number has an account."""
    if request.method == "POST":
        form = PasswordResetForm(request.POST)
        if form.is_valid():
            phone = form.cleaned_data["phone"]
            try:
                signin.signin_check(request, phone)
            except signin.SignInLocked as exc:
                form.add_error(None, exc.message)
            else:
                wait = _reset_wait(request)
                if wait:
                    messages.error(request, verification.ResendTooSoon(wait).message)
                else:
                    signin.signin_failed(request, phone, account=False)  # each request costs an SMS
                    verification.password_reset_request(phone=phone)
                    request.session[RESET_SESSION] = {"phone": phone, "at": time.time()}
                    messages.success(request, verification.reset_sent_message(phone))
                return redirect("accounts:password_reset_confirm")
    else:
        form = PasswordResetForm(initial={"phone": request.GET.get("phone", "")[:20]})
    return render(request, "accounts/password_reset.html", {"form": form})


@require_http_methods(["GET", "POST"])
def password_reset_confirm(request):
    """Enter the code and a new password; signs in on success."""
    phone = request.session.get(RESET_SESSION, {}).get("phone", "")
    if request.method == "POST":
        form = PasswordResetConfirmForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                signin.signin_check(request, data["phone"])
                user = verification.password_reset_complete(
                    phone=data["phone"], code=data["code"], password1=data["password1"], password2=data["password2"]
                )
            except signin.SignInLocked as exc:
                form.add_error(None, exc.message)
            except ValidationError as exc:
                if "code" in exc.message_dict:  # a wrong code counts as a failed sign-in
                    signin.signin_failed(request, data["phone"])
                _apply(form, exc)
            else:
                signin.signin_succeeded(request, data["phone"])
                request.session.pop(RESET_SESSION, None)
                login(request, user, backend="learning.accounts.backends.PhoneBackend")
                messages.success(request, _("Your new password is saved. You are signed in."))
                return redirect("progress:my_learning")
    else:
        form = PasswordResetConfirmForm(initial={"phone": display_phone(phone) if phone else ""})
    return render(
        request,
        "accounts/password_reset_confirm.html",
        {"form": form, "wait": _reset_wait(request), "phone": phone},
    )
