"""Roster import benchmark: a 100,000-row .xlsx previewed and imported on PostgreSQL (``make bench-roster``).

A standalone script, not part of the test suite. It

1. creates a dedicated PostgreSQL database (``bdhvs_bench_roster``: dropped if it exists, created,
   migrated) with the localities, a provincial organiser of Quảng Ninh (22) and one mandatory
   assignment for officials of the province;
2. generates a roster of N rows (realistic Vietnamese names, unique valid mobile numbers written in
   several formats, Quảng Ninh communes by code or by name, target groups by code or Vietnamese label);
3. runs, R times on an emptied database: parse (reading the file), preview (read + classify + store
   the rows) and import (Celery eager: the import task's own code, synchronously; the activation SMS task
   each batch queues runs on a queue of its own in production, so here it is held and run after the
   import, timed as a phase of its own). The statistics' recompute of the
   commune-days the import marks (``--stats-refresh``): by default once after the import, timed apart, as
   a worker beside the import would run it (the import analyses the tables it grew itself: nothing here
   helps it); ``inline`` runs it on commit of every batch, inside the import, as Celery eager does. Either
   way the statistics must be current within ``STATS_TARGET_SECONDS`` of the import's end. It checks the
   database (accounts, activation codes, SMS deliveries, every batch's SMS
   claimed and counted, assignment members, no commune-day left to recompute); for each phase it
   measures the wall time and the CPU seconds of this process, of its PostgreSQL backend and of the
   rest of the (shared) machine;
4. on the last run uploads the same file again and checks that confirming it creates and sends nothing;
5. prints the individual runs and the medians, each also as a ratio to the reference measured in the same
   run (``bench.harness.reference``), and drops the database (``--keep`` keeps it).

    .venv/bin/python -m bench.roster [--rows 100000] [--runs 3] [--keep] [--db NAME] [--stats-refresh inline]

The database's name must contain "bench", and DEBUG be on (``bench.guard``): refused otherwise, before
anything is written. Figures are printed as ``bench.harness`` tables (medians: nearest rank).
"""

import argparse
import io
import os
import random
import sys
import time

from bench import harness

DB_NAME = "bdhvs_bench_roster"
PG = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
TARGET_SECONDS = 60  # preview + import
STATS_TARGET_SECONDS = 60  # statistics current after the import

HO = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Phan", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Vương"]
DEM = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thu", "Ngọc", "Quang", "Thanh", "Xuân", "Hồng", "Kim", "Bảo", "Gia"]
TEN = [
    "An",
    "Bình",
    "Chi",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hoa",
    "Hùng",
    "Hương",
    "Khánh",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Phong",
    "Phúc",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Trang",
    "Tuấn",
    "Vân",
    "Yến",
]
GROUPS = [
    "Người dân",
    "citizen",
    "Cán bộ, công chức, viên chức",
    "official, party_member",
    "Đảng viên",
    "Học sinh, sinh viên",
    "Người lao động trong doanh nghiệp",
    "Khác",
]
ORGS = ["UBND phường", "Trường THCS", "Công ty Than Hạ Long", "Bệnh viện Bãi Cháy", "Đảng ủy xã", ""]
PREFIXES = ["90", "91", "93", "94", "96", "97", "98", "86", "88", "32", "33", "35", "36", "37", "38", "39", "70", "77"]


def setup_django(pg: str, db: str) -> None:
    """The development settings on the bench database (refused unless its name contains "bench" and DEBUG is
    on); Celery eager, so the import task runs in this process."""
    harness.django_setup(f"{pg}/{db}", CELERY_BROKER_URL="", REDIS_URL="", DJANGO_ALLOWED_HOSTS="127.0.0.1")
    import logging

    # 100,000 "SMS to …" lines from the console backend would flood the terminal; the calls still run.
    logging.getLogger("learning.sms").setLevel(logging.WARNING)


