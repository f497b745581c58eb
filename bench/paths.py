"""A learner's everyday paths against bare Django: ``python -m bench.paths`` (``make bench-paths``).

One command, on this machine only (127.0.0.1):

1. **prepare** (this process, development settings, guarded by :mod:`bench.guard`): recreates the database
   ``bdhvs_bench_paths`` (``--db``; its name must contain "bench"), migrates it, loads the localities, the
   site and the demo courses with their quizzes, the exam course of ``bench.quiz`` (a final test of 10
   questions drawn from 15) and ``--learners`` learners with API tokens. The first learner is enrolled in
   three courses, has finished the first lesson of the first one and holds a signed-in session;
2. **in-process** (a child process with the production settings, DEBUG off, plus the reference endpoints of
   :mod:`bench.paths_urls`; its own throw-away Redis as the cache): every path is called through Django's
   WSGI handler, as gunicorn calls it, ``--requests`` times per round, in ``--rounds`` interleaved rounds (the
   order rotates each round). CPU per request is ``time.process_time()`` over the round; the figure is the
   median of the rounds, and its ratio to the reference of the same run: ``/bench/bare-token/``, a DRF view
   with token authentication and one query. SQL queries per request are counted in one more call;
3. **gunicorn** (``deploy/gunicorn.conf.py``, the same settings): a threaded client at each ``--concurrency``
   (10 and 50) runs every path for ``--load-seconds`` per round, interleaved, ``--load-rounds`` rounds, one
   fresh connection per request as a phone makes them; requests per second (median of the rounds) and the
   reference's requests per second over the path's, held to the same goals; the CPU per request answered of
   gunicorn, the bench database's PostgreSQL backends, the client and the rest of the machine; the resident
   memory (RSS, and PSS) of each gunicorn worker.

The paths: a lesson page signed in (session cookie), ``GET /api/v1/me/progress/``, ``GET /api/v1/courses/{id}/``
and ``POST /api/v1/quizzes/{id}/attempts/`` (a new attempt, each by a learner who has none yet). Goals: CPU
per request at most 4× (lesson page), 2× (my progress), 2.5× (course detail), 3× (quiz start) the reference;
exits 1 when one is missed, in process or under gunicorn. ``--profile DIR`` writes a cProfile of each path
(``python -m pstats``).
"""

from __future__ import annotations

import argparse
import http.client
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench import harness

REPO = harness.REPO
REFERENCE = "reference: DRF view, token auth + 1 query"
GOALS = {"lesson page (signed in)": 4.0, "GET /api/v1/me/progress/": 2.0, "GET /api/v1/courses/{id}/": 2.5,
         "POST quiz start": 3.0}  # fmt: skip
SETTINGS = "bench.paths_settings"
STARTS_PER_SECOND = 700  # the most quiz starts per second the default number of learners allows for


# --- prepare (development settings) -------------------------------------------------------------------------


def prepare(args) -> dict:
    from bench.quiz import exam_build, learners_create

    t0 = time.monotonic()
    harness.database_recreate(args.pg, args.db)
    from django.core.management import call_command

    quiet = io.StringIO()
    call_command("migrate", interactive=False, verbosity=0, stdout=quiet)
    call_command("load_localities", stdout=quiet)
    call_command("setup_site", stdout=quiet)
    from courses.demo_content import COURSES, QUESTIONS_DIR
    from courses.services import demo_course_ensure, demo_quizzes_ensure, site_ensure

    _home, catalogue = site_ensure()
    courses = []
    for data in COURSES:
        course, _created = demo_course_ensure(catalogue=catalogue, data=data)
        demo_quizzes_ensure(course=course, gift=(QUESTIONS_DIR / f"{data['module']}.gift").read_bytes())
        courses.append(course)
    quiz = exam_build()
    learners_create(args.learners)
    plan = learner_prepare(courses, quiz)
    print(f"prepare: done in {time.monotonic() - t0:.1f} s ({len(courses)} courses, {args.learners} learners)")
    return plan


