"""Learners at work while something breaks: the web (gunicorn) and a worker on a fault stack, a few threads of
learners completing lessons and taking a quiz through the API with client ids, then what must hold.

A learner's client behaves as the mobile app does on a flaky network: a write that failed (5xx, or no answer)
is sent again with the same client id until it succeeds. Afterwards ``check`` proves:

* no write answered 5xx although it had been saved (the retry of such a completion answers 200 "already
  recorded" instead of 201 "created");
* every client id the learners got an answer for is recorded exactly once, and nothing else is;
* the worker is alive and runs tasks, and the statistics it keeps equal a full recompute from the records.
"""

from __future__ import annotations

import collections
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field

import requests

from tests.faults.conftest import Proc, free_port, wait_for

SETUP = """
import itertools
from courses.models import CoursePage, LessonPage
from courses.services import site_ensure
from learning.accounts.services import user_register
from learning.localities.models import Commune
from rest_framework.authtoken.models import Token
from tests.quiz_fixtures import make_quiz

catalogue = site_ensure()[1]
course = CoursePage(title="Khóa học khi có sự cố", slug="khoa-hoc-su-co", intro="<p>Thử.</p>", topic="data",
                    estimated_minutes=30, sequential=True)
catalogue.add_child(instance=course)
course.save_revision().publish()
lessons = []
for i in range(1, LESSONS + 1):
    lesson = LessonPage(title=f"Bài {i}", slug=f"bai-{i}", estimated_minutes=5,
                        body=[("rich_text", f"<p>Bài {i}.</p>")])
    course.add_child(instance=lesson)
    lesson.save_revision().publish()
    lessons.append(lesson.pk)
quiz = make_quiz(CoursePage.objects.get(pk=course.pk), question_count=7)
communes = list(Commune.objects.filter(code__in=["06688", "06652", "06661", "06673"]).order_by("code"))
tokens = []
for n in range(LEARNERS):
    user = user_register(phone=f"0915{n:06d}", full_name=f"Học Viên {n}", password="Mat-khau-2025!",
                         commune=communes[n % len(communes)], target_groups=["citizen"])
    tokens.append(Token.objects.create(user=user).key)
result = {"course": course.pk, "lessons": lessons, "quiz": quiz.pk, "tokens": tokens}
"""

CHECK = """
import datetime as dt
from django.utils import timezone
from learning.progress.models import AnswerSubmission, LessonCompletion, QuizAttempt
from learning.stats import fill
from learning.stats.models import DailyCount, DirtyDay
from learning.stats.tasks import refresh_dirty_counts
from learning.site.tasks import ping

ping_answer = ping.delay().get(timeout=60)
refresh_dirty_counts.delay()  # through the broker, to the worker
deadline = timezone.now() + dt.timedelta(seconds=90)
while DirtyDay.objects.exists() and timezone.now() < deadline:
    refresh_dirty_counts.delay()
    import time; time.sleep(2)
stored = {}
for row in DailyCount.objects.all():
    values = {name: getattr(row, name) for name in fill.METRICS}
    if any(values.values()):
        stored[f"{row.day}|{row.commune_id}|{row.course_id}|{row.target_group}"] = values
fresh = {f"{d}|{c}|{course}|{g}": values
         for (d, c, course, g), values in fill.compute(fill.first_record_day(), timezone.localdate()).items()}
completions = list(LessonCompletion.objects.values_list("client_id", flat=True))
answers = list(AnswerSubmission.objects.values_list("client_id", flat=True))
result = {
    "ping": ping_answer,
    "dirty_left": DirtyDay.objects.count(),
    "stats_rows": len(stored),
    "stats_equal": stored == fresh,
    "stats_diff": sorted(set(stored.items()) ^ set(fresh.items()), key=str)[:5] if stored != fresh else [],
    "completions": [str(c) for c in completions],
    "answers": [str(c) for c in answers],
    "submitted": QuizAttempt.objects.filter(status="submitted").count(),
    "lesson_completions_total": LessonCompletion.objects.count(),
}
"""


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    statuses: collections.Counter = field(default_factory=collections.Counter)  # "page 200", "complete 5xx" …
    completions: dict = field(default_factory=dict)  # client_id -> [status, …]
    answers: dict = field(default_factory=dict)
    saved_but_failed: list = field(default_factory=list)
    gave_up: list = field(default_factory=list)
    submitted: int = 0

    def count(self, kind: str, status) -> None:
        with self.lock:
            bucket = status if isinstance(status, str) else f"{status // 100}xx"
            self.statuses[f"{kind} {bucket}"] += 1

    def server_errors(self) -> int:
        return sum(n for key, n in self.statuses.items() if key.endswith(" 5xx"))


