"""A learner on a 360 px phone takes a course home: downloads it, loses the signal, reads every lesson,
completes two, and the server records exactly those two once each when the signal returns. A lesson page's
first visit stays small, and the service worker adds no request to a repeat visit."""

import gzip
import os
import re
import threading
from pathlib import Path

import pytest
from django.core.signals import request_started
from django.db import OperationalError
from playwright.sync_api import expect

from courses.models import CoursePage, LessonPage
from courses.services import demo_course_ensure, site_ensure
from learning.accounts.services import user_register
from learning.localities.models import Commune
from learning.progress.models import LessonCompletion
from tests.conftest import migrated_rows_ensure
from tests.e2e.signal import signal_back, signal_lost

ARTIFACTS = Path(os.environ.get("E2E_ARTIFACTS", "test-results"))
PASSWORD = "Mat-khau-2025!"
PHONE = "0913555666"
KEPT = "Đã lưu trên điện thoại — sẽ gửi khi có mạng"
DOWNLOAD = "Tải khóa học để học khi không có mạng"
COMPLETE = "Tôi đã học xong bài này"
FIRST_VISIT_BUDGET = 14 * 1024  # what arrives in the first round trip of a slow connection


@pytest.fixture
def offline_site(transactional_db):
    """A learner and a published course whose lessons open in any order (each can be downloaded)."""
    from courses.demo_content import COURSES

    migrated_rows_ensure()
    _home, catalogue = site_ensure()
    course, _created = demo_course_ensure(catalogue=catalogue, data=COURSES[1])
    CoursePage.objects.filter(pk=course.pk).update(sequential=False)
    course.refresh_from_db()
    user = user_register(
        phone=PHONE,
        full_name="Hoàng Thị Lan",
        password=PASSWORD,
        commune=Commune.objects.get(code="06688"),
        target_groups=["citizen"],
    )
    lessons = list(LessonPage.objects.child_of(course).live().order_by("path"))
    return {"course": course, "lessons": lessons, "user": user}


class ServerHits:
    """Every request that reaches the test server (the service worker's cache answers never do)."""

    def __init__(self):
        self.paths, self._lock = [], threading.Lock()

    def __call__(self, sender, environ, **kwargs):
        with self._lock:
            self.paths.append(environ.get("PATH_INFO", ""))

    def take(self) -> list[str]:
        with self._lock:
            paths, self.paths = self.paths, []
        return paths


@pytest.fixture
def server_hits():
    hits = ServerHits()
    request_started.connect(hits)
    yield hits
    request_started.disconnect(hits)


def sign_in(page, base):
    page.goto(base + "/accounts/login/")
    page.locator("#id_username").fill(PHONE)
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("form.form button[type=submit]").click()


def worker_ready(page):
    page.wait_for_function(
        "() => navigator.serviceWorker && navigator.serviceWorker.controller !== null", timeout=15000
    )
    page.evaluate("navigator.serviceWorker.ready")


def eventually(check, page, seconds=40.0):
    """Poll ``check`` (a database query) while the browser works; SQLite's shared test database refuses a
    read while the server writes, so such a refusal is one more turn."""
    for _ in range(int(seconds * 5)):
        try:
            if check():
                return True
        except OperationalError:
            pass
        page.wait_for_timeout(200)
    return check()


def no_horizontal_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{page.url} is {width}px wide at a 360px viewport"