def learner_prepare(courses, quiz) -> dict:
    """The first learner: enrolled in three courses, the first lesson of the first one finished, a session."""
    import uuid

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from rest_framework.authtoken.models import Token

    from bench.quiz import PHONE_PREFIX
    from learning.progress import services as progress_services

    tokens = list(
        Token.objects.filter(user__phone__startswith=PHONE_PREFIX).order_by("user__phone").select_related("user")
    )
    learner = tokens[0].user
    for course in courses[:3]:
        progress_services.enrolment_ensure(user=learner, course=course)
    course = courses[0]
    lessons = list(course.lessons())
    progress_services.lesson_complete(user=learner, lesson=lessons[0], client_id=uuid.uuid4(), time_spent_seconds=300)
    session = SessionStore()
    session[SESSION_KEY] = str(learner.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = learner.get_session_auth_hash()
    session.create()
    return {
        "token": tokens[0].key,
        "others": [t.key for t in tokens[1:]],
        "session_cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}",
        "lesson_url": lessons[1].get_url(),
        "course_id": course.pk,
        "quiz_id": quiz.pk,
    }


# --- the paths --------------------------------------------------------------------------------------------


class NoLearnerLeft(Exception):
    """Every learner has started the quiz: a start by one of them again would measure another path."""

    @staticmethod
    def stop(name: str, concurrency: int) -> SystemExit:
        message = f"{name}, {concurrency} clients: no learner left for the quiz start; run with more --learners"
        return SystemExit(message)


class Paths:
    """Each path as (method, path, headers); the quiz start takes the next learner who has not started."""

    def __init__(self, plan: dict):
        self.plan = plan
        self.others = iter(plan["others"])
        self.lock = threading.Lock()

    def next_token(self) -> str:
        with self.lock:
            try:
                return next(self.others)
            except StopIteration:
                raise NoLearnerLeft from None

    def request(self, name: str) -> tuple[str, str, dict]:
        plan = self.plan
        token = {"Authorization": f"Token {plan['token']}"}
        if name == REFERENCE:
            return "GET", "/bench/bare-token/", token
        if name == "lesson page (signed in)":
            return "GET", plan["lesson_url"], {"Cookie": plan["session_cookie"], "Accept": "text/html"}
        if name == "GET /api/v1/me/progress/":
            return "GET", "/api/v1/me/progress/", token
        if name == "GET /api/v1/courses/{id}/":
            return "GET", f"/api/v1/courses/{plan['course_id']}/", token
        if name == "POST quiz start":
            return (
                "POST",
                f"/api/v1/quizzes/{plan['quiz_id']}/attempts/",
                {"Authorization": f"Token {self.next_token()}"},
            )
        raise KeyError(name)

    names = [REFERENCE, *GOALS]


def wsgi_environ(method: str, path: str, headers: dict) -> dict:
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_ACCEPT_ENCODING": "gzip",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": "0",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    for key, value in headers.items():
        environ["HTTP_" + key.upper().replace("-", "_")] = value
    return environ


def in_process(plan: dict, args) -> dict:
    """Step 2, in a process with the production settings (see the module's docstring)."""
    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    handler = WSGIHandler()
    paths = Paths(plan)

    def call(name: str) -> int:
        statuses = []
        body = handler(wsgi_environ(*paths.request(name)), lambda status, headers, exc=None: statuses.append(status))
        b"".join(body)
        body.close()  # request_finished, as gunicorn does
        status = int(statuses[0][:3])
        if status not in (200, 201):
            raise SystemExit(f"{name}: HTTP {status}")
        return status

    queries = {}
    for name in paths.names:
        for _ in range(args.warmup):
            call(name)
        with CaptureQueriesContext(connection) as captured:
            call(name)
        queries[name] = len(captured.captured_queries)
        if args.show_queries:
            print(f"\n{name}: {queries[name]} queries", *(q["sql"][:300] for q in captured), sep="\n  ", flush=True)
    cpu: dict[str, list[float]] = {name: [] for name in paths.names}
    wall: dict[str, list[float]] = {name: [] for name in paths.names}
    for r in range(args.rounds):
        order = paths.names[r % len(paths.names) :] + paths.names[: r % len(paths.names)]
        for name in order:
            c0, w0 = time.process_time(), time.perf_counter()
            for _ in range(args.requests):
                call(name)
            cpu[name].append((time.process_time() - c0) / args.requests * 1000)
            wall[name].append((time.perf_counter() - w0) / args.requests * 1000)
    if args.profile:
        profile(call, paths.names, Path(args.profile), args.requests)
    return {
        "cpu_ms": {n: harness.median(v) for n, v in cpu.items()},
        "cpu_spread": {n: (min(v), max(v)) for n, v in cpu.items()},
        "wall_ms": {n: harness.median(v) for n, v in wall.items()},
        "queries": queries,
    }


def profile(call, names, folder: Path, n: int) -> None:
    import cProfile

    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(n):
            call(name)
        profiler.disable()
        slug = "".join(ch if ch.isalnum() else "_" for ch in name)[:40]
        profiler.dump_stats(folder / f"{slug}.prof")
    print(f"profiles written to {folder}", flush=True)


# --- gunicorn ---------------------------------------------------------------------------------------------


def hit(port: int, method: str, path: str, headers: dict) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=b"" if method == "POST" else None,
                     headers={"Connection": "close", "Accept-Encoding": "gzip", **headers})  # fmt: skip
        response = conn.getresponse()
        response.read()
        return response.status
    except (OSError, http.client.HTTPException):
        return 0
    finally:
        conn.close()


