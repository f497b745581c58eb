"""ralph, a real Learning Record Store (file-system backend), run on a spare 127.0.0.1 port for the xAPI tests
and make bench-xapi. It lives in its own virtualenv (.venv-lrs, ``make lrs``); without it the tests skip, or fail
when ``LRS_REQUIRED=1`` (CI)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
RALPH = Path(os.environ.get("LRS_RALPH", ROOT / ".venv-lrs" / "bin" / "ralph"))
SERVE = Path(__file__).with_name("ralph_serve.py")  # ralph's API, appending to its file (see there)
USER, PASSWORD = "bdhvs", "lrs-test-secret"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RalphLrs:
    """``start()`` / ``stop()`` (the outage), ``statements()`` (what it stored), ``clear()``."""

    def __init__(self, workdir: Path | None = None):
        self.workdir = Path(workdir or tempfile.mkdtemp(prefix="xapi-lrs-"))
        self.data = self.workdir / "data"
        self.data.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}/xAPI/"
        self.process: subprocess.Popen | None = None
        self.log = self.workdir / "ralph.log"
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.workdir),
            "RALPH_APP_DIR": str(self.workdir / "app"),
            "RALPH_AUTH_FILE": str(self.workdir / "auth.json"),
            "RALPH_RUNSERVER_BACKEND": "fs",
            "RALPH_RUNSERVER_AUTH_BACKENDS": "basic",
            "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(self.data),
        }
        self._auth()

    def _auth(self) -> None:
        # `ralph auth` writes the user with a bcrypt hash of the password into auth.json.
        subprocess.run(
            [str(RALPH), "auth", "-u", USER, "-p", PASSWORD, "-s", "all", "-A", USER, "http://127.0.0.1", "-w"],
            env=self.env,
            cwd=self.workdir,
            check=True,
            capture_output=True,
            timeout=60,
        )

    @property
    def file(self) -> Path:
        return self.data / "fs_lrs.jsonl"

    def start(self, timeout: float = 60.0) -> None:
        handle = self.log.open("ab")
        self.process = subprocess.Popen(
            [str(RALPH.with_name("python")), str(SERVE), "127.0.0.1", str(self.port)],
            env=self.env, cwd=self.workdir, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"ralph exited ({self.process.returncode}): {self.log.read_text()[-2000:]}")
            try:
                if requests.get(f"http://127.0.0.1:{self.port}/__heartbeat__", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"ralph did not answer within {timeout:.0f} s: {self.log.read_text()[-2000:]}")

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=15)
        self.process = None

    def statements(self) -> list[dict]:
        if not self.file.exists():
            return []
        return [json.loads(line) for line in self.file.read_text().splitlines() if line.strip()]

    def clear(self) -> None:
        if self.file.exists():
            self.file.write_text("")

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)
