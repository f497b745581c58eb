"""The cache is optional: with Redis unreachable every cache call degrades, and no page or API call fails."""

import logging
import shutil
import socket
import subprocess
import threading
import time
import uuid

import pytest

from learning.core.cache import ResilientRedisCache

DEAD = "redis://127.0.0.1:1/0"  # nothing listens on port 1: connections are refused at once


_databases = iter(range(1, 10_000))


def dead_cache(**options):
    """A cache on an unreachable Redis, with an outage of its own (a Redis database number used once)."""
    return ResilientRedisCache(f"redis://127.0.0.1:1/{next(_databases)}", {"OPTIONS": {"RETRY_SECONDS": 60, **options}})


def test_every_call_degrades_when_redis_is_unreachable(caplog):
    cache = dead_cache()
    with caplog.at_level(logging.WARNING, logger="learning.core.cache"):
        assert cache.get("missing", "default") == "default"
        cache.set("k", "v", 30)
        assert cache.get("k") == "v"  # kept in this process's memory while Redis is away
        assert cache.add("n", 0) is True and cache.add("n", 5) is False
        assert cache.incr("n") == 1 and cache.decr("n") == 0
        with pytest.raises(ValueError):
            cache.incr("never-set")  # as Redis: a missing key cannot be incremented
        assert cache.get_many(["k", "n", "x"]) == {"k": "v", "n": 0}
        cache.set_many({"a": 1, "b": 2})
        assert cache.get_or_set("c", 3) == 3 and cache.has_key("a")
        assert cache.touch("a", 60) is True
        cache.delete_many(["a", "b"])
        assert cache.delete("k") is True and cache.get("k") is None
        cache.clear()
    warnings = [r for r in caplog.records if r.name == "learning.core.cache"]
    assert len(warnings) == 1 and "Cache unavailable" in warnings[0].getMessage()  # once, not per call
    assert not cache.is_available()


def test_a_dead_redis_costs_no_time_after_the_first_failure():
    cache = dead_cache()
    cache.get("first")  # the failure that opens the circuit
    started = time.monotonic()
    for n in range(1000):
        cache.get(f"key-{n}")
        cache.set(f"key-{n}", n)
    assert time.monotonic() - started < 0.5


def test_short_socket_timeouts_are_the_default():
    options = dead_cache()._options
    assert options["socket_connect_timeout"] <= 0.5 and options["socket_timeout"] <= 0.5
    assert "RETRY_SECONDS" not in options  # ours, not a redis-py option


@pytest.fixture
def private_redis(tmp_path):
    """A redis-server of the test's own on a spare port (never the machine's), stopped afterwards."""
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    args = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(tmp_path)]
    processes = []

    def start():
        processes.append(subprocess.Popen(args, stdout=subprocess.DEVNULL))
        for _ in range(100):
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop():
        processes[-1].terminate()
        processes[-1].wait(10)

    start()
    yield port, start, stop
    for process in processes:
        if process.poll() is None:
            process.terminate()
            process.wait(10)


def test_redis_going_away_and_coming_back(private_redis):
    port, start, stop = private_redis
    location = f"redis://127.0.0.1:{port}/0"
    cache = ResilientRedisCache(location, {"OPTIONS": {"RETRY_SECONDS": 0.2}})
    other_process = ResilientRedisCache(location, {"OPTIONS": {"RETRY_SECONDS": 0.2}})
    cache.set("kept", "before")
    cache.set("changed", "old")
    assert cache.get("kept") == "before" and cache.is_available()

    stop()
    assert cache.get("kept") is None  # a miss, not an error
    cache.set("changed", "new")  # stays in this process, remembered as stale in Redis
    assert cache.get("changed") == "new"
    time.sleep(0.3)
    # Redis is persisted by nobody here, so restart it with the old value put back, as AOF would.
    start()
    cache._cache.set(cache.make_key("changed"), "old", None)  # what Redis still held from before the outage
    time.sleep(0.3)
    assert cache.get("kept") is None and cache.is_available()  # the probe succeeds
    assert cache.get("changed") is None  # the value written while Redis was away was deleted there, not stale
    cache.set("after", 1)
    assert other_process.get("after") == 1  # shared again


@pytest.mark.django_db
def test_the_site_works_without_its_cache(settings, client, learner, course, lessons, caplog):
    """Pages, lesson completions, quizzes, sign-in (with its lockout) and throttled API calls answer as usual."""
    from learning.progress.models import LessonCompletion, QuizAttempt
    from tests.conftest import PASSWORD
    from tests.quiz_fixtures import make_quiz

    quiz = make_quiz(course)
    settings.CACHES = {"default": {"BACKEND": "learning.core.cache.ResilientRedisCache", "LOCATION": DEAD}}
    assert client.get("/").status_code == 200
    assert client.post("/accounts/login/", {"username": learner.phone, "password": "wrong"}).status_code == 200
    assert client.post("/api/v1/auth/token/", {"phone": learner.phone, "password": PASSWORD}).status_code == 200
    client.force_login(learner)
    assert client.get(course.url).status_code == 200
    assert client.get(lessons[0].url).status_code == 200
    client_id = str(uuid.uuid4())
    for _ in range(2):
        response = client.post(
            f"/api/v1/lessons/{lessons[0].pk}/complete/",
            {"client_id": client_id, "time_spent_seconds": 60},
            content_type="application/json",
        )
        assert response.status_code in (200, 201)
    assert LessonCompletion.objects.filter(client_id=client_id).count() == 1
    start = client.post(f"/api/v1/quizzes/{quiz.pk}/attempts/", content_type="application/json")
    assert start.status_code in (200, 201), start.content
    attempt = QuizAttempt.objects.get(user=learner)
    submit = client.post(f"/api/v1/attempts/{attempt.pk}/submit/", content_type="application/json")
    assert submit.status_code == 200, submit.content
    assert client.get("/learning/").status_code in (200, 302)


def test_one_redis_client_per_server_serves_every_call_and_thread(private_redis):
    """Django builds a ``redis.Redis`` for every call (it costs more than the round trip) and a connection pool
    per thread; this cache keeps one client per server for the process: writes and reads, every thread, and it
    still works after Redis restarted under it."""
    port, start, stop = private_redis
    location = f"redis://127.0.0.1:{port}/0"
    cache = ResilientRedisCache(location, {"OPTIONS": {"RETRY_SECONDS": 0.2}})
    cache.set("a", 1)
    client = cache._cache.get_client(write=True)
    assert cache._cache.get_client() is client
    assert cache.get("a") == 1 and cache.get_many(["a", "b"]) == {"a": 1}
    in_thread = []
    thread = threading.Thread(  # Django's cache object of another thread
        target=lambda: in_thread.append(ResilientRedisCache(location, {"OPTIONS": {"RETRY_SECONDS": 0.2}}))
    )
    thread.start()
    thread.join(10)
    assert in_thread[0]._cache.get_client() is client and in_thread[0].get("a") == 1
    stop()
    start()
    cache.set("a", 2)  # the kept client's pooled connection broke; the retry reconnects
    assert cache.is_available() and cache._cache.get_client() is client
    assert int(client.get(cache.make_and_validate_key("a"))) == 2  # in Redis, not in the fallback memory
