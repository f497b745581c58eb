"""axe-core finds no accessibility violation, of any impact, on the pages people use most, at 360 px: home,
catalogue, course, lesson, quiz, sign-up, profile and the organiser dashboard. Touch targets of the header,
the language switch and the breadcrumbs are at least 44 px tall, and the text size control is remembered."""

import json
import os
from pathlib import Path

import pytest
from django.core.management import call_command

from courses.models import CatalogPage, LessonPage
from courses.services import demo_course_ensure, site_ensure
from learning.accounts.services import role_grant, user_register
from learning.localities.models import Commune
from tests.conftest import migrated_rows_ensure
from tests.quiz_fixtures import make_quiz

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
ARTIFACTS = Path(os.environ.get("E2E_ARTIFACTS", "test-results"))
PASSWORD = "Mat-khau-2025!"
PHONE = "0913555444"


@pytest.fixture
def a11y_site(transactional_db):
    from courses.demo_content import COURSES

    migrated_rows_ensure()
    _home, catalogue = site_ensure()
    course, _created = demo_course_ensure(catalogue=catalogue, data=COURSES[1])
    user = user_register(
        phone=PHONE,
        full_name="Phạm Văn Bình",
        password=PASSWORD,
        commune=Commune.objects.get(code="06688"),
        target_groups=["official"],
    )
    role_grant(user=user, role="province_organiser", scope_codes=["22"])
    call_command("fill_stats", verbosity=0)
    quiz = make_quiz(course)
    lesson = LessonPage.objects.child_of(course).live().order_by("path").first()
    return {"course": course, "lesson": lesson, "quiz": quiz, "catalogue": CatalogPage.objects.live().first()}


def axe_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """() => axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations.map(v =>
             `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", ")}`))"""
    )
    return found


def test_no_axe_violations_on_the_main_pages(live_server, a11y_site, browser):
    # axe is injected as an inline script: the test's browser context alone skips the page's CSP.
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN", bypass_csp=True)
    page = context.new_page()
    base = live_server.url
    pages = {
        "home": "/",
        "catalogue": a11y_site["catalogue"].url,
        "course": a11y_site["course"].url,
        "lesson": a11y_site["lesson"].url,
        "quiz": a11y_site["quiz"].url,
        "sign-up": "/accounts/signup/",
    }
    found = {}
    for name, url in pages.items():
        page.goto(base + url)
        found[name] = axe_violations(page)
    page.goto(base + "/accounts/login/")
    page.locator("#id_username").fill(PHONE)
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("form.form button[type=submit]").click()
    signed_in = {
        "lesson (signed in)": a11y_site["lesson"].url,
        "course (signed in)": a11y_site["course"].url,
        "profile": "/accounts/profile/",
        "organiser dashboard": "/organiser/stats/",
    }
    for name, url in signed_in.items():
        page.goto(base + url)
        found[name] = axe_violations(page)
    context.close()
    assert not any(found.values()), json.dumps(found, ensure_ascii=False, indent=1)


def test_touch_targets_and_text_size(live_server, a11y_site, phone_page):
    page = phone_page
    page.goto(live_server.url + a11y_site["lesson"].url)
    small = page.evaluate(
        """() => [...document.querySelectorAll('.site-header a, .site-header button, .crumbs a, .pager a')]
             .filter(el => el.offsetParent !== null)
             .map(el => [el.textContent.trim(), Math.round(el.getBoundingClientRect().height),
                         Math.round(el.getBoundingClientRect().width)])
             .filter(([, h, w]) => h < 44 || w < 44)"""
    )
    assert small == []
    before = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.lesson p')).fontSize)")
    page.get_by_role("button", name="Chữ to hơn").click()
    page.get_by_role("button", name="Chữ to hơn").click()
    page.reload()  # remembered on the phone, applied before the page is drawn
    assert page.evaluate("document.documentElement.className") == "ts2"
    after = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.lesson p')).fontSize)")
    assert after >= before * 1.2
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "lesson-large-text-360.png"))
    page.get_by_role("button", name="Cỡ chữ bình thường").click()
    assert page.evaluate("localStorage.getItem('text-size')") is None


# A browser with one Vietnamese voice that "speaks" each paragraph in 400 ms (headless chromium has no voices):
# slow enough that "Dừng đọc" is pressed while the lesson is still being read, not after it ended.
FAKE_SPEECH = """() => {
  const spoken = window.__spoken = [];
  const synth = { speaking: false, getVoices: () => [{ lang: "vi-VN", name: "Tiếng Việt" }],
    addEventListener() {}, cancel() { this.timer && clearTimeout(this.timer); },
    speak(u) { spoken.push(u.text); this.timer = setTimeout(() => u.onend && u.onend(), 400); } };
  Object.defineProperty(window, "speechSynthesis", { value: synth });
  window.SpeechSynthesisUtterance = function (text) { this.text = text; };
}"""


def test_listen_reads_the_lesson_aloud_highlighting_each_paragraph(live_server, a11y_site, browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    context.add_init_script(f"({FAKE_SPEECH})()")
    page = context.new_page()
    page.goto(live_server.url + a11y_site["lesson"].url)
    listen = page.get_by_role("button", name="Nghe bài học")
    listen.click()
    page.wait_for_function("() => document.querySelector('.lesson .reading') !== null")
    assert page.get_by_role("button", name="Dừng đọc").is_visible()
    page.wait_for_function("() => window.__spoken.length > 2")
    page.get_by_role("button", name="Dừng đọc").click()
    page.wait_for_function("() => document.querySelector('.lesson .reading') === null", timeout=2000)
    assert page.get_by_role("button", name="Nghe bài học").is_visible()
    spoken = page.evaluate("window.__spoken")
    assert spoken[0] == a11y_site["lesson"].title and len(set(spoken)) == len(spoken)  # each part read once
    context.close()


def test_listen_is_hidden_without_a_vietnamese_voice(live_server, a11y_site, phone_page):
    phone_page.goto(live_server.url + a11y_site["lesson"].url)
    assert phone_page.locator("[data-listen]").is_hidden()
