"""Fault tests: the platform's processes on a PostgreSQL and a Redis of their own, then something breaks.

Every service a test stops or kills is started here, on a spare port, and stopped and removed after: the
machine's own PostgreSQL and Redis are never touched. Each helper is bounded in time.

Fixtures
--------
``fault_postgres`` (session)
    A private PostgreSQL cluster (``initdb``/``pg_ctl`` run as the ``postgres`` user). It holds a database
    ``faults_template``, migrated once and loaded with the localities and the site tree. API: ``port``,
    ``url(name)``, ``start()``, ``stop(mode="fast")``, ``restart()``, ``kill()`` (SIGKILL of the postmaster),
    ``running()``, ``createdb(name, template=None)``, ``fresh(name=None) -> url`` (a copy of the migrated
    template, cheap), ``psql(sql, db)``.
``fault_redis`` (function)
    A private ``redis-server`` (no persistence). API: ``port``, ``url(db=0)``, ``start()`` (same port, same
    directory), ``stop()``, ``kill()``, ``running()``, ``ping()``. ``fault_redis_factory(appendonly=True)``
    makes more, e.g. one with an append-only file that keeps data across ``stop()``/``start()``.
``fault_stack`` (function)
    A fresh copy of the migrated database and a private Redis, and what runs on them: ``env`` (the
    environment of every process: ``DATABASE_URL``, ``REDIS_URL``, ``CELERY_BROKER_URL``, …),
    ``worker(**env) -> Proc``, ``beat(**env) -> Proc``, ``manage(*args)``, ``django(code) -> object`` (runs
    Python with Django set up against the private services and returns the JSON of its ``result``
    variable), ``postgres``, ``redis``, ``db_url``. Every process is stopped at the end of the test.
``Proc``
    ``pid``, ``alive()``, ``kill9()`` (SIGKILL of its whole process group: the main process and its
    children), ``stop(timeout)`` (SIGTERM, then SIGKILL), ``log()`` (what it wrote).

Tests here are marked ``faults``. Without ``redis-server`` or PostgreSQL's ``initdb`` they are skipped with
the reason — unless ``FAULTS_REQUIRED=1`` (CI), where a missing tool fails them.
"""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PG_BIN = Path(os.environ.get("FAULTS_PG_BIN", "/usr/lib/postgresql/15/bin"))
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
REQUIRED = os.environ.get("FAULTS_REQUIRED") == "1"
QUEUES = "celery,interactive,imports,reports,stats,xapi"
SETTINGS = "learning.settings.test"


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.faults)


