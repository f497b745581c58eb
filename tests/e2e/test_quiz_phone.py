"""A learner takes a timed quiz on a phone with a weak signal: autosave, answers kept offline,
no submission while offline, a countdown; and the same quiz with JavaScript turned off."""

import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from courses.services import demo_course_ensure, site_ensure
from learning.accounts.services import user_register
from learning.localities.models import Commune
from learning.progress import quiz_services
from learning.progress.models import AnswerSubmission, AttemptAnswer, QuizAttempt
from learning.progress.quiz_ids import key_for, public_id
from tests.conftest import migrated_rows_ensure
from tests.e2e.signal import signal_back, signal_lost
from tests.quiz_fixtures import make_quiz

PASSWORD = "Mat-khau-2025!"
PHONE = "0913555777"
# English source strings of quiz.js; the page translates them when the JavaScript catalogue is loaded.
SAVED = "Saved"
KEPT = "Saved on this phone — will send when you are back online"
OFFLINE_SUBMIT = "You are offline. Your answers are kept on this phone; submit again when you are back online."


@pytest.fixture
def quiz_site(transactional_db):
    """A learner, and a published course with a 10-minute quiz (one question of each type)."""
    from courses.demo_content import COURSES

    migrated_rows_ensure()
    _home, catalogue = site_ensure()
    course, _created = demo_course_ensure(catalogue=catalogue, data=COURSES[1])
    user_register(
        phone=PHONE,
        full_name="Trần Văn Nam",
        password=PASSWORD,
        commune=Commune.objects.get(code="06688"),
        target_groups=["citizen"],
    )
    return make_quiz(course, time_limit_minutes=10)


def no_horizontal_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{page.url} is {width}px wide at a 360px viewport"


def tr(page, text):
    """``text`` as the page shows it (translated if the page loaded Django's JavaScript catalogue)."""
    return page.evaluate("s => (typeof gettext === 'function' ? gettext(s) : s)", text)


def eventually(page, check, seconds=10.0):
    """Poll ``check`` (a database query) while the browser keeps working; returns its last result."""
    for _ in range(int(seconds * 5)):
        result = check()
        if result:
            return result
        page.wait_for_timeout(200)
    return check()


def sign_in_and_start(page, base_url, quiz):
    page.goto(f"{base_url}/accounts/login/?next={quiz.url}")
    page.locator("#id_username").fill(PHONE)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(base_url + quiz.url)
    no_horizontal_scroll(page)
    # "Start the quiz" (Vietnamese: "Bắt đầu làm bài"): found by its form, whatever the translation.
    start = page.locator(f"form[action='{reverse('progress:quiz_start', args=[quiz.pk])}'] button")
    expect(start).to_be_visible()
    start.click()
    page.wait_for_url(re.compile(r"/learning/attempts/\d+/$"))
    return QuizAttempt.objects.get(quiz=quiz, status="in_progress")


def question(page, qtype):
    return page.locator(f"fieldset[data-type='{qtype}']")


def question_key(page, qtype):
    """The question's id in this attempt, as the page shows it."""
    return question(page, qtype).get_attribute("data-question")


def saved(attempt, question_id):
    """The answer stored for the question the page calls ``question_id`` (stored under the bank's key)."""
    return AttemptAnswer.objects.filter(attempt=attempt, question_key=key_for(attempt, question_id))


def question_key_of(attempt, qtype):
    return next(item["key"] for item in attempt.snapshot["questions"] if item["type"] == qtype)


def pending(page, attempt):
    return json.loads(page.evaluate(f"localStorage.getItem('quiz-pending-{attempt.pk}')") or "{}")


