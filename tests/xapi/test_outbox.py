"""The outbox without an LRS running: what a request pays, what administrators see, misconfiguration."""

import uuid

import pytest
from django.test import Client
from django.utils import translation

from learning.accounts.models import User
from learning.progress.services import lesson_complete
from learning.xapi import sending
from learning.xapi.models import Delivery, Lrs, Statement
from learning.xapi.statements import pseudonym, statement_id

pytestmark = pytest.mark.django_db


def test_without_an_enabled_lrs_nothing_is_written(make_user, lessons):
    Lrs.objects.create(name="Tắt", endpoint="http://127.0.0.1:9/xAPI/", key="k", secret="s", enabled=False)
    user = make_user()
    lesson_complete(user=user, lesson=lessons[0], client_id=uuid.uuid4(), time_spent_seconds=10)
    assert not Statement.objects.exists() and not Delivery.objects.exists()


def test_each_enabled_lrs_gets_its_delivery_and_the_request_pays_two_inserts(
    make_user, lessons, django_assert_max_num_queries
):
    a = Lrs.objects.create(name="A", endpoint="http://127.0.0.1:9/xAPI/", key="k", secret="s")
    b = Lrs.objects.create(name="B", endpoint="http://127.0.0.1:9/xAPI/", key="k", secret="s")
    user = make_user()
    lesson_complete(user=user, lesson=lessons[0], client_id=uuid.uuid4(), time_spent_seconds=10)
    assert Delivery.objects.filter(lrs=a).count() == Delivery.objects.filter(lrs=b).count() == Statement.objects.count()
    statement = Statement.objects.get(verb="registered")
    assert statement.id == statement_id("registered", user.pk)
    assert statement.payload["actor"]["account"]["name"] == pseudonym(user.pk) != str(user.pk)
    assert user.phone not in str(statement.payload)


def test_ids_and_pseudonyms_are_stable_and_distinct():
    assert statement_id("started", 1) == statement_id("started", 1) != statement_id("started", 2)
    assert statement_id("started", 1) != statement_id("course-completed", 1)
    assert pseudonym(1) == pseudonym(1) != pseudonym(2) and len(pseudonym(1)) == 32


def test_a_misconfigured_lrs_is_shown_to_administrators_and_the_site_goes_on(make_user, lessons, monkeypatch):
    monkeypatch.delenv("XAPI_MISSING_SECRET", raising=False)
    lrs = Lrs.objects.create(
        name="Tỉnh", endpoint="http://127.0.0.1:9/xAPI/", key="k", secret_env="XAPI_MISSING_SECRET"
    )
    user = make_user()  # the sign-up works
    outcome = sending.deliver(lrs)
    lrs.refresh_from_db()
    assert "XAPI_MISSING_SECRET" in outcome.error and "XAPI_MISSING_SECRET" in lrs.last_error
    assert lrs.failures == 1 and Delivery.objects.filter(status="pending").count() == 1

    admin = User.objects.create_superuser(phone="0900000001", password="Mat-khau-2025!", full_name="Quản trị")
    client = Client()
    client.force_login(admin)
    with translation.override("vi"):
        page = client.get("/django-admin/xapi/lrs/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "XAPI_MISSING_SECRET" in page and "Tỉnh" in page
    assert user.phone not in page


def test_the_backlog_view_counts_pending_sent_parked_and_the_oldest_wait(make_user):
    from learning.xapi.selectors import backlog

    lrs = Lrs.objects.create(name="A", endpoint="http://127.0.0.1:9/xAPI/", key="k", secret="s")
    make_user()
    make_user()
    Delivery.objects.filter(pk=Delivery.objects.order_by("pk").first().pk).update(status="parked", error="HTTP 400")
    row = backlog()[lrs.pk]
    assert (row.pending, row.sent, row.parked) == (Delivery.objects.count() - 1, 0, 1)
    assert row.oldest_pending_seconds is not None and row.oldest_pending_seconds >= 0
    admin = User.objects.create_superuser(phone="0900000001", password="Mat-khau-2025!", full_name="Quản trị")
    client = Client()
    client.force_login(admin)
    assert client.get("/django-admin/xapi/lrs/").status_code == 200
    assert client.get("/django-admin/xapi/delivery/?status=parked").status_code == 200
    response = client.post(
        "/django-admin/xapi/delivery/",
        {"action": "send_again", "_selected_action": [d.pk for d in Delivery.objects.filter(status="parked")]},
    )
    assert response.status_code == 302 and not Delivery.objects.filter(status="parked").exists()
