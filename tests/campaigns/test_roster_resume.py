"""Roster imports that resume: a lease renewed per committed batch, a sweep that resumes an import whose worker
died (or marks it failed with the reason after the allowed tries), "Try again" on the roster page, and
confirming a stalled roster again resumes it instead of answering and queueing nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from learning.accounts.models import User
from learning.campaigns.roster_models import Roster, RosterBatch, RosterRow
from learning.campaigns.rosters import LeaseLost, roster_confirm, roster_import, roster_start, rosters_resume_stuck
from learning.campaigns.rosters.services import _IMPORT_COLUMNS, _import_batch, _lease_take
from learning.notifications.models import Delivery
from learning.notifications.sms import ConsoleSmsBackend
from tests.campaigns.test_rosters import person, preview, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def outbox():
    ConsoleSmsBackend.outbox.clear()
    yield ConsoleSmsBackend.outbox
    ConsoleSmsBackend.outbox.clear()


@pytest.fixture
def organiser(make_user):
    from learning.accounts.services import role_grant

    user = make_user(phone="0987000001", full_name="Cán bộ Xã")
    role_grant(user=user, role="commune_organiser", scope_codes=["06688", "06652"])
    return user


def _died_after_two_batches(organiser, captured, rows=7):
    """A roster whose worker committed two batches of two, then died (its lease left to run out)."""
    roster = preview(organiser, xlsx([person(phone=f"09123470{i:02d}") for i in range(rows)]))
    roster, _started = roster_start(roster=roster)
    token = _lease_take(roster.pk)
    pending = list(RosterRow.objects.filter(roster=roster).order_by("row_number").values_list(*_IMPORT_COLUMNS))
    with captured(execute=False):  # the SMS tasks of those batches never ran either
        for batch in (pending[0:2], pending[2:4]):
            _import_batch(roster, batch, {"06688", "06652"}, token)
    Roster.objects.filter(pk=roster.pk).update(lease_until=timezone.now() - timedelta(seconds=1))
    return Roster.objects.get(pk=roster.pk)


def test_the_sweep_resumes_an_import_whose_worker_died_from_its_last_batch(
    organiser, django_capture_on_commit_callbacks, outbox
):
    roster = _died_after_two_batches(organiser, django_capture_on_commit_callbacks)
    assert (roster.status, roster.processed, roster.attempts, roster.stalled) == ("importing", 4, 1, True)
    with django_capture_on_commit_callbacks(execute=True):
        assert rosters_resume_stuck() == {"resumed": 1, "failed": 0}
    roster.refresh_from_db()
    assert (roster.status, roster.processed, roster.attempts, roster.lease_token) == ("imported", 7, 2, "")
    assert RosterRow.objects.filter(roster=roster, imported_at__isnull=False).count() == 7
    assert sum(RosterBatch.objects.filter(roster=roster).values_list("rows", flat=True)) == 7
    assert User.objects.filter(phone__startswith="+849123470").count() == 7
    assert sorted(phone for phone, _text in outbox) == sorted(
        User.objects.filter(phone__startswith="+849123470").values_list("phone", flat=True)
    )  # every activation SMS once, those of the batches committed before the crash too
    assert rosters_resume_stuck() == {"resumed": 0, "failed": 0}


def test_confirming_a_stalled_roster_again_resumes_it_a_live_one_is_left_alone(
    client, organiser, django_capture_on_commit_callbacks
):
    roster = _died_after_two_batches(organiser, django_capture_on_commit_callbacks)
    client.force_login(organiser)
    page = client.get(f"/organiser/rosters/{roster.pk}/").content.decode()
    assert 'id="roster-stalled"' in page and "Try again" in page
    Roster.objects.filter(pk=roster.pk).update(lease_until=timezone.now() + timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=False) as queued:
        roster_confirm(roster=roster)
    assert queued == []  # its worker holds the lease: nothing more is queued
    assert 'id="roster-stalled"' not in client.get(f"/organiser/rosters/{roster.pk}/").content.decode()
    Roster.objects.filter(pk=roster.pk).update(lease_until=timezone.now() - timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/organiser/rosters/{roster.pk}/confirm/")
    assert response.status_code == 302
    roster.refresh_from_db()
    assert (roster.status, roster.processed) == ("imported", 7)


def test_after_the_allowed_tries_the_import_fails_with_the_reason_and_try_again_continues(
    client, organiser, settings, django_capture_on_commit_callbacks
):
    roster = _died_after_two_batches(organiser, django_capture_on_commit_callbacks)
    Roster.objects.filter(pk=roster.pk).update(attempts=settings.JOB_MAX_ATTEMPTS)
    assert rosters_resume_stuck() == {"resumed": 0, "failed": 1}
    roster.refresh_from_db()
    assert roster.status == "failed" and f"{settings.JOB_MAX_ATTEMPTS} lần" in roster.error  # the site's language
    client.force_login(organiser)
    page = client.get(f"/organiser/rosters/{roster.pk}/").content.decode()
    assert roster.error in page and "Try again" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/organiser/rosters/{roster.pk}/confirm/")
    roster.refresh_from_db()
    assert (roster.status, roster.processed, roster.attempts) == ("imported", 7, 1)


def test_a_worker_whose_import_was_taken_over_writes_no_more(organiser, django_capture_on_commit_callbacks):
    roster = _died_after_two_batches(organiser, django_capture_on_commit_callbacks)
    slow = roster.lease_token
    assert _lease_take(roster.pk) not in (None, slow)  # the lease ran out: another worker takes it
    batch = list(
        RosterRow.objects.filter(roster=roster, imported_at__isnull=True)
        .order_by("row_number")
        .values_list(*_IMPORT_COLUMNS)[:2]
    )
    users = User.objects.count()
    with pytest.raises(LeaseLost), django_capture_on_commit_callbacks(execute=False):
        _import_batch(roster, batch, {"06688", "06652"}, slow)
    assert User.objects.count() == users and Roster.objects.get(pk=roster.pk).processed == 4  # rolled back
    assert roster_import(roster=roster).processed == 4  # the new holder has it: a third task does nothing


def test_messages_that_could_not_be_sent_are_shown_on_the_roster_page(
    client, organiser, settings, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = "learning.notifications.sms.HttpGatewaySmsBackend"
    settings.SMS_GATEWAY_URL = "http://127.0.0.1:1/sms"  # nothing listens there
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 1
    roster = preview(organiser, xlsx([person(phone=f"09123471{i:02d}") for i in range(3)]))
    with django_capture_on_commit_callbacks(execute=True):
        roster_confirm(roster=roster)
    assert Delivery.objects.filter(key__startswith="activation:", status="failed", next_try_at=None).count() == 3
    client.force_login(organiser)
    page = client.get(f"/organiser/rosters/{roster.pk}/").content.decode()
    assert 'id="roster-sms-failed"' in page and "3 messages could not be sent" in page
