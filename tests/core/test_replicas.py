"""The replica router's rules, without a replica (tests/faults/test_replica.py runs them on a real standby)."""

import datetime as dt
import time

import pytest
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.utils import timezone

from learning.accounts.models import User
from learning.core import replicas
from learning.localities.models import Commune


@pytest.fixture
def one_replica(monkeypatch):
    state = replicas.ReplicaState("replica", up=True, checked_at=time.monotonic(), replayed_at=timezone.now())
    monkeypatch.setattr(replicas, "replica_state", lambda alias, fresh=False: state)
    with override_settings(DATABASE_REPLICAS=["replica"]):
        yield state


def test_reads_go_to_the_replica_only_inside_use_replica(one_replica):
    router = replicas.ReplicaRouter()
    assert router.db_for_read(User) == "default"
    with replicas.use_replica() as use:
        assert use.alias == "replica"
        assert router.db_for_read(User) == "replica"
        assert router.db_for_write(Commune) == "default"
        assert router.db_for_read(Commune) == "default"  # written in the block: read back from the primary
        assert router.db_for_read(User) == "replica"
        with replicas.primary_only():
            assert router.db_for_read(User) == "default"
        assert router.db_for_read(User) == "replica"
    assert router.db_for_read(User) == "default"
    assert router.allow_migrate("replica", "accounts") is False
    assert router.allow_migrate("default", "accounts") is None


@pytest.mark.django_db
def test_reads_inside_a_transaction_stay_on_the_primary(one_replica):
    router = replicas.ReplicaRouter()
    with replicas.use_replica(), transaction.atomic():
        assert router.db_for_read(User) == "default"


def test_no_replica_or_a_replica_down_means_the_primary(monkeypatch):
    with replicas.use_replica() as use:
        assert use.alias is None
    down = replicas.ReplicaState("replica", up=False, checked_at=time.monotonic())
    monkeypatch.setattr(replicas, "replica_state", lambda alias, fresh=False: down)
    with override_settings(DATABASE_REPLICAS=["replica"]), replicas.use_replica() as use:
        assert use.alias is None and not use.stale


@override_settings(REPLICA_LAG_NOTICE_SECONDS=60)
def test_the_lag_notice_and_the_time_of_the_figures():
    at = timezone.now() - dt.timedelta(minutes=5)
    use = replicas.ReplicaUse("replica", replicas.ReplicaState("replica", True, time.monotonic(), at, 300.0))
    assert use.stale
    assert use.figures_at == timezone.localtime(at).strftime("%H:%M")
    yesterday = at - dt.timedelta(days=1)
    use.state = replicas.ReplicaState("replica", True, time.monotonic(), yesterday, 86700.0)
    assert use.figures_at.endswith(timezone.localtime(yesterday).strftime("%d/%m/%Y"))
    use.state = replicas.ReplicaState("replica", True, time.monotonic(), timezone.now(), 1.0)
    assert not use.stale


def test_a_browser_that_wrote_reads_from_the_primary_for_a_while(one_replica):
    seen = []

    @replicas.replica_reads
    def view(request):
        seen.append(getattr(request, "replica", None) and request.replica.alias)
        return HttpResponse("ok")

    with override_settings(REPLICA_PIN_SECONDS=10):
        middleware = replicas.PrimaryAfterWriteMiddleware(view)
        factory = RequestFactory()
        written = middleware(factory.post("/"))
        assert replicas.PIN_COOKIE in written.cookies
        middleware(factory.get("/"))
        pinned = factory.get("/")
        pinned.COOKIES[replicas.PIN_COOKIE] = written.cookies[replicas.PIN_COOKIE].value
        middleware(pinned)
        expired = factory.get("/")
        expired.COOKIES[replicas.PIN_COOKIE] = str(int(time.time()) - 1)
        middleware(expired)
    assert seen == [None, "replica", None, "replica"]  # the POST itself reads nothing through the block


def test_a_replica_failing_during_a_view_runs_it_again_on_the_primary(one_replica, caplog):
    from django.db import OperationalError

    calls = []

    @replicas.replica_reads
    def view(request):
        calls.append(request.replica.alias)
        if request.replica.alias:
            raise OperationalError("server closed the connection unexpectedly")
        return HttpResponse("ok")

    response = view(RequestFactory().get("/"))
    assert response.status_code == 200
    assert calls == ["replica", None]
    assert "failed during a read" in caplog.text


@pytest.mark.django_db
def test_healthz_lists_the_replicas_without_failing_for_them(client, monkeypatch):
    assert "replicas" not in client.get("/healthz").json()
    down = replicas.ReplicaState("replica", up=False, checked_at=time.monotonic())
    monkeypatch.setattr(replicas, "replica_state", lambda alias, fresh=False: down)
    with override_settings(DATABASE_REPLICAS=["replica"]):
        answer = client.get("/healthz")
    assert answer.status_code == 200
    assert answer.json()["replicas"] == {"replica": {"up": False, "lag_seconds": None}}
