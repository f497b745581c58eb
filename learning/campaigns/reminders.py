"""Deadline reminders for mandatory assignments: the daily job and the organiser's one-action reminder.

Every message goes through ``learning.notifications.services.notify``, which claims the
(user, key, channel) slot in the database before sending. The keys are

* ``reminder:{assignment_id}:before:{days}`` — ``days`` before the deadline (``REMINDER_DAYS_BEFORE``);
* ``reminder:{assignment_id}:after:{days}`` — ``days`` after it passed (``REMINDER_DAYS_AFTER``);
* ``reminder:{assignment_id}:manual:{YYYY-MM-DD}`` — an organiser's "remind everyone overdue" that day;

so running the job twice, at once or one after the other, or retrying after a worker died
half-way, never sends the same reminder twice. Channels come from ``REMINDER_CHANNELS``.

Messages are rendered in the site's language (``settings.LANGUAGE_CODE``, Vietnamese) from
English msgids, whatever language the caller's request happens to use.
"""

import logging
from collections import Counter
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db.models import CharField, Count, Exists, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from learning.accounts.models import User
from learning.accounts.scopes import can_see_commune, communes_in_scope, is_organiser
from learning.core.enqueue import enqueue_on_commit
from learning.localities.models import Commune
from learning.notifications.models import Channel, Delivery
from learning.notifications.services import notify

from .models import Assignment, AssignmentMember

logger = logging.getLogger(__name__)

BATCH_SIZE = 500


class ReminderNotAllowed(ValidationError):
    """The caller may not send this reminder (not an organiser, or the commune is outside their scope).

    A ValidationError, so forms show it; views answer 403 for it rather than 400.
    """


# --- settings ---------------------------------------------------------------------------------


def _days_setting(name: str) -> list[int]:
    values = getattr(settings, name)  # REMINDER_DAYS_BEFORE / _AFTER, declared in settings
    try:
        days = sorted({int(v) for v in values})
    except (TypeError, ValueError):
        raise ImproperlyConfigured(f"{name} must be a list of whole numbers of days, not {values!r}") from None
    if any(d < 0 for d in days):
        raise ImproperlyConfigured(f"{name} must not contain negative numbers: {values!r}")
    return days


def reminder_channels() -> list[str]:
    channels = list(dict.fromkeys(settings.REMINDER_CHANNELS))
    unknown = [c for c in channels if c not in Channel.values]
    if unknown:
        raise ImproperlyConfigured(
            f"REMINDER_CHANNELS has unknown channels {unknown}; use some of {', '.join(Channel.values)}"
        )
    return channels


def site_url() -> str:
    return (settings.SITE_URL or settings.WAGTAILADMIN_BASE_URL).rstrip("/")


# --- messages ---------------------------------------------------------------------------------


def _assignment_path(assignment: Assignment) -> str:
    """The one required course, or the learner's page listing them when there are several."""
    courses = list(assignment.courses.all()[:2])
    if len(courses) == 1:
        parts = courses[0].get_url_parts()
        if parts and parts[2]:
            return parts[2]
    return reverse("progress:my_learning")


def _message(assignment: Assignment, kind: str, days: int) -> dict:
    """Subject, body and absolute link of a reminder, in the site's language."""
    url = site_url() + _assignment_path(assignment)
    with translation.override(settings.LANGUAGE_CODE):
        params = {
            "title": assignment.title,
            "deadline": formats.date_format(assignment.deadline, "d/m/Y"),
            "days": days,
        }
        if kind == "before":
            subject = _("Reminder: “%(title)s” is due on %(deadline)s") % params
            body = (
                ngettext(
                    "“%(title)s” is due on %(deadline)s: %(days)d day left to finish it.",
                    "“%(title)s” is due on %(deadline)s: %(days)d days left to finish it.",
                    days,
                )
                % params
                if days
                else _("“%(title)s” is due today, %(deadline)s. Finish it before the day ends.") % params
            )
        else:
            subject = _("Overdue: “%(title)s” was due on %(deadline)s") % params
            body = (
                ngettext(
                    "“%(title)s” was due on %(deadline)s (%(days)d day ago) and is not finished yet. "
                    "Please finish it as soon as you can.",
                    "“%(title)s” was due on %(deadline)s (%(days)d days ago) and is not finished yet. "
                    "Please finish it as soon as you can.",
                    days,
                )
                % params
            )
    return {"subject": subject[:200], "body": body, "url": url[:300]}


