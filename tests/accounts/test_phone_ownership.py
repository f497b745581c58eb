"""Proven phone ownership: sign-up verification by SMS code, and a password reset by SMS code that reveals
nothing (the roster claiming an unverified account is in test_roster_claims.py)."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

from learning.accounts.activation_models import ActivationCode
from learning.accounts.tokens import api_token_get
from learning.notifications.models import Delivery
from tests.accounts.phone_codes import NEW_PASSWORD, OFFICIAL, OFFICIAL_E164, last_code, wrong
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


# --- Verification at sign-up -------------------------------------------------------------------


def test_a_new_account_is_unverified_and_gets_a_hashed_code_by_sms(signed_up, outbox, client):
    assert signed_up.phone_verified_at is None and signed_up.phone_unproven
    code = last_code(outbox)
    stored = ActivationCode.objects.get(user=signed_up)
    assert stored.purpose == "verify" and code not in stored.code_hash
    assert stored.expires_at - stored.created_at == timedelta(minutes=15)
    delivery = Delivery.objects.get(user=signed_up, key=f"verify:{stored.pk}")
    assert delivery.status == "sent" and code not in delivery.body and "******" in delivery.body
    page = client.get("/accounts/verify-phone/").content.decode()
    assert "0912 888 001" in page and "Send the code again in" in page and "disabled" in page
    assert "Your phone number is not verified yet" in client.get("/learning/").content.decode()


def test_the_code_verifies_the_phone_and_goes_on(signed_up, outbox, client):
    code = last_code(outbox)
    response = client.post("/accounts/verify-phone/", {"code": wrong(code), "next": "/learning/"})
    assert "not correct or has expired" in response.content.decode()
    response = client.post("/accounts/verify-phone/", {"code": f"{code[:3]} {code[3:]}", "next": "/learning/"})
    assert response.status_code == 302 and response["Location"] == "/learning/"
    signed_up.refresh_from_db()
    assert signed_up.phone_verified_at is not None and not signed_up.phone_unproven
    assert "not verified yet" not in client.get("/learning/").content.decode()
    assert client.get("/accounts/verify-phone/").status_code == 302  # nothing more to do


def test_a_new_code_waits_a_minute_and_replaces_the_old_one(
    signed_up, outbox, client, django_capture_on_commit_callbacks
):
    first = last_code(outbox)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/verify-phone/", {"resend": "1"}, follow=True)
    assert "You can ask for a new one in" in response.content.decode() and len(outbox) == 1
    ActivationCode.objects.filter(user=signed_up).update(created_at=timezone.now() - timedelta(seconds=61))
    page = client.get("/accounts/verify-phone/").content.decode()
    assert "Send the code again</button>" in page and "disabled" not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/verify-phone/", {"resend": "1"}, follow=True)
    assert "We have sent a new code" in response.content.decode() and len(outbox) == 2
    second = last_code(outbox)
    if second != first:
        assert "not correct" in client.post("/accounts/verify-phone/", {"code": first}).content.decode()
    assert client.post("/accounts/verify-phone/", {"code": second}).status_code == 302


def test_five_wrong_codes_spend_the_code(signed_up, outbox, client, settings):
    settings.SIGNIN_MAX_FAILURES = 10  # the code's own limit, not the account lockout
    code = last_code(outbox)
    for _ in range(5):
        client.post("/accounts/verify-phone/", {"code": wrong(code)})
    response = client.post("/accounts/verify-phone/", {"code": code})
    assert "Too many wrong codes were tried. Ask for a new code." in response.content.decode()
    signed_up.refresh_from_db()
    assert signed_up.phone_verified_at is None


def test_an_expired_code_is_refused(signed_up, outbox, client):
    code = last_code(outbox)
    ActivationCode.objects.filter(user=signed_up).update(
        created_at=timezone.now() - timedelta(minutes=20), expires_at=timezone.now() - timedelta(minutes=5)
    )
    assert "not correct or has expired" in client.post("/accounts/verify-phone/", {"code": code}).content.decode()


def test_the_api_verifies_the_phone_too(api, make_user, django_capture_on_commit_callbacks, outbox):
    user = make_user(phone=OFFICIAL, verified=False)  # a code was issued at sign-up
    api.force_authenticate(user)
    again = api.post("/api/v1/auth/verify-phone/resend/")
    assert again.status_code == 429 and int(again["Retry-After"]) > 0
    ActivationCode.objects.filter(user=user).update(created_at=timezone.now() - timedelta(seconds=61))
    with django_capture_on_commit_callbacks(execute=True):
        assert api.post("/api/v1/auth/verify-phone/resend/").status_code == 202
    code = last_code(outbox)
    assert api.post("/api/v1/auth/verify-phone/", {"code": wrong(code)}, format="json").status_code == 400
    assert api.post("/api/v1/auth/verify-phone/", {"code": "12ab"}, format="json").status_code == 400
    assert api.post("/api/v1/auth/verify-phone/", {"code": code}, format="json").status_code == 200
    user.refresh_from_db()
    assert user.phone_verified_at is not None


def test_api_registration_says_the_phone_is_not_verified_yet(api, django_capture_on_commit_callbacks, outbox):
    body = {
        "phone": OFFICIAL,
        "full_name": "Lê Văn Bình",
        "password": NEW_PASSWORD,
        "commune": "06688",
        "target_groups": ["citizen"],
        "consent": True,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/api/v1/auth/register/", body, format="json")
    assert response.status_code == 201 and response.json()["phone_verified"] is False
    assert last_code(outbox)  # the code went out by SMS


# --- Password reset ------------------------------------------------------------------------------


@pytest.fixture
def member(make_user):
    return make_user(phone=OFFICIAL)


def ask(client, phone, capture):
    with capture(execute=True):
        return client.post("/accounts/password-reset/", {"phone": phone}, follow=True)


def confirm(client, code, phone=OFFICIAL, password=NEW_PASSWORD):
    return client.post(
        "/accounts/password-reset/confirm/",
        {"phone": phone, "code": code, "password1": password, "password2": password},
    )


def test_the_sign_in_page_links_to_password_reset(client):
    page = client.get("/accounts/login/").content.decode()
    assert 'href="/accounts/password-reset/"' in page and "Forgot your password?" in page


def test_password_reset_by_sms_code_ends_every_other_session_and_token(
    client, member, outbox, django_capture_on_commit_callbacks
):
    elsewhere = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert elsewhere.login(phone=OFFICIAL, password=PASSWORD)
    token = api_token_get(user=member)
    response = ask(client, OFFICIAL, django_capture_on_commit_callbacks)
    assert response.redirect_chain[-1][0] == "/accounts/password-reset/confirm/"
    page = response.content.decode()
    assert "If an account uses the number 0912 888 001, we have sent a code to it." in page
    assert 'value="0912 888 001"' in page
    code = last_code(outbox)
    assert "Mã đặt lại mật khẩu" in outbox[-1][1]  # SMS go out in the site's language
    assert ActivationCode.objects.get(user=member, purpose="reset").code_hash != code
    response = confirm(client, code)
    assert response.status_code == 302 and get_user(client).pk == member.pk
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD) and not member.check_password(PASSWORD)
    assert not Token.objects.filter(key=token.key).exists()
    assert not get_user(elsewhere).is_authenticated  # signed out on the other device
    client.logout()
    assert "not correct or has expired" in confirm(client, code).content.decode()  # used once


def test_an_unknown_number_gets_the_same_answer_and_no_sms(
    client, member, outbox, django_capture_on_commit_callbacks, monkeypatch
):
    from learning.accounts import tasks

    queued = []
    monkeypatch.setattr(tasks.send_password_reset_code, "delay", queued.append)
    answers = []
    for phone in (OFFICIAL, "0912 888 999"):
        other = Client(HTTP_ACCEPT_LANGUAGE="en")
        with django_capture_on_commit_callbacks(execute=True):
            response = other.post("/accounts/password-reset/", {"phone": phone})
        page = other.get(response["Location"]).content.decode()
        page = re.sub(r"(0912 888 |\+84912888)\d{3}", "N", page)
        answers.append((response.status_code, response["Location"], page))
    assert answers[0][:2] == answers[1][:2] == (302, "/accounts/password-reset/confirm/")
    # Same page (bar the number and the CSRF token) and the request looked nothing up: a worker does.
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    import difflib

    one, two = strip.sub("", answers[0][2]), strip.sub("", answers[1][2])
    assert one == two, "\n".join(difflib.unified_diff(one.splitlines(), two.splitlines(), lineterm=""))
    assert queued == [OFFICIAL_E164, "+84912888999"]
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_password_reset_code(OFFICIAL_E164) is True
        assert tasks.send_password_reset_code("+84912888999") is False
    assert len(outbox) == 1
    assert "not correct or has expired" in confirm(client, "123456", phone="0912 888 999").content.decode()


def test_wrong_expired_and_too_many_codes(client, member, outbox, settings, django_capture_on_commit_callbacks):
    settings.SIGNIN_MAX_FAILURES = 10  # the code's own limit first
    ask(client, OFFICIAL, django_capture_on_commit_callbacks)
    code = last_code(outbox)
    response = confirm(client, wrong(code))
    assert response.status_code == 200 and "not correct or has expired" in response.content.decode()
    for _ in range(4):
        confirm(client, wrong(code))
    answer = confirm(client, code).content.decode()  # the right code, after five wrong ones
    assert "not correct or has expired" in answer  # the same words as for an unknown number
    member.refresh_from_db()
    assert member.check_password(PASSWORD)
    # A new code (after the wait) works; an expired one does not.
    ActivationCode.objects.filter(user=member).update(created_at=timezone.now() - timedelta(minutes=2))
    client.session.flush()
    fresh = Client(HTTP_ACCEPT_LANGUAGE="en")
    ask(fresh, OFFICIAL, django_capture_on_commit_callbacks)
    code = last_code(outbox)
    ActivationCode.objects.filter(user=member, used_at__isnull=True).update(
        created_at=timezone.now() - timedelta(minutes=20), expires_at=timezone.now() - timedelta(minutes=5)
    )
    page = confirm(fresh, code).content.decode()
    assert "not correct or has expired" in page, re.findall(r'class="errorlist[^>]*>.*?</ul>', page)


def test_asking_again_within_a_minute_sends_nothing(client, member, outbox, django_capture_on_commit_callbacks):
    ask(client, OFFICIAL, django_capture_on_commit_callbacks)
    page = ask(client, OFFICIAL, django_capture_on_commit_callbacks).content.decode()
    assert "You can ask for a new one in" in page and len(outbox) == 1
    assert "Send the code again in" in page
    other = Client(HTTP_ACCEPT_LANGUAGE="en")  # another browser: the worker still sends one code a minute
    ask(other, OFFICIAL, django_capture_on_commit_callbacks)
    assert len(outbox) == 1


def test_wrong_codes_lock_the_account_like_wrong_passwords(client, member, outbox, django_capture_on_commit_callbacks):
    ask(client, OFFICIAL, django_capture_on_commit_callbacks)
    code = last_code(outbox)
    for _ in range(5):
        confirm(client, wrong(code))
    response = confirm(client, code)
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert not client.login(phone=OFFICIAL, password=NEW_PASSWORD)
    page = client.post("/accounts/login/", {"username": OFFICIAL, "password": PASSWORD}).content.decode()
    assert "Too many failed sign-in attempts" in page  # one policy


# --- Password reset through the API -----------------------------------------------------------


def test_api_password_reset(api, member, outbox, django_capture_on_commit_callbacks):
    old = api_token_get(user=member)
    with django_capture_on_commit_callbacks(execute=True):
        known = api.post("/api/v1/auth/password-reset/", {"phone": OFFICIAL}, format="json")
        unknown = api.post("/api/v1/auth/password-reset/", {"phone": "0912888999"}, format="json")
    assert known.status_code == unknown.status_code == 202
    assert known.json()["detail"].replace("0912 888 001", "N") == unknown.json()["detail"].replace("0912 888 999", "N")
    assert len(outbox) == 1
    assert api.post("/api/v1/auth/password-reset/", {"phone": "12"}, format="json").status_code == 400
    assert api.post("/api/v1/auth/password-reset/", {}, format="json").status_code == 400
    code = last_code(outbox)
    url = "/api/v1/auth/password-reset/confirm/"
    body = {"phone": OFFICIAL, "code": wrong(code), "password": NEW_PASSWORD}
    response = api.post(url, body, format="json")
    assert response.status_code == 400 and "code" in response.json()
    assert api.post(url, {**body, "code": "abc"}, format="json").status_code == 400
    assert api.post(url, {**body, "code": code, "password": "123"}, format="json").status_code == 400
    assert api.post(url, {**body, "code": code}, format="json").status_code == 200
    assert api.get("/api/v1/me/progress/", HTTP_AUTHORIZATION=f"Token {old.key}").status_code == 401
    token = api.post("/api/v1/auth/token/", {"phone": OFFICIAL, "password": NEW_PASSWORD}, format="json")
    assert token.status_code == 200 and token.json()["token"] != old.key


def test_api_password_reset_is_locked_out_like_sign_in(api, member, outbox, django_capture_on_commit_callbacks):
    url = "/api/v1/auth/password-reset/confirm/"
    for _ in range(5):
        api.post(url, {"phone": OFFICIAL, "code": "123456", "password": NEW_PASSWORD}, format="json")
    locked = api.post(url, {"phone": OFFICIAL, "code": "123456", "password": NEW_PASSWORD}, format="json")
    assert locked.status_code == 429 and int(locked["Retry-After"]) > 0
    assert api.post("/api/v1/auth/password-reset/", {"phone": OFFICIAL}, format="json").status_code == 429
    unknown = [
        api.post(url, {"phone": "0912888999", "code": "123456", "password": NEW_PASSWORD}, format="json").status_code
        for _ in range(6)
    ]
    assert unknown == [400] * 5 + [429]  # an unknown number is locked the same way


def test_the_schema_documents_the_reset_answers(api):
    schema = api.get("/api/v1/schema/?format=json").json()
    for path, codes in {
        "/api/v1/auth/password-reset/": {"202", "400", "429"},
        "/api/v1/auth/password-reset/confirm/": {"200", "400", "429"},
        "/api/v1/auth/verify-phone/": {"200", "400", "401", "429"},
    }.items():
        assert codes <= set(schema["paths"][path]["post"]["responses"]), path


def test_existing_accounts_count_as_verified_when_a_code_or_the_staff_vouched(make_user, django_user_model):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("learning.accounts.migrations.0006_phone_verification_and_code_purpose")
    learner = make_user(verified=False)
    activated = make_user(verified=False)
    used = timezone.now() - timedelta(days=3)
    ActivationCode.objects.create(
        user=activated, code_hash="x", created_at=used - timedelta(hours=1), expires_at=used + timedelta(days=1)
    )
    ActivationCode.objects.filter(user=activated).update(used_at=used)
    staff = make_user(verified=False)
    django_user_model.objects.filter(pk=staff.pk).update(is_staff=True)
    migration.mark_proven_phones(apps, None)
    learner.refresh_from_db(), activated.refresh_from_db(), staff.refresh_from_db()
    assert learner.phone_verified_at is None  # self-registered, never proved: a roster may claim it
    assert activated.phone_verified_at == used and staff.phone_verified_at == staff.date_joined
