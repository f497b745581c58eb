"""A provincial organiser on a 360 px phone: signs in, reads the dashboard, sorts the communes, drills down
to a commune, its people and one person, and asks for a report — no sideways scrolling of the page anywhere
(only inside a wide table, which says so), chart letters at least 11 px tall, every chart's figures in a table."""

import os
import uuid
from pathlib import Path

import pytest
from django.utils import timezone

from courses.services import demo_course_ensure, site_ensure
from learning.accounts.services import role_grant, user_register
from learning.localities.models import Commune
from learning.progress.services import enrolment_ensure, lesson_complete
from tests.conftest import migrated_rows_ensure

PASSWORD = "Mat-khau-2025!"
ARTIFACTS = Path(os.environ.get("E2E_ARTIFACTS", "test-results"))


@pytest.fixture
def stats_site(transactional_db):
    from courses.demo_content import COURSES

    migrated_rows_ensure()
    _home, catalogue = site_ensure()
    course, _created = demo_course_ensure(catalogue=catalogue, data=COURSES[0])
    organiser = user_register(
        phone="0913444001",
        full_name="Ngô Thị Tỉnh",
        password=PASSWORD,
        commune=Commune.objects.get(code="06688"),
        target_groups=["official"],
    )
    role_grant(user=organiser, role="province_organiser", scope_codes=["22"])
    learner = user_register(
        phone="0913444002",
        full_name="Nguyễn Thị Phương Thảo",
        password=PASSWORD,
        commune=Commune.objects.get(code="06652"),
        target_groups=["citizen"],
    )
    enrolment_ensure(user=learner, course=course)
    lesson = course.get_children().live().specific().first()
    lesson_complete(user=learner, lesson=lesson, client_id=uuid.uuid4(), time_spent_seconds=300)
    return learner


def _sign_in(page, live_server):
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", "0913 444 001")
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def _fits(page, viewport=360):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport, f"{page.url} is {width}px wide at a {viewport}px viewport"


# The size a chart's text is drawn at on the screen: its font size in the SVG times the SVG's scale.
CHART_TEXT_SIZES = """() => [...document.querySelectorAll('figure.chart-box svg text')].map(t => ({
    text: t.textContent,
    px: parseFloat(getComputedStyle(t).fontSize) * t.ownerSVGElement.getScreenCTM().a,
}))"""


def _charts_are_legible(page):
    sizes = page.evaluate(CHART_TEXT_SIZES)
    assert len(sizes) >= 8  # names, figures, axis ticks, dates, legend
    small = [s for s in sizes if s["px"] < 11]
    assert not small, f"chart text under 11 px: {small[:5]}"
    return min(s["px"] for s in sizes)


def _wide_tables_say_they_scroll(page):
    for box in page.locator(".table-scroll").all():
        if box.evaluate("b => b.scrollWidth > b.clientWidth + 1"):
            hint = box.locator("xpath=preceding-sibling::*[1]")
            assert "scroll-hint" in (hint.get_attribute("class") or ""), "a table scrolls without saying so"
            assert hint.is_visible() and hint.inner_text().startswith("Kéo sang ngang để xem thêm cột")


def test_organiser_reads_the_statistics_on_a_phone(stats_site, phone_page, live_server):
    page = phone_page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    _sign_in(page, live_server)
    page.locator("nav a[href='/organiser/stats/']").click()
    page.wait_for_url("**/organiser/stats/")
    assert page.locator("h1").inner_text() == "Thống kê — Tỉnh Quảng Ninh"
    _fits(page)
    assert page.locator("figure.chart-box svg").count() == 2
    assert page.locator(".cards .card .big").first.inner_text() == "1"  # one participant
    smallest = _charts_are_legible(page)
    _wide_tables_say_they_scroll(page)
    assert page.locator("#commune-table thead th").first.inner_text() == "Xã"  # the key column stays in view
    # the commune chart shows the 10 highest and 10 lowest of 54; a link leads to the full table
    assert page.locator("figure.chart-box").first.locator("svg > text[text-anchor=end]").count() == 20
    page.get_by_role("link", name="Xem tất cả 54 xã trong bảng").click()
    page.wait_for_url("**#communes")
    # the weekly chart's figures, as a table
    page.locator("details.chart-data summary").first.click()
    weeks = page.locator("details.chart-data table tbody tr")
    assert weeks.count() >= 1 and weeks.last.locator("td").last.inner_text() == "1"  # participants to date
    page.screenshot(path=str(ARTIFACTS / "stats-dashboard-360.png"), full_page=True)
    print(f"\nsmallest chart text at 360 px: {smallest:.1f} px")

    page.get_by_role("link", name="Người tham gia", exact=True).click()  # sort: most participants first
    page.wait_for_url("**sort=-participants**")
    first = page.locator("table.stats tbody th a").first
    assert first.inner_text() == "Phường Hà Tu"
    first.click()
    page.wait_for_url("**/communes/06652/**")
    _fits(page)
    _charts_are_legible(page)
    _wide_tables_say_they_scroll(page)
    page.screenshot(path=str(ARTIFACTS / "stats-commune-360.png"), full_page=True)
    page.get_by_role("link", name="Người học và tiến độ").click()
    page.wait_for_url("**/communes/06652/people/**")
    _fits(page)
    _wide_tables_say_they_scroll(page)
    page.get_by_role("link", name="Nguyễn Thị Phương Thảo").click()
    page.wait_for_url("**/organiser/stats/people/**")
    _fits(page)
    assert "1 / " in page.locator("table.stats tbody td.n").first.inner_text()  # lessons done of the total

    page.goto(live_server.url + "/organiser/stats/reports/")
    _fits(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Lập báo cáo").click()
    row = page.locator("table.listing tbody tr").first
    assert timezone.localdate().strftime("%d/%m/%Y") in row.inner_text()
    assert row.get_by_role("link", name="Excel").count() == 1  # generated by the (eager) task on commit
    page.screenshot(path=str(ARTIFACTS / "stats-reports-360.png"), full_page=True)


def test_organiser_dashboard_on_a_wide_screen(stats_site, browser, live_server):
    """At 1280 px the charts keep their size (legible, not blown up) and no line about scrolling shows."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN", device_scale_factor=1)
    page = context.new_page()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    _sign_in(page, live_server)
    page.goto(live_server.url + "/organiser/stats/")
    _fits(page, 1280)
    sizes = page.evaluate(CHART_TEXT_SIZES)
    assert all(11 <= s["px"] <= 20 for s in sizes), sizes[:3]
    assert not page.locator(".scroll-hint").first.is_visible()
    page.screenshot(path=str(ARTIFACTS / "stats-dashboard-1280.png"), full_page=True)
    context.close()