# --- reads ----------------------------------------------------------------------------------------


def _current(qs):
    """Members still expected to do the assignment: not left, not completed, active accounts."""
    return qs.filter(left_at__isnull=True, completed_at__isnull=True, user__is_active=True)


def _not_yet_reminded(qs, key, channels: list[str]):
    """Members still missing at least one channel of ``key`` (a rerun skips the rest cheaply).

    ``key`` is a string or an expression over the member (e.g. one naming its assignment).
    """
    missing = Q()
    for channel in channels:
        missing |= ~Exists(Delivery.objects.filter(user_id=OuterRef("user_id"), key=key, channel=channel))
    return qs.filter(missing)


def overdue_members_in_scope(*, user, commune: str | None = None, today: date | None = None):
    """Current members overdue as of ``today`` in ``user``'s scope (commune as recorded when assigned)."""
    today = today or timezone.localdate()
    qs = _current(AssignmentMember.objects.filter(commune__in=communes_in_scope(user), assignment__deadline__lt=today))
    if commune:
        qs = qs.filter(commune_id=commune)
    return qs


def overdue_counts_by_commune(*, user, today: date | None = None) -> list[dict]:
    """``[{"code", "name", "people"}]`` for each commune in scope with someone overdue, by name."""
    rows = (
        overdue_members_in_scope(user=user, today=today)
        .values("commune_id", "commune__name")
        .annotate(people=Count("user_id", distinct=True))
        .order_by("commune__name")
    )
    return [{"code": r["commune_id"], "name": r["commune__name"], "people": r["people"]} for r in rows]


def _batches(qs, size: int = BATCH_SIZE):
    """``qs`` in primary-key order, ``size`` rows at a time (bounded memory).

    Keyset pages rather than one long cursor: we write deliveries while reading, and SQLite gives
    no isolation between a connection's open cursor and its own writes.
    """
    last = 0
    while True:
        batch = list(qs.filter(pk__gt=last).order_by("pk")[:size])
        if not batch:
            return
        yield from batch
        last = batch[-1].pk


# --- writes ------------------------------------------------------------------------------------


def _send(member: AssignmentMember, key: str, message: dict, channels: list[str], counts: Counter) -> bool:
    deliveries = notify(user=member.user, key=key, channels=channels, **message)
    for delivery in deliveries:
        counts[str(delivery.channel if delivery.status == Delivery.Status.SENT else delivery.status)] += 1
    return bool(deliveries)


def reminders_send(*, today: date | None = None, batch_size: int = BATCH_SIZE) -> dict:
    """The daily job: remind current members ``REMINDER_DAYS_BEFORE`` days before each deadline and
    ``REMINDER_DAYS_AFTER`` days after it. Returns messages sent per channel (``{"in_app": 3, ...}``),
    plus ``failed`` / ``skipped`` when a channel could not deliver (e.g. no email address).
    """
    today = today or timezone.localdate()
    channels = reminder_channels()
    plan: dict[date, list[tuple[str, int]]] = {}
    for days in _days_setting("REMINDER_DAYS_BEFORE"):
        plan.setdefault(today + timedelta(days=days), []).append(("before", days))
    for days in _days_setting("REMINDER_DAYS_AFTER"):
        if days:
            plan.setdefault(today - timedelta(days=days), []).append(("after", days))
    counts: Counter = Counter(dict.fromkeys(channels, 0))
    if not channels or not plan:
        return dict(counts)
    for assignment in Assignment.objects.filter(deadline__in=list(plan)).order_by("pk"):
        for kind, days in plan[assignment.deadline]:
            key = f"reminder:{assignment.pk}:{kind}:{days}"
            message = _message(assignment, kind, days)
            members = _not_yet_reminded(_current(assignment.members.all()), key, channels).select_related("user")
            people = sum(_send(m, key, message, channels, counts) for m in _batches(members, batch_size))
            if people:
                logger.info("Reminder %s sent to %d people", key, people)
    return dict(counts)


