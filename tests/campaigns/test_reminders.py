import threading
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import include, path
from django.utils import timezone
from django.utils.translation import trans_real

import learning.urls
from learning.accounts.services import role_grant
from learning.campaigns.models import Assignment, AssignmentMember
from learning.campaigns.reminder_tasks import send_reminders
from learning.campaigns.reminders import (
    ReminderNotAllowed,
    overdue_counts_by_commune,
    remind_overdue,
    remind_overdue_queue,
    reminders_send,
)
from learning.campaigns.services import assignment_populate
from learning.notifications.models import Delivery
from learning.notifications.sms import ConsoleSmsBackend

pytestmark = pytest.mark.django_db

# The organiser page is included from the root URLconf by its owner; here we include it ourselves.
urlpatterns = [path("organiser/reminders/", include("learning.campaigns.reminder_urls")), *learning.urls.urlpatterns]

DEADLINE = date(2030, 3, 20)
HA_LONG, HA_TU = "06688", "06652"


@pytest.fixture(autouse=True)
def clean_outboxes(settings):
    settings.REMINDER_DAYS_BEFORE = [7, 3, 1]
    settings.REMINDER_DAYS_AFTER = [1, 7]
    settings.REMINDER_CHANNELS = ["in_app", "sms", "email"]
    ConsoleSmsBackend.outbox.clear()
    yield
    ConsoleSmsBackend.outbox.clear()


@pytest.fixture
def assignment(course):
    a = Assignment.objects.create(
        title="Kỹ năng số cho cán bộ", target_group_id="official", province_id="22", deadline=DEADLINE
    )
    a.courses.set([course])
    return a


@pytest.fixture
def officials(make_user, assignment):
    people = [
        make_user(groups=["official"], commune=HA_LONG, full_name="Người Hạ Long"),
        make_user(groups=["official"], commune=HA_TU, full_name="Người Hà Tu"),
    ]
    for i, person in enumerate(people):
        person.email = f"can-bo-{i}@example.org"
        person.save(update_fields=["email"])
    assignment_populate(assignment=assignment)
    assert AssignmentMember.objects.filter(assignment=assignment).count() == 2
    return people


def reminder_rows():
    """The reminders' messages (sign-up also sends each person the code that proves their phone)."""
    return Delivery.objects.filter(key__startswith="reminder:")


def keys(user=None):
    qs = reminder_rows() if user is None else reminder_rows().filter(user=user)
    return sorted(set(qs.values_list("key", flat=True)))


# --- the daily job ---------------------------------------------------------------------------------


def test_reminders_go_out_on_the_configured_days_only(settings, officials, assignment):
    settings.REMINDER_CHANNELS = ["in_app"]
    sent_on = {}
    for offset in range(-10, 11):
        today = DEADLINE + timedelta(days=offset)
        counts = reminders_send(today=today)
        if counts["in_app"]:
            sent_on[offset] = counts["in_app"]
    # 7, 3 and 1 days before; 1 and 7 days after; two people each time.
    assert sent_on == {-7: 2, -3: 2, -1: 2, 1: 2, 7: 2}
    a = assignment.pk
    assert keys() == sorted(
        [f"reminder:{a}:before:7", f"reminder:{a}:before:3", f"reminder:{a}:before:1"]
        + [f"reminder:{a}:after:1", f"reminder:{a}:after:7"]
    )


def test_every_channel_once_and_running_twice_sends_nothing_more(officials, assignment):
    today = DEADLINE - timedelta(days=3)
    first = reminders_send(today=today)
    assert first == {"in_app": 2, "sms": 2, "email": 2}
    assert reminders_send(today=today) == {"in_app": 0, "sms": 0, "email": 0}
    assert reminder_rows().count() == 6
    assert len(mail.outbox) == 2 and len(ConsoleSmsBackend.outbox) == 2
    assert {phone for phone, _text in ConsoleSmsBackend.outbox} == {p.phone for p in officials}