def prepare(stack, *, learners: int, lessons: int) -> dict:
    """A course of ``lessons`` lessons and a 7-question quiz, and ``learners`` learners with API tokens."""
    return stack.django(f"LEARNERS = {learners}\nLESSONS = {lessons}\n" + SETUP, timeout=240)


class Web:
    """gunicorn with the stack's environment."""

    def __init__(self, stack, workers: int = 2, threads: int = 4):
        self.port = free_port()
        args = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers)]
        args += ["--threads", str(threads), "--timeout", "60", "--access-logfile", "-", "learning.wsgi:application"]
        self.proc = Proc(args, stack.env, stack.dir / "web.log")
        stack.procs.append(self.proc)
        self.base = f"http://127.0.0.1:{self.port}"
        wait_for(self._up, 90, "gunicorn to answer /healthz", interval=0.5)

    def _up(self) -> bool:
        assert self.proc.alive(), self.proc.log()[-3000:]
        try:
            return requests.get(self.base + "/healthz", timeout=5).status_code in (200, 503)
        except requests.RequestException:
            return False


class Learners:
    """Threads of learners, each taking the next learner's token until told to stop."""

    def __init__(self, web: Web, setup: dict, threads: int = 4, pause: float = 0.05, retry_for: float = 90):
        self.web, self.setup, self.pause, self.retry_for = web, setup, pause, retry_for
        self.tally = Tally()
        self.stop = threading.Event()
        self._tokens = iter(setup["tokens"])
        self._tokens_lock = threading.Lock()
        self.learners_done = 0
        self.threads = [threading.Thread(target=self._run, daemon=True) for _ in range(threads)]

    def start(self) -> Learners:
        for thread in self.threads:
            thread.start()
        return self

    def join(self, timeout: float = 150) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout)
        assert not any(thread.is_alive() for thread in self.threads), "a learner thread did not finish"

    def _next_token(self):
        with self._tokens_lock:
            return next(self._tokens, None)

    def _run(self) -> None:
        while not self.stop.is_set():
            token = self._next_token()
            if token is None:
                return
            session = requests.Session()
            session.headers.update({"Authorization": f"Token {token}", "Accept-Language": "vi"})
            self._learner(session)
            with self.tally.lock:
                self.learners_done += 1

    def _request(self, session, kind: str, method: str, path: str, **kwargs):
        """One request; (status, json or None). A connection failure counts as status "no answer"."""
        try:
            response = session.request(method, self.web.base + path, timeout=20, **kwargs)
        except requests.RequestException:
            self.tally.count(kind, "no answer")
            return None, None
        self.tally.count(kind, response.status_code)
        api = path.startswith("/api/")  # a page answers the site's HTML error page; the API answers JSON
        if api and response.status_code >= 500 and "json" not in response.headers.get("Content-Type", ""):
            self.tally.count(kind, "html error page")
        try:
            body = response.json()
        except ValueError:
            body = None
        return response.status_code, body

    def _until_done(self, session, kind: str, method: str, path: str, **kwargs):
        """Send again (same body, same client id) until the server answers below 500."""
        deadline = time.monotonic() + self.retry_for
        history = []
        while True:
            status, body = self._request(session, kind, method, path, **kwargs)
            history.append(status)
            if status is not None and status < 500:
                return history, body
            if time.monotonic() > deadline:
                self.tally.gave_up.append((kind, path, history))
                return history, None
            time.sleep(0.5)

    def _learner(self, session) -> None:
        self._request(session, "page", "GET", "/")
        self._request(session, "api read", "GET", f"/api/v1/courses/{self.setup['course']}/")
        for lesson in self.setup["lessons"]:
            client_id = str(uuid.uuid4())
            history, _body = self._until_done(
                session,
                "complete",
                "POST",
                f"/api/v1/lessons/{lesson}/complete/",
                json={"client_id": client_id, "time_spent_seconds": 60},
            )
            with self.tally.lock:
                self.tally.completions[client_id] = history
                failed_before = [s for s in history[:-1] if s is not None]
                if failed_before and history[-1] == 200:  # "already recorded": a 5xx had saved it
                    self.tally.saved_but_failed.append((client_id, history))
            time.sleep(self.pause)
        history, attempt = self._until_done(
            session, "quiz start", "POST", f"/api/v1/quizzes/{self.setup['quiz']}/attempts/"
        )
        if not attempt or "id" not in attempt:
            return
        question = next((q for q in attempt["questions"] if q.get("type") == "true_false"), None)
        if question:
            client_id = str(uuid.uuid4())
            history, _body = self._until_done(
                session,
                "answer",
                "PUT",
                f"/api/v1/attempts/{attempt['id']}/answers/{question['id']}/",
                json={"response": {"value": False}, "client_id": client_id},
            )
            with self.tally.lock:
                self.tally.answers[client_id] = history
        history, result = self._until_done(session, "submit", "POST", f"/api/v1/attempts/{attempt['id']}/submit/")
        if result and history[-1] == 200:
            with self.tally.lock:
                self.tally.submitted += 1
        self._request(session, "api read", "GET", "/api/v1/me/progress/")


