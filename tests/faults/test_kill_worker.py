"""A worker killed with SIGKILL in the middle of a roster import or a report: a new worker and beat finish
the work — every valid row imported once, every activation SMS sent once, the report made or failed visibly.

Leases and sweeps are seconds here (the settings read from the environment), so each test takes about a
minute. The SMS go to a file (FileSmsBackend), one JSON line per message handed to the "gateway"."""

# The SQL read through psql interpolates integer ids this test got from its own database.
# ruff: noqa: S608
from __future__ import annotations

import collections
import json
import time

import pytest

from .conftest import wait_for

pytestmark = pytest.mark.faults

ROWS = 3000
BAD_EVERY = 50  # one row in fifty has an invalid phone: skipped, never imported

FAST = {
    "SMS_BACKEND": "learning.notifications.sms.FileSmsBackend",
    "ROSTER_IMPORT_BATCH_SIZE": 100,
    "JOB_LEASE_SECONDS": 6,
    "REPORT_LEASE_SECONDS": 6,
    "JOB_MAX_ATTEMPTS": 5,
    "SWEEP_SECONDS": 2,
    "NOTIFICATIONS_SEND_LEASE_SECONDS": 6,
    "NOTIFICATIONS_PENDING_GRACE_SECONDS": 6,
    "NOTIFICATIONS_RETRY_SECONDS": 2,
    # The broker would give the killed worker's message back only after an hour: the sweeps must do it.
    "CELERY_VISIBILITY_TIMEOUT": 3600,
}

SEED = """
from learning.accounts.models import User
from learning.accounts.services import role_grant
from learning.campaigns.rosters import roster_confirm, roster_preview

organiser = User.objects.create(phone="+84987000001", full_name="Cán bộ Xã", commune_id="06688")
organiser.set_password("Mat-khau-2025!")
organiser.save()
role_grant(user=organiser, role="commune_organiser", scope_codes=["06688", "06652"])
lines = ["Họ và tên,Số điện thoại,Xã/phường,Nhóm đối tượng,Đơn vị,Chức vụ"]
for i in range({rows}):
    phone = "12" if i % {bad_every} == {bad_every} - 1 else f"0915{{i:06d}}"
    group = "Cán bộ, công chức" if i % 3 == 0 else "Người dân"
    lines.append(f"Người Thử {{i}},{{phone}},06688,\\"{{group}}\\",UBND xã,")
content = ("\\ufeff" + "\\n".join(lines)).encode()
roster = roster_preview(organiser=organiser, content=content, filename="danh-sach.csv")
roster_confirm(roster=roster)  # queued on the private broker: no worker runs yet
result = {{"id": roster.pk, "valid": roster.valid_rows, "errors": roster.error_rows, "new": roster.new_rows}}
"""

CHECK = """
from django.db.models import Count, Sum
from learning.accounts.models import User
from learning.campaigns.roster_models import Roster, RosterBatch, RosterRow
from learning.notifications.models import Delivery

roster = Roster.objects.get(pk={roster_id})
rows = RosterRow.objects.filter(roster=roster).exclude(outcome="error")
created = rows.filter(created_user=True)
result = {{
    "status": roster.status,
    "processed": roster.processed,
    "attempts": roster.attempts,
    "error": roster.error,
    "imported_rows": rows.filter(imported_at__isnull=False).count(),
    "rows_in_batches": RosterBatch.objects.filter(roster=roster).aggregate(n=Sum("rows"))["n"],
    "created": created.count(),
    "accounts": User.objects.filter(phone__startswith="+84915").count(),
    "phones": list(created.values_list("phone", flat=True)),
    "deliveries": dict(
        Delivery.objects.filter(key__startswith="activation:", user__phone__startswith="+84915")
        .values_list("status").annotate(n=Count("pk"))
    ),
    "attempts_over_one": Delivery.objects.filter(key__startswith="activation:", attempts__gt=1).count(),
}}
"""


def _roster_progress(stack, roster_id: int) -> tuple[str, int]:
    out = stack.postgres.psql(f"SELECT status, processed FROM campaigns_roster WHERE id = {roster_id}", db=_db(stack))
    status, processed = out.split("|")
    return status, int(processed)


def _db(stack) -> str:
    return stack.db_url.rsplit("/", 1)[1]


