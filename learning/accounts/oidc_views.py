"""Pages of the sign-in with an OpenID Connect provider (``learning.accounts.oidc``): going to the provider,
coming back from it, and the first sign-in's questions (commune, target groups, the privacy policy)."""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from . import oidc, services
from .consent_models import ConsentSource
from .forms import ProfileForm, SignupForm
from .views import REFRESH, _apply_errors, _initial_from_post, _next_url, profile_initial

log = logging.getLogger("learning.accounts.oidc")

BACKEND = "learning.accounts.oidc.OIDCBackend"
STATE_MAX_AGE = 15 * 60  # seconds a sign-in may spend at the provider


def _error(request, message: str, status: int):
    return render(
        request,
        "accounts/oidc_error.html",
        {"message": message, "provider": settings.OIDC_PROVIDER_NAME or "VNeID"},
        status=status,
    )


def _unavailable(request, exc: Exception):
    log.error("OIDC provider %s unavailable: %s", settings.OIDC_PROVIDER_NAME, exc)
    return _error(
        request,
        _("Could not connect to %(provider)s, please sign in with your phone number.")
        % {"provider": settings.OIDC_PROVIDER_NAME or "VNeID"},
        503,
    )


def _refused(request, reason: str, message: str | None = None):
    log.warning("OIDC sign-in refused: %s", reason)
    return _error(
        request,
        message
        or _("The sign-in with %(provider)s could not be confirmed. You have not been signed in; please try again.")
        % {"provider": settings.OIDC_PROVIDER_NAME or "VNeID"},
        400,
    )


class LoginStart(OIDCAuthenticationRequestView):
    """To the provider's sign-in page, with a fresh state, nonce and PKCE challenge kept in the session."""

    def __init__(self, *args, **kwargs):  # the endpoints are found per request (``oidc.endpoints``)
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID

    def get(self, request):
        if not oidc.enabled():
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = oidc.endpoints().authorization
        except oidc.ProviderUnavailable as exc:
            return _unavailable(request, exc)
        return super().get(request)


@require_http_methods(["GET"])
def callback(request):
    """Back from the provider: the state must be one this browser started (and is then forgotten), the
    code is exchanged with the PKCE verifier, the ID token checked (``oidc.OIDCBackend``)."""
    if not oidc.enabled():
        raise Http404
    states = request.session.get("oidc_states")
    states = states if isinstance(states, dict) else {}
    state = request.GET.get("state", "")
    entry = states.pop(state, None) if state else None
    request.session["oidc_states"] = states  # each state serves once
    if request.GET.get("error"):
        return _refused(
            request,
            f"the provider answered {request.GET.get('error')!r}",
            _("The sign-in with %(provider)s was cancelled or refused. You have not been signed in.")
            % {"provider": settings.OIDC_PROVIDER_NAME or "VNeID"},
        )
    if not request.GET.get("code") or entry is None:
        return _refused(request, "unknown or already used state")
    if time.time() - float(entry.get("added_on") or 0) > STATE_MAX_AGE:
        return _refused(request, "state too old")
    try:
        user = auth.authenticate(request, oidc_nonce=entry.get("nonce"), oidc_code_verifier=entry.get("code_verifier"))
    except oidc.ProviderUnavailable as exc:
        return _unavailable(request, exc)
    except oidc.IdentityRefused as exc:
        return _refused(request, exc.message, exc.message)
    except SuspiciousOperation as exc:
        return _refused(request, str(exc))
    if user is None or not user.is_active:
        return _refused(request, "no active account")
    auth.login(request, user, backend=BACKEND)
    target = request.session.pop("oidc_login_next", None) or reverse(settings.LOGIN_REDIRECT_URL)
    if oidc.needs_completion(user):
        return redirect(f"{reverse('accounts:oidc_complete')}?{urlencode({'next': target})}")
    return redirect(target)


class CompleteForm(ProfileForm):
    """The profile's fields and, when the person has not agreed to the policy in force, the sign-up's
    consent box."""

    consent = SignupForm.base_fields["consent"]

    field_order = ["full_name", "province", "commune", "target_groups", "consent"]

    def __init__(self, *args, consent_needed: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not consent_needed:
            del self.fields["consent"]


def _next(request) -> str:
    return _next_url(request, reverse(settings.LOGIN_REDIRECT_URL))


@login_required
@require_http_methods(["GET", "POST"])
def complete(request):
    """The first sign-in with the provider: commune, target groups and consent, then on to the page asked for."""
    user = request.user
    if not oidc.needs_completion(user):
        return redirect(_next(request))
    consent_needed = not user.consents.filter(policy_version=settings.PRIVACY_POLICY_VERSION).exists()
    initial = profile_initial(user)
    if request.method == "POST" and REFRESH not in request.POST:
        form = CompleteForm(request.POST, initial=initial, consent_needed=consent_needed)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.user_complete_profile(
                    user=user,
                    full_name=data["full_name"],
                    commune=data["commune"],
                    target_groups=[g.code for g in data["target_groups"]],
                    consent_source=ConsentSource.OIDC if consent_needed else None,
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Welcome, %(name)s! Your account is ready.") % {"name": user.full_name})
                return redirect(_next(request))
    elif request.method == "POST":
        keep = {**initial, **_initial_from_post(request.POST), "commune": None}
        form = CompleteForm(initial=keep, consent_needed=consent_needed)
    else:
        form = CompleteForm(initial=initial, consent_needed=consent_needed)
    return render(
        request,
        "accounts/oidc_complete.html",
        {"form": form, "refresh": REFRESH, "next": _next(request), "provider": settings.OIDC_PROVIDER_NAME},
    )
