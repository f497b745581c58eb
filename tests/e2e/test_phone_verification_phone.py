"""A citizen signs up on a phone, receives the verification code by SMS and enters it; then forgets the
password and sets a new one with a code — at a 360 px viewport."""

import os
import re
from pathlib import Path

import pytest

from courses.services import site_ensure
from learning.accounts.models import User
from learning.notifications.sms import ConsoleSmsBackend
from tests.conftest import migrated_rows_ensure

ARTIFACTS = Path(os.environ.get("E2E_ARTIFACTS", "test-results"))
PHONE = "+84912345699"


@pytest.fixture
def site(transactional_db):
    migrated_rows_ensure()  # transactional tests start from whatever the last flush left
    site_ensure()
    ConsoleSmsBackend.outbox.clear()
    yield
    ConsoleSmsBackend.outbox.clear()


def sms_code() -> str:
    texts = [text for phone, text in ConsoleSmsBackend.outbox if phone == PHONE]
    assert texts, "no SMS was sent"
    return re.search(r"\b(\d{6})\b", texts[-1]).group(1)


def fits(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{page.url} is {width}px wide at a 360px viewport"


def test_citizen_verifies_the_phone_and_resets_the_password(live_server, site, phone_page):
    page = phone_page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.goto(live_server.url + "/accounts/signup/")
    page.get_by_label("Số điện thoại di động").fill("0912 345 699")
    page.get_by_label("Họ và tên").fill("Phạm Thị Lan")
    page.locator("[data-commune-filter]").fill("ha long")
    page.get_by_label("Người dân").check()
    page.locator("#id_password1").fill("Lan-hoc-so-2026")
    page.locator("#id_password2").fill("Lan-hoc-so-2026")
    if page.locator("#id_consent").count():  # the privacy policy, where the form asks for it
        page.locator("#id_consent").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng ký").click()

    assert "/accounts/verify-phone/" in page.url
    assert page.get_by_role("heading", name="Xác minh số điện thoại").is_visible()
    assert "0912 345 699" in page.locator("main").inner_text()
    resend = page.get_by_role("button", name=re.compile("Gửi lại mã"))
    assert resend.is_disabled() and re.search(r"Gửi lại mã sau \d+ giây", resend.inner_text())
    fits(page)
    user = User.objects.get(phone=PHONE)
    assert user.phone_verified_at is None
    page.get_by_label("Mã xác minh").fill(sms_code())
    page.screenshot(path=str(ARTIFACTS / "verify-phone-360.png"), full_page=True)
    with page.expect_navigation():
        page.get_by_role("button", name="Xác minh", exact=True).click()
    assert "Số điện thoại của bạn đã được xác minh" in page.locator(".messages").inner_text()
    assert "chưa được xác minh" not in page.content()
    user.refresh_from_db()
    assert user.phone_verified_at is not None

    # Signed out, the password forgotten: "Quên mật khẩu?" on the sign-in page.
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng xuất").click()
    page.goto(live_server.url + "/accounts/login/")
    with page.expect_navigation():
        page.get_by_role("link", name="Quên mật khẩu?").click()
    page.get_by_label("Số điện thoại di động").fill("0912345699")
    fits(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Gửi mã cho tôi").click()
    assert "/accounts/password-reset/confirm/" in page.url
    assert "chúng tôi đã gửi mã tới số đó" in page.locator(".messages").inner_text()
    page.get_by_label("Mã xác minh").fill(sms_code())
    page.locator("#id_password1").fill("Lan-mat-khau-moi-2026")
    page.locator("#id_password2").fill("Lan-mat-khau-moi-2026")
    fits(page)
    page.screenshot(path=str(ARTIFACTS / "password-reset-360.png"), full_page=True)
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu mật khẩu mới").click()
    assert "Mật khẩu mới đã được lưu" in page.locator(".messages").inner_text()
    user.refresh_from_db()
    assert user.check_password("Lan-mat-khau-moi-2026")
