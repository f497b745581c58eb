"""Statistics benchmark at the scale of a province (``make bench-stats``). Not part of the test suite.

1. Builds (or reuses, when it already holds at least that many learners) the PostgreSQL database
   ``bdhvs_bench_stats`` (``--db``): migrations, localities, then ``generate_province --learners N``.
2. ``fill_stats --restart``: recomputes every count from the raw records (timed once; target < 15 min).
3. Server time of the organiser pages and the statistics API, measured in-process with Django's test
   client (the whole request: middleware, views, templates, queries), ``--requests`` times each after
   two warm-up requests; p50 / p95 (target p95 < 150 ms for the dashboard and the commune drill-down).
   Targets: p95 < 50 ms for the province dashboard and the overdue people list. Besides, the **first**
   request after a restart: each of those two pages asked once by a fresh process (its own Django set-up and
   warm-up, as a new worker; the request in a thread of its own that opens its own database connection, as a
   thread of gunicorn's gthread worker does; ``--first-runs`` processes each, median; the cache is Redis,
   ``BENCH_REDIS_URL``, as in production), and the dashboard's first request after the counts changed with
   nothing warmed.
4. The province's report: building the data and rendering the Excel workbook (target < 10 s), and the
   PDF, ``--runs`` times; medians.
5. Every figure also as a ratio to the reference measured in the same run (``bench.harness.reference``: a
   fixed CPU loop and a fixed PostgreSQL query, at the start and at the end).

    .venv/bin/python -m bench.stats --learners 1000000 [--requests 40] [--runs 3] [--regenerate] [--db NAME]

The database's name must contain "bench", and DEBUG be on (``bench.guard``): refused otherwise, before
anything is written. Figures are printed as ``bench.harness`` tables (percentiles: nearest rank).
"""

import argparse
import os
import subprocess
import sys
import time

from bench import harness

DB_NAME = "bdhvs_bench_stats"
PG = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")


def _setup_django(db: str) -> None:
    """The development settings on the bench database (refused unless its name contains "bench" and DEBUG is
    on); no broker (tasks in this process); the cache in Redis (``BENCH_REDIS_URL``), shared by every process
    as in production, so a process started afresh finds what the others summed."""
    harness.django_setup(
        f"{PG}/{db}",
        CELERY_BROKER_URL="",
        REDIS_URL=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/1"),
        DJANGO_ALLOWED_HOSTS=os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,testserver"),
    )


def _psql(db: str, sql: str) -> str:
    out = subprocess.run(["psql", f"{PG}/{db}", "-tAc", sql], check=True, capture_output=True, text=True)  # noqa: S603,S607
    return out.stdout.strip()


def _manage(db: str, *args: str) -> None:
    """A management command in a process of its own, with the same settings as this one."""
    env = {**os.environ, "DATABASE_URL": f"{PG}/{db}", "DJANGO_SETTINGS_MODULE": "learning.settings.dev"}
    subprocess.run([sys.executable, str(harness.REPO / "manage.py"), *args], check=True, env=env)  # noqa: S603


def prepare(db: str, learners: int, regenerate: bool) -> None:
    exists = _psql("postgres", f"SELECT 1 FROM pg_database WHERE datname = '{db}'") == "1"  # noqa: S608 - checked name
    if exists and not regenerate:
        try:
            have = int(_psql(db, "SELECT count(*) FROM accounts_user"))
        except (subprocess.CalledProcessError, ValueError):
            have = -1
        if have >= learners:
            print(f"reusing {db} ({have:,} accounts)")
            _manage(db, "migrate", "--noinput", "-v", "0")
            return
    harness.database_recreate(PG, db)
    _manage(db, "migrate", "--noinput", "-v", "0")
    _manage(db, "load_localities")
    started = time.monotonic()
    _manage(db, "generate_province", "--learners", str(learners), "--seed", "1")
    print(f"generate_province --learners {learners}: {time.monotonic() - started:.0f} s", flush=True)
    # A freshly bulk-loaded table has no visibility map yet; autovacuum would make one within minutes.
    subprocess.run(["psql", f"{PG}/{db}", "-qc", "VACUUM ANALYZE"], check=True)  # noqa: S603,S607


TARGET_P95_MS = 50


