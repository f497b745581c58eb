"""What the three load benchmarks share, so that their figures are computed and shown the same way:

- :func:`percentile` (and :func:`median`, its 50th): **nearest-rank**, one method for every figure;
- :class:`CpuSampler`: wall time and CPU seconds of a phase, for this process, named groups of other processes
  (gunicorn workers, PostgreSQL backends) and the rest of the (shared) machine;
- :func:`table`: the one report format, a small aligned table (Markdown pipe syntax, so it can be pasted into
  ``docs/benchmarks.md`` as it is), preceded by its title and followed by its notes;
- :func:`machine`: one line saying what the figures were measured on (cores, load, PostgreSQL);
- :func:`django_setup`: the development settings on the script's benchmark database, then the guard
  (:mod:`bench.guard`) before anything is written; :func:`database_recreate` and :func:`database_drop`;
- :func:`reference`: a fixed amount of work (a pure-Python CPU loop, and a fixed PostgreSQL query) timed in the
  same run as the figures, so that each figure is also printed as a ratio to it (:class:`Reference`): a
  busier or slower machine moves the reference as well, a slower code path does not.

Only the standard library at import time: the scripts import this before Django is set up.
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

CLK_TCK = os.sysconf("SC_CLK_TCK")
REPO = Path(__file__).resolve().parents[1]


# --- percentiles --------------------------------------------------------------------------------------------


def percentile(values: Iterable[float], p: float) -> float:
    """The ``p``-th percentile (0 < p ≤ 100) by the **nearest-rank** method: the smallest value such that at
    least p % of the values are less than or equal to it, i.e. ``sorted(values)[ceil(p / 100 * n) - 1]``. It is
    always one of the measured values (never interpolated between two); the 50th of an even number of values
    is the lower of the two middle ones. 0.0 when there are no values."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    if not 0 < p <= 100:
        raise ValueError(f"percentile {p} is not in (0, 100]")
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def median(values: Iterable[float]) -> float:
    """The 50th percentile by nearest rank (see :func:`percentile`); for an odd count, the usual median."""
    return percentile(values, 50)


# --- CPU ------------------------------------------------------------------------------------------------------


def process_cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of process ``pid`` (all its threads), from /proc; None once it has exited."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime + stime


def machine_cpu_seconds() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, all cores, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    total = sum(values[:8])  # user nice system idle iowait irq softirq steal
    return (total - idle) / CLK_TCK, total / CLK_TCK


@dataclass
class CpuUsage:
    """What one phase cost. ``own``: this process (every thread); ``groups``: CPU seconds per named group of
    other processes; ``other``: the rest of the machine's busy time meanwhile (other sessions, the kernel)."""

    wall: float = 0.0
    own: float = 0.0
    groups: dict[str, float] = field(default_factory=dict)
    other: float = 0.0
    busy_percent: float = 0.0


class CpuSampler:
    """Measure a phase: ``with CpuSampler(groups) as cpu: …`` then read ``cpu.usage`` (a :class:`CpuUsage`).

    ``groups`` returns the pids to count, by group name (e.g. ``{"postgres": [backend pid]}``); it is called at
    the start, every ``interval`` seconds from a background thread, and at the end, so processes that start or
    exit during the phase (recycled workers, closed connections) count up to their last sample. A process first
    seen after the start counts from zero. Bounded: at most ``max_samples`` background samples."""

    def __init__(self, groups: Callable[[], dict[str, Sequence[int]]] | None = None, *, interval: float = 0.5):
        self.groups = groups or (lambda: {})
        self.interval = interval
        self.max_samples = 20_000  # ~3 hours at 0.5 s: never reached by a run
        self.first: dict[str, dict[int, float]] = {}
        self.last: dict[str, dict[int, float]] = {}
        self.usage = CpuUsage()
        self._stop = threading.Event()
        self._lock = threading.Lock()

    def _sample(self, *, baseline: bool) -> None:
        try:
            pids = self.groups()
        except Exception:  # noqa: BLE001 - measuring is best-effort: a failed look-up skips one sample
            return
        with self._lock:
            for name, members in pids.items():
                first, last = self.first.setdefault(name, {}), self.last.setdefault(name, {})
                for pid in members:
                    cpu = process_cpu_seconds(pid)
                    if cpu is None:
                        continue
                    first.setdefault(pid, cpu if baseline else 0.0)
                    last[pid] = cpu

    def _loop(self) -> None:
        for _ in range(self.max_samples):
            if self._stop.wait(self.interval):
                return
            self._sample(baseline=False)

    def __enter__(self) -> CpuSampler:
        self._sample(baseline=True)
        self._machine = machine_cpu_seconds()
        self._own = time.process_time()
        self._wall = time.perf_counter()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> bool:
        wall = time.perf_counter() - self._wall
        own = time.process_time() - self._own
        busy, total = machine_cpu_seconds()
        self._stop.set()
        self._thread.join(timeout=10)
        self._sample(baseline=False)
        groups = {
            name: sum(self.last[name][pid] - self.first[name][pid] for pid in self.last[name]) for name in self.last
        }
        busy -= self._machine[0]
        total -= self._machine[1]
        self.usage = CpuUsage(
            wall=wall,
            own=own,
            groups=groups,
            other=max(0.0, busy - own - sum(groups.values())),
            busy_percent=100 * busy / total if total else 0.0,
        )
        return False