def test_message_names_the_assignment_the_deadline_and_links_to_the_course(settings, officials, assignment, course):
    settings.WAGTAILADMIN_BASE_URL = "https://hoc.example.vn/"
    reminders_send(today=DEADLINE - timedelta(days=1))
    delivery = reminder_rows().filter(channel="in_app").first()
    assert "Kỹ năng số cho cán bộ" in delivery.body and "20/03/2030" in delivery.body
    assert delivery.url == "https://hoc.example.vn" + course.get_url_parts()[2]
    assert delivery.url in mail.outbox[0].body and delivery.url in ConsoleSmsBackend.outbox[0][1]


def test_message_is_in_the_site_language_vietnamese(settings, officials, assignment, monkeypatch):
    """Rendered with the site's language even though the test (like a request) runs in English."""
    msgid = "Reminder: “%(title)s” is due on %(deadline)s"
    vietnamese = trans_real.translation("vi")._catalog._catalogs[0]
    monkeypatch.setitem(vietnamese, msgid, "Nhắc nhở: “%(title)s” hết hạn vào ngày %(deadline)s")
    assert settings.LANGUAGE_CODE == "vi"
    reminders_send(today=DEADLINE - timedelta(days=7))
    email = mail.outbox[0]
    assert email.subject == "Nhắc nhở: “Kỹ năng số cho cán bộ” hết hạn vào ngày 20/03/2030"
    assert "hết hạn" in reminder_rows().filter(channel="email").first().subject


def test_completed_people_and_people_who_left_get_nothing(make_user, officials, assignment):
    done, gone = officials
    AssignmentMember.objects.filter(user=done).update(completed_at=timezone.now())
    AssignmentMember.objects.filter(user=gone).update(left_at=timezone.now())
    still = make_user(groups=["official"], commune=HA_LONG)
    # the newcomer has no email address: that channel is skipped, not failed
    assert reminders_send(today=DEADLINE - timedelta(days=1)) == {"in_app": 1, "sms": 1, "email": 0, "skipped": 1}
    assert set(reminder_rows().values_list("user", flat=True)) == {still.pk}
    # nor after the deadline
    assert reminders_send(today=DEADLINE + timedelta(days=1))["in_app"] == 1
    assert not reminder_rows().filter(user__in=[done, gone]).exists()


def test_a_worker_that_died_after_claiming_is_not_sent_again_until_the_sweep(officials, assignment):
    """A delivery left "sending" (the worker died before sending) is not sent by the rerun; once its
    lease is over, the sweep sends it, once."""
    from learning.notifications.services import deliveries_retry

    victim, other = officials
    key = f"reminder:{assignment.pk}:before:3"
    left = Delivery.objects.create(
        user=victim,
        key=key,
        channel="sms",
        body="…",
        status="sending",
        attempts=1,
        next_try_at=timezone.now() + timedelta(minutes=2),
    )
    counts = reminders_send(today=DEADLINE - timedelta(days=3))
    assert counts == {"in_app": 2, "sms": 1, "email": 2}
    assert [phone for phone, _text in ConsoleSmsBackend.outbox] == [other.phone]
    assert deliveries_retry() == 0  # its lease is not over yet
    reminder_rows().filter(pk=left.pk).update(next_try_at=timezone.now() - timedelta(seconds=1))
    assert deliveries_retry() == 1 and deliveries_retry() == 0
    assert [phone for phone, _text in ConsoleSmsBackend.outbox] == [other.phone, victim.phone]
    left.refresh_from_db()
    assert (left.status, left.attempts, left.next_try_at) == ("sent", 2, None)


def test_channels_and_days_are_configurable(settings, officials, assignment):
    settings.REMINDER_CHANNELS = ["sms"]
    settings.REMINDER_DAYS_BEFORE = [2]
    settings.REMINDER_DAYS_AFTER = []
    assert reminders_send(today=DEADLINE - timedelta(days=3)) == {"sms": 0}
    assert reminders_send(today=DEADLINE + timedelta(days=1)) == {"sms": 0}
    assert reminders_send(today=DEADLINE - timedelta(days=2)) == {"sms": 2}
    assert set(reminder_rows().values_list("channel", flat=True)) == {"sms"}
    assert not mail.outbox