def load_phase(
    port: int, paths: Paths, name: str, concurrency: int, seconds: float, processes: int = 1
) -> tuple[float, int, int]:
    """(requests/s answered 200/201, errors, requests answered) with ``concurrency`` clients for ``seconds``,
    as threads of this process or spread over ``processes`` processes (forked; each takes its share of the
    learners who have not started the quiz)."""
    if processes > 1:
        return _load_phase_processes(port, paths, name, concurrency, seconds, processes)
    done, errors = [0] * concurrency, [0] * concurrency
    deadline = time.perf_counter() + seconds
    ran_out = threading.Event()

    def client(i: int) -> None:
        while time.perf_counter() < deadline and not ran_out.is_set():
            try:
                request = paths.request(name)
            except NoLearnerLeft:
                ran_out.set()
                return
            status = hit(port, *request)
            if status in (200, 201):
                done[i] += 1
            else:
                errors[i] += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if ran_out.is_set():
        raise NoLearnerLeft.stop(name, concurrency)
    return sum(done) / (time.perf_counter() - started), sum(errors), sum(done)


def _load_phase_processes(
    port: int, paths: Paths, name: str, concurrency: int, seconds: float, processes: int
) -> tuple[float, int, int]:
    import multiprocessing

    context = multiprocessing.get_context("fork")
    results = context.Queue()
    share = -(-concurrency // processes)
    starts_each = int(seconds * STARTS_PER_SECOND / processes) + 50 if name == "POST quiz start" else 0
    try:
        learners = [[paths.next_token() for _ in range(starts_each)] for _ in range(processes)]
    except NoLearnerLeft:
        raise NoLearnerLeft.stop(name, concurrency) from None

    def child(k: int) -> None:
        paths.others = iter(learners[k])
        try:
            results.put(load_phase(port, paths, name, share, seconds))
        except SystemExit as exc:
            results.put(str(exc))

    started = time.perf_counter()
    children = [context.Process(target=child, args=(k,)) for k in range(processes)]
    for c in children:
        c.start()
    outcome = [results.get(timeout=seconds + 60) for _ in children]
    for c in children:
        c.join(30)
    failed = [o for o in outcome if isinstance(o, str)]
    if failed:
        raise SystemExit(failed[0])
    answered = sum(o[2] for o in outcome)
    return answered / (time.perf_counter() - started), sum(o[1] for o in outcome), answered


def memory_kb(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of ``pid`` in kB."""
    rss = pss = 0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            rss = int(line.split()[1])
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                pss = int(line.split()[1])
    except OSError:
        pass
    return rss, pss


# Whose CPU a gunicorn phase counts: gunicorn's processes, the bench database's backends, this script (the
# client), the rest of the machine.
CPU_GROUPS = ("gunicorn", "postgres", "client", "other")


def _per_request(cpu: dict) -> dict[str, float]:
    """CPU seconds of a path's phases per group → milliseconds per request answered."""
    return {g: 1000 * cpu[g] / cpu["requests"] if cpu["requests"] else 0.0 for g in CPU_GROUPS}


def under_gunicorn(plan: dict, args, workdir: Path) -> dict:
    from bench.quiz import Gunicorn, server_processes

    server = Gunicorn(workers=args.workers, threads=args.threads, log_path=workdir / "gunicorn.log", settings=SETTINGS)
    server.start()
    paths = Paths(plan)
    paths.others = iter(plan["others"][args.in_process_learners :])
    result = {"workers": len(server.worker_pids()), "threads": args.threads, "load": {}}
    maintenance = harness.maintenance_connection(args.pg)
    processes = server_processes(args, server, maintenance)

    try:
        for name in paths.names:  # every worker warm before measuring
            for _ in range(2 * result["workers"]):
                hit(server.port, *paths.request(name))
        for concurrency in args.concurrency:
            per_s: dict[str, list[float]] = {name: [] for name in paths.names}
            errors = dict.fromkeys(paths.names, 0)
            cpu = {name: {**dict.fromkeys(CPU_GROUPS, 0.0), "requests": 0} for name in paths.names}
            for r in range(args.load_rounds):
                order = paths.names[r % len(paths.names) :] + paths.names[: r % len(paths.names)]
                for name in order:
                    with harness.CpuSampler(processes) as sampled:
                        rate, failed, answered = load_phase(
                            server.port, paths, name, concurrency, args.load_seconds, args.client_processes
                        )
                    per_s[name].append(rate)
                    errors[name] += failed
                    for group in ("gunicorn", "postgres"):
                        cpu[name][group] += sampled.usage.groups.get(group, 0.0)
                    cpu[name]["client"] += sampled.usage.own
                    cpu[name]["other"] += sampled.usage.other
                    cpu[name]["requests"] += answered
            result["load"][concurrency] = {
                "per_s": {n: harness.median(v) for n, v in per_s.items()},
                "errors": errors,
                "cpu_ms": {n: _per_request(c) for n, c in cpu.items()},
            }
        memory = [memory_kb(pid) for pid in server.worker_pids()]
        result["rss_mb"] = [round(rss / 1024, 1) for rss, _pss in memory]
        result["pss_mb"] = [round(pss / 1024, 1) for _rss, pss in memory]
    finally:
        server.stop()
        maintenance.close()
    return result


# --- the report -------------------------------------------------------------------------------------------


def report(measured: dict, served: dict | None, machine: str) -> list[str]:
    ref = measured["cpu_ms"][REFERENCE]
    missed = []
    rows = []
    for name in Paths.names:
        ratio = measured["cpu_ms"][name] / ref if ref else 0.0
        goal = GOALS.get(name)
        ok = "" if goal is None else ("yes" if ratio <= goal else "**no**")
        if goal is not None and ratio > goal:
            missed.append(f"{name}: {ratio:.2f}× the reference, goal ≤ {goal}×")
        low, high = measured["cpu_spread"][name]
        rows.append([name, f"{measured['cpu_ms'][name]:.2f}", f"{low:.2f}–{high:.2f}", f"{ratio:.2f}×",
                     f"≤ {goal}×" if goal else "", ok, f"{measured['wall_ms'][name]:.2f}",
                     measured["queries"][name]])  # fmt: skip
    harness.table(
        "In-process: CPU per request (median of the rounds), production settings",
        ["path", "CPU ms", "rounds min–max", "÷ reference", "goal", "met", "wall ms", "SQL queries"],
        rows,
        ["", machine],
    )
    if served:
        header = ["path"]
        rows = {name: [name] for name in Paths.names}
        cpu_header, cpu_rows = ["path"], {name: [name] for name in Paths.names}
        for concurrency, figures in served["load"].items():
            header += [f"c={concurrency} req/s", f"c={concurrency} reference ÷ path", f"c={concurrency} errors"]
            cpu_header += [f"c={concurrency} {group}" for group in ("server", "database", "client", "rest")]
            ref_rate = figures["per_s"][REFERENCE]
            for name in Paths.names:
                rate = figures["per_s"][name]
                ratio = ref_rate / rate if rate else float("inf")
                goal = GOALS.get(name)
                if goal is not None and ratio > goal:
                    missed.append(f"{name} under gunicorn, c={concurrency}: {ratio:.2f}× the reference, goal ≤ {goal}×")
                rows[name] += [f"{rate:.1f}", f"{ratio:.2f}×", figures["errors"][name]]
                used = figures["cpu_ms"][name]
                cpu_rows[name] += [f"{used[g]:.2f}" for g in CPU_GROUPS]
        rss, pss = served["rss_mb"], served["pss_mb"]
        harness.table(
            f"gunicorn ({served['workers']} workers × {served['threads']} threads, deploy/gunicorn.conf.py): "
            "requests per second (median of the rounds)",
            header,
            list(rows.values()),
            [
                "",
                f"Memory per worker after the load: RSS {min(rss):.0f}–{max(rss):.0f} MB (median "
                f"{statistics.median(rss):.0f}), PSS median {statistics.median(pss):.0f} MB, "
                f'{sum(pss):.0f} MB for all {len(pss)} workers. The goals apply to "reference ÷ path" as well.',
            ],
        )
        harness.table(
            "gunicorn: CPU ms per request answered (server: gunicorn's processes; database: the PostgreSQL backends of "
            "the bench database; client: this script's threads; rest: the rest of the machine meanwhile — Redis, "
            "the kernel's network work, other programs)",
            cpu_header,
            list(cpu_rows.values()),
        )
    print("", flush=True)
    for line in missed or ["every goal met"]:
        print(("MISSED " if missed else "") + line, flush=True)
    return missed


# --- main -------------------------------------------------------------------------------------------------


def configure_environment(args, redis_url: str) -> None:
    """The environment of both settings (must run before Django is imported)."""
    import secrets

    os.environ["DATABASE_URL"] = f"{args.pg.rstrip('/')}/{args.db}"
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(64))
    os.environ["DJANGO_ALLOWED_HOSTS"] = "127.0.0.1,localhost"
    os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "false"
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    os.environ["GUNICORN_LOG_LEVEL"] = "warning"
    os.environ["REDIS_URL"] = f"{redis_url}/1"
    os.environ["CELERY_BROKER_URL"] = f"{redis_url}/0"
    static_root = Path(
        os.environ.setdefault("DJANGO_STATIC_ROOT", str(Path(tempfile.gettempdir()) / "bdhvs-bench-static"))
    )
    static_root.mkdir(parents=True, exist_ok=True)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pg", default=os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--db", type=harness.database_name_arg, default="bdhvs_bench_paths")
    parser.add_argument("--learners", type=int, help="learners with tokens (quiz starts use one each; default: "
                        f"enough for {STARTS_PER_SECOND} starts/s in every load phase)")  # fmt: skip
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--requests", type=int, default=60, help="requests per path and round, in process")
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--profile", metavar="DIR", help="write a cProfile of each path into DIR")
    parser.add_argument("--show-queries", action="store_true", help="print the SQL of each path")
    parser.add_argument("--no-gunicorn", action="store_true", help="only the in-process measurement")
    parser.add_argument("--concurrency", type=lambda v: [int(x) for x in v.split(",")], default=[10, 50])
    parser.add_argument("--load-seconds", type=float, default=4.0)
    parser.add_argument("--load-rounds", type=int, default=5)
    parser.add_argument("--client-processes", type=int, default=1, help="spread the clients over processes")
    parser.add_argument("--workers", type=int, default=int(os.environ.get("GUNICORN_WORKERS", "0")) or None,
                        help="gunicorn workers (default: deploy/gunicorn.conf.py's)")  # fmt: skip
    parser.add_argument("--threads", type=int, default=int(os.environ.get("GUNICORN_THREADS", "0")) or None)
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--measure", metavar="PLAN", help=argparse.SUPPRESS)  # the child process
    return parser.parse_args(argv)


