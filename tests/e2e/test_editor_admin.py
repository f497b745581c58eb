"""An editor writes a lesson in the admin, in Vietnamese: the address is made from the title without
diacritics as they type, and the screens speak Vietnamese."""

import pytest

from courses.services import demo_course_ensure, site_ensure
from learning.accounts.services import role_grant, user_register
from learning.localities.models import Commune
from tests.conftest import migrated_rows_ensure

PASSWORD = "Mat-khau-2025!"
PHONE = "0913555777"


@pytest.fixture
def editor_site(transactional_db):
    from courses.demo_content import COURSES

    migrated_rows_ensure()
    _home, catalogue = site_ensure()
    course, _created = demo_course_ensure(catalogue=catalogue, data=COURSES[1])
    user = user_register(
        phone=PHONE,
        full_name="Biên Tập Viên",
        password=PASSWORD,
        commune=Commune.objects.get(code="06688"),
        target_groups=["official"],
    )
    role_grant(user=user, role="editor")
    return course


def test_editor_writes_a_lesson_with_a_plain_address(live_server, editor_site, browser, tmp_path):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    assert page.get_attribute("#id_username", "placeholder") == "Nhập số điện thoại di động của bạn"
    page.fill("#id_username", PHONE)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    page.goto(f"{live_server.url}/admin/pages/add/courses/lessonpage/{editor_site.pk}/")
    page.fill("#id_title", "Mật khẩu đăng nhập an toàn")
    page.locator("#id_title").blur()
    page.wait_for_timeout(300)
    assert page.input_value("#id_slug") == "mat-khau-dang-nhap-an-toan"
    body = page.inner_text("body")
    assert "Lưu bản nháp" in body
    assert "Save draft" not in body
    page.screenshot(path=str(tmp_path / "editor-add-lesson.png"), full_page=False)
    context.close()
