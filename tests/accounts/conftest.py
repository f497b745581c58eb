"""Fixtures of the accounts tests: the SMS outbox, and someone signing up with an official's number."""

import pytest

from learning.accounts.models import User
from learning.notifications.sms import ConsoleSmsBackend
from tests.accounts.phone_codes import OFFICIAL_E164, SIGNUP


@pytest.fixture
def outbox():
    ConsoleSmsBackend.outbox.clear()
    yield ConsoleSmsBackend.outbox
    ConsoleSmsBackend.outbox.clear()


@pytest.fixture
def signed_up(client, outbox, django_capture_on_commit_callbacks):
    """Someone signs up with the official's number through the form."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/signup/", SIGNUP)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"].startswith("/accounts/verify-phone/")
    return User.objects.get(phone=OFFICIAL_E164)
