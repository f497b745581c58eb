"""The Content-Security-Policy breaks nothing: a browser collects every ``securitypolicyviolation`` event on
the home page, a lesson, a quiz attempt, the organiser dashboard and a Wagtail admin page edit, and finds none;
nor does the browser log any complaint about the security headers themselves (an unknown Permissions-Policy
feature is logged as an error on every page)."""

import re

import pytest
from django.urls import reverse

from courses.models import LessonPage
from courses.services import demo_course_ensure, site_ensure
from learning.accounts.models import User
from learning.accounts.services import role_grant, user_register
from learning.localities.models import Commune
from tests.conftest import migrated_rows_ensure
from tests.quiz_fixtures import make_quiz

PASSWORD = "Mat-khau-2025!"
PHONE = "0913555888"

COLLECT = """() => {
  window.__violations = [];
  document.addEventListener('securitypolicyviolation', e => window.__violations.push(
    `${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
}"""


@pytest.fixture
def csp_site(transactional_db):
    from courses.demo_content import COURSES

    migrated_rows_ensure()
    _home, catalogue = site_ensure()
    course, _created = demo_course_ensure(catalogue=catalogue, data=COURSES[1])
    user = user_register(
        phone=PHONE,
        full_name="Quản Trị Viên",
        password=PASSWORD,
        commune=Commune.objects.get(code="06688"),
        target_groups=["official"],
    )
    User.objects.filter(pk=user.pk).update(is_superuser=True, is_staff=True)
    role_grant(user=user, role="province_organiser", scope_codes=["22"])
    quiz = make_quiz(course)
    lesson = LessonPage.objects.child_of(course).live().order_by("path").first()
    return {"course": course, "lesson": lesson, "quiz": quiz}


def _violations(page, url):
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    return page.evaluate("window.__violations")


def test_no_page_breaks_the_content_security_policy(live_server, csp_site, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    context.add_init_script(f"({COLLECT})()")
    page = context.new_page()
    header_errors = []  # the browser's own complaints about the site's security headers
    page.on("console", lambda m: header_errors.append(m.text) if "Policy" in m.text else None)
    base = live_server.url
    found = {}
    found["home"] = _violations(page, base + "/")
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_username").fill(PHONE)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(re.compile(r"^(?!.*login).*$"))
    found["lesson"] = _violations(page, base + csp_site["lesson"].url)
    found["quiz"] = _violations(page, base + csp_site["quiz"].url)
    page.locator(f"form[action='{reverse('progress:quiz_start', args=[csp_site['quiz'].pk])}'] button").click()
    page.wait_for_url(re.compile(r"/learning/attempts/\d+/$"))
    page.wait_for_load_state("networkidle")
    found["attempt"] = page.evaluate("window.__violations")
    found["dashboard"] = _violations(page, base + "/organiser/stats/")
    found["admin edit"] = _violations(page, f"{base}/admin/pages/{csp_site['course'].pk}/edit/")
    assert page.locator("form#page-edit-form").count() == 1
    found["api docs"] = _violations(page, base + "/api/v1/docs/")
    assert page.locator(".swagger-ui").count() == 1
    context.close()
    assert found == {name: [] for name in found}
    assert header_errors == []
