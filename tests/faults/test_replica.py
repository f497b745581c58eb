"""Organiser reads on a real streaming standby.

The session's private PostgreSQL is the primary; a standby is made from it here with ``pg_basebackup -R`` and
started with ``pg_ctl`` on a spare port. gunicorn runs with ``DATABASE_URL`` on the primary and
``DATABASE_REPLICA_URL`` on the standby. What must hold:

* writes on the primary reach the standby;
* with the standby's replay paused, a learner added on the primary is missing from the organiser's people page
  and API (they read from the standby), the dashboard says how old its figures are, and a browser that has
  just written reads from the primary;
* a report is made with its reads on the standby and its snapshot written and read back on the primary;
* with the standby stopped, organiser pages answer 200 from the primary, with a warning in the log.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
import types
import uuid
from pathlib import Path

import pytest
import requests

from tests.faults._load import Web
from tests.faults.conftest import (
    PG_BIN,
    SETTINGS,
    Postgres,
    _port_open,
    _run,
    django_run,
    free_port,
    wait_for,
)

COMMUNE = "06652"  # Hà Tu, Quảng Ninh
ONLY_ON_PRIMARY = "Nguyễn Mới Ghi"

SETUP = """
import uuid
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from rest_framework.authtoken.models import Token
from learning.accounts.services import role_grant, user_register
from learning.localities.models import Commune

commune = Commune.objects.get(code=COMMUNE)
for n in range(3):
    user_register(phone=f"09160000{n:02d}", full_name=f"Học Viên {n}", password="Mat-khau-2025!",
                  commune=commune, target_groups=["citizen"])
organiser = user_register(phone="0916999999", full_name="Tổ Chức Tỉnh", password="Mat-khau-2025!",
                          commune=commune, target_groups=["official"])
role_grant(user=organiser, role="province_organiser", scope_codes=["22"])
store = import_module(settings.SESSION_ENGINE).SessionStore()
store[SESSION_KEY] = str(organiser.pk)
store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
store[HASH_SESSION_KEY] = organiser.get_session_auth_hash()
store.create()
result = {"session": store.session_key, "token": Token.objects.create(user=organiser).key}
"""

ADD_LEARNER = """
from learning.accounts.services import user_register
from learning.localities.models import Commune
user = user_register(phone=PHONE, full_name=NAME, password="Mat-khau-2025!",
                     commune=Commune.objects.get(code=COMMUNE), target_groups=["citizen"])
result = user.pk
"""

REPORT = """
import datetime as dt
from django.db import connections
from django.utils import timezone
from learning.localities.models import Province
from learning.stats.models import ReportSnapshot
from learning.stats.tasks import generate_report

today = timezone.localdate()
snapshot = ReportSnapshot.objects.create(province=Province.objects.get(pk="22"), kind="on_demand",
                                         period_start=today - dt.timedelta(days=6), period_end=today)
seen = {"replica": 0, "default": 0}

def counter(alias):
    def count(execute, sql, params, many, context):
        seen[alias] += 1
        return execute(sql, params, many, context)
    return count

with connections["replica"].execute_wrapper(counter("replica")), \\
        connections["default"].execute_wrapper(counter("default")):
    generate_report.apply(args=[snapshot.pk]).get()
