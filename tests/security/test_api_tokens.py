"""API tokens expire, die with a password change or an activation, and can be given back (logout)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(api, user) -> str:
    response = api.post("/api/v1/auth/token/", {"phone": user.phone, "password": PASSWORD}, format="json")
    assert response.status_code == 200, response.content
    return response.json()["token"]


def use(api, token):
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return api.get("/api/v1/me/progress/")


def test_an_expired_token_is_a_401_with_a_clear_message_and_a_new_sign_in_gives_a_new_one(api, learner, settings):
    token = sign_in(api, learner)
    assert use(api, token).status_code == 200
    Token.objects.filter(key=token).update(created=timezone.now() - timedelta(days=settings.API_TOKEN_LIFETIME_DAYS))
    response = use(api, token)
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]
    api.credentials()
    fresh = sign_in(api, learner)
    assert fresh != token and use(api, fresh).status_code == 200


def test_signing_in_again_before_expiry_returns_the_same_token(api, learner):
    assert sign_in(api, learner) == sign_in(api, learner)


def test_a_password_change_ends_every_token(api, learner):
    token = sign_in(api, learner)
    learner.set_password("Mat-khau-moi-2026!")
    learner.save()
    assert use(api, token).status_code == 401
    assert not Token.objects.filter(user=learner).exists()


def test_saving_without_a_new_password_keeps_the_token(api, learner):
    token = sign_in(api, learner)
    learner.full_name = "Tên mới"
    learner.save()
    assert use(api, token).status_code == 200


def test_activation_ends_every_token(api, client, learner):
    import re

    from learning.accounts.activation import activation_codes_send
    from learning.notifications.sms import ConsoleSmsBackend

    token = sign_in(api, learner)
    ConsoleSmsBackend.outbox.clear()
    activation_codes_send(users=[(learner.pk, learner.phone)])
    code = re.search(r"\b(\d{6})\b", ConsoleSmsBackend.outbox[-1][1]).group(1)
    response = client.post(
        "/accounts/activate/",
        {
            "phone": learner.phone,
            "code": code,
            "password1": "Hoc-so-2026!x",
            "password2": "Hoc-so-2026!x",
            "consent": "on",
        },
    )
    assert response.status_code == 302
    assert use(api, token).status_code == 401


def test_logout_deletes_the_callers_token(api, learner):
    token = sign_in(api, learner)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.post("/api/v1/auth/logout/").status_code == 204
    assert use(api, token).status_code == 401
    api.credentials()
    assert api.post("/api/v1/auth/logout/").status_code in (401, 403)


def test_logout_is_in_the_schema(api):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert "post" in schema["paths"]["/api/v1/auth/logout/"]