def missing(reason: str):
    """Skip — or fail when the fault suite is required (CI)."""
    if REQUIRED:
        pytest.fail(f"FAULTS_REQUIRED=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(check, timeout: float, what: str, interval: float = 0.1):
    """Call ``check`` until it returns something true; fail naming ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


# --- processes ---------------------------------------------------------------------------------------------


class Proc:
    """A process started in a group of its own, writing to a log file."""

    def __init__(self, args: list[str], env: dict, log_path: Path, cwd: Path = ROOT):
        self.args, self.log_path = args, log_path
        self._log = open(log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.popen = subprocess.Popen(
            args, cwd=cwd, env=env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.pid = self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def _signal_group(self, sig) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, sig)

    def kill9(self) -> None:
        """SIGKILL the process and its children at once, as when a machine or container dies."""
        self._signal_group(signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(timeout=10)

    def stop(self, timeout: float = 20) -> None:
        if self.alive():
            self._signal_group(signal.SIGTERM)
            try:
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.kill9()
        self._signal_group(signal.SIGKILL)  # children left behind
        self._log.close()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def _run(args, *, timeout: float, env=None, user: str | None = None, check=True) -> subprocess.CompletedProcess:
    if user and os.geteuid() == 0:
        args = ["runuser", "-u", user, "--", *args]
    result = subprocess.run(args, env=env, capture_output=True, text=True, timeout=timeout, cwd=ROOT)  # noqa: S603
    if check and result.returncode:
        raise AssertionError(
            f"{' '.join(map(str, args))} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
        )
    return result


# --- Redis -------------------------------------------------------------------------------------------------


class RedisServer:
    def __init__(self, directory: Path, *, appendonly: bool = False):
        self.dir, self.appendonly, self.port = directory, appendonly, free_port()
        self.proc: Proc | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self, timeout: float = 15) -> None:
        args = [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.dir)]
        args += ["--save", "", "--appendonly", "yes" if self.appendonly else "no", "--protected-mode", "no"]
        self.proc = Proc(args, dict(os.environ), self.dir / "redis.log")
        wait_for(self.ping, timeout, f"redis-server on port {self.port}")

    def ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def running(self) -> bool:
        return bool(self.proc and self.proc.alive())

    def stop(self) -> None:
        """Shut down (SIGTERM; with appendonly the data is kept for the next start)."""
        if self.proc:
            self.proc.stop(timeout=10)
            wait_for(lambda: not _port_open(self.port), 10, f"redis port {self.port} to close")

    def kill(self) -> None:
        if self.proc:
            self.proc.kill9()
            self.proc.stop()


@pytest.fixture(scope="session")
def fault_tools():
    if not Path(REDIS_SERVER).exists():
        missing("redis-server is not installed (apt-get install redis-server)")
    if not (PG_BIN / "initdb").exists():
        missing(f"PostgreSQL's initdb is not in {PG_BIN} (apt-get install postgresql, or set FAULTS_PG_BIN)")
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            missing("running as root but there is no postgres user to run initdb/pg_ctl as")


@pytest.fixture
def fault_redis_factory(fault_tools):
    servers = []
    directories = []

    def make(*, appendonly: bool = False) -> RedisServer:
        directory = Path(tempfile.mkdtemp(prefix="faults-redis-"))
        directories.append(directory)
        server = RedisServer(directory, appendonly=appendonly)
        server.start()
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.kill()
    for directory in directories:
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def fault_redis(fault_redis_factory) -> RedisServer:
    return fault_redis_factory()


# --- PostgreSQL --------------------------------------------------------------------------------------------


class Postgres:
    TEMPLATE = "faults_template"

    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="faults-pg-"))
        self.data, self.port = self.dir / "data", free_port()
        self.user = "postgres" if os.geteuid() == 0 else None
        if self.user:
            entry = pwd.getpwnam(self.user)
            os.chown(self.dir, entry.pw_uid, entry.pw_gid)
        _run(
            [str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"],
            timeout=120,
            user=self.user,
        )
        settings = "\n".join(
            [
                f"port = {self.port}",
                "listen_addresses = '127.0.0.1'",
                f"unix_socket_directories = '{self.dir}'",
                "fsync = off",
                "synchronous_commit = off",
                "full_page_writes = off",
                "max_connections = 60",
                "shared_buffers = 64MB",
            ]
        )
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write("\n" + settings + "\n")

    def url(self, name: str = TEMPLATE) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def _ctl(self, *args, timeout: float = 60, check=True):
        log = self.dir / "postgres.log"
        return _run(
            [str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(log), "-w", "-t", str(int(timeout)), *args],
            timeout=timeout + 10,
            user=self.user,
            check=check,
        )

    def start(self) -> None:
        self._ctl("start")
        wait_for(lambda: _port_open(self.port), 30, f"PostgreSQL on port {self.port}")

    def stop(self, mode: str = "fast") -> None:
        self._ctl("stop", "-m", mode, check=False)

    def restart(self) -> None:
        self._ctl("restart", "-m", "fast")
        wait_for(lambda: _port_open(self.port), 30, f"PostgreSQL on port {self.port}")

    def kill(self) -> None:
        """SIGKILL the postmaster (a crash: the next start recovers from the WAL)."""
        pid_file = self.data / "postmaster.pid"
        if pid_file.exists():
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(pid_file.read_text().split()[0]), signal.SIGKILL)
        wait_for(lambda: not _port_open(self.port), 15, "PostgreSQL to go away")

    def running(self) -> bool:
        return self._ctl("status", check=False).returncode == 0

    def psql(self, sql: str, db: str = "postgres", timeout: float = 60) -> str:
        args = [str(PG_BIN / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", db]
        return _run([*args, "-v", "ON_ERROR_STOP=1", "-Atc", sql], timeout=timeout).stdout.strip()

    def createdb(self, name: str, template: str | None = None) -> str:
        self.psql(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        return self.url(name)

    def fresh(self, name: str | None = None) -> str:
        """A new database copied from the migrated template (a file copy: a second or two)."""
        return self.createdb(name or f"faults_{uuid.uuid4().hex[:8]}", template=self.TEMPLATE)

    def remove(self) -> None:
        self.stop(mode="immediate")
        shutil.rmtree(self.dir, ignore_errors=True)


def process_env(db_url: str, redis: RedisServer, **extra) -> dict:
    """The environment of every process of a fault test: settings pointed at the private services."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "DATABASE_URL": db_url,
        "DATABASE_CONN_MAX_AGE": "0",
        "REDIS_URL": redis.url(0),
        "CELERY_BROKER_URL": redis.url(1),
        "CELERY_RESULT_BACKEND": redis.url(2),
        "PYTHONPATH": str(ROOT),
        "PYTHONUNBUFFERED": "1",
    }
    env.update({key: str(value) for key, value in extra.items()})
    return env