def learners_needed(args) -> int:
    """Learners enough for the in-process rounds and for every load phase at ``STARTS_PER_SECOND``."""
    phases = 0 if args.no_gunicorn else args.load_rounds * len(args.concurrency)
    each = STARTS_PER_SECOND * args.load_seconds + 50 * args.client_processes  # as _load_phase_processes takes
    return args.in_process_learners + 100 + int(phases * each)


def gunicorn_defaults(args) -> None:
    """Workers and threads as deploy/gunicorn.conf.py sizes them, unless given."""
    import runpy

    conf = runpy.run_path(str(REPO / "deploy" / "gunicorn.conf.py"))
    args.workers = args.workers or conf["workers"]
    args.threads = args.threads or conf["threads"]


def main(argv=None) -> int:
    args = parse_args(argv)
    args.in_process_learners = (args.rounds * args.requests + args.warmup + 1) * (2 if args.profile else 1) + 50
    if args.learners is None:
        args.learners = learners_needed(args)
    if args.measure:  # the child: production settings, set by the parent
        plan = json.loads(Path(args.measure).read_text())
        Path(args.measure + ".out").write_text(json.dumps(in_process(plan, args)))
        return 0
    from bench.load import Redis

    workdir = Path(tempfile.mkdtemp(prefix="bench-paths-"))
    redis = Redis(workdir)
    redis_url = redis.start()
    try:
        configure_environment(args, redis_url)
        harness.django_setup(os.environ["DATABASE_URL"])
        pg_version = harness.postgres_version(args.pg)
        plan = prepare(args)
        from django.db import connections

        connections.close_all()
        plan_path = workdir / "plan.json"
        plan_path.write_text(json.dumps(plan))
        from bench.load import static_collect

        static_collect()  # the pages need the manifest of the production storage
        child_env = {**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS}
        child_env.pop("DJANGO_DEBUG", None)
        subprocess.run(  # noqa: S603 - this script again, with its own arguments
            [sys.executable, "-m", "bench.paths", "--measure", str(plan_path), *(argv or sys.argv[1:])],
            cwd=REPO, env=child_env, check=True,
        )  # fmt: skip
        measured = json.loads(Path(str(plan_path) + ".out").read_text())
        served = None
        if not args.no_gunicorn:
            gunicorn_defaults(args)
            served = under_gunicorn(plan, args, workdir)
        machine = harness.machine(pg_version)
        missed = report(measured, served, machine)
        (workdir / "result.json").write_text(json.dumps({"in_process": measured, "gunicorn": served}, indent=1))
        print(f"figures in {workdir / 'result.json'}", flush=True)
    finally:
        redis.stop()
        if not args.keep_db:
            harness.database_drop(args.pg, args.db)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
