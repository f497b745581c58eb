"""The status of a person's mandatory module, defined once.

A status is the first row of ``RULE`` whose facts all hold. The same facts are read three ways: on a
membership in Python (``member_status``, used by ``AssignmentMember.status``), as a database filter
(``status_filter``, used by the organiser's lists and the API), and day by day by the statistics
(``learning.stats.fill`` asks ``completed_late`` and ``first_overdue_day``).
"""

import datetime as dt

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AssignmentStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    COMPLETED_LATE = "completed_late", _("Completed late")
    OVERDUE = "overdue", _("Overdue")


RULE: tuple[tuple[str, dict[str, bool]], ...] = (
    (AssignmentStatus.COMPLETED, {"completed": True, "late": False}),
    (AssignmentStatus.COMPLETED_LATE, {"completed": True, "late": True}),
    (AssignmentStatus.OVERDUE, {"completed": False, "past_deadline": True}),
    (AssignmentStatus.IN_PROGRESS, {"completed": False, "past_deadline": False, "started": True}),
    (AssignmentStatus.NOT_STARTED, {"completed": False, "past_deadline": False, "started": False}),
)


def completed_late(completed_on: dt.date, deadline: dt.date) -> bool:
    """Completed after the deadline day (the deadline day itself is on time)."""
    return completed_on > deadline


def first_overdue_day(deadline: dt.date) -> dt.date:
    """An unfinished module is overdue from the day after its deadline."""
    return deadline + dt.timedelta(days=1)


def member_status(*, deadline: dt.date, started: bool, completed_on: dt.date | None, today: dt.date) -> str:
    facts = {
        "completed": completed_on is not None,
        "late": completed_on is not None and completed_late(completed_on, deadline),
        "past_deadline": today >= first_overdue_day(deadline),
        "started": started,
    }
    return next(status for status, needs in RULE if all(facts[name] == value for name, value in needs.items()))


def _fact_filters(today: dt.date) -> dict[str, Q]:
    """Each fact as a filter on ``AssignmentMember`` (dates in the site's time zone, as above)."""
    return {
        "completed": Q(completed_at__isnull=False),
        "late": ~Q(completed_at__date__lte=F("assignment__deadline")),
        "past_deadline": Q(assignment__deadline__lt=today),
        "started": Q(started_at__isnull=False),
    }


def status_filter(status: str, today: dt.date | None = None) -> Q:
    """The memberships with ``status`` as of ``today``, as a database filter."""
    facts = _fact_filters(today or timezone.localdate())
    needs = dict(RULE)[status]
    query = Q()
    for name, value in needs.items():
        query &= facts[name] if value else ~facts[name]
    return query
