import logging
import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user
from django.utils import timezone

from learning.accounts.activation import activation_codes_send
from learning.accounts.activation_models import ActivationCode
from learning.accounts.models import User
from learning.notifications.models import Delivery
from learning.notifications.sms import ConsoleSmsBackend

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Hoc-so-Quang-Ninh-2025"


@pytest.fixture
def invited(db):
    ConsoleSmsBackend.outbox.clear()
    user = User.objects.create_user("0912 777 001", None, full_name="Lê Thị Mai")
    assert not user.has_usable_password()
    return user


def send(user) -> str:
    assert activation_codes_send(users=[(user.pk, user.phone)]) == 1
    phone, text = ConsoleSmsBackend.outbox[-1]
    assert phone == user.phone and "/accounts/activate/" in text
    return re.search(r"\b(\d{6})\b", text).group(1)


def post(client, code, phone="0912 777 001", password=NEW_PASSWORD, again=None):
    return client.post(
        "/accounts/activate/",
        {"phone": phone, "code": code, "password1": password, "password2": again or password, "consent": "on"},
    )


def test_the_code_from_the_sms_sets_the_password_and_signs_in(client, invited, caplog):
    with caplog.at_level(logging.DEBUG):
        code = send(invited)
        response = post(client, code)
    assert response.status_code == 302 and response["Location"] == "/learning/"
    invited.refresh_from_db()
    assert invited.check_password(NEW_PASSWORD) and get_user(client).pk == invited.pk
    assert ActivationCode.objects.get().used_at is not None
    delivery = Delivery.objects.get(user=invited, key=f"activation:{invited.pk}")
    assert delivery.status == "sent" and code not in delivery.body and "******" in delivery.body
    assert ActivationCode.objects.get().code_hash != code
    leaked = [
        r
        for r in caplog.records
        if r.name != "learning.sms" and (code in r.getMessage() or NEW_PASSWORD in r.getMessage())
    ]
    assert leaked == []
    client.logout()
    assert "not correct or has expired" in post(client, code).content.decode()  # used once only


def test_sending_again_sends_nothing(invited):
    send(invited)
    assert activation_codes_send(users=[(invited.pk, invited.phone)]) == 0
    assert len(ConsoleSmsBackend.outbox) == 1


def test_wrong_code_is_refused_and_attempts_are_limited(client, invited, settings):
    settings.SIGNIN_MAX_FAILURES = 10  # the code's own limit, not the account lockout (tests/security)
    code = send(invited)
    wrong = "000000" if code != "000000" else "111111"
    response = post(client, wrong)
    assert response.status_code == 200 and "not correct or has expired" in response.content.decode()
    for _ in range(4):
        post(client, wrong)
    response = post(client, code)  # even the right code, after 5 wrong ones
    assert "Too many wrong codes" in response.content.decode()
    invited.refresh_from_db()
    assert not invited.has_usable_password()


def test_expired_code_mismatched_and_weak_passwords(client, invited):
    code = send(invited)
    assert "not the same" in post(client, code, again="Khac-hoan-toan-99").content.decode()
    assert "too common" in post(client, code, password="password123").content.decode()
    assert (
        "not a valid" in post(client, code, phone="0912").content.decode()
        or "10 digits" in post(client, code, phone="0912").content.decode()
    )
    past = timezone.now() - timedelta(days=31)
    ActivationCode.objects.update(created_at=past, expires_at=past + timedelta(days=30))
    assert "not correct or has expired" in post(client, code).content.decode()
    assert ActivationCode.objects.get().attempts == 0


def test_unknown_phone_gets_the_same_answer(client, invited):
    send(invited)
    assert "not correct or has expired" in post(client, "123456", phone="0912 777 999").content.decode()


def test_page_is_vietnamese_by_default(vi_client):
    response = vi_client.get("/accounts/activate/")
    assert response.status_code == 200 and b'lang="vi"' in response.content
