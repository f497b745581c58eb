"""Roster import benchmark: a 100,000-row .xlsx previewed and imported on PostgreSQL (``make bench-roster``).

A standalone script, not part of the test suite. It

1. creates a dedicated PostgreSQL database (``bdhvs_bench_roster``: dropped if it exists, created,
   migrated) with the localities, a provincial organiser of Quảng Ninh (22) and one mandatory
   assignment for officials of the province;
2. generates a roster of N rows (realistic Vietnamese names, unique valid mobile numbers written in
   several formats, Quảng Ninh communes by code or by name, target groups by code or Vietnamese label);
3. runs, R times on an emptied database: parse (reading the file), preview (read + classify + store
   the rows) and import (Celery eager: the import task's own code, synchronously, with the activation
   SMS task of each batch run inline as it is queued — timed separately), and checks the database
   (accounts, activation codes, SMS deliveries, every batch's SMS claimed and counted, assignment
   members); for each phase it prints the wall time and the CPU seconds of this process, of its
   PostgreSQL backend and of the rest of the (shared) machine;
4. on the last run uploads the same file again and checks that confirming it creates and sends nothing;
5. prints the individual runs and the medians, and drops the database (``--keep`` keeps it).

    .venv/bin/python -m bench.roster [--rows 100000] [--runs 3] [--keep]
"""

import argparse
import io
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DB_NAME = "bdhvs_bench_roster"
PG = "postgres://postgres@127.0.0.1:5432"
TARGET_SECONDS = 120

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


