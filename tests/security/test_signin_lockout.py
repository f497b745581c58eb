"""One lockout policy for the sign-in form, the API token endpoint and the activation form."""

import pytest
from django.contrib.auth import get_user

from learning.accounts.models import User
from learning.accounts.signin import client_address
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
PHONE = "0913000777"


@pytest.fixture
def person(make_user):
    return make_user(phone=PHONE)


def form_login(client, password, phone=PHONE, **extra):
    return client.post("/accounts/login/", {"username": phone, "password": password}, **extra)


def api_token(api, password, phone=PHONE, **extra):
    return api.post("/api/v1/auth/token/", {"phone": phone, "password": password}, format="json", **extra)


def test_the_form_locks_the_account_after_five_wrong_passwords_even_for_the_right_one(client, person):
    for _ in range(5):
        assert "not correct" in form_login(client, "wrong").content.decode()
    response = form_login(client, PASSWORD)
    assert response.status_code == 200 and not get_user(client).is_authenticated
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert "try again after" in response.content.decode()


def test_a_right_password_before_the_limit_clears_the_count(client, person):
    for _ in range(4):
        form_login(client, "wrong")
    assert form_login(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        form_login(client, "wrong")
    assert form_login(client, PASSWORD).status_code == 302


def test_the_lock_ends_after_the_lockout_time(client, person, settings):
    import time_machine
    from django.utils import timezone

    for _ in range(5):
        form_login(client, "wrong")
    assert form_login(client, PASSWORD).status_code == 200
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=settings.SIGNIN_LOCKOUT_MINUTES + 1)):
        assert form_login(client, PASSWORD).status_code == 302


def test_the_api_and_the_form_share_one_count_and_the_api_says_429(client, api, person):
    for _ in range(3):
        form_login(client, "wrong")
    for _ in range(2):
        assert api_token(api, "wrong").status_code == 400
    response = api_token(api, PASSWORD)
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.json()["detail"]
    assert int(response["Retry-After"]) > 0


def test_a_new_forwarded_header_per_request_does_not_reset_the_address_count(api, make_user, settings):
    settings.SIGNIN_MAX_FAILURES_PER_ADDRESS = 8
    phones = [make_user().phone for _ in range(3)]
    codes = []
    for i in range(9):
        response = api_token(api, "wrong", phone=phones[i % 3], HTTP_X_FORWARDED_FOR=f"10.0.0.{i}")
        codes.append(response.status_code)
    assert codes[:8] == [400] * 8 and codes[8] == 429  # the address is REMOTE_ADDR: the header is ignored


def test_the_activation_form_counts_wrong_codes_under_the_same_policy(client, person):
    person.set_unusable_password()
    person.save()
    for _ in range(5):
        client.post(
            "/accounts/activate/",
            {
                "phone": PHONE,
                "code": "000000",
                "password1": "Hoc-so-2025!",
                "password2": "Hoc-so-2025!",
                "consent": "on",
            },
        )
    response = form_login(client, PASSWORD)
    assert "Too many failed sign-in attempts" in response.content.decode()


def test_the_client_address_trusts_only_the_configured_proxies(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(request) == "10.1.1.1"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(request) == "203.0.113.9"  # what our proxy saw; the client wrote 6.6.6.6
    settings.TRUSTED_PROXY_COUNT = 5
    assert client_address(request) == "6.6.6.6"


def test_drf_reads_the_same_number_of_proxies(settings):
    from django.conf import settings as live

    assert live.REST_FRAMEWORK["NUM_PROXIES"] == live.TRUSTED_PROXY_COUNT == 0


def test_the_message_is_vietnamese_by_default(vi_client, person):
    for _ in range(5):
        form_login(vi_client, "wrong")
    assert "Thử lại sau" in form_login(vi_client, PASSWORD).content.decode() or "thử lại sau" in (
        form_login(vi_client, PASSWORD).content.decode()
    )
    assert User.objects.filter(phone=person.phone).exists()