def remind_overdue_check(*, organiser, commune: str | None = None) -> None:
    """Raise ReminderNotAllowed for someone who is not an organiser or a commune outside their scope,
    ValidationError for an unknown commune."""
    if not is_organiser(organiser):
        raise ReminderNotAllowed(_("Only organisers can send reminders."), code="permission_denied")
    if commune:
        if not Commune.objects.filter(code=commune).exists():
            raise ValidationError({"commune": _("Unknown commune code: %(code)s.") % {"code": commune}})
        if not can_see_commune(organiser, commune):
            raise ReminderNotAllowed(_("This commune is outside your scope."), code="permission_denied")


def _manual_key(today: date):
    """``reminder:{assignment_id}:manual:{day}`` for each member, as a database expression."""
    return Concat(
        Value("reminder:"), Cast(OuterRef("assignment_id"), CharField()), Value(f":manual:{today.isoformat()}")
    )


def overdue_not_yet_reminded(*, organiser, commune: str | None = None, today: date | None = None):
    """The overdue members in scope whom the organiser's reminder of ``today`` has not reached yet."""
    today = today or timezone.localdate()
    return _not_yet_reminded(
        overdue_members_in_scope(user=organiser, commune=commune, today=today), _manual_key(today), reminder_channels()
    )


def remind_overdue_queue(*, organiser, commune: str | None = None, today: date | None = None) -> int:
    """Check the request now and send "remind everyone overdue" in the background.

    Returns how many reminders (person × overdue assignment) are still to be sent today and queues
    the ``campaigns.remind_overdue`` task for them once the caller's transaction commits; 0 queues
    nothing. Pressing twice before the task runs queues it twice, and the second run sends nothing
    (each message claims its (user, key, channel) slot first). Raises as ``remind_overdue_check``.
    """
    from .reminder_tasks import remind_overdue_task

    remind_overdue_check(organiser=organiser, commune=commune)
    today = today or timezone.localdate()
    pending = overdue_not_yet_reminded(organiser=organiser, commune=commune, today=today).count()
    if pending:
        organiser_id, day = organiser.pk, today.isoformat()
        enqueue_on_commit(remind_overdue_task, organiser_id, commune, day)
    return pending


def remind_overdue(*, organiser, commune: str | None = None, today: date | None = None) -> int:
    """Remind everyone overdue in ``organiser``'s scope (or in one of its communes) now.

    Keyed by the day, so pressing the button twice the same day sends once. Returns how many
    reminders (one per person and overdue assignment) this call sent. Raises as
    ``remind_overdue_check``. Pages and the API queue it (``remind_overdue_queue``); the task runs it.
    """
    remind_overdue_check(organiser=organiser, commune=commune)
    today = today or timezone.localdate()
    channels = reminder_channels()
    counts: Counter = Counter()
    messages: dict[int, tuple[str, dict]] = {}
    people = 0
    qs = overdue_not_yet_reminded(organiser=organiser, commune=commune, today=today)
    qs = qs.select_related("user", "assignment")
    for member in _batches(qs):
        assignment = member.assignment
        if assignment.pk not in messages:
            key = f"reminder:{assignment.pk}:manual:{today.isoformat()}"
            messages[assignment.pk] = (key, _message(assignment, "after", (today - assignment.deadline).days))
        key, message = messages[assignment.pk]
        people += _send(member, key, message, channels, counts)
    logger.info("Overdue reminder by user %s (commune %s): %d people, %s", organiser.pk, commune, people, dict(counts))
    return people


def remind_overdue_run(*, organiser_id: int, commune: str | None = None, day: str | None = None) -> dict:
    """The queued "remind everyone overdue": ``{"sent": n}``, or ``{"sent": 0, "refused": reason}`` when
    the organiser lost the role or the scope since pressing the button (nothing is sent then)."""

    organiser = User.objects.filter(pk=organiser_id).first()
    today = date.fromisoformat(day) if day else None
    if organiser is None:
        return {"sent": 0, "refused": "no such user"}
    try:
        return {"sent": remind_overdue(organiser=organiser, commune=commune, today=today)}
    except ValidationError as exc:  # ReminderNotAllowed too
        logger.info("Overdue reminder by user %s (commune %s) refused: %s", organiser_id, commune, exc.messages[0])
        return {"sent": 0, "refused": exc.messages[0]}