def _sms_lines(path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_a_worker_killed_mid_roster_import_is_resumed_and_every_activation_sms_goes_out_once(fault_stack, tmp_path):
    started = time.monotonic()
    sms_file = tmp_path / "sms.jsonl"
    fault_stack.extra.update(FAST, SMS_FILE=sms_file)
    seeded = fault_stack.django(SEED.format(rows=ROWS, bad_every=BAD_EVERY), timeout=180)
    roster_id, valid = seeded["id"], seeded["valid"]
    assert valid == ROWS - ROWS // BAD_EVERY and seeded["new"] == valid

    worker = fault_stack.worker(concurrency=2)
    wait_for(lambda: _roster_progress(fault_stack, roster_id)[1] >= valid // 3, 90, "a third of the roster", 0.05)
    worker.kill9()
    status, at_kill = _roster_progress(fault_stack, roster_id)
    sent_at_kill = len(_sms_lines(sms_file))
    print(f"\nkilled the worker at {at_kill} of {valid} rows ({status}); {sent_at_kill} SMS sent by then")
    assert status == "importing" and at_kill < valid, "the kill must land mid-import"

    fault_stack.worker(concurrency=2)
    fault_stack.beat()

    def finished():
        if _roster_progress(fault_stack, roster_id)[0] != "imported":
            return False
        out = fault_stack.postgres.psql(
            "SELECT count(*) FILTER (WHERE status = 'sent'), count(*) FROM notifications_delivery "
            "WHERE key LIKE 'activation:%'",
            db=_db(fault_stack),
        )
        sent, total = map(int, out.split("|"))
        return total == valid and sent == total

    wait_for(finished, 100, "the import to finish and every activation SMS to be sent", 0.5)
    time.sleep(2)  # a duplicate would come from a late task: give it a moment to show
    state = fault_stack.django(CHECK.format(roster_id=roster_id))
    lines = _sms_lines(sms_file)
    per_phone = collections.Counter(line["to"] for line in lines)
    per_key = collections.Counter(line["key"] for line in lines)
    print(
        f"roster: {state['status']} after {state['attempts']} attempt(s); rows imported {state['imported_rows']} "
        f"of {valid} valid (processed {state['processed']}, in batches {state['rows_in_batches']}); accounts "
        f"{state['accounts']} (created by the roster {state['created']}); SMS lines {len(lines)} to "
        f"{len(per_phone)} phones, max per phone {max(per_phone.values())}, max per key {max(per_key.values())}; "
        f"deliveries {state['deliveries']} ({state['attempts_over_one']} needed more than one try); "
        f"{time.monotonic() - started:.0f} s"
    )
    assert state["status"] == "imported" and state["attempts"] >= 2
    assert state["imported_rows"] == state["processed"] == state["rows_in_batches"] == valid
    assert state["accounts"] == state["created"] == valid
    assert state["deliveries"] == {"sent": valid}
    assert len(lines) == valid and set(per_phone) == set(state["phones"])
    assert max(per_phone.values()) == 1 and max(per_key.values()) == 1

    # The code in a message is the one the account accepts (also for messages sent again after the kill).
    sample = [line for line in lines if line["to"] in state["phones"]][:: max(1, valid // 5)][:5]
    activated = fault_stack.django(
        f"""
import re
from learning.accounts.activation import activation_complete
result = []
for to, text in {[(line["to"], line["text"]) for line in sample]!r}:
    code = re.search(r"\\b(\\d{{6}})\\b", text).group(1)
    password = "Mat-khau-2025!"
    result.append(activation_complete(phone=to, code=code, password1=password, password2=password).phone)
"""
    )
    assert activated == [line["to"] for line in sample]


REPORT_SEED = """
import datetime as dt
from django.utils import timezone
from learning.localities.models import Province
from learning.stats.models import ReportSnapshot
from learning.stats.reports import report_request

today = timezone.localdate()
snapshot, _created = report_request(
    province=Province.objects.get(pk="22"), start=today - dt.timedelta(days=30), end=today,
    kind=ReportSnapshot.Kind.ON_DEMAND,
)
# A second one forced into "running" by a worker that died long ago: nothing would queue it again.
stuck = ReportSnapshot.objects.create(
    province_id="22", kind=ReportSnapshot.Kind.ON_DEMAND, period_start=today - dt.timedelta(days=7),
    period_end=today, status=ReportSnapshot.Status.RUNNING, attempts=1,
    lease_until=timezone.now() - dt.timedelta(minutes=5),
)
result = [snapshot.pk, stuck.pk]
"""


def test_a_worker_killed_mid_report_leaves_a_report_made_by_the_next_worker(fault_stack):
    started = time.monotonic()
    fault_stack.extra.update(FAST)
    report_id, stuck_id = fault_stack.django(REPORT_SEED)
    db = _db(fault_stack)

    def report_status(pk):
        return fault_stack.postgres.psql(f"SELECT status, attempts FROM stats_reportsnapshot WHERE id = {pk}", db=db)

    worker = fault_stack.worker(queues="reports")  # only the report's queue: the kill lands on it
    seen = wait_for(
        lambda: (s := report_status(report_id)).startswith(("running", "ready")) and s, 60, "the report to start", 0.01
    )
    worker.kill9()
    at_kill = report_status(report_id)
    print(f"\nkilled the worker while the report was {seen!r} (after the kill: {at_kill!r})")

    fault_stack.worker()
    fault_stack.beat()
    wait_for(
        lambda: report_status(report_id).startswith("ready") and report_status(stuck_id).startswith("ready"),
        60,
        "both reports to be ready",
        0.5,
    )
    final = {pk: report_status(pk) for pk in (report_id, stuck_id)}
    files = fault_stack.postgres.psql(
        f"SELECT count(*) FROM stats_reportsnapshot WHERE xlsx <> '' AND pdf <> '' AND id IN ({report_id}, {stuck_id})",
        db=db,
    )
    print(
        f"reports (status|attempts): killed {final[report_id]}, forced running {final[stuck_id]}; "
        f"with both files: {files}; {time.monotonic() - started:.0f} s"
    )
    assert files == "2"
