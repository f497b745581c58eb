"""The people of a campaign evening, for Locust (run by ``python -m bench.load``, which writes the plan).

``BENCH_LOAD_PLAN`` names a JSON file with the accounts (API tokens, signed-in sessions) and the ids to use;
every request goes to the ``--host`` given to Locust (127.0.0.1). Who plays:

- **Reader** (learners at home): the course state (API), the next lesson's page (HTML), then "complete" (API);
- **Cadre** (officials with mandatory assignments): their assignments (API) and "my learning" (HTML);
- **Examinee** (one commune's exam session, one per learner): start the final test, answer every question one
  by one, submit, read the result; then idle;
- **Organiser**: the dashboard, a commune, its people (HTML) and the communes' figures (API);
- **Heavy** (one organiser): uploads and confirms a roster (import on the ``imports`` queue) and requests a
  report (``reports`` queue), then follows both until they finish; how long each took is recorded as a job;
- **Reference**: the bare endpoint ``/bench/bare/`` twice a second (see :mod:`bench.load_urls`).

Every request is recorded (name, milliseconds, success) and written to ``BENCH_LOAD_RECORDS`` when Locust
quits; after ``max_requests`` requests the run stops even if its time is not over.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
import uuid
from pathlib import Path

import gevent
from locust import HttpUser, between, constant, events, task

PLAN = json.loads(Path(os.environ["BENCH_LOAD_PLAN"]).read_text())
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RECORDS: list[tuple[str, str, float, bool]] = []  # (kind, name, ms, ok); kind "HTTP" or "JOB"
_state = {"environment": None, "stopping": False}
_pools = {name: itertools.cycle(PLAN[name]) for name in ("readers", "cadres", "examinees", "organisers")}


@events.init.add_listener
def _init(environment, **_kw):
    _state["environment"] = environment


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception=None, **_kw):
    RECORDS.append(("JOB" if request_type == "JOB" else "HTTP", name, float(response_time), exception is None))
    if len(RECORDS) >= PLAN["max_requests"] and not _state["stopping"]:
        _state["stopping"] = True
        gevent.spawn(_state["environment"].runner.quit)


@events.quitting.add_listener
def _dump(**_kw):
    Path(os.environ["BENCH_LOAD_RECORDS"]).write_text(json.dumps(RECORDS))


def job_done(name: str, seconds: float, ok: bool) -> None:
    """Record a background job (import, report) as one entry of kind JOB: its duration, not a request's."""
    events.request.fire(
        request_type="JOB",
        name=name,
        response_time=seconds * 1000,
        response_length=0,
        exception=None if ok else RuntimeError(name),
        context={},
    )


def api(token: str) -> dict:
    return {"Authorization": f"Token {token}", "Accept": "application/json"}


def html(session: str) -> dict:
    # The production session cookie is Secure: a client on plain http would not send it back by itself.
    return {"Cookie": f"sessionid={session}", "Accept": "text/html"}


class Phone(HttpUser):
    """A person's phone: a new connection for every request, as bench.quiz makes them (a connection kept
    open would also race gunicorn's keep-alive timeout, 5 s, against the pauses between requests)."""

    abstract = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.client.headers["Connection"] = "close"


class Reader(Phone):
    weight = 6
    wait_time = between(2, 6)

    def on_start(self):
        me = next(_pools["readers"])
        self.api, self.html, self.course = api(me["token"]), html(me["session"]), me["course"]
        self.lesson = None
        self.read = False

    @task
    def step(self):
        if self.lesson is None:
            response = self.client.get(f"/api/v1/courses/{self.course}/", headers=self.api, name="reader: course (API)")
            if not response.ok:
                return
            lessons = [ls for ls in response.json().get("lessons", []) if not ls["locked"] and not ls["completed"]]
            if lessons:
                self.lesson, self.read = lessons[0], False
            else:  # the course is done: what a learner looks at then
                self.client.get("/api/v1/me/progress/", headers=self.api, name="reader: my progress (API)")
        elif not self.read:
            self.client.get(self.lesson["url"], headers=self.html, name="reader: lesson page (HTML)")
            self.read = True
        else:
            self.client.post(
                f"/api/v1/lessons/{self.lesson['id']}/complete/",
                json={"client_id": str(uuid.uuid4()), "time_spent_seconds": random.randint(120, 900)},
                headers=self.api,
                name="reader: complete lesson (API)",
            )
            self.lesson = None


class Cadre(Phone):
    weight = 2
    wait_time = between(3, 10)

    def on_start(self):
        me = next(_pools["cadres"])
        self.api, self.html = api(me["token"]), html(me["session"])

    @task(3)
    def assignments(self):
        self.client.get("/api/v1/me/assignments/", headers=self.api, name="cadre: my assignments (API)")

    @task(1)
    def my_learning(self):
        self.client.get("/learning/", headers=self.html, name="cadre: my learning (HTML)")


