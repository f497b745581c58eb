"""The organiser's roster and reminder pages on a 360 px phone: no sideways scrolling."""

import io
import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import Workbook

from tests.conftest import migrated_rows_ensure

ARTIFACTS = Path(os.environ.get("E2E_ARTIFACTS", "test-results"))


def roster_file() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["Họ và tên", "Số điện thoại", "Xã/phường", "Nhóm đối tượng", "Đơn vị", "Chức vụ"])
    long_org = "Trung tâm Chính trị và Giáo dục nghề nghiệp - Giáo dục thường xuyên thành phố Hạ Long"
    for i in range(12):
        sheet.append(
            [f"Nguyễn Thị Phương Thảo Hoàng {i}", f"0912 888 {i:03d}", "Phường Hạ Long", "Cán bộ, công chức, viên chức"]
            + [long_org, "Phó Giám đốc phụ trách chuyên môn"]
        )
    sheet.append(["Trần Văn Sai", "0912 34", "Xã Không Có Trên Bản Đồ Việt Nam", "Nông dân", "UBND", ""])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def organiser_page(transactional_db, browser, live_server):
    from learning.accounts.services import role_grant, user_register
    from learning.campaigns.models import Assignment
    from learning.campaigns.rosters import roster_preview
    from learning.campaigns.services import assignment_populate
    from learning.localities.models import Commune

    migrated_rows_ensure()  # transactional tests start from whatever the last flush left
    organiser = user_register(
        phone="0987000009",
        full_name="Cán bộ Phường",
        password="Mat-khau-2025!",
        commune=Commune.objects.get(code="06688"),
        target_groups=["official"],
    )
    role_grant(user=organiser, role="commune_organiser", scope_codes=["06688"])
    assignment = Assignment.objects.create(
        title="Kỹ năng số", target_group_id="official", province_id="22", deadline=timezone.localdate() - timedelta(2)
    )
    assignment_populate(assignment=assignment)
    roster = roster_preview(
        organiser=organiser, content=roster_file(), filename="danh-sach-can-bo-phuong-ha-long-dot-mot-2025.xlsx"
    )
    client = Client()
    client.force_login(organiser)
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN", device_scale_factor=1)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    yield page, live_server.url, roster
    context.close()


def no_horizontal_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{page.url} is {width}px wide at a 360px viewport"


def test_roster_pages_fit_a_360px_phone(organiser_page, django_capture_on_commit_callbacks):
    from learning.campaigns.rosters import roster_import, roster_start

    page, url, roster = organiser_page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.goto(url + "/organiser/rosters/")
    assert page.locator("html").get_attribute("lang") == "vi"
    no_horizontal_scroll(page)
    page.goto(url + f"/organiser/rosters/{roster.pk}/")
    no_horizontal_scroll(page)
    page.screenshot(path=str(ARTIFACTS / "roster-preview-360.png"), full_page=True)
    # Each row is a card of "label: value" lines, with the labels in Vietnamese.
    assert page.locator("table.roster-table thead").is_hidden() or page.evaluate(
        "document.querySelector('table.roster-table thead').getBoundingClientRect().width <= 1"
    )
    label = page.evaluate("getComputedStyle(document.querySelector('table.roster-table tbody td'), '::before').content")
    assert label == '"Dòng"'
    page.goto(url + f"/organiser/rosters/{roster.pk}/?outcome=error")
    no_horizontal_scroll(page)
    roster, _started = roster_start(roster=roster)
    roster_import(roster=roster)
    page.goto(url + f"/organiser/rosters/{roster.pk}/")
    no_horizontal_scroll(page)
    assert page.locator("progress#roster-bar").get_attribute("value") == "12"
    page.screenshot(path=str(ARTIFACTS / "roster-imported-360.png"), full_page=True)
    page.goto(url + "/organiser/reminders/")
    no_horizontal_scroll(page)