snapshot.refresh_from_db()
result = {"status": snapshot.status, "xlsx": bool(snapshot.xlsx), "queries": seen}
"""


class Standby(Postgres):
    """A hot standby of ``primary``: ``pg_basebackup -R`` (streaming, with standby.signal), its own port."""

    def __init__(self, primary: Postgres):  # noqa: PLW0231 - no initdb: the data directory is a base backup
        self.dir = Path(tempfile.mkdtemp(prefix="faults-standby-"))
        self.data, self.port = self.dir / "data", free_port()
        self.user = primary.user
        if self.user:
            shutil.chown(self.dir, self.user, self.user)
        args = [str(PG_BIN / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres"]
        _run(
            [*args, "-D", str(self.data), "-R", "-X", "stream", "-c", "fast", "--no-sync"], timeout=300, user=self.user
        )
        conf = [f"port = {self.port}", f"unix_socket_directories = '{self.dir}'", "hot_standby = on"]
        with open(self.data / "postgresql.conf", "a") as handle:
            handle.write("\n" + "\n".join(conf) + "\n")
        (self.data / "postmaster.pid").unlink(missing_ok=True)


@pytest.fixture(scope="module")
def pair(fault_postgres, tmp_path_factory):
    """A fresh database on the primary with an organiser and learners, a standby of it, and gunicorn on both."""
    if not (PG_BIN / "pg_basebackup").exists():
        pytest.skip(f"pg_basebackup is not in {PG_BIN}")
    primary = fault_postgres
    name = f"replica_{uuid.uuid4().hex[:6]}"
    url = primary.fresh(name)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "DATABASE_URL": url,
        "DATABASE_CONN_MAX_AGE": "60",
        "REDIS_URL": "",
        "CELERY_BROKER_URL": "",
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
        "PYTHONUNBUFFERED": "1",
    }
    setup = django_run(env, f"COMMUNE = {COMMUNE!r}\n" + SETUP)
    standby = Standby(primary)
    web = None
    try:
        standby.start()
        env.update(
            DATABASE_REPLICA_URL=standby.url(name),
            REPLICA_CHECK_SECONDS="0.5",
            REPLICA_LAG_NOTICE_SECONDS="2",
            REPLICA_PIN_SECONDS="3",
            DATABASE_REPLICA_CONNECT_TIMEOUT="2",
        )
        web = Web(
            types.SimpleNamespace(env=env, dir=tmp_path_factory.mktemp("replica"), procs=[]), workers=1, threads=2
        )
        yield types.SimpleNamespace(primary=primary, standby=standby, name=name, env=env, web=web, setup=setup)
    finally:
        if web is not None:
            web.proc.stop()
        standby.remove()
        primary.psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def count_users(server, name) -> int:
    return int(server.psql("SELECT count(*) FROM accounts_user", db=name))


def organiser(pair) -> requests.Session:
    session = requests.Session()
    session.cookies.set("sessionid", pair.setup["session"])
    session.headers["Accept-Language"] = "vi"
    return session


def people_page(pair, session) -> str:
    response = session.get(f"{pair.web.base}/organiser/stats/communes/{COMMUNE}/people/", timeout=30)
    assert response.status_code == 200, response.text[:2000]
    return response.text


def people_api(pair) -> list[str]:
    headers = {"Authorization": f"Token {pair.setup['token']}"}
    response = requests.get(f"{pair.web.base}/api/v1/stats/communes/{COMMUNE}/people/", headers=headers, timeout=30)
    assert response.status_code == 200, response.text[:2000]
    return [row["full_name"] for row in response.json()["results"]]


def add_learner(pair, phone: str, name: str) -> int:
    return django_run(pair.env, f"PHONE, NAME, COMMUNE = {phone!r}, {name!r}, {COMMUNE!r}\n" + ADD_LEARNER)


def test_writes_on_the_primary_reach_the_standby(pair):
    assert pair.standby.psql("SELECT pg_is_in_recovery()") == "t"
    assert pair.primary.psql("SELECT pg_is_in_recovery()") == "f"
    add_learner(pair, "0916000100", "Người Học Đã Sao")
    expected = count_users(pair.primary, pair.name)
    wait_for(lambda: count_users(pair.standby, pair.name) == expected, 30, "the standby to replay the new learner")
    assert "Người Học Đã Sao" in people_page(pair, organiser(pair))


def test_organiser_reads_come_from_the_standby_and_writers_read_their_writes(pair):
    pair.standby.psql("SELECT pg_wal_replay_pause()")
    try:
        add_learner(pair, "0916000200", ONLY_ON_PRIMARY)
        assert count_users(pair.primary, pair.name) == count_users(pair.standby, pair.name) + 1
        session = organiser(pair)
        assert ONLY_ON_PRIMARY not in people_page(pair, session)  # read on the standby
        assert ONLY_ON_PRIMARY not in people_api(pair)
        time.sleep(3)  # over REPLICA_LAG_NOTICE_SECONDS, replay still paused
        dashboard = session.get(f"{pair.web.base}/organiser/stats/", timeout=30)
        assert dashboard.status_code == 200
        assert "Số liệu cập nhật đến" in dashboard.text, "no lag notice while the standby is behind"
        # A browser that has just written (here: chosen its language) reads from the primary for a few seconds.
        token = session.cookies.get("csrftoken") or session.get(pair.web.base + "/", timeout=30).cookies["csrftoken"]
        answer = session.post(
            f"{pair.web.base}/i18n/setlang/",
            data={"language": "vi", "next": "/", "csrfmiddlewaretoken": token},
            allow_redirects=False,
            timeout=30,
        )
        assert answer.status_code == 302, answer.text[:1000]
        assert "primary_until" in session.cookies
        assert ONLY_ON_PRIMARY in people_page(pair, session)
        assert ONLY_ON_PRIMARY not in people_page(pair, organiser(pair))  # another browser: still the standby
    finally:
        pair.standby.psql("SELECT pg_wal_replay_resume()")
    wait_for(
        lambda: count_users(pair.standby, pair.name) == count_users(pair.primary, pair.name), 30, "replay to resume"
    )
    time.sleep(1.5)  # the next lag probe
    assert ONLY_ON_PRIMARY in people_page(pair, organiser(pair))
    assert ONLY_ON_PRIMARY in people_api(pair)
    dashboard = organiser(pair).get(f"{pair.web.base}/organiser/stats/", timeout=30).text
    assert "Số liệu cập nhật đến" not in dashboard
    assert requests.get(pair.web.base + "/healthz", timeout=30).json()["replicas"]["replica"]["up"] is True


def test_a_report_reads_on_the_standby_and_writes_on_the_primary(pair):
    pair.standby.psql("SELECT pg_wal_replay_pause()")  # the new snapshot row is not on the standby
    try:
        answer = django_run(pair.env, REPORT, timeout=180)
    finally:
        pair.standby.psql("SELECT pg_wal_replay_resume()")
    assert answer["status"] == "ready" and answer["xlsx"], answer
    assert answer["queries"]["replica"] > 5, answer  # the figures
    assert answer["queries"]["default"] > 0, answer  # the snapshot: taken, read back and saved


def test_a_stopped_standby_falls_back_to_the_primary(pair):
    log_before = len(pair.web.proc.log())
    pair.standby.stop(mode="immediate")
    wait_for(lambda: not _port_open(pair.standby.port), 15, "the standby to stop")
    started = time.monotonic()
    session = organiser(pair)
    for path in ("/organiser/stats/", f"/organiser/stats/communes/{COMMUNE}/", "/organiser/certificates/"):
        response = session.get(pair.web.base + path, timeout=30)
        assert response.status_code == 200, (path, response.text[:2000])
    assert ONLY_ON_PRIMARY in people_page(pair, session)
    assert ONLY_ON_PRIMARY in people_api(pair)
    elapsed = time.monotonic() - started
    health = requests.get(pair.web.base + "/healthz", timeout=30)
    assert health.status_code == 200 and health.json()["replicas"] == {"replica": {"up": False, "lag_seconds": None}}
    log = pair.web.proc.log()[log_before:]
    assert "WARNING learning.core.replicas replica replica" in log, log[-3000:]
    assert "Traceback" not in log, log[-5000:]
    print(f"\nsix organiser requests with the standby down: {elapsed:.1f} s")
    assert elapsed < 20
