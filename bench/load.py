"""Mixed load of a campaign evening: ``python -m bench.load`` (``make bench-load``).

One command, on this machine only (127.0.0.1):

1. recreates the database ``bdhvs_bench_load`` (``--db``; its name must contain "bench"), migrates it and
   generates a slice of the province with ``generate_province`` (``--learners``, 5,000 by default: the demo
   courses with their quizzes, enrolments, completions, attempts, a campaign with mandatory assignments),
   adds the exam course of ``bench.quiz`` (a final test of 10 questions drawn from 15), an organiser of the
   province, API tokens and signed-in sessions for the people who play, and a roster of ``--roster-rows``;
2. starts its own Redis (``redis-server`` on a free port, nothing saved to disk) unless ``--redis-url``
   is given, gunicorn with ``deploy/gunicorn.conf.py`` and the production settings (plus the bare reference
   endpoint, :mod:`bench.load_settings`), and two Celery workers as deployed (``deploy/start-worker.sh``:
   ``interactive``; ``stats,reports,imports,xapi``), and waits until ``/healthz?worker=1`` sees every queue;
3. measures the bare endpoint alone (``--reference-requests`` one after another), then runs Locust headless
   (:mod:`bench.locustfile`) for ``--run-time`` seconds or ``--max-requests`` requests, whichever comes
   first: readers, cadres, one commune's exam session, organisers, one roster import and one report;
4. prints per endpoint the count, errors, requests/s and p50/p95/p99 (nearest rank, ``bench.harness``),
   each percentile also as a multiple of the bare endpoint's measured during the load, the CPU each group of
   processes used, and the verdict: **no errors, learner p95 < 300 ms, organiser p95 < 500 ms** while the
   import and the report run; exits 1 when one is missed, stops everything it started and drops the
   database (``--keep-db`` keeps it).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

from bench import harness
from bench.quiz import Gunicorn, free_port, request

REPO = harness.REPO
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
ORGANISER_PHONE = "+84899000000"  # the organisers of the run: +84 899 000 00x
EXAM_COMMUNE = "06688"  # Hạ Long, the biggest ward of the synthetic province
LEARNER_GROUPS = ("reader", "exam", "cadre")
ORGANISER_GROUPS = ("organiser",)
GOALS_MS = {"learner": 300.0, "organiser": 500.0}


# --- services ---------------------------------------------------------------------------------------------


class Redis:
    """A throw-away redis-server on a free port of 127.0.0.1: no persistence, stopped at the end."""

    def __init__(self, workdir: Path):
        self.port = free_port()
        self.workdir = workdir
        self.proc = None

    def start(self) -> str:
        binary = shutil.which("redis-server")
        if binary is None:
            raise SystemExit("redis-server is not installed: install it or pass --redis-url")
        self.proc = subprocess.Popen(  # noqa: S603 - fixed arguments
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.workdir), "--logfile", str(self.workdir / "redis.log")],
            start_new_session=True,
        )  # fmt: skip
        for _ in range(100):
            try:
                import redis

                redis.Redis(port=self.port, socket_timeout=1).ping()
                return f"redis://127.0.0.1:{self.port}"
            except Exception:  # noqa: BLE001 - not up yet
                time.sleep(0.1)
        raise SystemExit("redis-server did not start")

    def stop(self) -> None:
        stop_group(self.proc)


def stop_group(proc: subprocess.Popen | None, timeout: float = 30.0) -> None:
    """SIGTERM to the process group started for ``proc`` (its own session), then SIGKILL after ``timeout``."""
    if proc is None or proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


def workers_start(log_dir: Path, concurrency: int) -> list[subprocess.Popen]:
    """The two Celery workers of deploy/compose.yaml, through deploy/start-worker.sh, production settings."""
    procs = []
    for queues in ("interactive", "stats,reports,imports,xapi"):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "learning.settings.production",
            "CELERY_QUEUES": queues,
            "CELERY_SUPERVISE": "0",
            "CELERY_CONCURRENCY": str(concurrency),
            "CELERY_LOG_LEVEL": "WARNING",
            "CELERY_WORKER_NAME": f"bench-load-{queues.split(',')[0]}-{os.getpid()}",
            "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}",
        }
        log = (log_dir / f"worker-{queues.split(',')[0]}.log").open("wb")
        procs.append(
            subprocess.Popen(  # noqa: S603 - the deploy script, as deployed
                ["sh", "deploy/start-worker.sh"],  # noqa: S607
                cwd=REPO,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
    return procs


def static_collect() -> None:
    """``collectstatic`` with the production settings, as deploy/start-web.sh does (the pages need the
    manifest); into a folder kept between runs, so that only the first run copies every file."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "learning.settings.production"}
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"], cwd=REPO, env=env, check=True
    )