def test_course_downloaded_read_offline_two_completions_sent_once(live_server, offline_site, phone_page):
    page, base = phone_page, live_server.url
    course, lessons, user = offline_site["course"], offline_site["lessons"], offline_site["user"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    sign_in(page, base)
    page.goto(base + course.url)
    worker_ready(page)
    page.reload()  # the course page again, now through the worker

    page.get_by_role("button", name=DOWNLOAD).click()
    note = page.locator("[data-dl-note]")
    expect(note).to_contain_text(re.compile(r"khoảng [\d,]+ (KB|MB)"))  # the size, before anything is fetched
    go = page.locator("[data-dl-go]")
    expect(go).to_be_visible()
    go.click()
    expect(page.locator("[data-dl-status]")).to_contain_text("Đã tải về", timeout=30000)
    expect(page.get_by_role("button", name="Xóa bản tải về")).to_be_visible()
    no_horizontal_scroll(page)
    page.screenshot(path=str(ARTIFACTS / "offline-course-downloaded-360.png"), full_page=True)

    signal_lost(page.context)
    for lesson in lessons:  # every lesson reads without a connection
        page.goto(base + lesson.url)
        expect(page.locator("h1")).to_have_text(lesson.title)
        assert page.locator(".lesson p").count() > 0
    for lesson in (lessons[0], lessons[2]):
        page.goto(base + lesson.url)
        page.get_by_role("button", name=COMPLETE).click()
        expect(page.locator("[data-offline-status]")).to_have_text(KEPT)
        expect(page.get_by_role("button", name=COMPLETE)).to_be_hidden()
    page.screenshot(path=str(ARTIFACTS / "offline-lesson-kept-360.png"), full_page=False)
    page.reload()  # still kept after a reload without signal
    expect(page.locator("[data-offline-status]")).to_have_text(KEPT)
    page.goto(base + "/search/?q=mat+khau")  # never kept: the offline page lists the downloaded course
    expect(page.locator("h1")).to_have_text("Không có mạng")
    expect(page.locator("[data-offline-list] a")).to_have_text([course.title])
    page.screenshot(path=str(ARTIFACTS / "offline-page-360.png"), full_page=True)
    assert LessonCompletion.objects.filter(user=user).count() == 0

    page.goto(base + lessons[1].url)  # any page sends what is kept as soon as the signal returns
    signal_back(page.context)
    assert eventually(lambda: LessonCompletion.objects.filter(user=user).count() == 2, page)
    expect(page.locator("[data-offline-status]")).to_contain_text("đã được ghi nhận", timeout=40000)
    page.reload()
    page.wait_for_timeout(1000)
    done = list(LessonCompletion.objects.filter(user=user).values_list("lesson_id", flat=True))
    assert sorted(done) == sorted([lessons[0].pk, lessons[2].pk])
    assert page.evaluate("localStorage.getItem('lesson-pending')") is None


def test_replay_tells_which_lesson_was_unpublished_and_counts_the_others(live_server, offline_site, phone_page):
    page, base = phone_page, live_server.url
    course, lessons, user = offline_site["course"], offline_site["lessons"], offline_site["user"]
    sign_in(page, base)
    page.goto(base + course.url)
    worker_ready(page)
    for lesson in lessons[:2]:
        page.goto(base + lesson.url)  # opened once: kept by the worker
    signal_lost(page.context)
    for lesson in lessons[:2]:
        page.goto(base + lesson.url)
        page.get_by_role("button", name=COMPLETE).click()
        expect(page.locator("[data-offline-status]")).to_have_text(KEPT)
    lessons[1].unpublish()
    page.goto(base + course.url)  # the kept copy; it sends what is kept as soon as the signal returns
    signal_back(page.context)
    status = page.locator("[data-offline-status]")
    expect(status).to_contain_text(f"Chưa ghi nhận: “{lessons[1].title}”", timeout=40000)
    expect(status).to_contain_text("không tồn tại hoặc chưa được đăng")
    assert eventually(lambda: LessonCompletion.objects.filter(user=user).count() == 1, page)
    assert list(LessonCompletion.objects.filter(user=user).values_list("lesson_id", flat=True)) == [lessons[0].pk]


def test_a_server_in_trouble_shows_the_kept_lesson(live_server, offline_site, phone_page):
    page, base = phone_page, live_server.url
    lesson = offline_site["lessons"][0]
    sign_in(page, base)
    page.goto(base + offline_site["course"].url)
    worker_ready(page)
    page.goto(base + lesson.url)  # opened once: kept by the worker
    expect(page.locator("h1")).to_have_text(lesson.title)
    page.context.route(re.compile(r".*/khoa-hoc/.*"), lambda route: route.fulfill(status=503, body="busy"))
    page.goto(base + lesson.url)
    expect(page.locator("h1")).to_have_text(lesson.title)  # the kept copy, not the error
    answer = page.goto(base + offline_site["lessons"][1].url)  # never opened: the server's answer as it is
    assert answer.status == 503 and "busy" in page.content()


def test_completion_form_without_javascript_still_records(live_server, offline_site, browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN", java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server.url)
    page.goto(live_server.url + offline_site["lessons"][0].url)
    with page.expect_navigation():
        page.get_by_role("button", name=COMPLETE).click()
    assert LessonCompletion.objects.filter(user=offline_site["user"]).count() == 1
    context.close()


def _first_visit_bytes(page, url) -> dict:
    bodies = {}

    def keep(response):
        if response.request.resource_type in ("document", "stylesheet", "script") and response.status == 200:
            bodies[response.url] = response.body()

    page.on("response", keep)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.remove_listener("response", keep)
    return bodies


def test_first_visit_is_small_and_a_repeat_visit_adds_no_request(live_server, offline_site, browser, server_hits):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    page = context.new_page()
    base = live_server.url
    sign_in(page, base)
    lesson = offline_site["lessons"][0]
    bodies = _first_visit_bytes(page, base + lesson.url)
    compressed = sum(len(gzip.compress(body, 9)) for body in bodies.values())
    assert any(url.endswith(".css") for url in bodies) and any(url.endswith(".js") for url in bodies)
    assert compressed < FIRST_VISIT_BUDGET, f"{compressed} bytes gzipped: {sorted(bodies)}"
    print(f"first visit, gzip of HTML+CSS+JS: {compressed} bytes ({sum(map(len, bodies.values()))} raw)")

    worker_ready(page)
    page.goto(base + lesson.url)  # the worker now keeps the shell and this page
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1500)  # let the worker finish keeping what it fetched
    server_hits.take()
    page.goto(base + lesson.url)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1500)
    hits = server_hits.take()
    assert hits == [lesson.url], hits  # the page itself (network first), nothing more
    context.close()


