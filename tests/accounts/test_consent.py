"""Consent at sign-up (Personal Data Protection Law 2025, Decree 13/2023): the sign-up form, the API and the
activation of a roster-made account refuse to go on without it, with a clear message, and record the purpose,
the policy version and the time; the policy page is reachable from the sign-up form and every page's footer;
the person's export holds their consents."""

import io
import json
import re
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from learning.accounts.activation import activation_codes_send
from learning.accounts.models import Consent, User
from learning.accounts.services import consent_record
from tests.accounts.test_accounts import SIGNUP
from tests.api.test_auth_api import BODY

pytestmark = pytest.mark.django_db
REFUSED = "To create an account, tick the box to agree to the privacy policy"


def test_signup_without_consent_is_refused_with_a_message_and_writes_nothing(client):
    data = {key: value for key, value in SIGNUP.items() if key != "consent"}
    response = client.post(reverse("accounts:signup"), data)
    assert response.status_code == 200 and REFUSED in response.content.decode()
    assert not User.objects.exists() and not Consent.objects.exists()


def test_signup_records_the_purpose_the_policy_version_and_the_time(client, settings):
    settings.PRIVACY_POLICY_VERSION = "2026-02"
    before = timezone.now()
    response = client.post(reverse("accounts:signup"), SIGNUP)
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert consent.user.phone == "+84912345678"
    assert (consent.purpose, consent.policy_version, consent.source) == ("learning", "2026-02", "signup")
    assert before <= consent.given_at <= timezone.now()


@pytest.mark.parametrize("consent", [None, False, "no"])
def test_the_api_refuses_a_sign_up_without_consent(api, consent):
    body = {key: value for key, value in BODY.items() if key != "consent"}
    if consent is not None:
        body["consent"] = consent
    response = api.post("/api/v1/auth/register/", body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["consent"]
    assert not User.objects.exists()


def test_the_api_records_the_consent(api):
    assert api.post("/api/v1/auth/register/", BODY, format="json").status_code == 201
    consent = Consent.objects.get()
    assert (consent.purpose, consent.source, consent.user.phone) == ("learning", "api", "+84912345678")
    schema = api.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    register = schema["components"]["schemas"]["RegisterRequest"]
    assert "consent" in register["required"] and register["properties"]["consent"]["type"] == "boolean"


def test_a_roster_made_account_consents_when_it_is_activated(client, make_user):
    from learning.notifications.sms import ConsoleSmsBackend

    person = make_user(phone="0912777002")
    person.set_unusable_password()
    person.save()
    Consent.objects.all().delete()
    ConsoleSmsBackend.outbox.clear()
    activation_codes_send(users=[(person.pk, person.phone)])
    code = re.search(r"\b(\d{6})\b", ConsoleSmsBackend.outbox[-1][1]).group(1)
    data = {"phone": "0912777002", "code": code, "password1": "Hoc-so-2026!x", "password2": "Hoc-so-2026!x"}
    refused = client.post("/accounts/activate/", data)
    assert refused.status_code == 200 and REFUSED in refused.content.decode()
    assert not Consent.objects.exists()
    assert client.post("/accounts/activate/", {**data, "consent": "on"}).status_code == 302
    assert Consent.objects.get().source == "activation" and Consent.objects.get().user == person


def test_the_policy_is_reachable_from_the_sign_up_form_and_every_footer(vi_client, settings):
    settings.PRIVACY_POLICY_VERSION = "2026-03"
    assert "/privacy/" in vi_client.get("/accounts/signup/").content.decode()
    assert "/privacy/" in vi_client.get("/accounts/login/").content.decode()
    page = vi_client.get("/privacy/")
    text = page.content.decode()
    assert page.status_code == 200 and "Chính sách bảo vệ dữ liệu cá nhân" in text and "2026-03" in text


def test_the_export_holds_the_consents(client, make_user):
    me = make_user()
    consent_record(user=me, source="signup")
    client.force_login(me)
    archive = zipfile.ZipFile(io.BytesIO(client.get("/accounts/my-data/download/").content))
    consents = json.loads(archive.read("du-lieu-cua-toi.json"))["consents"]
    assert [(c["purpose"], c["source"]) for c in consents] == [("learning", "signup")]
    assert "consents.csv" in archive.namelist()


def test_administrators_read_the_consents_and_nobody_edits_them(make_user):
    from django.test import Client

    learner = make_user()
    consent = consent_record(user=learner, source="signup")
    admin = make_user(phone="0913999998")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    browser.force_login(learner)
    assert browser.get("/django-admin/accounts/consent/").status_code == 302
    browser.force_login(admin)
    listing = browser.get("/django-admin/accounts/consent/")
    assert listing.status_code == 200 and consent.policy_version in listing.content.decode()
    assert browser.get(f"/django-admin/accounts/consent/{consent.pk}/delete/").status_code == 403
    assert browser.get("/django-admin/accounts/consent/add/").status_code == 403
