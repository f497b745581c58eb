"""A cadre on a phone finishes a mandatory course: every lesson, then the final test the page says is left;
the mandatory module turns "completed", the certificate downloads as a PDF, and its verification page says
valid — until the commune's organiser revokes it."""

import io
import re
import uuid
from pathlib import Path

import pytest
from django.urls import reverse
from pypdf import PdfReader

from courses.models import QuestionCategory, QuizPage
from courses.question_bank import questions_import
from courses.quizformats import parse_gift
from courses.services import demo_course_ensure, site_ensure
from learning.accounts.services import role_grant, user_register
from learning.campaigns.models import Assignment, AssignmentMember
from learning.campaigns.services import assignment_populate
from learning.certificates.models import Certificate
from learning.localities.models import Commune
from learning.progress.models import QuizAttempt
from learning.progress.quiz_ids import public_id
from tests.conftest import migrated_rows_ensure

PASSWORD = "Can-bo-hoc-so-2026"
CADRE, ORGANISER = "0913222333", "0913222444"
FINAL_TEST = """::Mật khẩu::Nên dùng một mật khẩu cho mọi tài khoản. {FALSE}

::Mã OTP::Không bao giờ đọc mã OTP cho người khác qua điện thoại. {TRUE}
"""


@pytest.fixture
def campaign_site(transactional_db):
    from courses.demo_content import COURSES

    migrated_rows_ensure()
    _home, catalogue = site_ensure()
    course, _created = demo_course_ensure(catalogue=catalogue, data=COURSES[1])
    questions_import(parse_gift(FINAL_TEST.encode()), category_path="Cuối khóa")
    test = QuizPage(title="Bài kiểm tra cuối khóa", slug="kiem-tra-cuoi-khoa", kind="final_test", question_count=2)
    course.add_child(instance=test)
    test.categories.set([QuestionCategory.objects.get(path="Cuối khóa")])
    test.save_revision().publish()
    commune = Commune.objects.get(code="06688")
    cadre = user_register(
        phone=CADRE, full_name="Phạm Minh Tuấn", password=PASSWORD, commune=commune, target_groups=["official"]
    )
    organiser = user_register(
        phone=ORGANISER, full_name="Lê Thu Hà", password=PASSWORD, commune=commune, target_groups=["official"]
    )
    role_grant(user=organiser, role="commune_organiser", scope_codes=["06688"])
    assignment = Assignment.objects.create(
        title="Kỹ năng số cho cán bộ", target_group_id="official", province_id="22", deadline="2099-12-31"
    )
    assignment.courses.set([course])
    assignment_populate(assignment=assignment)
    return course, QuizPage.objects.get(pk=test.pk), cadre


WIDEST = """() => [...document.querySelectorAll('body *')]
    .map(e => [e.getBoundingClientRect().right, `${e.tagName}.${e.className} ${(e.textContent || '').slice(0, 40)}`])
    .sort((a, b) => b[0] - a[0]).slice(0, 3)"""


def no_horizontal_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{page.url} is {width}px wide at a 360px viewport: {page.evaluate(WIDEST)}"


def sign_in(page, base_url, phone):
    page.goto(f"{base_url}/accounts/login/")
    page.locator("#id_username").fill(phone)
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("form.form button[type=submit]").click()


def test_a_cadre_finishes_a_course_and_proves_it(live_server, campaign_site, phone_page, browser):
    course, final_test, cadre = campaign_site
    page, base = phone_page, live_server.url
    sign_in(page, base, CADRE)

    # Every lesson, in order, from the course page.
    page.goto(base + course.url)
    no_horizontal_scroll(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Bắt đầu bài học đầu tiên").click()
    for _lesson in course.lessons():
        with page.expect_navigation():
            page.get_by_role("button", name="Tôi đã học xong bài này").click()
    page.goto(base + course.url)
    steps = page.locator(".steps").inner_text()
    assert "Còn bài kiểm tra cuối khóa — cần đạt 70%" in steps, steps
    assert "100%" not in page.locator(".percent").inner_text()
    member = AssignmentMember.objects.get(user=cadre)
    assert member.status() == "in_progress"
    no_horizontal_scroll(page)

    # The final test, answered right.
    with page.expect_navigation():
        page.get_by_role("link", name="Làm bài kiểm tra cuối khóa").click()
    assert page.url == base + final_test.url
    with page.expect_navigation():
        page.locator(f"form[action='{reverse('progress:quiz_start', args=[final_test.pk])}'] button").click()
    attempt = QuizAttempt.objects.get(quiz=final_test, user=cadre)
    for item in attempt.snapshot["questions"]:
        value = "true" if item["correct"] else "false"
        page.locator(f"input[name='q-{public_id(attempt.pk, item['key'])}'][value='{value}']").check()
    no_horizontal_scroll(page)
    with page.expect_navigation():
        page.locator("button[data-submit]").click()
    attempt.refresh_from_db()
    assert attempt.passed

    # "Việc học của tôi": the mandatory module is completed, the certificate is there.
    page.goto(base + reverse("progress:my_learning"))
    no_horizontal_scroll(page)
    assert "Đã hoàn thành" in page.locator("section.mandatory").inner_text()
    assert AssignmentMember.objects.get(user=cadre).status() == "completed"
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải chứng nhận (PDF)").first.click()
    pdf = PdfReader(io.BytesIO(Path(download.value.path()).read_bytes()))
    text = pdf.pages[0].extract_text()
    certificate = Certificate.objects.get(holder=cadre, course=course)
    assert "Phạm Minh Tuấn" in text and certificate.code in text
    assert pdf.pages[0].mediabox.width > pdf.pages[0].mediabox.height  # landscape

    # The address in the QR code opens the public verification page: valid.
    verify = f"{base}/chung-nhan/{certificate.code}/"
    page.goto(verify)
    no_horizontal_scroll(page)
    assert page.locator(".cert-status.valid").is_visible()
    assert "Phạm Minh Tuấn" not in page.content()  # the name is partly masked
    assert CADRE not in page.content() and "913" not in page.locator(".cert-facts").inner_text()

    # The commune's organiser revokes it, with a reason; the page then says so.
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    organiser = context.new_page()
    sign_in(organiser, base, ORGANISER)
    organiser.goto(base + "/organiser/certificates/")
    no_horizontal_scroll(organiser)
    with organiser.expect_navigation():
        organiser.locator(f"a[href$='/{certificate.code}/revoke/']").click()
    organiser.locator("form.cert-form input[type=radio]").first.check()
    organiser.locator("form.cert-form textarea, form.cert-form input[type=text]").first.fill(
        f"Cấp nhầm (kiểm tra {uuid.uuid4().hex[:6]})"
    )
    with organiser.expect_navigation():
        organiser.locator("form.cert-form button[type=submit]").click()
    context.close()
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None
    page.goto(verify)
    assert page.locator(".cert-status.revoked").is_visible()
    assert re.search(r"\d{1,2}/\d{1,2}/\d{4}", page.locator(".cert-status").inner_text())
