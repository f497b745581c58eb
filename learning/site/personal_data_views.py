"""A person's own data (Personal Data Protection Law 2025, Decree 13/2023): the “My data” page, the download
of everything held about them, deleting their account, and the privacy policy they agree to."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from learning.accounts.consent_models import ConsentPurpose
from learning.accounts.services import user_erase_confirmed

from .personal_data import personal_data_counts, personal_data_zip

_TABLE_NAMES = {
    "consents": gettext_lazy("Consents to the privacy policy"),
    "roles": gettext_lazy("Roles"),
    "enrolments": gettext_lazy("Courses started"),
    "lesson_completions": gettext_lazy("Lessons completed"),
    "quiz_attempts": gettext_lazy("Quiz attempts"),
    "quiz_answers": gettext_lazy("Quiz answers"),
    "mandatory_modules": gettext_lazy("Mandatory modules"),
    "certificates": gettext_lazy("Certificates"),
    "messages": gettext_lazy("Messages"),
}


@login_required
@require_GET
def my_data(request):
    """The “My data” page: what the site holds about the signed-in person, the download, and deleting the
    account."""
    counts = [(_TABLE_NAMES[name], n) for name, n in personal_data_counts(request.user).items() if name in _TABLE_NAMES]
    return render(request, "site/my_data.html", {"counts": counts})


@never_cache
@login_required
@require_GET
def my_data_download(request):
    """Everything held about the signed-in person (``personal_data.personal_data_zip``), as a zip."""
    response = HttpResponse(personal_data_zip(request.user), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="du-lieu-cua-toi.zip"'
    return response


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=gettext_lazy("To be sure it is you, type the password you sign in with."),
        error_messages={"required": gettext_lazy("Type your password to delete your account.")},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request):
    """Deleting one's own account, after typing the password (``accounts.services.user_erase``)."""
    form = AccountDeleteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            user_erase_confirmed(request=request, user=request.user, password=form.cleaned_data["password"])
        except ValidationError as exc:
            for message in exc.message_dict.get("password", exc.messages):
                form.add_error("password", message)
        else:
            logout(request)
            messages.success(
                request, _("Your account has been deleted. Your name and phone number are no longer on this site.")
            )
            return redirect("/")
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "site/account_delete.html", {"form": form}, status=status)


@require_GET
def privacy_policy(request):
    """The privacy policy (“Chính sách bảo vệ dữ liệu cá nhân”) people agree to at sign-up and activation."""
    return render(
        request,
        "site/privacy_policy.html",
        {
            "version": settings.PRIVACY_POLICY_VERSION,
            "controller": settings.CERTIFICATE_ISSUER,
            "purpose": ConsentPurpose.LEARNING.label,
            "access_log_days": settings.ACCESS_LOG_RETENTION_DAYS,
            "notification_days": settings.NOTIFICATION_RETENTION_DAYS,
            "code_days": settings.CODE_RETENTION_DAYS,
        },
    )