def test_unknown_channel_is_a_configuration_error(settings, officials):
    from django.core.exceptions import ImproperlyConfigured

    settings.REMINDER_CHANNELS = ["in_app", "pigeon"]
    with pytest.raises(ImproperlyConfigured, match="pigeon"):
        reminders_send(today=DEADLINE)


def test_small_batches_reach_everyone(make_user, officials, assignment):
    for _i in range(5):
        make_user(groups=["official"])
    counts = reminders_send(today=DEADLINE - timedelta(days=1), batch_size=2)
    assert counts["in_app"] == 7


def test_beat_runs_the_task_every_morning(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["send-reminders"]
    assert entry["task"] == "campaigns.send_reminders" == send_reminders.name
    assert entry["schedule"].hour == {8} and entry["schedule"].minute == {0}


def test_task_runs_the_job(officials, assignment, monkeypatch):
    from django.utils import timezone as tz

    monkeypatch.setattr(tz, "localdate", lambda *a, **k: DEADLINE - timedelta(days=7))
    assert send_reminders.apply().get() == {"in_app": 2, "sms": 2, "email": 2}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections (PostgreSQL)")
@pytest.mark.django_db(transaction=True)
def test_two_jobs_at_once_send_each_reminder_once(make_user):
    from learning.accounts.models import TargetGroup
    from learning.localities.services import localities_load

    localities_load()
    TargetGroup.objects.get_or_create(code="official")
    assignment = Assignment.objects.create(
        title="Kỹ năng số", target_group_id="official", province_id="22", deadline=DEADLINE
    )
    people = [make_user(groups=["official"]) for _i in range(3)]
    assignment_populate(assignment=assignment)
    ConsoleSmsBackend.outbox.clear()
    barrier = threading.Barrier(4)
    results = []

    def job():
        barrier.wait()
        try:
            results.append(reminders_send(today=DEADLINE - timedelta(days=1)))
        finally:
            connection.close()

    threads = [threading.Thread(target=job) for _i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 4
    assert sum(r["sms"] for r in results) == 3 and sum(r["in_app"] for r in results) == 3
    assert reminder_rows().filter(channel="sms").count() == 3 and len(ConsoleSmsBackend.outbox) == 3
    assert sorted(phone for phone, _t in ConsoleSmsBackend.outbox) == sorted(p.phone for p in people)


# --- the organiser's "remind everyone overdue" ------------------------------------------------------------


@pytest.fixture
def overdue(officials, assignment):
    Assignment.objects.filter(pk=assignment.pk).update(deadline=timezone.localdate() - timedelta(days=5))
    return officials


def organiser(make_user, role, scope, commune=HA_LONG):
    user = make_user(commune=commune)
    role_grant(user=user, role=role, scope_codes=[scope] if scope else [])
    return user


def post(api, user, **data):
    api.force_authenticate(user)
    return api.post("/api/v1/organiser/reminders/overdue/", data, format="json")


@pytest.fixture
def press(api, django_capture_on_commit_callbacks):
    """POST the API's button and run what it queued (Celery is eager in tests): the response's JSON."""

    def press(user, **data):
        with django_capture_on_commit_callbacks(execute=True):
            response = post(api, user, **data)
        assert response.status_code == 202, response.content
        return response.json()

    return press


class TestRemindOverdue:
    def test_province_organiser_reminds_everyone_overdue_once_a_day(self, press, make_user, overdue, assignment):
        boss = organiser(make_user, "province_organiser", "22")
        assert press(boss) == {"queued": 2, "commune": None}
        assert press(boss) == {"queued": 0, "commune": None}
        assert press(boss, commune=HA_TU) == {"queued": 0, "commune": HA_TU}
        key = f"reminder:{assignment.pk}:manual:{timezone.localdate().isoformat()}"
        assert keys() == [key]
        assert reminder_rows().count() == 6 and len(ConsoleSmsBackend.outbox) == 2

    def test_the_request_only_queues_the_sending(self, api, make_user, overdue, django_capture_on_commit_callbacks):
        boss = organiser(make_user, "province_organiser", "22")
        with django_capture_on_commit_callbacks(execute=False) as queued:
            response = post(api, boss)
        assert response.status_code == 202 and response.json()["queued"] == 2
        assert len(queued) == 1 and not reminder_rows().exists()  # nothing sent inside the request
        queued[0]()
        assert reminder_rows().count() == 6

    def test_double_press_before_the_task_runs_sends_once(
        self, api, make_user, overdue, django_capture_on_commit_callbacks
    ):
        boss = organiser(make_user, "province_organiser", "22")
        with django_capture_on_commit_callbacks(execute=False) as queued:
            first, second = post(api, boss), post(api, boss)
        assert (first.status_code, second.status_code) == (202, 202) and len(queued) == 2
        for task in queued:  # both tasks run: each (user, key, channel) is claimed once
            task()
        assert reminder_rows().count() == 6 and len(ConsoleSmsBackend.outbox) == 2

    def test_task_runs_the_reminder_and_refuses_who_lost_the_role(self, make_user, overdue):
        from learning.accounts.roles import RoleGrant
        from learning.campaigns.reminder_tasks import remind_overdue_task

        local = organiser(make_user, "commune_organiser", HA_LONG)
        today = timezone.localdate().isoformat()
        assert remind_overdue_task.delay(local.pk, HA_LONG, today).get() == {"sent": 1}
        assert remind_overdue_task.delay(local.pk, HA_LONG, today).get() == {"sent": 0}
        RoleGrant.objects.filter(user=local).delete()
        refused = remind_overdue_task.delay(local.pk, None, today).get()
        assert refused["sent"] == 0 and "Only organisers" in refused["refused"]
        assert remind_overdue_task.delay(10**9, None, today).get()["sent"] == 0
        assert reminder_rows().filter(channel="sms").count() == 1

    def test_commune_organiser_only_inside_their_commune(self, api, press, make_user, overdue):
        inside, outside_person = overdue
        local = organiser(make_user, "commune_organiser", HA_LONG)
        assert post(api, local, commune=HA_TU).status_code == 403
        assert post(api, local, commune="99999").status_code == 404
        assert post(api, local, commune="12").status_code == 404
        assert post(api, local, commune="123456").status_code == 400
        assert press(local)["queued"] == 1
        assert set(reminder_rows().values_list("user", flat=True)) == {inside.pk}
        assert press(local, commune=HA_LONG)["queued"] == 0

    def test_other_province_organiser_reaches_nobody_here(self, api, press, make_user, overdue):
        hanoi = organiser(make_user, "province_organiser", "01", commune="00004")
        assert press(hanoi)["queued"] == 0
        assert post(api, hanoi, commune=HA_LONG).status_code == 403
        assert not reminder_rows().exists()

    @pytest.mark.parametrize("role", [None, "editor", "admin"])
    def test_learners_editors_and_admins_are_refused(self, api, make_user, overdue, role):
        user = organiser(make_user, role, None) if role else make_user()
        assert post(api, user).status_code == 403
        with pytest.raises(ReminderNotAllowed):
            remind_overdue(organiser=user)
        with pytest.raises(ReminderNotAllowed):
            remind_overdue_queue(organiser=user)
        assert not reminder_rows().exists()

    def test_people_not_overdue_are_not_reminded(self, press, make_user, officials, assignment):
        boss = organiser(make_user, "province_organiser", "22")
        assert press(boss)["queued"] == 0  # the deadline is in 2030
        done = officials[0]
        Assignment.objects.filter(pk=assignment.pk).update(deadline=timezone.localdate() - timedelta(days=1))
        AssignmentMember.objects.filter(user=done).update(completed_at=timezone.now())
        assert press(boss)["queued"] == 1
        assert not reminder_rows().filter(user=done).exists()

    def test_service_checks_the_scope_itself(self, make_user, overdue):
        local = organiser(make_user, "commune_organiser", HA_LONG)
        with pytest.raises(ReminderNotAllowed):
            remind_overdue(organiser=local, commune=HA_TU)
        with pytest.raises(ReminderNotAllowed):
            remind_overdue_queue(organiser=local, commune=HA_TU)
        with pytest.raises(ValidationError):
            remind_overdue(organiser=local, commune="99999")
        with pytest.raises(ValidationError):
            remind_overdue_queue(organiser=local, commune="99999")
        assert remind_overdue(organiser=local, commune=HA_LONG) == 1

    def test_counts_per_commune(self, make_user, overdue):
        boss = organiser(make_user, "province_organiser", "22")
        rows = overdue_counts_by_commune(user=boss)
        assert sorted((r["code"], r["people"]) for r in rows) == [(HA_TU, 1), (HA_LONG, 1)]
        local = organiser(make_user, "commune_organiser", HA_TU)
        assert [r["code"] for r in overdue_counts_by_commune(user=local)] == [HA_TU]


@pytest.mark.urls("tests.campaigns.test_reminders")
class TestOrganiserPage:
    def test_page_lists_communes_and_buttons_queue_once(
        self, client, make_user, overdue, django_capture_on_commit_callbacks
    ):
        local = organiser(make_user, "commune_organiser", HA_LONG)
        client.force_login(local)
        page = client.get("/organiser/reminders/")
        assert page.status_code == 200
        html = page.content.decode()
        assert "Phường Hạ Long" in html and "Phường Hà Tu" not in html
        with django_capture_on_commit_callbacks(execute=False) as queued:
            response = client.post("/organiser/reminders/", {"commune": HA_LONG})
        assert response.status_code == 302 and response["Location"] == "/organiser/reminders/"
        assert len(queued) == 1 and not reminder_rows().exists()  # the request only queued it
        page = client.get(response["Location"]).content.decode()
        assert "Sending 1 reminder in the background." in page
        queued[0]()
        assert reminder_rows().filter(channel="sms").count() == 1
        with django_capture_on_commit_callbacks(execute=True) as queued:
            response = client.post("/organiser/reminders/", {}, follow=True)
        assert "already been reminded today" in response.content.decode() and not queued
        assert reminder_rows().filter(channel="sms").count() == 1

    def test_outside_scope_and_learners_refused(self, client, make_user, overdue):
        local = organiser(make_user, "commune_organiser", HA_LONG)
        client.force_login(local)
        assert client.post("/organiser/reminders/", {"commune": HA_TU}).status_code == 403
        assert client.post("/organiser/reminders/", {"commune": "abc"}).status_code == 400
        client.force_login(make_user())
        assert client.get("/organiser/reminders/").status_code == 403
        assert client.post("/organiser/reminders/").status_code == 403
        assert not reminder_rows().exists()


# --- the on-site inbox ----------------------------------------------------------------------------


def render_inbox(user):
    request = RequestFactory().get("/")
    request.user = user
    return Template("{% load notification_tags %}{% notifications_inbox %}").render(
        Context({"request": request, "user": user})
    )


def test_inbox_shows_unread_reminders_and_mark_as_read(client, officials, assignment):
    person, other = officials
    reminders_send(today=DEADLINE - timedelta(days=3))
    html = render_inbox(person)
    assert "Kỹ năng số cho cán bộ" in html and "Mark as read" in html
    mine = reminder_rows().get(user=person, channel="in_app")
    theirs = reminder_rows().get(user=other, channel="in_app")
    client.force_login(person)
    assert client.post(f"/notifications/{theirs.pk}/read/").status_code == 302
    theirs.refresh_from_db()
    assert theirs.read_at is None  # not someone else's
    response = client.post(f"/notifications/{mine.pk}/read/", {"next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert "Kỹ năng số" not in render_inbox(person)
    assert client.get(f"/notifications/{mine.pk}/read/").status_code == 405


def test_inbox_is_empty_for_anonymous_visitors():
    from django.contrib.auth.models import AnonymousUser

    assert render_inbox(AnonymousUser()).strip() == ""
