"""xAPI delivery benchmark (``make bench-xapi``): 100,000 statements queued in the outbox and delivered to a
local ralph LRS on PostgreSQL, and what the outbox costs a web request.

A standalone script, not part of the test suite. It

1. creates the database ``bdhvs_bench_xapi`` (dropped if it exists, migrated), with the localities and one
   demo course;
2. starts ralph's LRS (file-system backend, ``tests/xapi/lrs_server.py``; ``make lrs`` installs it) on a spare
   127.0.0.1 port, and configures it as the one LRS;
3. **queueing**: N lesson-completion statements (``--statements``, 100,000) built and written to the outbox
   in chunks of 1,000, as the backfill does;
4. **sending**: ``sending.deliver`` (the ``xapi.send_statements`` task's code) sends them all in batches of
   ``--batch``; statements per second over the wall time, and the CPU seconds of this process (building the
   batches, PostgreSQL's client side), of PostgreSQL and of ralph; then checks that the LRS holds exactly N
   statements, each id once, and that every delivery is marked sent;
5. **web request**: the lesson-completion API request (``POST /api/v1/lessons/<id>/complete/``, Django's test
   client, one new learner each time) with an enabled LRS (the outbox's two inserts) and without, in
   interleaved rounds (``--web-rounds``); medians and their ratio, the same run's reference;
6. prints the tables and drops the database (``--keep`` keeps it).

    .venv/bin/python -m bench.xapi [--statements 100000] [--batch 500] [--web-rounds 200] [--keep]

The database's name must contain "bench", and DEBUG be on (``bench.guard``). Goal: at least 2,000 statements
sent per second.
"""

import argparse
import os
import sys
import time
import uuid
from datetime import timedelta

from bench import harness

DB_NAME = "bdhvs_bench_xapi"
PG = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
GOAL_PER_SECOND = 2000


def setup(db: str):
    harness.django_setup(f"{PG}/{db}", CELERY_BROKER_URL="", REDIS_URL="", DJANGO_ALLOWED_HOSTS="127.0.0.1,testserver")
    harness.database_recreate(PG, db)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_localities", verbosity=0)
    from courses.demo_content import COURSES
    from courses.services import demo_course_ensure, site_ensure

    _home, catalogue = site_ensure()
    course, _created = demo_course_ensure(catalogue=catalogue, data=COURSES[0])
    return course


def queue(count: int, lrs_id: int, lessons) -> float:
    from django.db import transaction
    from django.utils import timezone

    from learning.xapi import services
    from learning.xapi import statements as xs

    start = time.perf_counter()
    now = timezone.now()
    for first in range(0, count, 1000):
        built = []
        for i in range(first, min(first + 1000, count)):
            lesson = lessons[i % len(lessons)]
            built += xs.lesson_completed(
                completion_id=10_000_000 + i, user_id=1_000_000 + i // 7, lesson_id=lesson.pk,
                lesson_title=lesson.title, course_id=lesson.course_pk,
                at=now - timedelta(seconds=count - i), seconds=60 + i % 600, commune_id="06688", groups=["citizen"],
            )  # fmt: skip
        with transaction.atomic():
            services.outbox_add(built, lrs_ids=[lrs_id])
    return time.perf_counter() - start


