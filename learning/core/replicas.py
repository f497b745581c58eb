"""Organiser reads on PostgreSQL streaming replicas, and nothing else.

``DATABASE_REPLICA_URL`` (one or more URLs, comma-separated) adds the aliases ``replica``, ``replica_2``, …
(see ``learning/settings/base.py``). Reads go to a replica only inside :func:`use_replica` — the organiser's
statistics pages, people lists, exports, the statistics API and report generation opt in with it (or with
:func:`replica_reads` / :class:`ReplicaReadsMixin` on a view); every other read, and every write, is on the
primary, so nothing a learner writes and reads back can be stale.

Read-your-writes inside a block: a model written in it is read from the primary for the rest of the block, and
so is everything inside a transaction on the primary. Across requests: a browser that has just written
(a POST, PUT, PATCH or DELETE that succeeded) keeps its reads on the primary for ``REPLICA_PIN_SECONDS``
(:class:`PrimaryAfterWriteMiddleware`, a cookie).

Each replica's state is checked at most every ``REPLICA_CHECK_SECONDS`` per process: its lag
(``now() - pg_last_xact_replay_timestamp()``, zero when it has replayed all it received) and whether it
answers (a connect timeout of ``DATABASE_REPLICA_CONNECT_TIMEOUT`` seconds). A replica that does not answer is
left out, with a warning in the log, and its reads go to the primary; a view whose replica fails in the middle
is run again on the primary. Never an error page because of a replica.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import random
import threading
import time
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import wraps

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.utils import timezone

log = logging.getLogger(__name__)

PIN_COOKIE = "primary_until"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

# Caught up (everything received is replayed) or not a standby at all: the figures are current.
LAG_SQL = """
SELECT CASE WHEN NOT pg_is_in_recovery() OR pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()
            THEN now() ELSE COALESCE(pg_last_xact_replay_timestamp(), now()) END,
       now()
"""


def replica_aliases() -> list[str]:
    return list(getattr(settings, "DATABASE_REPLICAS", ()))


# --- the state of each replica, per process -----------------------------------------------------------------


@dataclass(frozen=True)
class ReplicaState:
    alias: str
    up: bool
    checked_at: float  # time.monotonic()
    replayed_at: dt.datetime | None = None  # the figures on the replica are those of this moment
    lag: float = 0.0  # seconds


_states: dict[str, ReplicaState] = {}
_states_lock = threading.Lock()


def _probe(alias: str) -> ReplicaState:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute(LAG_SQL)
            replayed_at, now = cursor.fetchone()
    except DatabaseError as exc:
        with contextlib.suppress(Exception):
            connections[alias].close()
        log.warning("replica %s does not answer, organiser reads go to the primary: %s", alias, exc)
        return ReplicaState(alias, up=False, checked_at=time.monotonic())
    lag = max((now - replayed_at).total_seconds(), 0.0)
    return ReplicaState(alias, up=True, checked_at=time.monotonic(), replayed_at=replayed_at, lag=lag)


def replica_state(alias: str, *, fresh: bool = False) -> ReplicaState:
    """The replica's state, probed at most every REPLICA_CHECK_SECONDS (or now with ``fresh``)."""
    state = _states.get(alias)
    if fresh or state is None or time.monotonic() - state.checked_at >= settings.REPLICA_CHECK_SECONDS:
        state = _probe(alias)
        with _states_lock:
            _states[alias] = state
    return state


def replicas_state() -> dict[str, dict]:
    """For /healthz: each replica, whether it answers and how far behind it is (seconds)."""
    states = {}
    for alias in replica_aliases():
        state = replica_state(alias)
        states[alias] = {"up": state.up, "lag_seconds": round(state.lag, 1) if state.up else None}
    return states


def _mark_down(alias: str, exc: Exception) -> None:
    with contextlib.suppress(Exception):
        connections[alias].close()
    log.warning("replica %s failed during a read, it is run again on the primary: %s", alias, exc)
    with _states_lock:
        _states[alias] = ReplicaState(alias, up=False, checked_at=time.monotonic())


# --- where reads go -------------------------------------------------------------------------------------------


@dataclass
class ReplicaUse:
    """One ``use_replica`` block: the replica its reads go to (None: the primary) and what it wrote."""

    alias: str | None = None
    state: ReplicaState | None = None
    written: set[str] = field(default_factory=set)

    @property
    def stale(self) -> bool:
        """Lagging more than REPLICA_LAG_NOTICE_SECONDS: organisers are told how old the figures are."""
        return bool(self.state and self.state.lag > settings.REPLICA_LAG_NOTICE_SECONDS)

    @property
    def figures_at(self) -> str:
        """When the figures read are from, in local time: "20:41", or "20:41 06/12/2026" on another day."""
        if not self.state or not self.state.replayed_at:
            return ""
        local = timezone.localtime(self.state.replayed_at)
        return local.strftime("%H:%M" if local.date() == timezone.localdate() else "%H:%M %d/%m/%Y")


_use: ContextVar[ReplicaUse | None] = ContextVar("replica_use", default=None)
_primary_only: ContextVar[bool] = ContextVar("primary_only", default=False)


