"""Personal data is kept no longer than configured: the nightly task deletes, in batches, access-log entries,
used or expired one-time codes, sent notifications and expired sessions past their time, and nothing newer."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings as django_settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from learning.accounts.activation_models import ActivationCode
from learning.audit.models import PersonalDataAccess
from learning.audit.services import personal_data_viewed
from learning.notifications.models import Delivery
from learning.site.tasks import forget_old_records

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)


def _records(user, key: str):
    """One access-log entry, one used code, one expired code, one sent notification, one session: now."""
    personal_data_viewed(viewer=user, what="people_list", scope="06688", path=f"/{key}/")
    now = timezone.now()
    ActivationCode.objects.create(
        user=user, code_hash=f"used-{key}", expires_at=now + dt.timedelta(days=30), used_at=now
    )
    ActivationCode.objects.create(
        user=user, code_hash=f"expired-{key}", created_at=now - dt.timedelta(days=2), expires_at=now
    )
    Delivery.objects.create(
        user=user, key=key, channel="in_app", body="…", status=Delivery.Status.SENT, created_at=now, sent_at=now
    )
    session = SessionStore()
    session["k"] = key
    session.set_expiry(60)
    session.create()


def test_old_rows_go_and_recent_rows_stay(make_user, settings):
    settings.ACCESS_LOG_RETENTION_DAYS = 365
    settings.CODE_RETENTION_DAYS = 30
    settings.NOTIFICATION_RETENTION_DAYS = 90
    user = make_user()
    ActivationCode.objects.all().delete()
    Delivery.objects.all().delete()
    with time_machine.travel(START, tick=False):
        _records(user, "old")
        unused = ActivationCode.objects.create(
            user=user, code_hash="waiting", expires_at=START + dt.timedelta(days=400)
        )  # never used, not yet expired: kept whatever its age
        claimed = Delivery.objects.create(user=user, key="claimed", channel="sms", body="…")  # still being sent
    with time_machine.travel(START + dt.timedelta(days=85), tick=False):
        _records(user, "recent")
    # 100 days on: codes (30 days) and notifications (90 days) of the first batch are past their time, the
    # access log (365 days) is not.
    with time_machine.travel(START + dt.timedelta(days=100), tick=False):
        counts = forget_old_records.delay().get()
        assert counts == {"access_log": 0, "codes": 2, "notifications": 1, "sessions": 2}
        assert set(ActivationCode.objects.values_list("code_hash", flat=True)) == {
            "used-recent",
            "expired-recent",
            unused.code_hash,
        }
        assert set(Delivery.objects.values_list("key", flat=True)) == {"recent", claimed.key}
        assert PersonalDataAccess.objects.count() == 2
    # A year and a bit on: the first access-log entry goes, the second stays.
    with time_machine.travel(START + dt.timedelta(days=366), tick=False):
        counts = forget_old_records.delay().get()
        assert counts["access_log"] == 1
        assert list(PersonalDataAccess.objects.values_list("path", flat=True)) == ["/recent/"]
        assert not Session.objects.exists()


def test_deletion_goes_in_batches(make_user, settings):
    from learning.site.retention import forget_old_records as forget

    user = make_user()
    with time_machine.travel(START, tick=False):
        for n in range(7):
            personal_data_viewed(viewer=user, what="person", scope=str(n))
    settings.ACCESS_LOG_RETENTION_DAYS = 10
    with time_machine.travel(START + dt.timedelta(days=11), tick=False):
        assert forget(batch_size=3)["access_log"] == 7
    assert not PersonalDataAccess.objects.exists()


def test_the_task_runs_every_night():
    entry = django_settings.CELERY_BEAT_SCHEDULE["forget-old-records"]
    assert entry["task"] == "site.forget_old_records"
