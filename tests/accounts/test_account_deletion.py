"""Deleting one's own account, on the “My data” page (after typing the password) and through the API: personal
fields erased, the phone a unique placeholder, every token and session ended, sign-in refused; nothing happens
with a wrong or missing password; roles, codes and messages go; learning records stay."""

import pytest
from django.test import Client

from learning.accounts.models import User
from learning.accounts.services import erased_phone, role_grant, user_erase
from learning.accounts.tokens import api_token_get
from learning.notifications.models import Delivery
from learning.progress.models import Enrolment
from learning.progress.services import enrolment_ensure
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(make_user, course):
    user = make_user(full_name="Nguyễn Thị Hoa")
    User.objects.filter(pk=user.pk).update(email="hoa@example.org")
    user.refresh_from_db()
    enrolment_ensure(user=user, course=course)
    Delivery.objects.create(user=user, key="hello", channel="in_app", body="Xin chào Hoa")
    return user


def _erased(user) -> User:
    user.refresh_from_db()
    assert user.erased_at is not None and not user.is_active
    assert (user.full_name, user.email, user.phone) == ("", "", erased_phone(user.pk))
    assert not user.has_usable_password()
    return user


def test_the_html_flow_asks_for_the_password_then_erases_and_signs_out(person, client):
    former_phone = person.phone
    client.force_login(person)
    other_device = Client()
    other_device.force_login(person)
    token = api_token_get(user=person).key
    page = client.get("/accounts/my-data/")
    assert "/accounts/my-data/delete/" in page.content.decode()
    assert client.get("/accounts/my-data/delete/").status_code == 200

    assert client.post("/accounts/my-data/delete/", {}).status_code == 400
    wrong = client.post("/accounts/my-data/delete/", {"password": "not-my-password"})
    assert wrong.status_code == 400 and "This is not your password" in wrong.content.decode()
    person.refresh_from_db()
    assert person.full_name == "Nguyễn Thị Hoa" and person.is_active  # nothing happened

    done = client.post("/accounts/my-data/delete/", {"password": PASSWORD}, follow=True)
    assert done.redirect_chain[-1][0] == "/" and "Your account has been deleted" in done.content.decode()
    _erased(person)
    # Signed out here and on the other device; the API token is gone; the old password opens nothing.
    assert client.get("/accounts/my-data/").status_code == 302
    assert other_device.get("/accounts/my-data/").status_code == 302
    assert Client().get("/api/v1/me/progress/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 401
    assert not Client().login(phone=former_phone, password=PASSWORD)
    assert not Client().login(phone=person.phone, password=PASSWORD)
    # Learning records stay (anonymised through the account); messages to the person go.
    assert Enrolment.objects.filter(user=person).count() == 1
    assert not Delivery.objects.filter(user=person).exists()


def test_the_api_deletes_the_callers_account_with_the_password(person, api):
    token = api_token_get(user=person).key
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    missing = api.post("/api/v1/me/delete/", {}, format="json")
    assert missing.status_code == 400 and list(missing.json()) == ["password"]
    wrong = api.post("/api/v1/me/delete/", {"password": "nope-nope"}, format="json")
    assert wrong.status_code == 400 and list(wrong.json()) == ["password"]
    assert User.objects.get(pk=person.pk).is_active
    assert api.post("/api/v1/me/delete/", {"password": PASSWORD}, format="json").status_code == 204
    _erased(person)
    assert api.get("/api/v1/me/progress/").status_code == 401
    api.credentials()
    assert api.post("/api/v1/me/delete/", {"password": PASSWORD}, format="json").status_code == 401
    schema = api.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/v1/me/delete/"]["post"]
    assert {"204", "400", "401"} <= set(operation["responses"])


def test_wrong_passwords_on_the_delete_form_lock_like_sign_ins(person, client, settings):
    settings.SIGNIN_MAX_FAILURES = 3
    client.force_login(person)
    for _ in range(3):
        client.post("/accounts/my-data/delete/", {"password": "guess-guess"})
    locked = client.post("/accounts/my-data/delete/", {"password": PASSWORD})
    assert locked.status_code == 400 and "Too many failed sign-in attempts" in locked.content.decode()
    assert User.objects.get(pk=person.pk).is_active


def test_erasing_takes_roles_away_and_twice_changes_nothing(make_user):
    organiser = make_user(full_name="Cán bộ Xã")
    role_grant(user=organiser, role="commune_organiser", scope_codes=["06688"])
    erased = user_erase(user=organiser)
    assert not erased.role_grants.exists() and not erased.is_staff
    first = erased.erased_at
    assert user_erase(user=erased).erased_at == first
    # Two erased accounts never clash on the placeholder phone.
    other = user_erase(user=make_user())
    assert other.phone != erased.phone and User.objects.filter(erased_at__isnull=False).count() == 2


def test_the_delete_page_needs_a_sign_in(client):
    response = client.get("/accounts/my-data/delete/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.post("/accounts/my-data/delete/", {"password": PASSWORD}).status_code == 302
