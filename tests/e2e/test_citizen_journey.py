"""A new citizen signs up on a phone, opens a course and completes the first lesson."""

import os
from pathlib import Path

import pytest

from courses.services import demo_course_ensure, site_ensure
from learning.accounts.models import User
from learning.progress.models import Enrolment, LessonCompletion
from tests.conftest import migrated_rows_ensure

ARTIFACTS = Path(os.environ.get("E2E_ARTIFACTS", "test-results"))


@pytest.fixture
def demo_site(transactional_db):
    from courses.demo_content import COURSES

    migrated_rows_ensure()  # transactional tests start from whatever the last flush left
    _home, catalogue = site_ensure()
    course, _created = demo_course_ensure(catalogue=catalogue, data=COURSES[1])
    return course


def no_horizontal_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{page.url} is {width}px wide at a 360px viewport"


def test_new_citizen_signs_up_and_completes_a_lesson(live_server, demo_site, phone_page):
    page = phone_page
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "vi"
    no_horizontal_scroll(page)

    with page.expect_navigation():  # wait for the next page before looking at it
        page.get_by_role("link", name="Đăng ký").first.click()
    page.get_by_label("Số điện thoại di động").fill("0912.345.678")
    page.get_by_label("Họ và tên").fill("Nguyễn Thị Hoa")
    # The commune list is filtered as you type, without diacritics.
    page.locator("[data-commune-filter]").fill("ha long")
    assert page.locator("[data-commune-select] option:checked").inner_text() == "Phường Hạ Long"
    page.get_by_label("Người dân").check()
    page.locator("#id_password1").fill("Hoa-hoc-so-2025")
    page.locator("#id_password2").fill("Hoa-hoc-so-2025")
    page.locator("#id_consent").check()  # the privacy policy
    no_horizontal_scroll(page)
    with page.expect_navigation():  # wait for the next page before looking at it
        page.get_by_role("button", name="Đăng ký").click()
    user = User.objects.get(phone="+84912345678")
    assert user.commune_id == "06688"

    page.goto(live_server.url + demo_site.url)
    no_horizontal_scroll(page)
    assert not Enrolment.objects.filter(user=user).exists()  # opening a course writes nothing
    with page.expect_navigation():  # starting it (a form) enrols, then opens the first lesson
        page.get_by_role("button", name="Bắt đầu bài học đầu tiên").click()
    assert Enrolment.objects.filter(user=user, course=demo_site).exists()
    no_horizontal_scroll(page)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "lesson-360.png"), full_page=False)
    with page.expect_navigation():  # wait for the next page before looking at it
        page.get_by_role("button", name="Tôi đã học xong bài này").click()
    assert LessonCompletion.objects.filter(user=user).count() == 1

    page.goto(live_server.url + demo_site.url)
    assert page.locator(".lessons li.done").count() == 1
    assert "25%" in page.locator(".percent").inner_text()
    with page.expect_navigation():  # wait for the next page before looking at it
        page.get_by_role("link", name="Việc học của tôi").click()
    assert demo_site.title in page.content()
    no_horizontal_scroll(page)
    page.screenshot(path=str(ARTIFACTS / "my-learning-360.png"), full_page=True)
