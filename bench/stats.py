"""Statistics benchmark at the scale of a province (``make bench-stats``). Not part of the test suite.

1. Builds (or reuses, when it already holds the same number of learners) the PostgreSQL database
   ``bdhvs_bench_stats``: migrations, localities, then ``generate_province --learners N``.
2. ``fill_stats --restart``: recomputes every count from the raw records (timed once; target < 15 min).
3. Server time of the organiser pages and the statistics API, measured in-process with Django's test
   client (the whole request: middleware, views, templates, queries), ``--requests`` times each after
   two warm-up requests; p50 / p95 (target p95 < 150 ms for the dashboard and the commune drill-down).
4. The province's report: building the data and rendering the Excel workbook (target < 10 s), and the
   PDF, ``--runs`` times; medians.

    .venv/bin/python -m bench.stats --learners 1000000 [--requests 40] [--runs 3] [--regenerate]
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DB_NAME = "bdhvs_bench_stats"
PG = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")


def _setup_django():
    os.environ["DATABASE_URL"] = f"{PG}/{DB_NAME}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "learning.settings.dev"
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ["CELERY_BROKER_URL"] = ""
    os.environ["REDIS_URL"] = ""
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,testserver")
    sys.path.insert(0, str(REPO))
    import django

    django.setup()


def _psql(sql: str) -> str:
    out = subprocess.run(["psql", f"{PG}/postgres", "-tAc", sql], check=True, capture_output=True, text=True)  # noqa: S603,S607
    return out.stdout.strip()


def _manage(*args: str) -> None:
    env = {**os.environ, "DATABASE_URL": f"{PG}/{DB_NAME}", "DJANGO_DEBUG": "false", "CELERY_BROKER_URL": ""}
    subprocess.run([sys.executable, str(REPO / "manage.py"), *args], check=True, env=env)  # noqa: S603


def _percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def prepare(learners: int, regenerate: bool) -> None:
    exists = _psql(f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}'") == "1"  # noqa: S608 - a constant
    if exists and not regenerate:
        try:
            have = int(
                subprocess.run(  # noqa: S603 - psql with fixed arguments
                    ["psql", f"{PG}/{DB_NAME}", "-tAc", "SELECT count(*) FROM accounts_user"],  # noqa: S607
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout.strip()
            )
        except (subprocess.CalledProcessError, ValueError):
            have = -1
        if have >= learners:
            print(f"reusing {DB_NAME} ({have:,} accounts)")
            _manage("migrate", "--noinput", "-v", "0")
            return
    _psql(f"DROP DATABASE IF EXISTS {DB_NAME}")
    _psql(f"CREATE DATABASE {DB_NAME}")
    _manage("migrate", "--noinput", "-v", "0")
    _manage("load_localities")
    started = time.monotonic()
    _manage("generate_province", "--learners", str(learners), "--seed", "1")
    print(f"generate_province --learners {learners}: {time.monotonic() - started:.0f} s")
    # A freshly bulk-loaded table has no visibility map yet; autovacuum would make one within minutes.
    subprocess.run(["psql", f"{PG}/{DB_NAME}", "-qc", "VACUUM ANALYZE"], check=True)  # noqa: S603,S607


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
    args = parser.parse_args()

    prepare(args.learners, args.regenerate)
    _setup_django()
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

    with connection.cursor() as cursor:
        for table in ("accounts_user", "progress_enrolment", "progress_lessoncompletion", "progress_quizattempt"):
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - fixed table names
            print(f"{table}: {cursor.fetchone()[0]:,} rows")

    if not args.skip_fill:
        started = time.monotonic()
        state = fill.fill_all(restart=True, progress=lambda a, b, rows, s: print(f"  fill {a} – {b}: {rows} rows"))
        print(f"fill_stats --restart: {time.monotonic() - started:.1f} s ({state.first_day} – {state.last_day})")
    print(f"stats_dailycount: {DailyCount.objects.count():,} rows")

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
    print(f"\nserver time per request, ms ({args.requests} requests each after 2 warm-ups)")
    print(f"{'page':45} {'p50':>8} {'p95':>8} {'max':>8}")
    for name, who, url, params in cases:
        times = timed_requests(who, url, params, args.requests)
        print(f"{name:45} {statistics.median(times):8.1f} {_percentile(times, 0.95):8.1f} {max(times):8.1f}")

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
    print(f"\nprovincial report {start} – {end}, {len(data.sheets)} sheets, {args.runs} runs")
    print(f"data + Excel: median {statistics.median(excel):.2f} s (runs: {', '.join(f'{t:.2f}' for t in excel)})")
    print(f"PDF (same data): median {statistics.median(pdf):.2f} s (runs: {', '.join(f'{t:.2f}' for t in pdf)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
