"""The "Đăng nhập bằng VNeID" button on a 360 px phone: visible, a 44 px touch target, the page no wider than
the screen; with the provider out of reach, the Vietnamese message and the way back to the phone sign-in."""

import socket

import pytest

from courses.services import site_ensure
from tests.conftest import migrated_rows_ensure


@pytest.fixture
def site(transactional_db, settings):
    migrated_rows_ensure()
    site_ensure()
    with socket.socket() as sock:  # a port nobody listens on: the provider is out of reach
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.OIDC_RP_CLIENT_ID = "binh-dan-hoc-vu-so"
    settings.OIDC_ISSUER = f"http://127.0.0.1:{port}/o"
    settings.OIDC_PROVIDER_NAME = "VNeID"


def fits(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{page.url} is {width}px wide at a 360px viewport"


@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/signup/"])
def test_the_vneid_button_on_a_phone(live_server, site, phone_page, path):
    page = phone_page
    page.goto(live_server.url + path)
    button = page.get_by_role("link", name="Đăng nhập bằng VNeID")
    assert button.is_visible()
    box = button.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44 and box["x"] >= 0 and box["x"] + box["width"] <= 360
    fits(page)
    with page.expect_navigation():
        button.click()
    assert "Không kết nối được với VNeID, vui lòng đăng nhập bằng số điện thoại" in page.locator("main").inner_text()
    fits(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Đăng nhập bằng số điện thoại").click()
    assert page.url.endswith("/accounts/login/")
