from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("profile/", views.profile, name="profile"),
]
from .activation import activate  # noqa: E402  (activating an account made for someone, e.g. from a roster)

urlpatterns.append(path("activate/", activate, name="activate"))

from . import verification_views  # noqa: E402  (proving one's phone; a forgotten password)

urlpatterns += [
    path("verify-phone/", verification_views.verify_phone, name="verify_phone"),
    path("password-reset/", verification_views.password_reset, name="password_reset"),
    path("password-reset/confirm/", verification_views.password_reset_confirm, name="password_reset_confirm"),
]

from . import oidc_views  # noqa: E402  (sign-in with an OpenID Connect provider: VNeID)

urlpatterns += [
    path("oidc/login/", oidc_views.LoginStart.as_view(), name="oidc_login"),
    path("oidc/callback/", oidc_views.callback, name="oidc_callback"),
    path("oidc/complete/", oidc_views.complete, name="oidc_complete"),
]
