"""An administrator issues an open-data key in the Django admin (shown once, in Vietnamese) and revokes it."""

import re

import pytest
from django.test import Client

from learning.opendata.models import OpenDataKey
from tests.test_admin_vietnamese import _english_words, untranslated

pytestmark = pytest.mark.django_db

ADD = "/django-admin/opendata/opendatakey/add/"
LIST = "/django-admin/opendata/opendatakey/"
# Alternative texts Django writes into the admin without gettext (the search icon, the yes/no icons).
DJANGO_HARD_CODED = {"Search", "True", "False"}


@pytest.fixture
def browser(make_user):
    admin = make_user(phone="0912000399")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    browser = Client()  # no language asked for: Vietnamese
    browser.force_login(admin)
    return browser


def issue(browser, **fields):
    data = {"name": "Kho dữ liệu tỉnh", "organisation": "Sở KH&CN", "contact": "kho@example.vn", **fields}
    return browser.post(ADD, data, follow=True)


def test_a_key_is_shown_once_and_works(browser):
    response = issue(browser, throttle_rate="120/minute")
    assert response.status_code == 200
    text = response.content.decode()
    found = re.search(r"Khóa API của Kho dữ liệu tỉnh là: ([A-Za-z0-9]{8}\.[A-Za-z0-9]{32})", text)
    assert found, text
    secret = found.group(1)
    assert "chỉ hiện một lần" in text
    key = OpenDataKey.objects.get()
    assert key.prefix == secret.split(".")[0] and secret not in key.hashed_key
    # Never again: not on the list, not on the key's own page.
    for url in (LIST, f"{LIST}{key.pk}/change/"):
        assert secret.split(".")[1] not in browser.get(url).content.decode()
    query = {"province": "22", "from": "2026-03-01", "to": "2026-03-01"}
    assert Client().get("/api/v1/open/daily-counts/", query, HTTP_X_API_KEY=secret).status_code == 200


def test_a_bad_rate_is_refused_with_a_message(browser):
    response = issue(browser, throttle_rate="nhiều lắm")
    assert "Hãy ghi số yêu cầu trong một khoảng thời gian" in response.content.decode()
    assert not OpenDataKey.objects.exists()


def test_revoking_keys(browser):
    issue(browser)
    issue(browser, name="Cổng dữ liệu")
    keys = list(OpenDataKey.objects.order_by("name"))
    response = browser.post(LIST, {"action": "revoke", "_selected_action": [keys[0].pk]}, follow=True)
    assert "Đã thu hồi 1 khóa." in response.content.decode()
    assert [key.revoked for key in OpenDataKey.objects.order_by("name")] == [True, False]
    # A revoked key cannot be taken back.
    page = browser.get(f"{LIST}{keys[0].pk}/change/").content.decode()
    assert 'name="revoked"' not in page


def test_the_key_screens_speak_vietnamese(browser):
    issue(browser)
    key = OpenDataKey.objects.get()
    english = _english_words()
    for url in (ADD, LIST, f"{LIST}{key.pk}/change/"):
        response = browser.get(url)
        assert response.status_code == 200
        # The sidebar lists every app of the admin; the key's own screen is what is checked.
        page = re.sub(r'<nav class="sticky" id="nav-sidebar".*?</nav>', "", response.content.decode(), flags=re.S)
        found = [text for text in untranslated(page, english) if text not in DJANGO_HARD_CODED]
        assert not found, url