def process_tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (from /proc/<pid>/task/*/children)."""
    out, todo = [], [pid]
    while todo and len(out) < 1000:
        current = todo.pop()
        out.append(current)
        for task in Path(f"/proc/{current}/task").glob("*") if Path(f"/proc/{current}").exists() else []:
            try:
                todo.extend(int(child) for child in (task / "children").read_text().split())
            except OSError:
                continue
    return out


# --- data ---------------------------------------------------------------------------------------------------


def prepare(args, workdir: Path) -> dict:
    """The database and everything the players need; returns the plan (see bench.locustfile)."""
    t0 = time.monotonic()
    harness.database_recreate(args.pg, args.db)
    from django.core.management import call_command

    quiet = io.StringIO()
    call_command("migrate", interactive=False, verbosity=0, stdout=quiet)
    call_command("setup_site", stdout=quiet)
    print(f"prepare: migrated in {time.monotonic() - t0:.1f} s", flush=True)
    call_command("generate_province", learners=args.learners, seed=1, stdout=quiet)
    print(f"prepare: generate_province --learners {args.learners} in {time.monotonic() - t0:.1f} s", flush=True)
    from bench.quiz import exam_build

    quiz = exam_build()
    plan = people_build(args, quiz.pk, workdir)
    print(f"prepare: done in {time.monotonic() - t0:.1f} s", flush=True)
    return plan


def people_build(args, quiz_id: int, workdir: Path) -> dict:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import transaction
    from rest_framework.authtoken.models import Token

    from bench.roster import make_roster
    from learning.accounts.models import User
    from learning.accounts.roles import RoleGrant
    from learning.localities.models import Commune
    from learning.progress.models import Enrolment

    province = settings.DEFAULT_PROVINCE_CODE

    def signed_in(users) -> list[dict]:
        Token.objects.filter(user__in=users).delete()
        tokens = Token.objects.bulk_create([Token(key=Token.generate_key(), user=u) for u in users])
        out = []
        for user, token in zip(users, tokens, strict=True):
            session = SessionStore()
            session[SESSION_KEY] = str(user.pk)
            session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session.create()
            out.append({"id": user.pk, "token": token.key, "session": session.session_key})
        return out

    with transaction.atomic():
        exam = list(User.objects.filter(commune_id=EXAM_COMMUNE).order_by("pk")[: args.examinees])
        taken = {u.pk for u in exam}
        cadres = list(
            User.objects.filter(target_groups__code="official", assignments__isnull=False)
            .exclude(pk__in=taken)
            .distinct()
            .order_by("pk")[: args.cadres]
        )
        taken |= {u.pk for u in cadres}
        enrolments = list(
            Enrolment.objects.filter(completed_at__isnull=True)
            .exclude(user_id__in=taken)
            .select_related("user")
            .order_by("user_id", "course_id")
            .distinct("user_id")[: args.readers]
        )
        readers = signed_in([e.user for e in enrolments])
        for reader, enrolment in zip(readers, enrolments, strict=True):
            reader["course"] = enrolment.course_id
        organisers = []
        for i in range(args.organisers + 1):  # the last one is the one who imports and asks for the report
            user = User.objects.create(phone=f"{ORGANISER_PHONE[:-2]}{i:02d}", full_name=f"Cán bộ tổ chức {i}")
            user.set_unusable_password()
            user.save(update_fields=["password"])
            RoleGrant.objects.create(user=user, role="province_organiser", province_id=province)
            organisers.append(user)
        organiser_accounts = signed_in(organisers)
        plan = {
            "readers": readers,
            "cadres": signed_in(cadres),
            "examinees": [
                {"token": t.key}
                for t in Token.objects.bulk_create([Token(key=Token.generate_key(), user=u) for u in exam])
            ],  # fmt: skip
            "organisers": organiser_accounts[:-1],
            "heavy": organiser_accounts[-1],
            "quiz": quiz_id,
            "province": province,
            "fixed": {"examinee": len(exam), "organiser": args.organisers},
            "max_requests": args.max_requests,
        }
    communes = list(Commune.objects.filter(province_id=province).order_by("code").values_list("code", "name"))
    busiest = (
        User.objects.filter(commune__province_id=province).values_list("commune_id", flat=True).order_by().distinct()
    )
    plan["communes"] = sorted(set(busiest))[:20] or [c for c, _n in communes[:20]]
    roster = workdir / "roster.xlsx"
    roster.write_bytes(make_roster(args.roster_rows, communes, seed=7))
    plan["heavy"]["roster"] = str(roster)
    print(
        f"prepare: {len(readers)} readers, {len(plan['cadres'])} cadres, {len(exam)} examinees of {EXAM_COMMUNE}, "
        f"{args.organisers} organisers + 1, roster of {args.roster_rows} rows",
        flush=True,
    )
    return plan


def database_figures(db_quiz: int, load_end) -> dict:
    """What the database says after the load: the exam's attempts by status, and how long the import (confirm
    to finish) and the report (request to generated) took, and whether they finished before the load ended."""
    from django.db.models import Count

    from learning.campaigns.roster_models import Roster
    from learning.progress.models import QuizAttempt
    from learning.stats.models import ReportSnapshot

    attempts = dict(
        QuizAttempt.objects.filter(quiz_id=db_quiz).values_list("status").annotate(n=Count("pk")).order_by()
    )
    jobs = {}
    for roster in Roster.objects.all():
        jobs["roster import (confirm → imported)"] = job(roster.confirmed_at, roster.finished_at, load_end)
        jobs["roster import (confirm → imported)"].update(status=roster.status, rows=roster.processed)
    for report in ReportSnapshot.objects.filter(kind=ReportSnapshot.Kind.ON_DEMAND):
        jobs["report (request → generated)"] = job(report.created_at, report.generated_at, load_end)
        jobs["report (request → generated)"]["status"] = report.status
    return {"exam_attempts": attempts, "jobs": jobs}


def job(start, end, load_end) -> dict:
    if start is None or end is None:
        return {"seconds": None, "during_load": False}
    return {"seconds": round((end - start).total_seconds(), 1), "during_load": end <= load_end}


# --- measuring ----------------------------------------------------------------------------------------------


def reference_alone(port: int, n: int) -> list[float]:
    """The bare endpoint, ``n`` times one after another, before the load: the quiet machine's floor."""
    times = []
    for _ in range(n):
        status, _body, seconds = request("127.0.0.1", port, "GET", "/bench/bare/", timeout=10)
        if status == 200:
            times.append(seconds * 1000)
    return times


def group_of(name: str) -> str:
    return name.split(":", 1)[0]


def summarise(records: list, wall: float) -> dict:
    """Per endpoint and per group: count, errors, requests/s and nearest-rank p50/p95/p99/max in ms."""
    by_name: dict[str, list] = {}
    for kind, name, ms, ok in records:
        by_name.setdefault(name, []).append((kind, ms, ok))

    def figures(items) -> dict:
        ms = [m for _k, m, _ok in items]
        return {
            "count": len(items),
            "errors": sum(1 for _k, _m, ok in items if not ok),
            "per_s": len(items) / wall if wall else 0.0,
            **{f"p{p}": harness.percentile(ms, p) for p in (50, 95, 99)},
            "max": max(ms, default=0.0),
        }

    endpoints = {name: figures(items) for name, items in sorted(by_name.items())}
    http = [(k, n, m, ok) for k, n, m, ok in records if k == "HTTP"]
    groups = {
        "learner": figures([(k, m, ok) for k, n, m, ok in http if group_of(n) in LEARNER_GROUPS]),
        "organiser": figures([(k, m, ok) for k, n, m, ok in http if group_of(n) in ORGANISER_GROUPS]),
        "all requests": figures([(k, m, ok) for k, _n, m, ok in http]),
    }
    return {"endpoints": endpoints, "groups": groups}


def report(result: dict) -> None:
    ref = result["summary"]["endpoints"].get("reference: bare endpoint")

    def ratio(value: float, p: str) -> str:
        return f"{value / ref[p]:.1f}×" if ref and ref[p] else ""

    def row(name, f):
        return [
            name, f["count"], f["errors"], f"{f['per_s']:.2f}",
            *(f"{f[p]:.0f}" for p in ("p50", "p95", "p99")), f"{f['max']:.0f}",
            *(ratio(f[p], p) for p in ("p50", "p95", "p99")),
        ]  # fmt: skip

    header = ["endpoint", "requests", "errors", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms",
              "p50 ÷ bare", "p95 ÷ bare", "p99 ÷ bare"]  # fmt: skip
    endpoints = result["summary"]["endpoints"]
    rows = [row(n, f) for n, f in endpoints.items() if not n.startswith("job:")]
    rows += [row(f"**{n}**", f) for n, f in result["summary"]["groups"].items()]
    alone = result["reference_alone_ms"]
    harness.table(
        f"Campaign evening, {result['locust']['run_time_s']:.0f} s of load, {result['users']} simulated people",
        header,
        rows,
        [
            "",
            f"Bare endpoint alone before the load ({len(alone)} requests one after another): p50 "
            f"{harness.percentile(alone, 50):.1f} ms, p95 {harness.percentile(alone, 95):.1f} ms, p99 "
            f"{harness.percentile(alone, 99):.1f} ms. Ratios are to the bare endpoint measured during the load.",
        ],
    )
    jobs = [[n, "" if j["seconds"] is None else f"{j['seconds']:.1f} s", j.get("status", ""),
             "yes" if j["during_load"] else "no"] for n, j in result["database"]["jobs"].items()]  # fmt: skip
    seen = [[n, f"{f['max'] / 1000:.1f} s", "", "seen by the organiser polling"] for n, f in endpoints.items()
            if n.startswith("job:")]  # fmt: skip
    harness.table(
        "Background jobs (times from the database)",
        ["job", "took", "status", "finished during the load"],
        jobs + seen or [["(none started)", "", "", ""]],
    )
    cpu = result["cpu"]
    harness.table(
        "CPU during the load (seconds)",
        ["gunicorn", "celery workers", "postgres", "redis", "locust", "rest of machine", "machine busy %"],
        [
            [
                cpu["gunicorn"],
                cpu["workers"],
                cpu["postgres"],
                cpu["redis"],
                cpu["locust"],
                cpu["other"],
                cpu["busy_percent"],
            ]
        ],  # fmt: skip
        [
            f"CPU of gunicorn + workers + PostgreSQL + Redis per request: {cpu['ms_per_request']:.1f} ms "
            f"({result['summary']['groups']['all requests']['count']} requests).",
            f"Load average before / after: {result['load_before']} / {result['load_after']}.",
        ],
    )
    print("", flush=True)
    for line in result["verdict"]:
        print(line, flush=True)
    print(f"exam attempts by status: {result['database']['exam_attempts']}", flush=True)


def verdict(result: dict) -> list[str]:
    groups = result["summary"]["groups"]
    failed = []
    errors = groups["all requests"]["errors"] + sum(
        f["errors"] for n, f in result["summary"]["endpoints"].items() if n.startswith("job:")
    )
    if errors:
        failed.append(f"MISSED: {errors} errors")
    for group, goal in GOALS_MS.items():
        p95 = groups[group]["p95"]
        if p95 >= goal:
            failed.append(f"MISSED: {group} p95 {p95:.0f} ms, goal < {goal:.0f} ms")
    jobs = result["database"]["jobs"]
    if len(jobs) < 2 or not all(j["during_load"] and j["status"] in ("imported", "ready") for j in jobs.values()):
        failed.append(f"MISSED: the import and the report did not both finish during the load ({jobs})")
    result["failed"] = failed
    figures = (
        f"learner p95 {groups['learner']['p95']:.0f} ms (goal < 300), organiser p95 "
        f"{groups['organiser']['p95']:.0f} ms (goal < 500), {errors} errors"
    )
    return [*failed, figures] if failed else [f"MET: {figures}"]


def django_now():
    from django.utils import timezone

    return timezone.now()


def run(args, plan: dict, workdir: Path) -> dict:
    server = Gunicorn(
        workers=args.workers, threads=args.threads, log_path=workdir / "gunicorn.log", settings="bench.load_settings"
    )
    workers = []
    import psycopg

    pg = psycopg.connect(f"{args.pg.rstrip('/')}/postgres", autocommit=True)
    try:
        static_collect()
        server.start()
        workers = workers_start(workdir, args.worker_concurrency)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            status, _b, _t = request("127.0.0.1", server.port, "GET", "/healthz?worker=1", timeout=10)
            if status == 200:
                break
            time.sleep(1)
        else:
            raise SystemExit(f"the workers did not answer within 90 s; see {workdir}")
        print(f"run: gunicorn {args.workers} × {args.threads} on 127.0.0.1:{server.port}, 2 workers ready", flush=True)
        for _ in range(40):  # warm-up: a running site has its code and connections loaded
            request("127.0.0.1", server.port, "GET", "/bench/bare/", timeout=10)
        alone = reference_alone(server.port, args.reference_requests)

        plan_path, records_path = workdir / "plan.json", workdir / "records.json"
        plan_path.write_text(json.dumps(plan))
        env = {**os.environ, "BENCH_LOAD_PLAN": str(plan_path), "BENCH_LOAD_RECORDS": str(records_path)}
        command = [
            sys.executable, "-m", "locust", "-f", str(REPO / "bench" / "locustfile.py"), "--headless",
            "--host", f"http://127.0.0.1:{server.port}", "-u", str(args.users), "-r", str(args.spawn_rate),
            "--run-time", f"{args.run_time}s", "--stop-timeout", "10", "--only-summary", "--loglevel", "WARNING",
            "--exit-code-on-error", "0",
        ]  # fmt: skip
        load_before = [round(x, 2) for x in os.getloadavg()]
        locust = None

        def groups() -> dict[str, list[int]]:
            rows = pg.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [args.db]).fetchall()
            return {
                "gunicorn": process_tree(server.proc.pid),
                "workers": [pid for w in workers for pid in process_tree(w.pid)],
                "postgres": [r[0] for r in rows],
                "redis": [args.redis_pid] if args.redis_pid else [],
                "locust": process_tree(locust.pid) if locust else [],
            }

        print(f"run: locust, {args.users} people, {args.run_time} s or {args.max_requests} requests", flush=True)
        with harness.CpuSampler(groups) as sampler:
            locust = subprocess.Popen(  # noqa: S603 - our own arguments
                command,
                cwd=REPO,
                env=env,
                stdout=(workdir / "locust.log").open("wb"),
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            t0 = time.perf_counter()
            try:
                locust.wait(timeout=args.run_time + 120)
            except subprocess.TimeoutExpired:
                stop_group(locust)
            wall = time.perf_counter() - t0
        load_end = django_now()
        load_after = [round(x, 2) for x in os.getloadavg()]
        if not records_path.exists():
            raise SystemExit(f"locust wrote no records; see {workdir / 'locust.log'}")
        records = json.loads(records_path.read_text())
    finally:
        for proc in workers:
            stop_group(proc)
        server.stop()
        pg.close()
    usage = sampler.usage
    summary = summarise(records, wall)
    served = sum(usage.groups.get(g, 0.0) for g in ("gunicorn", "workers", "postgres", "redis"))
    cpu = {
        **{g: round(usage.groups.get(g, 0.0), 1) for g in ("gunicorn", "workers", "postgres", "redis", "locust")},
        "other": round(usage.other + usage.own, 1),
        "busy_percent": round(usage.busy_percent, 1),
        "ms_per_request": 1000 * served / max(1, summary["groups"]["all requests"]["count"]),
    }
    result = {
        "users": args.users,
        "locust": {"run_time_s": wall, "command": " ".join(command[2:])},
        "summary": summary,
        "reference_alone_ms": alone,
        "cpu": cpu,
        "load_before": load_before,
        "load_after": load_after,
        "database": database_figures(plan["quiz"], load_end),
    }
    result["verdict"] = verdict(result)
    return result


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=5000, help="learners generated (5000)")
    parser.add_argument("--readers", type=int, default=1500, help="accounts the readers take turns with (1500)")
    parser.add_argument("--cadres", type=int, default=300, help="accounts of cadres (300)")
    parser.add_argument("--examinees", type=int, default=60, help="learners of one commune sitting the exam (60)")
    parser.add_argument("--organisers", type=int, default=6, help="organisers on the pages (6), plus one heavy")
    parser.add_argument("--users", type=int, default=150, help="simulated people in all (150)")
    parser.add_argument("--spawn-rate", type=float, default=30, help="people started per second (30)")
    parser.add_argument("--run-time", type=int, default=180, help="seconds of load at most (180)")
    parser.add_argument("--max-requests", type=int, default=40_000, help="requests at most (40000)")
    parser.add_argument("--roster-rows", type=int, default=5000, help="rows of the imported roster (5000)")
    parser.add_argument("--reference-requests", type=int, default=200, help="bare requests before the load (200)")
    parser.add_argument("--workers", type=int, default=int(os.environ.get("GUNICORN_WORKERS", 4)))
    parser.add_argument("--threads", type=int, default=int(os.environ.get("GUNICORN_THREADS", 4)))
    parser.add_argument("--worker-concurrency", type=int, default=2, help="processes per Celery worker (2)")
    parser.add_argument("--pg", default=os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument(
        "--db", default=os.environ.get("BENCH_LOAD_DB", "bdhvs_bench_load"), type=harness.database_name_arg
    )
    parser.add_argument("--redis-url", help="a Redis of this machine to use (default: start one on a free port)")
    parser.add_argument("--keep-db", action="store_true", help="keep the database afterwards")
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    args = parser.parse_args(argv)
    if urllib.parse.urlsplit(args.pg).hostname not in LOOPBACK:
        parser.error("--pg must be a PostgreSQL server on this machine")
    if args.redis_url and urllib.parse.urlsplit(args.redis_url).hostname not in LOOPBACK:
        parser.error("--redis-url must be a Redis on this machine")
    if not (100 <= args.learners <= 1_000_000 and 1 <= args.users <= 5000 and 1 <= args.run_time <= 3600):
        parser.error("--learners must be 100..1000000, --users 1..5000, --run-time 1..3600")
    if args.users <= args.examinees + args.organisers + 2:
        parser.error("--users must leave room for readers and cadres beside the examinees, organisers and 2")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    os.chdir(REPO)
    workdir = Path(tempfile.mkdtemp(prefix="bench-load-"))
    redis_server = None
    args.redis_pid = None
    if args.redis_url:
        base = args.redis_url.rstrip("/").rsplit("/", 1)[0] if args.redis_url.count("/") > 2 else args.redis_url
    else:
        redis_server = Redis(workdir)
        base = redis_server.start()
        args.redis_pid = redis_server.proc.pid
    os.environ.update(
        DATABASE_URL=f"{args.pg.rstrip('/')}/{args.db}",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),  # one key for this script, gunicorn and the workers
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_LOG_LEVEL=os.environ.get("DJANGO_LOG_LEVEL", "WARNING"),
        REDIS_URL=f"{base}/0",
        CELERY_BROKER_URL=f"{base}/1",
        CELERY_RESULT_BACKEND=f"{base}/2",
        DJANGO_STATIC_ROOT=str(Path(tempfile.gettempdir()) / "bdhvs-bench-load-static"),
        DJANGO_MEDIA_ROOT=str(workdir / "media"),
        DJANGO_PRIVATE_ROOT=str(workdir / "private"),
        SMS_BACKEND="learning.notifications.sms.FileSmsBackend",
        SMS_FILE=str(workdir / "sms.jsonl"),
    )
    harness.django_setup(os.environ["DATABASE_URL"])  # exits 2 unless a bench database and DEBUG on
    print(harness.machine(harness.postgres_version(args.pg)), flush=True)
    print(f"files of this run: {workdir}", flush=True)
    try:
        plan = prepare(args, workdir)
        from django.db import connections

        connections.close_all()
        result = run(args, plan, workdir)
    finally:
        if redis_server:
            redis_server.stop()
        if not args.keep_db:
            harness.database_drop(args.pg, args.db)
            print(f"dropped {args.db}", flush=True)
    report(result)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str))
    return 1 if result["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