# --- the report -------------------------------------------------------------------------------------------------


def table(title: str, header: Sequence[str], rows: Iterable[Sequence[object]], notes: Iterable[str] = ()) -> str:
    """Print (and return) a table: the title, a Markdown pipe table with the first column left-aligned and the
    others right-aligned, then the notes. Cells are printed as given (format the numbers before), floats with
    one decimal."""
    cells = [[str(h) for h in header]] + [[_cell(v) for v in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]

    def line(row):
        padded = [row[0].ljust(widths[0])] + [
            value.rjust(width) for value, width in zip(row[1:], widths[1:], strict=True)
        ]
        return "| " + " | ".join(padded) + " |"

    rule = "|" + "|".join([":" + "-" * (widths[0] + 1)] + ["-" * (w + 1) + ":" for w in widths[1:]]) + "|"
    text = "\n".join(["", title, "", line(cells[0]), rule, *(line(row) for row in cells[1:]), *notes])
    print(text, flush=True)
    return text


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.1f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return "" if value is None else str(value)


def machine(postgres_version: str | None = None) -> str:
    """One line: cores, load average, and the PostgreSQL server's version when given."""
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    pg = f", PostgreSQL {postgres_version}" if postgres_version else ""
    return f"{os.cpu_count()} CPUs (shared machine), load average {load}{pg}"


# --- the reference ------------------------------------------------------------------------------------------

REFERENCE_LOOP = 1_000_000  # iterations of the fixed CPU loop: about 0.1 s on one core of this machine
REFERENCE_SQL = "SELECT sum(i::bigint * i) FROM generate_series(1, 500000) AS s(i)"  # about 0.1 s of one backend


def reference_loop(n: int = REFERENCE_LOOP) -> int:
    """The fixed CPU work: integer arithmetic and a small dict, pure Python (no allocation growth, no I/O)."""
    acc, seen = 0, {}
    for i in range(n):
        acc = (acc * 31 + i) % 1_000_003
        seen[i & 255] = acc
    return acc + len(seen)


@dataclass
class Reference:
    """The reference of a run: median seconds of the CPU loop and of the PostgreSQL query, each sampled
    ``runs`` times when the run starts and again (:meth:`again`) when it ends, all samples together."""

    cpu: list[float] = field(default_factory=list)
    pg: list[float] = field(default_factory=list)
    pg_url: str | None = None

    @property
    def seconds(self) -> float:
        """The unit of the ratios: the median of the CPU loop."""
        return median(self.cpu)

    @property
    def pg_seconds(self) -> float:
        return median(self.pg)

    def sample(self, runs: int = 5) -> Reference:
        for _ in range(runs):
            started = time.perf_counter()
            reference_loop()
            self.cpu.append(time.perf_counter() - started)
        if self.pg_url:
            with maintenance_connection(self.pg_url) as conn:
                conn.execute("SET jit = off")
                for _ in range(runs):
                    started = time.perf_counter()
                    conn.execute(REFERENCE_SQL).fetchone()
                    self.pg.append(time.perf_counter() - started)
        return self

    def again(self, runs: int = 5) -> Reference:
        return self.sample(runs)

    def ratio(self, seconds: float | None) -> str:
        """``seconds`` as a multiple of the reference, e.g. ``"3.42×"`` (empty when there is no figure)."""
        if seconds is None or not self.cpu:
            return ""
        return f"{seconds / self.seconds:.3g}×"

    def ratio_ms(self, milliseconds: float | None) -> str:
        return "" if milliseconds is None else self.ratio(milliseconds / 1000)

    def line(self) -> str:
        """What the reference measured, for the report."""
        cpu = f"CPU loop ({REFERENCE_LOOP:,} iterations) median {self.seconds * 1000:.1f} ms of {len(self.cpu)}"
        pg = (
            f"; PostgreSQL query ({REFERENCE_SQL}) median {self.pg_seconds * 1000:.1f} ms of {len(self.pg)}"
            f" = {self.ratio(self.pg_seconds)}"
            if self.pg
            else ""
        )
        return f"reference (bench.harness.reference): {cpu}{pg}; ratios below are figure ÷ CPU loop"

    def report(self) -> str:
        """The reference as a table (print it at the end, after :meth:`again`)."""
        rows = [["CPU loop", self.seconds * 1000, min(self.cpu) * 1000, max(self.cpu) * 1000, "1×"]]
        if self.pg:
            rows.append(
                [
                    "PostgreSQL query",
                    self.pg_seconds * 1000,
                    min(self.pg) * 1000,
                    max(self.pg) * 1000,
                    self.ratio(self.pg_seconds),
                ]
            )
        return table(
            "Reference measured in this run (ms; start and end of the run together)",
            ["work", "median", "min", "max", "ratio"],
            rows,
            [self.line(), machine()],
        )


def reference(pg_url: str | None = None, runs: int = 5) -> Reference:
    """The one reference every ``make bench-*`` measures (bench-paths has a bare DRF view of its own besides):
    a fixed pure-Python CPU loop and, given the server's URL, a fixed PostgreSQL query, each ``runs`` times.
    Call :meth:`Reference.again` at the end of the run, so a load that changes during the run shows."""
    return Reference(pg_url=pg_url).sample(runs)


# --- Django -------------------------------------------------------------------------------------------------


def django_setup(database_url: str, **environ: str) -> None:
    """Set Django up for a benchmark script on ``database_url`` with the development settings (DEBUG on unless
    ``DJANGO_DEBUG`` says otherwise) and ``environ``, then apply the guard: exit with status 2, having
    written nothing and opened no connection, unless the database's name contains "bench" and DEBUG is on."""
    import sys

    os.environ.update(environ, DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="learning.settings.dev")
    os.environ.setdefault("DJANGO_DEBUG", "true")
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from bench import guard

    guard.exit_unless_bench_database()


def maintenance_connection(pg: str):
    """An autocommit connection to the server's ``postgres`` database (for CREATE / DROP DATABASE)."""
    import psycopg

    return psycopg.connect(f"{pg.rstrip('/')}/postgres", autocommit=True, connect_timeout=10)


def database_drop(pg: str, name: str) -> None:
    """Drop the database ``name`` (its name must contain "bench") on the server ``pg``, closing this process's
    connections to it first and ending any others (``WITH (FORCE)``)."""
    from django.db import connections
    from psycopg import sql

    if "bench" not in name:
        raise SystemExit(f"refused: {name!r} is not a benchmark database")
    connections.close_all()
    with maintenance_connection(pg) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def database_recreate(pg: str, name: str) -> None:
    """Drop (see :func:`database_drop`) and create the empty database ``name``."""
    from psycopg import sql

    database_drop(pg, name)
    with maintenance_connection(pg) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def postgres_version(pg: str) -> str:
    with maintenance_connection(pg) as conn:
        return conn.execute("SHOW server_version").fetchone()[0]


def database_name_arg(value: str) -> str:
    """argparse type of a ``--db`` option: letters, digits and underscores only (it goes into SQL and URLs).
    Whether it may be written to is for the guard to say, once Django is set up."""
    import argparse
    import re

    if not re.fullmatch(r"[A-Za-z0-9_]{1,63}", value):
        raise argparse.ArgumentTypeError("letters, digits and underscores only, at most 63")
    return value
