"""A Redis cache the site can live without.

Everything the site keeps in the cache can be rebuilt or done without: drawn-question pools, Wagtail's
site paths, throttle and sign-in-failure counts, the "refresh already queued" flag. So when Redis does
not answer, ``ResilientRedisCache`` does not raise: it logs a warning, and until Redis answers again this
process keeps a small cache of its own in memory (Django's ``LocMemCache``) — reads miss at first, then hit
what this process wrote; throttles and sign-in lockouts keep counting, per process.

It is cheap while Redis is down: short socket timeouts (``OPTIONS``: ``socket_connect_timeout``,
``socket_timeout``), and after a failure Redis is not tried again for ``RETRY_SECONDS`` (5 s by default), so a
request costs nothing extra. The first call after that is the probe. When Redis answers again, the keys this
process wrote or deleted while it was away are deleted there (their old values may be stale), and the
process's memory cache is emptied.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ReadOnlyError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

logger = logging.getLogger(__name__)

# What "Redis is not there" looks like: refused or reset connections, timeouts, a replica that lost its primary.
UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, ReadOnlyError, OSError)
MAX_PENDING_KEYS = 10_000  # keys remembered for deletion when Redis is back
WARN_EVERY_SECONDS = 60.0


@dataclass
class _Outage:
    """One process's view of one Redis server: shared by every thread (Django makes a cache object per
    thread)."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    down_until: float = 0.0
    down_since: float | None = None
    warned_at: float = 0.0
    failures: int = 0
    pending: set[str] = field(default_factory=set)
    pending_overflow: bool = False


_outages: dict[str, _Outage] = {}
_outages_lock = threading.Lock()


def _outage_for(location: str) -> _Outage:
    with _outages_lock:
        return _outages.setdefault(location, _Outage())


_clients: dict[tuple, object] = {}  # (server, pool settings) → the process's one redis.Redis for it
_clients_lock = threading.Lock()


