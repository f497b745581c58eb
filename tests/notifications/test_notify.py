import threading

import pytest
from django.core import mail
from django.db import connection

from learning.notifications.models import Delivery
from learning.notifications.services import inbox, notify
from learning.notifications.sms import ConsoleSmsBackend

pytestmark = pytest.mark.django_db


def test_each_channel_delivers_once_per_key(learner):
    learner.email = "hoc@example.org"
    learner.save()
    ConsoleSmsBackend.outbox.clear()
    for _i in range(3):
        notify(
            user=learner,
            key="reminder:1",
            subject="Nhắc học",
            body="Còn 3 ngày",
            url="/learning/",
            channels=["in_app", "email", "sms"],
        )
    assert Delivery.objects.filter(user=learner, key="reminder:1").count() == 3
    assert len(mail.outbox) == 1 and len(ConsoleSmsBackend.outbox) == 1
    assert ConsoleSmsBackend.outbox[0][0] == learner.phone
    assert [d.body for d in inbox(user=learner)] == ["Còn 3 ngày"]


def test_email_without_address_is_skipped_not_failed(learner):
    notify(user=learner, key="k", body="x", channels=["email"])
    assert Delivery.objects.get(key="k").status == "skipped" and not mail.outbox


def test_failed_gateway_is_recorded(learner, settings):
    settings.SMS_BACKEND = "learning.notifications.sms.HttpGatewaySmsBackend"
    settings.SMS_GATEWAY_URL = "http://127.0.0.1:1/sms"  # nothing listens there
    notify(user=learner, key="k", body="x", channels=["sms"])
    delivery = Delivery.objects.get(key="k")
    assert delivery.status == "failed" and delivery.error


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections (PostgreSQL)")
@pytest.mark.django_db(transaction=True)
def test_two_jobs_at_once_send_one_message(make_user):
    from tests.conftest import migrated_rows_ensure

    migrated_rows_ensure()
    user = make_user()
    ConsoleSmsBackend.outbox.clear()
    barrier = threading.Barrier(4)

    def job():
        barrier.wait()
        notify(user=user, key="race", body="x", channels=["sms"])
        connection.close()

    threads = [threading.Thread(target=job) for _i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert Delivery.objects.filter(key="race").count() == 1 and len(ConsoleSmsBackend.outbox) == 1