_DJANGO_RUNNER = textwrap.dedent(
    """
    import json, sys
    import django
    django.setup()
    namespace = {"result": None}
    exec(compile(sys.stdin.read(), "<fault test>", "exec"), namespace)
    print("\\n@@RESULT@@" + json.dumps(namespace["result"], default=str))
    """
)


def django_run(env: dict, code: str, timeout: float = 120):
    """Run ``code`` in a fresh Python with Django set up from ``env``; returns its ``result`` variable."""
    proc = subprocess.run(  # noqa: S603
        [sys.executable, "-c", _DJANGO_RUNNER],
        input=textwrap.dedent(code),
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if proc.returncode or "@@RESULT@@" not in proc.stdout:
        raise AssertionError(f"django code failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-5000:]}")
    return json.loads(proc.stdout.rsplit("@@RESULT@@", 1)[1])


def manage(env: dict, *args, timeout: float = 600) -> str:
    return _run([sys.executable, "manage.py", *args], env=env, timeout=timeout).stdout


_SEED = """
from courses.services import site_ensure
from learning.localities.services import localities_load
localities_load()
site_ensure()
result = "ok"
"""


@pytest.fixture(scope="session")
def fault_postgres(fault_tools, tmp_path_factory):
    """A private PostgreSQL with a migrated, seeded template database (migrated once per session)."""
    server = Postgres()
    try:
        server.start()
        url = server.createdb(Postgres.TEMPLATE)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": SETTINGS,
            "DATABASE_URL": url,
            "DATABASE_CONN_MAX_AGE": "0",
            "REDIS_URL": "",
            "CELERY_BROKER_URL": "",
        }
        started = time.monotonic()
        manage(env, "migrate", "--noinput", "-v0", timeout=900)
        django_run(env, _SEED, timeout=300)
        print(f"\nfaults: private PostgreSQL on port {server.port} migrated in {time.monotonic() - started:.0f} s")
        yield server
    finally:
        server.remove()


class Stack:
    """A fresh database and a private Redis, and the processes a test starts on them."""

    def __init__(self, postgres: Postgres, redis: RedisServer, directory: Path):
        self.postgres, self.redis, self.dir = postgres, redis, directory
        self.db_url = postgres.fresh()
        self.extra: dict[str, str] = {}
        self.procs: list[Proc] = []

    @property
    def env(self) -> dict:
        return process_env(self.db_url, self.redis, **self.extra)

    def _start(self, name: str, args: list[str], env: dict) -> Proc:
        log = self.dir / f"{name}-{len(self.procs)}.log"
        proc = Proc([sys.executable, "-m", "celery", "-A", "learning", *args], {**self.env, **env}, log)
        self.procs.append(proc)
        return proc

    def worker(self, *, queues: str = QUEUES, concurrency: int = 1, pool: str = "prefork", ready: bool = True, **env):
        """A Celery worker on every queue; waits until it is ready to take tasks."""
        hostname = f"faults-{uuid.uuid4().hex[:6]}@%h"
        args = ["worker", "-Q", queues, f"--pool={pool}", f"--concurrency={concurrency}", "-n", hostname]
        proc = self._start("worker", [*args, "--loglevel=INFO", "--without-gossip", "--without-mingle"], env)
        if ready:
            wait_for(lambda: "ready." in proc.log() or not proc.alive(), 90, "the worker to be ready", interval=0.3)
            assert proc.alive(), f"the worker exited:\n{proc.log()[-3000:]}"
        return proc

    def beat(self, **env) -> Proc:
        schedule = self.dir / f"beat-{len(self.procs)}"
        args = ["beat", "--loglevel=INFO", "-s", str(schedule), "--pidfile="]
        return self._start("beat", args, env)

    def manage(self, *args, timeout: float = 300) -> str:
        return manage(self.env, *args, timeout=timeout)

    def django(self, code: str, timeout: float = 120):
        return django_run(self.env, code, timeout=timeout)

    def close(self) -> None:
        for proc in reversed(self.procs):
            proc.stop()


@pytest.fixture
def fault_stack(fault_postgres, fault_redis, tmp_path):
    stack = Stack(fault_postgres, fault_redis, tmp_path)
    try:
        yield stack
    finally:
        stack.close()
        if os.environ.get("FAULTS_KEEP_LOGS") != "1":
            for log in tmp_path.glob("*.log"):
                log.unlink(missing_ok=True)