class _SharedRedisCacheClient(RedisCacheClient):
    """Django's Redis client, with one ``redis.Redis`` (and its connection pool) per server for the whole
    process. Django builds a new ``redis.Redis`` for every call, which costs more than the call's round trip
    (116 against 90 µs here), and, as it makes a cache object per thread, a pool per thread: every thread of a
    web worker connected afresh on its first request. A ``redis.Redis`` and its pool are safe to share between
    threads."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # What tells two caches' pools apart besides the server (the retry policy is the same object's kind).
        self._settings = tuple(sorted((k, repr(v)) for k, v in self._pool_options.items() if k != "retry"))

    def get_client(self, key=None, *, write=False):
        wanted = (self._servers[self._get_connection_pool_index(write)], self._settings)
        found = _clients.get(wanted)
        if found is None:
            with _clients_lock:
                found = _clients.get(wanted)
                if found is None:
                    pool = self._pool_class.from_url(wanted[0], **self._pool_options)
                    found = _clients[wanted] = self._client(connection_pool=pool)
        return found


class ResilientRedisCache(RedisCache):
    """Django's ``RedisCache`` that treats an unreachable Redis as an empty cache (see the module)."""

    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        self.retry_seconds = float(options.pop("RETRY_SECONDS", 5.0))
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 0.5)
        # One immediate retry: a pooled connection left over from before a Redis restart fails once, then the
        # retry reconnects; a Redis that is down fails fast both times.
        options.setdefault("retry", Retry(NoBackoff(), 1))
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._class = _SharedRedisCacheClient
        location = server if isinstance(server, str) else ",".join(server)
        self._outage = _outage_for(location)
        self._local = LocMemCache(
            f"redis-unavailable:{location}",
            {
                "TIMEOUT": params.get("TIMEOUT", 300),
                "KEY_PREFIX": params.get("KEY_PREFIX", ""),
                "VERSION": params.get("VERSION", 1),
                "KEY_FUNCTION": params.get("KEY_FUNCTION"),
                "OPTIONS": {"MAX_ENTRIES": 5000},
            },
        )

    # --- the one place every call goes through ------------------------------------------------------------

    def is_available(self) -> bool:
        """False while this process treats Redis as down (after a failure, for ``retry_seconds``)."""
        return self._outage.down_until <= time.monotonic()

    def _run(self, redis_call, local_call, written=()):
        outage = self._outage
        if outage.down_until > time.monotonic():
            self._remember(written)
            return local_call()
        try:
            result = redis_call()
        except UNAVAILABLE as exc:
            self._failed(exc)
            self._remember(written)
            return local_call()
        if outage.down_since is not None:
            self._recovered()
        return result

    def _remember(self, written) -> None:
        if not written:
            return
        outage = self._outage
        with outage.lock:
            for key in written:
                if len(outage.pending) >= MAX_PENDING_KEYS:
                    outage.pending_overflow = True
                    break
                outage.pending.add(key)

    def _failed(self, exc: Exception) -> None:
        outage = self._outage
        now = time.monotonic()
        with outage.lock:
            outage.down_until = now + self.retry_seconds
            outage.failures += 1
            first = outage.down_since is None
            if first:
                outage.down_since = now
            warn = first or now - outage.warned_at >= WARN_EVERY_SECONDS
            if warn:
                outage.warned_at = now
            down_for = now - outage.down_since
        if warn:
            logger.warning(
                "Cache unavailable (%s: %s), down for %.0f s: reads miss, writes stay in this process's memory; "
                "trying Redis again every %.0f s.",
                exc.__class__.__name__,
                exc,
                down_for,
                self.retry_seconds,
            )

    def _recovered(self) -> None:
        outage = self._outage
        with outage.lock:
            if outage.down_since is None:
                return
            down_for = time.monotonic() - outage.down_since
            pending, overflow = list(outage.pending), outage.pending_overflow
            outage.pending.clear()
            outage.pending_overflow = False
            outage.down_since = None
            outage.failures = 0
        self._local.clear()
        try:
            for start in range(0, len(pending), 500):
                self._cache.delete_many(pending[start : start + 500])
        except UNAVAILABLE as exc:  # gone again: the next calls notice
            logger.warning("Cache came back and went again before stale keys were deleted: %s", exc)
            return
        logger.warning(
            "Cache available again after %.0f s; deleted %d key(s) written while it was away%s.",
            down_for,
            len(pending),
            " (more were written than remembered: some cached values may be stale until they expire)"
            if overflow
            else "",
        )

    # --- Django's cache API ---------------------------------------------------------------------------

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        full = self.make_and_validate_key(key, version=version)
        return self._run(
            lambda: self._cache.add(full, value, self.get_backend_timeout(timeout)),
            lambda: self._local.add(key, value, timeout, version),
            [full],
        )

    def get(self, key, default=None, version=None):
        full = self.make_and_validate_key(key, version=version)
        return self._run(lambda: self._cache.get(full, default), lambda: self._local.get(key, default, version))

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        full = self.make_and_validate_key(key, version=version)
        self._run(
            lambda: self._cache.set(full, value, self.get_backend_timeout(timeout)),
            lambda: self._local.set(key, value, timeout, version),
            [full],
        )

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        full = self.make_and_validate_key(key, version=version)
        return self._run(
            lambda: self._cache.touch(full, self.get_backend_timeout(timeout)),
            lambda: self._local.touch(key, timeout, version),
        )

    def delete(self, key, version=None):
        full = self.make_and_validate_key(key, version=version)
        return self._run(lambda: self._cache.delete(full), lambda: self._local.delete(key, version), [full])

    def get_many(self, keys, version=None):
        keys = list(keys)
        return self._run(
            lambda: super(ResilientRedisCache, self).get_many(keys, version),
            lambda: self._local.get_many(keys, version),
        )

    def has_key(self, key, version=None):
        full = self.make_and_validate_key(key, version=version)
        return self._run(lambda: self._cache.has_key(full), lambda: self._local.has_key(key, version))

    def incr(self, key, delta=1, version=None):
        full = self.make_and_validate_key(key, version=version)
        return self._run(lambda: self._cache.incr(full, delta), lambda: self._local.incr(key, delta, version), [full])

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        if not data:
            return []
        full = [self.make_and_validate_key(key, version=version) for key in data]
        return self._run(
            lambda: super(ResilientRedisCache, self).set_many(data, timeout, version),
            lambda: self._local.set_many(data, timeout, version),
            full,
        )

    def delete_many(self, keys, version=None):
        keys = list(keys)
        if not keys:
            return
        full = [self.make_and_validate_key(key, version=version) for key in keys]
        self._run(
            lambda: super(ResilientRedisCache, self).delete_many(keys, version),
            lambda: self._local.delete_many(keys, version),
            full,
        )

    def clear(self):
        return self._run(lambda: self._cache.clear(), lambda: self._local.clear())