def admin_sql(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def setup_django() -> None:
    os.environ["DATABASE_URL"] = f"{PG}/{DB_NAME}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "learning.settings.dev"
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ["CELERY_BROKER_URL"] = ""  # eager: the task runs in this process
    os.environ["REDIS_URL"] = ""
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1")
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
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


CLK_TCK = os.sysconf("SC_CLK_TCK")


def proc_cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime + stime


def machine_busy_seconds() -> float:
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return (sum(values[:8]) - values[3] - values[4]) / CLK_TCK


class Meter:
    """Wall time and CPU seconds of a phase: this process (Python), its PostgreSQL backend, and the rest
    of the machine (other sessions' work on the shared cores)."""

    def __init__(self):
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            self.backend = cursor.fetchone()[0]

    def snapshot(self) -> tuple[float, float, float, float]:
        return time.perf_counter(), time.process_time(), proc_cpu_seconds(self.backend), machine_busy_seconds()

    @staticmethod
    def delta(start, end) -> dict:
        wall, py, pg, busy = (e - s for s, e in zip(start, end, strict=True))
        return {"wall": wall, "cpu_py": py, "cpu_pg": pg, "cpu_other": max(0.0, busy - py - pg)}


def run_once(organiser, content: bytes, rows: int, officials: int, again: bool) -> dict:
    from learning.accounts.activation_models import ActivationCode
    from learning.accounts.models import User
    from learning.campaigns import rosters
    from learning.campaigns.models import AssignmentMember
    from learning.campaigns.roster_models import RosterBatch
    from learning.campaigns.roster_tasks import import_roster
    from learning.notifications.models import Delivery
    from learning.notifications.sms import ConsoleSmsBackend

    ConsoleSmsBackend.outbox.clear()
    meter = Meter()
    # The SMS of each batch are a task of their own; eager here, so they run inside the import: time them.
    sms = {"wall": 0.0}
    send = rosters.roster_batch_activations_send

    def timed_send(**kwargs):
        t = time.perf_counter()
        try:
            return send(**kwargs)
        finally:
            sms["wall"] += time.perf_counter() - t

    rosters.roster_batch_activations_send = timed_send
    try:
        s0 = meter.snapshot()
        rosters.roster_read(content=content, filename="bench.xlsx")
        s1 = meter.snapshot()
        roster = rosters.roster_preview(organiser=organiser, content=content, filename="bench.xlsx")
        s2 = meter.snapshot()
        roster, _started = rosters.roster_start(roster=roster)
        import_roster.delay(roster.pk)  # eager
        s3 = meter.snapshot()
    finally:
        rosters.roster_batch_activations_send = send
    roster.refresh_from_db()
    batches = RosterBatch.objects.filter(roster=roster)
    checks = {
        "status": roster.status == "imported",
        "rows": (roster.total_rows, roster.valid_rows, roster.processed, roster.created_count)
        == (rows, rows, rows, rows),
        "users": User.objects.count() == rows + 1,
        "codes": ActivationCode.objects.count() == rows,
        "sms": len(ConsoleSmsBackend.outbox) == rows and Delivery.objects.filter(status="sent").count() == rows,
        "batches": not batches.filter(sms_claimed_at__isnull=True).exists()
        and sum(batches.values_list("sms_sent", flat=True)) == rows,
        "members": AssignmentMember.objects.count() == officials,
    }
    phases = {"parse": Meter.delta(s0, s1), "preview": Meter.delta(s1, s2), "import": Meter.delta(s2, s3)}
    result = {name: phase["wall"] for name, phase in phases.items()}
    result.update(phases=phases, sms=sms["wall"], checks=checks)
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
            and len(ConsoleSmsBackend.outbox) == rows
        )
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="Keep the database afterwards")
    args = parser.parse_args()

    admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME}")
    admin_sql(f"CREATE DATABASE {DB_NAME}")
    try:
        setup_django()
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
        with tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False) as fh:
            fh.write(content)
        officials = sum(
            1
            for i in range(args.rows)
            if GROUPS[i % len(GROUPS)] in ("Cán bộ, công chức, viên chức", "official, party_member")
        )
        runs = []
        for n in range(args.runs):
            empty_people(organiser.pk)
            result = run_once(organiser, content, args.rows, officials, again=n == args.runs - 1)
            total = result["preview"] + result["import"]
            runs.append({**result, "total": total})
            extra = f"  same file again {result['again']:.1f}s" if "again" in result else ""
            print(
                f"run {n + 1} (load average {os.getloadavg()[0]:.1f}): parse {result['parse']:.1f}s  "
                f"preview {result['preview']:.1f}s  import {result['import']:.1f}s "
                f"(of which activation SMS tasks {result['sms']:.1f}s)  preview+import {total:.1f}s{extra}  "
                f"checks {result['checks']}"
            )
            for name, phase in result["phases"].items():
                print(
                    f"    {name:8} wall {phase['wall']:6.1f}s  CPU: python {phase['cpu_py']:6.1f}s  "
                    f"postgres {phase['cpu_pg']:6.1f}s  rest of the machine {phase['cpu_other']:6.1f}s"
                )
        keys = ("parse", "preview", "import", "sms", "total")
        med = {k: statistics.median(r[k] for r in runs) for k in keys}
        cpu = {
            (name, kind): statistics.median(r["phases"][name][kind] for r in runs)
            for name in ("parse", "preview", "import")
            for kind in ("cpu_py", "cpu_pg", "cpu_other")
        }
        print(
            f"median: parse {med['parse']:.1f}s  preview {med['preview']:.1f}s  import {med['import']:.1f}s "
            f"(activation SMS tasks {med['sms']:.1f}s)  preview+import {med['total']:.1f}s "
            f"(target < {TARGET_SECONDS}s)"
        )
        for name in ("parse", "preview", "import"):
            print(
                f"median CPU {name:8} python {cpu[name, 'cpu_py']:6.1f}s  postgres {cpu[name, 'cpu_pg']:6.1f}s  "
                f"rest of the machine {cpu[name, 'cpu_other']:6.1f}s"
            )
        ok = all(all(r["checks"].values()) for r in runs) and med["total"] < TARGET_SECONDS
        print("OK" if ok else "FAILED")
        os.unlink(fh.name)
        return 0 if ok else 1
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME}")


if __name__ == "__main__":
    sys.exit(main())