class Examinee(Phone):
    fixed_count = PLAN["fixed"]["examinee"]
    wait_time = between(2, 5)

    def on_start(self):
        self.api = api(next(_pools["examinees"])["token"])
        self.attempt = None
        self.questions: list[dict] = []
        self.done = False

    @task
    def step(self):
        if self.done:
            gevent.sleep(5)
            return
        if self.attempt is None:
            path = f"/api/v1/quizzes/{PLAN['quiz']}/attempts/"
            with self.client.post(path, headers=self.api, name="exam: start (API)", catch_response=True) as r:
                if r.status_code != 201:
                    r.failure(f"start answered {r.status_code}")
                    self.done = True
                    return
                body = r.json()
            self.attempt, self.questions = body["id"], list(body["questions"])
        elif self.questions:
            question = self.questions.pop(0)
            self.client.put(
                f"/api/v1/attempts/{self.attempt}/answers/{question['id']}/",
                json={"response": answer_for(question), "client_id": str(uuid.uuid4())},
                headers=self.api,
                name="exam: answer (API)",
            )
        else:
            self.client.post(f"/api/v1/attempts/{self.attempt}/submit/", headers=self.api, name="exam: submit (API)")
            self.client.get(f"/api/v1/attempts/{self.attempt}/", headers=self.api, name="exam: result (API)")
            self.done = True


def answer_for(question: dict) -> dict:
    from bench.quiz import answer_for as plausible

    return plausible(question, random)


class Organiser(Phone):
    fixed_count = PLAN["fixed"]["organiser"]
    wait_time = between(3, 10)

    def on_start(self):
        me = next(_pools["organisers"])
        self.api, self.html = api(me["token"]), html(me["session"])

    def commune(self) -> str:
        return random.choice(PLAN["communes"])

    @task(3)
    def dashboard(self):
        self.client.get("/organiser/stats/", headers=self.html, name="organiser: dashboard (HTML)")

    @task(2)
    def commune_page(self):
        code = self.commune()
        self.client.get(f"/organiser/stats/communes/{code}/", headers=self.html, name="organiser: commune (HTML)")

    @task(2)
    def people(self):
        code = self.commune()
        self.client.get(f"/organiser/stats/communes/{code}/people/", headers=self.html, name="organiser: people (HTML)")

    @task(1)
    def communes_api(self):
        self.client.get(
            f"/api/v1/stats/provinces/{PLAN['province']}/communes/",
            headers=self.api,
            name="organiser: communes' figures (API)",
        )


class Heavy(Phone):
    """One organiser who starts the roster import and the report, then follows them until they finish."""

    fixed_count = 1
    wait_time = constant(2)

    def on_start(self):
        me = PLAN["heavy"]
        self.api, self.session = api(me["token"]), me["session"]
        self.roster = self.report_since = None
        self.roster_started = self.report_started = 0.0
        self.roster_done = self.report_done = False
        self.known_reports: set[int] = set()

    @task
    def step(self):
        if self.roster is None:
            self.roster_start()
        elif self.report_since is None:
            self.report_start()
        elif not self.roster_done:
            self.roster_poll()
        elif not self.report_done:
            self.report_poll()
        else:
            gevent.sleep(5)

    def roster_start(self):
        path = Path(PLAN["heavy"]["roster"])
        files = {"file": (path.name, path.read_bytes(), XLSX)}
        with self.client.post(
            "/api/v1/organiser/rosters/", files=files, headers=self.api, name="heavy: roster upload (API)",
            catch_response=True,
        ) as r:  # fmt: skip
            if r.status_code != 201:
                r.failure(f"upload answered {r.status_code}: {r.text[:200]}")
                self.roster, self.roster_done = 0, True
                return
            roster = r.json()["id"]
        self.roster_started = time.monotonic()
        self.client.post(
            f"/api/v1/organiser/rosters/{roster}/confirm/", headers=self.api, name="heavy: roster confirm (API)"
        )
        self.roster = roster

    def report_start(self):
        page = self.client.get(
            "/organiser/stats/reports/", headers=html(self.session), name="heavy: reports page (HTML)"
        )
        self.known_reports = {r["id"] for r in self.reports()}
        token = page.cookies.get("csrftoken") or _csrf_from(page.text)
        headers = {"Cookie": f"sessionid={self.session}; csrftoken={token}", "X-CSRFToken": token or ""}
        with self.client.post(
            "/organiser/stats/reports/",
            data={"province": PLAN["province"], "csrfmiddlewaretoken": token or ""},
            headers=headers,
            allow_redirects=False,
            name="heavy: request report (HTML)",
            catch_response=True,
        ) as r:
            if r.status_code != 302:
                r.failure(f"report request answered {r.status_code}")
                self.report_done = True
        self.report_started = time.monotonic()
        self.report_since = self.report_started

    def reports(self) -> list[dict]:
        response = self.client.get("/api/v1/reports/", headers=self.api, name="heavy: poll reports (API)")
        if not response.ok:
            return []
        body = response.json()
        return body.get("results", body) if isinstance(body, dict) else body

    def roster_poll(self):
        response = self.client.get(
            f"/api/v1/organiser/rosters/{self.roster}/", headers=self.api, name="heavy: poll roster (API)"
        )
        status = response.json().get("status") if response.ok else None
        if status in ("imported", "failed"):
            job_done("job: roster import (confirm → done)", time.monotonic() - self.roster_started, status != "failed")
            self.roster_done = True

    def report_poll(self):
        mine = [r for r in self.reports() if r["id"] not in self.known_reports]
        if mine and mine[0].get("status") in ("ready", "failed"):
            ok = mine[0]["status"] == "ready"
            job_done("job: report (request → ready)", time.monotonic() - self.report_started, ok)
            self.report_done = True


def _csrf_from(text: str) -> str | None:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)
    return match.group(1) if match else None


class Reference(Phone):
    fixed_count = 1
    wait_time = constant(0.5)

    @task
    def bare(self):
        self.client.get("/bench/bare/", name="reference: bare endpoint")