def make_roster(rows: int, communes: list[tuple[str, str]], seed: int = 2025) -> bytes:
    from openpyxl import Workbook

    from learning.campaigns.rosters import FIELDS, HEADERS

    rng = random.Random(seed)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Danh sách")
    sheet.append([HEADERS[f] for f in FIELDS])
    numbers = rng.sample(range(10**7), rows)
    for i, n in enumerate(numbers):
        national = f"{PREFIXES[i % len(PREFIXES)]}{n:07d}"
        phone = [
            f"0{national}",
            f"0{national[:3]} {national[3:6]} {national[6:]}",
            f"+84{national}",
            f"0{national[:3]}.{national[3:6]}.{national[6:]}",
        ][i % 4]
        code, name = communes[rng.randrange(len(communes))]
        commune = code if i % 3 else name
        sheet.append(
            [
                f"{rng.choice(HO)} {rng.choice(DEM)} {rng.choice(TEN)}",
                phone,
                commune,
                GROUPS[i % len(GROUPS)],
                rng.choice(ORGS),
                "Chuyên viên" if i % 5 == 0 else "",
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def empty_people(organiser_id: int) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE campaigns_rosterbatch, campaigns_rosterrow, campaigns_roster, campaigns_organisationmembership, "
            "campaigns_assignmentmember, notifications_delivery, accounts_activationcode"
        )
        cursor.execute("DELETE FROM accounts_user_target_groups WHERE user_id <> %s", [organiser_id])
        cursor.execute("DELETE FROM accounts_user WHERE id <> %s", [organiser_id])
        cursor.execute("ANALYZE")


def backend_pid() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def phase(usage: harness.CpuUsage) -> dict:
    return {
        "wall": usage.wall,
        "cpu_py": usage.own,
        "cpu_pg": usage.groups.get("postgres", 0.0),
        "cpu_other": usage.other,
    }


def stats_refresh_patch(mode: str, timing: dict):
    """The statistics' refresh after each batch of the import (``learning.stats.services._schedule_refresh``,
    run on commit of every batch that announces people; with Celery eager it runs right there): ``inline``
    leaves it there and times it; ``after`` only counts the requests, and the caller refreshes once after the
    import, as a worker would beside it. Returns the function to put back."""
    from learning.stats import services

    original = getattr(services, "_schedule_refresh", None)
    if original is None:
        raise SystemExit("learning.stats.services._schedule_refresh is gone: update bench/roster.py")

    def deferred():
        timing["requests"] += 1

    def timed():
        timing["requests"] += 1
        t = time.perf_counter()
        try:
            return original()
        finally:
            timing["wall"] += time.perf_counter() - t

    services._schedule_refresh = deferred if mode == "after" else timed
    return original


def run_once(
    organiser, content: bytes, rows: int, officials: int, again: bool, stats_mode: str, sms_batches: int | None
) -> dict:
    from learning.accounts.activation_models import ActivationCode
    from learning.accounts.models import User
    from learning.campaigns import rosters
    from learning.campaigns.models import AssignmentMember
    from learning.campaigns.roster_models import RosterBatch
    from learning.campaigns.roster_tasks import import_roster
    from learning.notifications.models import Delivery
    from learning.notifications.sms import ConsoleSmsBackend
    from learning.stats import services as stats_services
    from learning.stats.models import DirtyDay
    from learning.stats.tasks import refresh_dirty_counts

    ConsoleSmsBackend.outbox.clear()
    pid = backend_pid()

    def groups():
        return {"postgres": [pid]}

    # The SMS of each batch are a task of their own, on a queue of their own in production (deploy/), sent as
    # fast as the gateway takes them while the import goes on: here they are queued during the import and
    # sent after it, timed as a phase of their own ("sms"), so the import's figure is the import's.
    sms = {"wall": 0.0, "queued": []}
    send = rosters.roster_batch_activations_send

    def timed_send(**kwargs):
        sms["queued"].append(kwargs)
        return 0

    rosters.roster_batch_activations_send = timed_send
    stats = {"wall": 0.0, "requests": 0}
    schedule = stats_refresh_patch(stats_mode, stats)
    try:
        with harness.CpuSampler(groups) as parse:
            rosters.roster_read(content=content, filename="bench.xlsx")
        with harness.CpuSampler(groups) as preview:
            roster = rosters.roster_preview(organiser=organiser, content=content, filename="bench.xlsx")
        with harness.CpuSampler(groups) as imported:
            roster, _started = rosters.roster_start(roster=roster)
            import_roster.delay(roster.pk)  # eager
    finally:
        rosters.roster_batch_activations_send = send
        stats_services._schedule_refresh = schedule
    phases = {"parse": phase(parse.usage), "preview": phase(preview.usage), "import": phase(imported.usage)}
    if stats_mode == "after":
        with harness.CpuSampler(groups) as refreshed:
            refresh_dirty_counts.apply()
        phases["stats refresh"] = phase(refreshed.usage)
        stats["wall"] = refreshed.usage.wall
    with harness.CpuSampler(groups) as sent:
        for kwargs in sms["queued"][:sms_batches]:
            send(**kwargs)
    sent_rows = sum(
        b.rows for b in RosterBatch.objects.filter(pk__in=[k["batch_id"] for k in sms["queued"][:sms_batches]])
    )
    phases["sms"] = phase(sent.usage)
    sms["wall"] = sent.usage.wall
    roster.refresh_from_db()
    batches = RosterBatch.objects.filter(roster=roster)
    checks = {
        "status": roster.status == "imported",
        "rows": (roster.total_rows, roster.valid_rows, roster.processed, roster.created_count)
        == (rows, rows, rows, rows),
        "users": User.objects.count() == rows + 1,
        "codes": ActivationCode.objects.count() == sent_rows,
        "sms": len(ConsoleSmsBackend.outbox) == sent_rows
        and Delivery.objects.filter(status="sent").count() == sent_rows,
        "batches": batches.filter(sms_claimed_at__isnull=False).count() == len(sms["queued"][:sms_batches])
        and sum(batches.values_list("sms_sent", flat=True)) == sent_rows,
        "members": AssignmentMember.objects.count() == officials,
    }
    checks["stats"] = not DirtyDay.objects.exists()
    result = {name: phase["wall"] for name, phase in phases.items()}
    result.update(
        phases=phases,
        sms=sms["wall"],
        sms_sent=sent_rows,
        stats=stats["wall"],
        stats_requests=stats["requests"],
        checks=checks,
    )
    if again:
        t4 = time.perf_counter()
        second = rosters.roster_preview(organiser=organiser, content=content, filename="bench.xlsx")
        second, _started = rosters.roster_start(roster=second)
        import_roster.delay(second.pk)
        result["again"] = time.perf_counter() - t4
        second.refresh_from_db()
        checks["again"] = (
            second.unchanged_rows == rows
            and second.created_count == 0
            and User.objects.count() == rows + 1
            and len(ConsoleSmsBackend.outbox) == sent_rows
        )
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="Keep the database afterwards")
    parser.add_argument(
        "--db", default=DB_NAME, type=harness.database_name_arg, help=f"the database, dropped and created ({DB_NAME})"
    )
    parser.add_argument(
        "--sms-batches",
        type=int,
        default=1,
        help="send the activation SMS of this many batches after the import (their own queue in production; "
        "0: all of them, which at the console backend's pace takes long at 100,000 rows)",
    )
    parser.add_argument(
        "--stats-refresh",
        choices=["after", "inline"],
        default="after",
        help="statistics recompute: once after the import, timed apart, as a worker beside it would (after); "
        "or on commit of every batch, inside the import, as Celery eager runs it (inline)",
    )
    args = parser.parse_args()

    setup_django(PG, args.db)  # refused (exit 2) before anything is written unless a bench database, DEBUG on
    print(harness.machine(harness.postgres_version(PG)), flush=True)
    ref = harness.reference(PG)
    print(ref.line(), flush=True)
    harness.database_recreate(PG, args.db)
    try:
        from datetime import date

        from django.core.management import call_command

        from learning.accounts.models import User
        from learning.accounts.services import role_grant
        from learning.campaigns.models import Assignment
        from learning.localities.models import Commune
        from learning.localities.services import localities_load

        call_command("migrate", verbosity=0)
        localities_load()
        organiser = User.objects.create_user("0987 654 321", None, full_name="Cán bộ tỉnh")
        role_grant(user=organiser, role="province_organiser", scope_codes=["22"])
        Assignment.objects.create(
            title="Kỹ năng số", target_group_id="official", province_id="22", deadline=date(2030, 1, 1)
        )
        communes = list(Commune.objects.filter(province_id="22").values_list("code", "name"))
        t = time.perf_counter()
        content = make_roster(args.rows, communes)
        print(f"generated {args.rows:,} rows ({len(content) / 1048576:.1f} MB .xlsx) in {time.perf_counter() - t:.1f}s")
        officials = sum(
            1
            for i in range(args.rows)
            if GROUPS[i % len(GROUPS)] in ("Cán bộ, công chức, viên chức", "official, party_member")
        )
        runs = []
        for n in range(args.runs):
            empty_people(organiser.pk)
            load = os.getloadavg()[0]
            result = run_once(
                organiser,
                content,
                args.rows,
                officials,
                again=n == args.runs - 1,
                stats_mode=args.stats_refresh,
                sms_batches=args.sms_batches or None,
            )
            runs.append({**result, "total": result["preview"] + result["import"], "load": load})
            failed = [name for name, ok in result["checks"].items() if not ok]
            print(
                f"run {n + 1}: {'checks passed' if not failed else 'checks FAILED: ' + ', '.join(failed)}", flush=True
            )

        keys = ("parse", "preview", "import", "sms", "stats", "total")
        med = {k: harness.median(r[k] for r in runs) for k in keys}
        ref.again()
        stats_column = "stats refresh after" if args.stats_refresh == "after" else "of which stats refresh"
        harness.table(
            f"Roster import, {args.rows:,} rows: each run and the median (seconds, wall clock)",
            [
                "run",
                "load avg",
                "parse",
                "preview",
                "import",
                "SMS tasks (own queue)",
                stats_column,
                "preview + import",
                "same file again",
            ],
            [
                [
                    str(n),
                    r["load"],
                    r["parse"],
                    r["preview"],
                    r["import"],
                    r["sms"],
                    r["stats"],
                    r["total"],
                    r.get("again"),
                ]
                for n, r in enumerate(runs, start=1)
            ]
            + [
                [
                    "median",
                    None,
                    med["parse"],
                    med["preview"],
                    med["import"],
                    med["sms"],
                    med["stats"],
                    med["total"],
                    None,
                ]
            ],
            [
                f"target: preview + import < {TARGET_SECONDS} s; statistics current < {STATS_TARGET_SECONDS} s after",
                f"statistics refresh: {args.stats_refresh} "
                f"(requested {runs[-1]['stats_requests']} times in the last run)",
                f"SMS tasks: {runs[-1]['sms_sent']:,} activation SMS of the first "
                f"{args.sms_batches or 'all'} batch(es) sent after the import (--sms-batches)",
            ],
        )
        harness.table(
            f"CPU seconds per phase, median of {len(runs)} runs",
            ["phase", "wall", "python (this script)", "postgres backend", "rest of the machine"],
            [
                [
                    name,
                    *(
                        harness.median(r["phases"][name][kind] for r in runs)
                        for kind in ("wall", "cpu_py", "cpu_pg", "cpu_other")
                    ),
                ]
                for name in runs[0]["phases"]
            ],
        )
        harness.table(
            f"Medians as a ratio to the reference (CPU loop {ref.seconds * 1000:.1f} ms in this run)",
            ["phase", "seconds", "ratio"],
            [[k, med[k], ref.ratio(med[k])] for k in keys],
        )
        ref.report()
        ok = (
            all(all(r["checks"].values()) for r in runs)
            and med["total"] < TARGET_SECONDS
            and med["stats"] < STATS_TARGET_SECONDS
        )
        print("RESULT: OK" if ok else "RESULT: FAILED")
        return 0 if ok else 1
    finally:
        if not args.keep:
            harness.database_drop(PG, args.db)


if __name__ == "__main__":
    sys.exit(main())
