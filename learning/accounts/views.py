from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import oidc, services
from .consent_models import ConsentSource
from .forms import LoginForm, ProfileForm, SignupForm

REFRESH = "refresh_communes"  # the no-JavaScript "show this province's communes" button


def _apply_errors(form, exc: ValidationError):
    """Put a service's errors on the form fields they concern (the service says "password")."""
    for field, errors in exc.message_dict.items():
        field = "password1" if field == "password" else field
        form.add_error(field if field in form.fields else None, errors)


def _initial_from_post(post) -> dict:
    """What the learner typed, kept when the no-JavaScript province refresh re-renders the form."""
    return {
        "phone": post.get("phone", ""),
        "full_name": post.get("full_name", ""),
        "province": post.get("province"),
        "target_groups": post.getlist("target_groups"),
    }


def _next_url(request, default):
    url = request.POST.get("next") or request.GET.get("next")
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure()):
        return url
    return default


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("progress:my_learning")
    if request.method == "POST" and REFRESH not in request.POST:
        form = SignupForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                user = services.user_register(
                    phone=data["phone"],
                    full_name=data["full_name"],
                    password=data["password1"],
                    commune=data["commune"],
                    target_groups=[g.code for g in data["target_groups"]],
                    consent_source=ConsentSource.SIGNUP,  # the form requires the box ticked
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                login(request, user, backend="learning.accounts.backends.PhoneBackend")
                messages.success(request, _("Welcome, %(name)s! Your account is ready.") % {"name": user.full_name})
                # Next: the code sent to the phone (learning/accounts/verification.py).
                verify = reverse("accounts:verify_phone")
                return redirect(f"{verify}?{urlencode({'next': _next_url(request, '/')})}")
    elif request.method == "POST":
        form = SignupForm(initial=_initial_from_post(request.POST))
    else:
        form = SignupForm()
    context = {"form": form, "refresh": REFRESH, "oidc_provider": oidc.provider_name()}
    return render(request, "accounts/signup.html", context)


def profile_initial(user) -> dict:
    """The profile form's fields as the person's account has them."""
    return {
        "full_name": user.full_name,
        "province": user.commune.province_id if user.commune_id else None,
        "commune": user.commune_id,
        "target_groups": list(user.target_groups.values_list("code", flat=True)),
    }


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    user = request.user
    initial = profile_initial(user)
    if request.method == "POST" and REFRESH not in request.POST:
        form = ProfileForm(request.POST, initial=initial)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.user_update_profile(
                    user=user,
                    full_name=data["full_name"],
                    commune=data["commune"],
                    target_groups=[g.code for g in data["target_groups"]],
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Your profile has been saved."))
                return redirect("accounts:profile")
    elif request.method == "POST":
        form = ProfileForm(initial={**initial, **_initial_from_post(request.POST), "commune": None})
    else:
        form = ProfileForm(initial=initial)
    return render(request, "accounts/profile.html", {"form": form, "refresh": REFRESH})


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, oidc_provider=oidc.provider_name())