def web_rounds(rounds: int, lrs, lesson) -> tuple[list[float], list[float]]:
    import logging

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    from learning.accounts.models import User
    from learning.core import enqueue as enqueue_module
    from learning.xapi import services

    # A web process hands its tasks (the statistics' refresh) to the broker; here they are dropped rather than
    # run in the request as Celery's eager mode would, so both kinds of request measure the request alone.
    enqueue_module.enqueue = lambda task, *args, **options: True
    logging.getLogger("celery").setLevel(logging.WARNING)
    on, off = [], []
    queries_on, queries_off = [], []
    phone = 913_000_000
    for round_number in range(rounds):
        for enabled in (True, False) if round_number % 2 == 0 else (False, True):
            lrs.enabled = enabled
            lrs.save(update_fields=["enabled"])  # forgets the cached list of enabled LRSs
            phone += 1
            user = User.objects.create(phone=f"+84{phone}", full_name="Người học thử", commune_id="06688")
            client = APIClient()
            client.force_authenticate(user)
            body = {"client_id": str(uuid.uuid4()), "time_spent_seconds": 30}
            services.enabled_lrs_ids()  # the cached list of enabled LRSs is filled outside the timed request
            connection.queries_log.clear()  # (DEBUG keeps at most 9,000)
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.post(f"/api/v1/lessons/{lesson.pk}/complete/", body, format="json")
                elapsed = time.perf_counter() - start
            (queries_on if enabled else queries_off).append(len(queries))
            assert response.status_code in (200, 201), response.content[:300]
            (on if enabled else off).append(elapsed * 1000)
    return on, off, harness.median(queries_on), harness.median(queries_off)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--statements", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=500, help="statements per POST (XAPI_BATCH_SIZE)")
    parser.add_argument("--web-rounds", type=int, default=200)
    parser.add_argument("--db", default=DB_NAME, type=harness.database_name_arg)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args(argv)
    print(harness.machine(harness.postgres_version(PG)), flush=True)
    ref = harness.reference(PG)
    print(ref.line(), flush=True)
    course = setup(args.db)
    from django.db import connection

    from learning.xapi import sending, services
    from learning.xapi.models import Delivery, Lrs
    from tests.xapi.lrs_server import PASSWORD, USER, RalphLrs

    lessons = list(course.lessons().specific())
    for lesson in lessons:
        lesson.course_pk = course.pk
    server = RalphLrs()
    try:
        server.start()
        lrs = Lrs.objects.create(name="bench", endpoint=server.endpoint, key=USER, secret=PASSWORD)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend = cursor.fetchone()[0]
        groups = lambda: {"postgres": [backend], "ralph": [server.process.pid]}  # noqa: E731

        queued = queue(args.statements, lrs.pk, lessons)
        with harness.CpuSampler(groups) as cpu:
            outcome = sending.deliver(lrs, batch_size=args.batch, seconds=3600)
        usage = cpu.usage
        stored = [s["id"] for s in server.statements()]
        sent = Delivery.objects.filter(lrs=lrs, status="sent").count()
        ok = len(stored) == len(set(stored)) == args.statements == sent and not outcome.error
        rate = args.statements / usage.wall if args.statements else 0.0
        harness.table(
            f"xAPI: {args.statements:,} statements to ralph's LRS (file-system backend), batches of {args.batch}",
            [
                "phase",
                "wall s",
                "wall ÷ ref",
                "statements/s",
                "this process CPU s",
                "PostgreSQL CPU s",
                "ralph CPU s",
                "other CPU s",
            ],
            [
                [
                    "queue (outbox insert, 1,000 per transaction)",
                    queued,
                    ref.ratio(queued),
                    args.statements / max(queued, 1e-9),
                    "",
                    "",
                    "",
                    "",
                ],
                [
                    "send (POST + mark sent)",
                    usage.wall,
                    ref.ratio(usage.wall),
                    rate,
                    usage.own,
                    usage.groups.get("postgres", 0.0),
                    usage.groups.get("ralph", 0.0),
                    usage.other,
                ],
            ],  # fmt: skip
            [
                f"LRS holds {len(stored):,} statements ({len(set(stored)):,} distinct), {sent:,} deliveries sent, "
                f"{outcome.batches} POSTs, error: {outcome.error or 'none'} → {'OK' if ok else 'WRONG'}",
                f"goal ≥ {GOAL_PER_SECOND:,} statements/s: {'met' if rate >= GOAL_PER_SECOND else 'missed'}; "
                f"this process {1000 * usage.own / max(args.statements, 1):.3f} ms CPU per statement "
                f"(≈ {args.statements / max(usage.own + usage.groups.get('postgres', 0.0), 1e-9):,.0f} statements "
                "per CPU second on the site's side)",
            ],
        )
        services.enabled_lrs_ids()
        on, off, queries_on, queries_off = web_rounds(args.web_rounds, lrs, lessons[0])
        med_on, med_off = harness.median(on), harness.median(off)
        harness.table(
            "Lesson-completion API request, with and without an enabled LRS (interleaved rounds)",
            ["request", "median ms", "median ÷ ref", "p90 ms", "SQL queries", "requests"],
            [
                [
                    "with the outbox (an LRS enabled)",
                    med_on,
                    ref.ratio_ms(med_on),
                    harness.percentile(on, 90),
                    queries_on,
                    len(on),
                ],
                [
                    "without (no LRS enabled)",
                    med_off,
                    ref.ratio_ms(med_off),
                    harness.percentile(off, 90),
                    queries_off,
                    len(off),
                ],
            ],  # fmt: skip
            [f"the outbox costs {med_on - med_off:+.2f} ms per request (×{med_on / med_off:.2f})"],
        )
    finally:
        server.close()
        if not args.keep:
            harness.database_drop(PG, args.db)
    ref.again()
    ref.report()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