def first_request(db: str, url: str) -> int:
    """In a fresh process (``--first-request URL``): set Django up, build the request handler and warm it as a
    new gunicorn worker does (``learning.stats.warm``, in the main thread), then time the first request of the
    bench organiser to ``url`` in another thread, with a database connection of its own opened by the request,
    as a thread of gunicorn's gthread worker serves it; prints the milliseconds."""
    import threading

    _setup_django(db)
    from django.db import connections
    from django.test import Client

    from learning.accounts.models import User
    from learning.stats.warm import worker_warm

    client = Client()
    client.handler.load_middleware()  # gunicorn builds the WSGI handler (middleware included) when it loads the app
    worker_warm()  # what gunicorn's post_worker_init does then, before the worker takes requests
    client.force_login(User.objects.get(phone="+84900000001"))  # the session is not what is measured
    served = {}

    def serve():
        started = time.perf_counter()
        served["status"] = client.get(url).status_code
        served["ms"] = (time.perf_counter() - started) * 1000
        connections.close_all()  # this thread's own

    thread = threading.Thread(target=serve)
    thread.start()
    thread.join(300)
    assert served.get("status") == 200, (url, served)
    print(f"{served['ms']:.3f}")
    return 0


def _first_request_in_a_new_process(db: str, url: str) -> float:
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "bench.stats", "--db", db, "--first-request", url],
        check=True,
        capture_output=True,
        text=True,
        cwd=harness.REPO,
    )
    return float(out.stdout.strip().splitlines()[-1])