def test_quiz_on_a_phone_autosaves_keeps_answers_offline_and_never_submits_offline(live_server, quiz_site, phone_page):
    quiz, page, context = quiz_site, phone_page, phone_page.context
    errors = []
    page.on("pageerror", lambda error: errors.append(error))
    attempt = sign_in_and_start(page, live_server.url, quiz)
    status = page.locator("[data-sync-status]")

    # The countdown is shown and ticks.
    countdown = page.locator("[data-countdown]")
    expect(countdown).to_be_visible()
    expect(countdown).to_have_text(re.compile(r"\b\d{1,2}:\d\d\b"))
    first = countdown.inner_text()
    expect(countdown).not_to_have_text(first, timeout=3000)
    assert "low" not in (countdown.get_attribute("class") or "")
    no_horizontal_scroll(page)

    # A tap on a choice is saved at once.
    single = question_key(page, "single_choice")
    question(page, "single_choice").locator("label.choice").first.click()
    assert eventually(page, lambda: saved(attempt, single).exists(), 5)
    expect(status).to_have_text(tr(page, SAVED))

    # Offline: the short answer is kept on the phone, and sent when the signal comes back.
    short = question_key(page, "short_answer")
    signal_lost(context)
    question(page, "short_answer").locator("input").fill("Hạ Long")
    expect(status).to_have_text(tr(page, KEPT))
    kept = pending(page, attempt)
    assert kept[short]["response"] == {"text": "Hạ Long"}
    page.wait_for_timeout(500)
    assert AttemptAnswer.objects.filter(attempt=attempt).count() == 1
    no_horizontal_scroll(page)
    signal_back(context)
    stored = eventually(page, lambda: saved(attempt, short).first())
    assert stored is not None and stored.response == {"text": "Hạ Long"}
    assert str(stored.client_id) == kept[short]["client_id"]  # the retry reused the answer's id
    expect(status).to_have_text(tr(page, SAVED))
    assert pending(page, attempt) == {}

    # An answer the server refuses (4xx) leaves the queue; the reason shows under its question.
    question(page, "numerical").locator("input").fill("abc")
    expect(question(page, "numerical").locator(".answer-error")).to_be_visible()
    assert pending(page, attempt) == {}

    # The API unreachable although the phone is online (weak signal): the answer is kept, survives a
    # reload (put back into the form) and is sent from the reloaded page.
    numerical = question_key(page, "numerical")
    page.route("**/api/v1/attempts/**", lambda route: route.abort("internetdisconnected"))
    question(page, "numerical").locator("input").fill("12")
    expect(status).to_have_text(tr(page, KEPT))
    assert pending(page, attempt)[numerical]["response"] == {"value": "12"}
    page.unroute("**/api/v1/attempts/**")
    page.reload()
    expect(question(page, "numerical").locator("input")).to_have_value("12")
    expect(question(page, "numerical").locator(".answer-error")).to_have_count(0)
    assert eventually(page, lambda: saved(attempt, numerical).exists())
    expect(status).to_have_text(tr(page, SAVED))

    # Submit while offline, with an answer not sent yet: the page stays, says why, keeps the answer,
    # and the attempt stays open.
    signal_lost(context)
    true_false = question_key(page, "true_false")
    question(page, "true_false").locator("input[value=false]").check()
    attempt_url = page.url
    page.locator("[data-submit]").click()
    expect(status).to_have_text(tr(page, OFFLINE_SUBMIT))
    assert pending(page, attempt)[true_false]["response"] == {"value": False}
    page.wait_for_timeout(1000)
    assert page.url == attempt_url
    attempt.refresh_from_db()
    assert attempt.status == "in_progress"
    no_horizontal_scroll(page)

    # Back online, Submit shows the result.
    signal_back(context)
    page.locator("[data-submit]").click()
    page.wait_for_url(re.compile(r"/learning/attempts/\d+/result/$"))
    expect(page.locator(".score")).to_contain_text("%")
    no_horizontal_scroll(page)
    attempt.refresh_from_db()
    assert attempt.status == "submitted" and attempt.closed_by == "learner"
    answers = {public_id(attempt.pk, a.question_key): a for a in attempt.answers.all()}
    assert answers[short].response == {"text": "Hạ Long"} and answers[short].fraction == 1
    assert answers[numerical].fraction == 1 and answers[true_false].fraction == 1
    assert attempt.score_percent >= 50
    assert errors == []


def test_quiz_without_javascript_is_answered_and_submitted_with_the_plain_form(live_server, quiz_site, browser):
    quiz = quiz_site
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="vi-VN", device_scale_factor=1, java_script_enabled=False
    )
    try:
        page = context.new_page()
        attempt = sign_in_and_start(page, live_server.url, quiz)
        expect(page.locator("[data-countdown]")).to_be_hidden()
        expect(page.locator("[data-sync-status]")).to_be_hidden()
        question(page, "true_false").locator("input[value=false]").check()
        question(page, "short_answer").locator("input").fill("Phường Hạ Long")
        question(page, "numerical").locator("input").fill("12")
        no_horizontal_scroll(page)
        page.locator("[data-submit]").click()
        page.wait_for_url(re.compile(r"/learning/attempts/\d+/result/$"))
        expect(page.locator(".score")).to_contain_text("%")
        no_horizontal_scroll(page)
        attempt.refresh_from_db()
        assert attempt.status == "submitted"
        assert sorted(a.fraction for a in attempt.answers.all()) == [1, 1, 1]
        assert attempt.score_percent >= 50
    finally:
        context.close()


def test_when_time_runs_out_the_page_sends_the_answers_and_submits(live_server, quiz_site, phone_page):
    quiz, page = quiz_site, phone_page
    attempt = sign_in_and_start(page, live_server.url, quiz)
    QuizAttempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() + timedelta(seconds=8))
    page.reload()
    countdown = page.locator("[data-countdown]")
    expect(countdown).to_have_class(re.compile(r"\blow\b"))
    question(page, "short_answer").locator("input").fill("Hạ Long")
    page.wait_for_url(re.compile(r"/learning/attempts/\d+/result/$"), timeout=15000)
    expect(page.locator(".score")).to_contain_text("%")
    attempt.refresh_from_db()
    assert attempt.status == "submitted" and attempt.closed_by == "learner"  # by the page, in time
    assert attempt.answers.get(question_key=question_key_of(attempt, "short_answer")).fraction == 1


def test_once_the_attempt_is_closed_elsewhere_autosave_stops_and_says_why(live_server, quiz_site, phone_page):
    quiz, page = quiz_site, phone_page
    attempt = sign_in_and_start(page, live_server.url, quiz)
    quiz_services.attempt_submit(attempt=attempt)  # e.g. from another phone
    question(page, "single_choice").locator("label.choice").first.click()
    refused = question(page, "single_choice").locator(".answer-error")
    expect(refused).to_be_visible()
    expect(page.locator("[data-sync-status]")).to_have_text(refused.inner_text())
    question(page, "true_false").locator("input[value=true]").check()
    page.wait_for_timeout(1000)
    assert AnswerSubmission.objects.filter(attempt=attempt).count() == 0
    assert pending(page, attempt) == {}
    page.locator("[data-submit]").click()
    page.wait_for_url(re.compile(r"/learning/attempts/\d+/result/$"))