def _pick() -> ReplicaUse:
    aliases = replica_aliases()
    random.shuffle(aliases)
    for alias in aliases:
        state = replica_state(alias)
        if state.up:
            return ReplicaUse(alias=alias, state=state)
    return ReplicaUse()


@contextlib.contextmanager
def use_replica():
    """Reads in the block go to a replica that answers (the primary when there is none, when the block is
    nested in :func:`primary_only`, or when this browser has just written). Yields the :class:`ReplicaUse`."""
    current = _use.get()
    if current is not None:
        yield current
        return
    use = ReplicaUse() if _primary_only.get() or not replica_aliases() else _pick()
    token = _use.set(use)
    try:
        yield use
    finally:
        _use.reset(token)


@contextlib.contextmanager
def primary_only():
    """Every read in the block on the primary, even inside :func:`use_replica`."""
    use_token, pin_token = _use.set(None), _primary_only.set(True)
    try:
        yield
    finally:
        _primary_only.reset(pin_token)
        _use.reset(use_token)


class ReplicaRouter:
    """Reads of a ``use_replica`` block to its replica; everything else, and every write, to the primary."""

    def db_for_read(self, model, **hints):
        use = _use.get()
        if use is None or use.alias is None or model._meta.label in use.written:
            return "default"
        if connections["default"].in_atomic_block:
            return "default"
        return use.alias

    def db_for_write(self, model, **hints):
        use = _use.get()
        if use is not None:
            use.written.add(model._meta.label)
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replicas hold the primary's rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return False if db in replica_aliases() else None


# --- views ----------------------------------------------------------------------------------------------------

_FAILURES = (OperationalError, InterfaceError)


def _failed_replica(use: ReplicaUse | None, exc: Exception) -> bool:
    """A connection failure (or a query cancelled by recovery) on the block's replica."""
    if use is None or use.alias is None or not isinstance(exc, _FAILURES):
        return False
    _mark_down(use.alias, exc)
    return True


def _streamed(use: ReplicaUse, chunks):
    """The chunks of a streaming answer (a CSV export), each made inside the view's replica block."""
    iterator = iter(chunks)
    while True:
        token = _use.set(use)
        try:
            chunk = next(iterator)
        except StopIteration:
            return
        finally:
            _use.reset(token)
        yield chunk


def _signed_in_on_primary(request) -> None:
    """Who is signed in (the session, the account) is read from the primary: a sign-in, a sign-out or a new
    password counts at once."""
    user = getattr(request, "user", None)
    if user is not None:
        user.is_authenticated  # noqa: B018 - evaluates the lazy user


def replica_reads(view):
    """A view function whose reads (GET/HEAD) go to a replica; ``request.replica`` is the ReplicaUse (for
    the lag notice). A replica failing during the view: the view runs again on the primary."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in SAFE_METHODS:
            return view(request, *args, **kwargs)
        _signed_in_on_primary(request)
        with use_replica() as use:
            request.replica = use
            try:
                response = view(request, *args, **kwargs)
            except DatabaseError as exc:
                if not _failed_replica(use, exc):
                    raise
                response = None
            else:
                if getattr(response, "streaming", False) and use.alias:
                    response.streaming_content = _streamed(use, response.streaming_content)
        if response is None:
            with primary_only():
                request.replica = ReplicaUse()
                response = view(request, *args, **kwargs)
        return response

    return wrapped


class _ReplicaFailed(Exception):
    pass


class ReplicaReadsMixin:
    """The same for a REST framework view: its GET runs inside :func:`use_replica`, again on the primary if the
    replica fails during it (REST framework would otherwise answer the database error itself)."""

    def dispatch(self, request, *args, **kwargs):
        if request.method not in SAFE_METHODS:
            return super().dispatch(request, *args, **kwargs)
        try:
            with use_replica() as use:
                request.replica = use
                return super().dispatch(request, *args, **kwargs)
        except _ReplicaFailed:
            with primary_only():
                request.replica = ReplicaUse()
                return super().dispatch(request, *args, **kwargs)

    def initial(self, request, *args, **kwargs):
        with primary_only():  # authentication (a token just issued), permissions and throttles
            super().initial(request, *args, **kwargs)

    def handle_exception(self, exc):
        if isinstance(exc, DatabaseError) and _failed_replica(_use.get(), exc):
            raise _ReplicaFailed from exc
        return super().handle_exception(exc)


class PrimaryAfterWriteMiddleware:
    """A browser that has just written reads from the primary for REPLICA_PIN_SECONDS (read-your-writes)."""

    def __init__(self, get_response):
        if not replica_aliases():
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        try:
            pinned = float(request.COOKIES.get(PIN_COOKIE, "0")) > time.time()
        except ValueError:
            pinned = False
        if pinned:
            with primary_only():
                response = self.get_response(request)
        else:
            response = self.get_response(request)
        seconds = settings.REPLICA_PIN_SECONDS
        if request.method not in SAFE_METHODS and response.status_code < 400 and seconds > 0:
            response.set_cookie(
                PIN_COOKIE,
                f"{time.time() + seconds:.0f}",
                max_age=seconds,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response
