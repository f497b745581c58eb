"""A citizen on a 360 px phone signs in, opens “Dữ liệu của tôi”, downloads everything held about them (the
zip holds their account and their learning), and deletes their account after typing the password. The numbers
the organisers read for the commune (statistics API, the commune's dashboard page) are the same afterwards, and
the citizen can no longer sign in."""

import io
import json
import os
import re
import uuid
import zipfile
from pathlib import Path

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from courses.services import demo_course_ensure, site_ensure
from learning.accounts.models import User
from learning.accounts.services import role_grant, user_register
from learning.localities.models import Commune
from learning.progress.services import enrolment_ensure, lesson_complete
from tests.conftest import migrated_rows_ensure

PASSWORD = "Mat-khau-2025!"
COMMUNE = "06652"
ARTIFACTS = Path(os.environ.get("E2E_ARTIFACTS", "test-results"))
FIGURES = (f"/api/v1/stats/communes/{COMMUNE}/", "/api/v1/stats/provinces/22/communes/")


def _person(phone, name, commune=COMMUNE, groups=("citizen",)):
    user = user_register(
        phone=phone,
        full_name=name,
        password=PASSWORD,
        commune=Commune.objects.get(code=commune),
        target_groups=list(groups),
        consent_source="signup",
    )
    User.objects.filter(pk=user.pk).update(phone_verified_at=timezone.now())
    return user


@pytest.fixture
def commune_with_learners(transactional_db):
    from courses.demo_content import COURSES

    migrated_rows_ensure()
    _home, catalogue = site_ensure()
    course, _created = demo_course_ensure(catalogue=catalogue, data=COURSES[0])
    organiser = _person("0913555001", "Ngô Thị Tỉnh", commune="06688", groups=("official",))
    role_grant(user=organiser, role="province_organiser", scope_codes=["22"])
    lessons = list(course.get_children().live().specific())
    citizen = _person("0913555002", "Trần Thị Mai")
    neighbour = _person("0913555003", "Lê Văn Hùng")
    for person, done in ((citizen, lessons[:2]), (neighbour, lessons[:1])):
        enrolment_ensure(user=person, course=course)
        for lesson in done:
            lesson_complete(user=person, lesson=lesson, client_id=uuid.uuid4(), time_spent_seconds=300)
    return organiser, citizen


def _figures(organiser) -> dict:
    api = APIClient()
    api.force_authenticate(organiser)
    return {url: api.get(url).json() for url in FIGURES}


def _fits(page):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{page.url} is {width}px wide at a 360px viewport"


def _shot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def _sign_in(page, live_server, phone):
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", phone)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def _commune_page_figures(browser, live_server, organiser_phone) -> str:
    """The commune's statistics page as the organiser sees it: its headline figures' text."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    page = context.new_page()
    _sign_in(page, live_server, organiser_phone)
    page.goto(f"{live_server.url}/organiser/stats/communes/{COMMUNE}/")
    text = re.sub(r"\s+", " ", page.locator("main").inner_text())
    context.close()
    return text


def test_a_citizen_downloads_then_deletes_their_data_and_the_statistics_stay(
    live_server, commune_with_learners, phone_page, browser
):
    organiser, citizen = commune_with_learners
    before, page_before = _figures(organiser), _commune_page_figures(browser, live_server, "0913 555 001")
    totals = before[FIGURES[0]]["totals"]
    assert totals["registered"] == 2 and totals["participants"] == 2, totals
    page = phone_page

    # Signing up asks for consent to the privacy policy, linked from the form.
    page.goto(live_server.url + "/accounts/signup/")
    consent = page.locator("#id_consent")
    assert not consent.is_checked()
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng ký").click()
    assert "hãy đánh dấu vào ô đồng ý" in page.locator(".consent").inner_text()
    assert page.locator(".consent a").get_attribute("href") == "/privacy/"
    consent.scroll_into_view_if_needed()
    _fits(page)
    page.screenshot(path=str(ARTIFACTS / "signup-consent-360.png"), full_page=False)

    _sign_in(page, live_server, "0913 555 002")
    page.goto(live_server.url + "/accounts/profile/")
    with page.expect_navigation():
        page.get_by_role("link", name="Dữ liệu của tôi").click()
    assert page.locator("h1").inner_text() == "Dữ liệu của tôi"
    _fits(page)
    _shot(page, "my-data-360.png")

    with page.expect_download() as download:
        page.get_by_role("link", name="Tải về dữ liệu của tôi (.zip)").click()
    archive = zipfile.ZipFile(io.BytesIO(Path(download.value.path()).read_bytes()))
    data = json.loads(archive.read("du-lieu-cua-toi.json"))
    assert data["account"][0]["full_name"] == "Trần Thị Mai" and data["account"][0]["phone"] == "+84913555002"
    assert len(data["lesson_completions"]) == 2 and len(data["enrolments"]) == 1
    assert [c["purpose"] for c in data["consents"]] == ["learning"]
    assert "Lê Văn Hùng" not in json.dumps(data, ensure_ascii=False)

    with page.expect_navigation():
        page.get_by_role("link", name="Xóa tài khoản của tôi…").click()
    _fits(page)
    page.locator("input[name=password]").fill("sai-mat-khau")
    with page.expect_navigation():
        page.get_by_role("button", name="Xóa vĩnh viễn tài khoản của tôi").click()
    assert "Mật khẩu không đúng" in page.locator("main").inner_text()
    _shot(page, "delete-account-wrong-password-360.png")
    page.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Xóa vĩnh viễn tài khoản của tôi").click()
    assert "Tài khoản của bạn đã được xóa" in page.locator("main").inner_text()
    _fits(page)
    _shot(page, "account-deleted-360.png")

    citizen.refresh_from_db()
    assert citizen.erased_at is not None and citizen.full_name == "" and not citizen.is_active
    assert _figures(organiser) == before
    assert _commune_page_figures(browser, live_server, "0913 555 001") == page_before

    _sign_in(page, live_server, "0913 555 002")
    assert "Số điện thoại hoặc mật khẩu không đúng" in page.locator("main").inner_text()
    assert page.url.endswith("/accounts/login/")
    _fits(page)
    _shot(page, "deleted-account-sign-in-360.png")
