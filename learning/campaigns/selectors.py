"""Reads of assignments with their rules: a learner sees their own; an organiser their scope."""

from django.core.cache import cache
from django.db import transaction

from learning.accounts.scopes import communes_in_scope

from .models import Assignment, AssignmentMember
from .status import status_filter

ASSIGNED_COURSES_KEY = "campaigns:assigned-course-ids"


def assigned_course_ids() -> frozenset[int]:
    """The courses some assignment requires, kept in the shared cache: a course outside it has no member whose
    progress a learner's start or completion changes, which every course start would otherwise ask the
    database. Forgotten whenever an assignment or its courses change (:func:`assigned_courses_changed`)."""
    ids = cache.get(ASSIGNED_COURSES_KEY)
    if ids is None:
        through = Assignment.courses.through
        ids = frozenset(through.objects.values_list("coursepage_id", flat=True).distinct())
        cache.set(ASSIGNED_COURSES_KEY, ids, 60 * 60)
    return ids


def assigned_courses_changed(**_kwargs) -> None:
    """Forget :func:`assigned_course_ids` now and once more after the commit (a request between the two may
    have kept the set as it was before)."""
    cache.delete(ASSIGNED_COURSES_KEY)
    transaction.on_commit(lambda: cache.delete(ASSIGNED_COURSES_KEY))


def my_assignments(*, user):
    """The learner's current mandatory modules, soonest deadline first."""
    if not user.is_authenticated:
        return AssignmentMember.objects.none()
    return (
        AssignmentMember.objects.filter(user=user, left_at__isnull=True)
        .select_related("assignment")
        .prefetch_related("assignment__courses")
        .order_by("assignment__deadline", "assignment__title")
    )


def assignment_people_visible_to(*, user, commune: str | None = None, status: str | None = None):
    """People with mandatory modules in the organiser's scope (commune as recorded when assigned)."""
    qs = AssignmentMember.objects.filter(commune__in=communes_in_scope(user), user__erased_at__isnull=True)
    if commune:
        qs = qs.filter(commune_id=commune)
    if status:
        qs = qs.filter(status_filter(status))
    return qs.select_related("assignment", "user", "commune").order_by(
        "commune__name", "user__full_name", "assignment__deadline"
    )