def test_signing_out_forgets_every_kept_page(live_server, offline_site, phone_page):
    page, base = phone_page, live_server.url
    sign_in(page, base)
    page.goto(base + offline_site["course"].url)
    worker_ready(page)
    page.goto(base + offline_site["lessons"][0].url)
    kept = "caches.open('pages-v1').then(c => c.keys()).then(k => k.map(r => new URL(r.url).pathname))"
    assert eventually(lambda: offline_site["lessons"][0].url in page.evaluate(kept), page, seconds=10)
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_timeout(500)
    assert offline_site["lessons"][0].url not in page.evaluate(kept)
    signal_lost(page.context)
    page.goto(base + offline_site["lessons"][0].url)  # nothing of the signed-out learner's is served
    expect(page.locator("h1")).to_have_text("Không có mạng")


def test_a_phone_without_room_is_told_so_and_keeps_nothing_of_the_course(live_server, offline_site, browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    # 50 KB left on the phone: less than the course needs
    context.add_init_script(
        "navigator.storage.estimate = () => Promise.resolve({quota: 10000000, usage: 10000000 - 50000});"
    )
    page, base = context.new_page(), live_server.url
    sign_in(page, base)
    page.goto(base + offline_site["course"].url)
    worker_ready(page)
    page.get_by_role("button", name=DOWNLOAD).click()
    page.locator("[data-dl-go]").click()
    expect(page.locator("[data-dl-status]")).to_contain_text("Điện thoại không còn đủ chỗ")
    expect(page.get_by_role("button", name=DOWNLOAD)).to_be_visible()  # may try again
    kept = "caches.open('pages-v1').then(c => c.keys()).then(k => k.map(r => new URL(r.url).pathname))"
    lessons_kept = [url for url in page.evaluate(kept) if url in {lesson.url for lesson in offline_site["lessons"]}]
    assert lessons_kept == [] and "/__offline/courses" not in page.evaluate(kept)
    context.close()