def timed_requests(client, url, params, n):
    for _ in range(2):
        response = client.get(url, params)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
    times = []
    for _ in range(n):
        started = time.perf_counter()
        response = client.get(url, params)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return times


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--skip-fill", action="store_true", help="reuse the counts already in the database")
    parser.add_argument(
        "--db", default=DB_NAME, type=harness.database_name_arg, help=f"the database, kept between runs ({DB_NAME})"
    )
    parser.add_argument("--first-runs", type=int, default=3, help="fresh processes per first-request figure")
    parser.add_argument("--first-request", help=argparse.SUPPRESS)  # internal: one fresh process's first request
    args = parser.parse_args()
    if args.first_request:
        return first_request(args.db, args.first_request)

    _setup_django(args.db)  # refused (exit 2) before anything is written unless a bench database, DEBUG on
    print(harness.machine(harness.postgres_version(PG)), flush=True)
    ref = harness.reference(PG)
    print(ref.line(), flush=True)
    prepare(args.db, args.learners, args.regenerate)
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from rest_framework.test import APIClient

    from learning.accounts.models import User
    from learning.accounts.services import role_grant
    from learning.localities.models import Province
    from learning.stats import fill
    from learning.stats.models import DailyCount
    from learning.stats.report_files import pdf_bytes, workbook_bytes
    from learning.stats.reports import report_data

    rows = []
    with connection.cursor() as cursor:
        for table in ("accounts_user", "progress_enrolment", "progress_lessoncompletion", "progress_quizattempt"):
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - fixed table names
            rows.append([table, cursor.fetchone()[0]])
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]

    fill_rows, fill_notes = [], []
    if not args.skip_fill:
        with harness.CpuSampler(lambda: {"postgres": [backend]}) as cpu:
            state = fill.fill_all(restart=True, progress=lambda a, b, n, s: print(f"  fill {a} – {b}: {n} rows"))
        used = cpu.usage
        fill_rows.append(
            [
                "fill_stats --restart",
                used.wall,
                used.own,
                used.groups.get("postgres", 0.0),
                used.other,
                ref.ratio(used.wall),
            ]
        )
        fill_notes.append(f"days {state.first_day} – {state.last_day}")
    rows.append(["stats_dailycount", DailyCount.objects.count()])
    harness.table(f"Data ({args.db})", ["table", "rows"], rows)
    if fill_rows:
        harness.table(
            "fill_stats (seconds)",
            ["phase", "wall", "python (this script)", "postgres backend", "rest of the machine", "wall ÷ ref"],
            fill_rows,
            fill_notes,
        )

    organiser, _ = User.objects.get_or_create(phone="+84900000001", defaults={"full_name": "Tổ chức tỉnh (bench)"})
    role_grant(user=organiser, role="province_organiser", scope_codes=["22"])
    client, api = Client(), APIClient()
    client.force_login(organiser)
    api.force_authenticate(organiser)
    biggest = (
        User.objects.filter(commune__province_id="22")
        .values("commune_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()["commune_id"]
    )
    course = DailyCount.objects.exclude(course_id=0).values_list("course_id", flat=True).first()
    cases = [
        ("dashboard (province, all courses)", client, "/organiser/stats/", {}),
        (
            "dashboard (course + group filter)",
            client,
            "/organiser/stats/",
            {"course": course, "target_group": "official"},
        ),
        ("dashboard sorted by participation", client, "/organiser/stats/", {"sort": "-participation_rate"}),
        (f"commune drill-down ({biggest})", client, f"/organiser/stats/communes/{biggest}/", {}),
        (f"people page 1 ({biggest})", client, f"/organiser/stats/communes/{biggest}/people/", {}),
        (f"people, overdue ({biggest})", client, f"/organiser/stats/communes/{biggest}/people/", {"status": "overdue"}),
        ("API province", api, "/api/v1/stats/provinces/22/", {}),
        ("API communes", api, "/api/v1/stats/provinces/22/communes/", {}),
        ("API timeseries", api, "/api/v1/stats/provinces/22/timeseries/", {}),
        (f"API commune ({biggest})", api, f"/api/v1/stats/communes/{biggest}/", {}),
        (f"API people ({biggest})", api, f"/api/v1/stats/communes/{biggest}/people/", {}),
    ]
    pages = []
    for name, who, url, params in cases:
        times = timed_requests(who, url, params, args.requests)
        p50, p95 = harness.median(times), harness.percentile(times, 95)
        pages.append([name, p50, p95, max(times), ref.ratio_ms(p50), ref.ratio_ms(p95)])
    harness.table(
        f"Server time per request, ms ({args.requests} requests each after 2 warm-ups)",
        ["page", "p50", "p95", "max", "p50 ÷ ref", "p95 ÷ ref"],
        pages,
        [f"target: p95 < {TARGET_P95_MS} ms for the province dashboard and the overdue people list"],
    )
    firsts = []
    for name, url in (
        ("dashboard (province, all courses)", "/organiser/stats/"),
        (f"people, overdue ({biggest})", f"/organiser/stats/communes/{biggest}/people/?status=overdue"),
    ):
        times = [_first_request_in_a_new_process(args.db, url) for _ in range(args.first_runs)]
        firsts.append([name, harness.median(times), max(times), ref.ratio_ms(harness.median(times))])
    from learning.stats.selectors import counts_changed

    counts_changed()  # as after a recompute that nothing warmed: the figures are summed again
    cold = _first_request_in_a_new_process(args.db, "/organiser/stats/")
    firsts.append(["dashboard, first after the counts changed (nothing cached)", cold, cold, ref.ratio_ms(cold)])
    harness.table(
        f"First request after a restart, ms (a fresh process each, {args.first_runs} processes)",
        ["page", "median", "max", "median ÷ ref"],
        firsts,
        [
            f"target: < {TARGET_P95_MS} ms; the cache is shared (Redis), as in production; after a refresh the "
            "task warms the province's default view, which the last row does not have"
        ],
    )

    province = Province.objects.get(pk="22")
    from learning.campaigns.models import Campaign

    campaign = Campaign.objects.filter(province=province).order_by("-starts_on").first()
    start = campaign.starts_on if campaign else fill.first_record_day()
    end = fill.timezone.localdate()
    excel, pdf = [], []
    for _ in range(args.runs):
        started = time.perf_counter()
        data = report_data(province, start, end, campaign)
        workbook_bytes(data)
        excel.append(time.perf_counter() - started)
        started = time.perf_counter()
        pdf_bytes(data)
        pdf.append(time.perf_counter() - started)
    harness.table(
        f"Provincial report {start} – {end}, {len(data.sheets)} sheets (seconds)",
        ["file", "median", *(f"run {n}" for n in range(1, args.runs + 1)), "median ÷ ref"],
        [
            ["data + Excel", *(f"{t:.2f}" for t in (harness.median(excel), *excel)), ref.ratio(harness.median(excel))],
            ["PDF (same data)", *(f"{t:.2f}" for t in (harness.median(pdf), *pdf)), ref.ratio(harness.median(pdf))],
        ],
    )
    ref.again()
    ref.report()
    return 0


if __name__ == "__main__":
    sys.exit(main())