def learners_at_work(stack, *, learners: int = 120, lessons: int = 4, threads: int = 4):
    """A course and learners, a worker (two processes) and gunicorn on the stack, and learner threads busy
    for a few seconds already: (worker, web, learners)."""
    setup = prepare(stack, learners=learners, lessons=lessons)
    worker = stack.worker(concurrency=2)
    web = Web(stack)
    busy = Learners(web, setup, threads=threads).start()
    time.sleep(3)
    return worker, web, busy


def check(stack, learners: Learners, worker: Proc, *, allow_unsaved_5xx: bool) -> dict:
    """What must hold after the fault; prints the counts it compared."""
    tally = learners.tally
    assert worker.alive(), f"the worker exited:\n{worker.log()[-3000:]}"
    found = stack.django(CHECK, timeout=240)
    answered_completions = {cid for cid, history in tally.completions.items() if history[-1] in (200, 201)}
    answered_answers = {cid for cid, history in tally.answers.items() if history[-1] == 200}
    db_completions = collections.Counter(found["completions"])
    db_answers = collections.Counter(found["answers"])
    print(
        f"\nlearners finished: {learners.learners_done}; requests by outcome: {dict(sorted(tally.statuses.items()))}\n"
        f"lesson completions: {len(answered_completions)} answered, {sum(db_completions.values())} in the database "
        f"({len(db_completions)} distinct client ids); quiz answers: {len(answered_answers)} answered, "
        f"{sum(db_answers.values())} stored; attempts submitted: {tally.submitted} answered, "
        f"{found['submitted']} in the database\n"
        f"5xx answers: {tally.server_errors()}, of them for a write that was saved: {len(tally.saved_but_failed)}; "
        f"gave up: {len(tally.gave_up)}\n"
        f"worker alive: {worker.alive()}, ping: {found['ping']}; statistics rows: {found['stats_rows']}, equal to a "
        f"full recompute: {found['stats_equal']} (marks left: {found['dirty_left']})"
    )
    assert tally.saved_but_failed == [], tally.saved_but_failed[:5]
    assert not any(key.endswith("html error page") for key in tally.statuses), tally.statuses
    if not allow_unsaved_5xx:
        assert tally.server_errors() == 0, dict(tally.statuses)
    assert tally.gave_up == [], tally.gave_up[:5]
    assert set(db_completions) == answered_completions and max(db_completions.values(), default=1) == 1
    assert set(db_answers) == answered_answers and max(db_answers.values(), default=1) == 1
    assert found["submitted"] == tally.submitted
    assert found["ping"] == "pong" and found["dirty_left"] == 0
    assert found["stats_equal"], found["stats_diff"]
    return found
