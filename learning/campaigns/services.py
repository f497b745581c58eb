"""Writes for campaigns: who is assigned what, and how far they are."""

import copy

from django.db import transaction
from django.db.models import Max, Min, Q
from django.utils import timezone

from learning.accounts.models import User
from learning.core.events import publish
from learning.progress.models import Enrolment

from .events import MembershipsChanged
from .models import Assignment, AssignmentMember
from .selectors import assigned_course_ids


def _applicable(user):
    """Assignments whose group and scope include ``user`` today."""
    if not user.commune_id:
        return Assignment.objects.none()
    groups = list(user.target_groups.values_list("code", flat=True))
    return (
        Assignment.objects.filter(target_group_id__in=groups, province_id=user.commune.province_id)
        .filter(Q(communes__isnull=True) | Q(communes=user.commune_id))
        .distinct()
    )


def member_refresh_progress(member: AssignmentMember) -> AssignmentMember:
    """Started when any required course is started; completed when all of them are complete."""
    course_ids = list(member.assignment.courses.values_list("pk", flat=True))
    enrolments = Enrolment.objects.filter(user_id=member.user_id, course_id__in=course_ids)
    agg = enrolments.aggregate(first=Min("enrolled_at"), last=Max("completed_at"))
    done = enrolments.filter(completed_at__isnull=False).count()
    started = agg["first"]
    completed = agg["last"] if course_ids and done == len(course_ids) else None
    if (member.started_at, member.completed_at) != (started, completed):
        member.started_at, member.completed_at = started, completed
        member.save(update_fields=["started_at", "completed_at"])
        publish(MembershipsChanged(members=(member,)))
    return member


@transaction.atomic
def assignments_sync_user(*, user) -> list[AssignmentMember]:
    """Give ``user`` the assignments of their groups and commune; mark the ones they left.

    Someone who leaves the group or the scope keeps their record (and what they completed);
    it simply stops being theirs to do.
    """
    now = timezone.now()
    applicable = list(_applicable(user))
    members = []
    for assignment in applicable:
        member, created = AssignmentMember.objects.get_or_create(
            assignment=assignment, user=user, defaults={"commune_id": user.commune_id, "assigned_at": now}
        )
        if not created and (member.left_at is not None or member.commune_id != user.commune_id):
            before = copy.copy(member)  # the commune-days it counted in until now change too
            if member.completed_at is None:
                member.commune_id = user.commune_id
            member.left_at = None
            member.save(update_fields=["left_at", "commune"])
            publish(MembershipsChanged(members=(before, member)))
        elif created:
            publish(MembershipsChanged(members=(member,)))
        members.append(member_refresh_progress(member))
    leaving = list(
        AssignmentMember.objects.filter(user=user, left_at__isnull=True, completed_at__isnull=True).exclude(
            assignment__in=applicable
        )
    )
    if leaving:
        AssignmentMember.objects.filter(pk__in=[m.pk for m in leaving]).update(left_at=now)
        for member in leaving:
            member.left_at = now
        publish(MembershipsChanged(members=tuple(leaving)))
    return members


def assignment_populate(*, assignment: Assignment, batch_size: int = 2000) -> int:
    """Create the members of a new or edited assignment; returns how many were added."""
    users = User.objects.filter(
        target_groups=assignment.target_group_id, commune__province_id=assignment.province_id, is_active=True
    )
    commune_codes = list(assignment.communes.values_list("code", flat=True))
    if commune_codes:
        users = users.filter(commune_id__in=commune_codes)
    existing = set(AssignmentMember.objects.filter(assignment=assignment).values_list("user_id", flat=True))
    now = timezone.now()
    new = [
        AssignmentMember(assignment=assignment, user_id=user_id, commune_id=commune_id, assigned_at=now)
        for user_id, commune_id in users.values_list("pk", "commune_id").distinct()
        if user_id not in existing
    ]
    AssignmentMember.objects.bulk_create(new, batch_size=batch_size, ignore_conflicts=True)
    publish(MembershipsChanged(members=tuple(new)))
    for member in AssignmentMember.objects.filter(
        assignment=assignment, user_id__in=[m.user_id for m in new]
    ).select_related("assignment"):
        member_refresh_progress(member)
    return len(new)


def members_refresh_for_course(*, user, course) -> None:
    """After ``user`` started or completed ``course``: update their assignments that require it."""
    if course.pk not in assigned_course_ids():
        return
    for member in AssignmentMember.objects.filter(user=user, assignment__courses=course).select_related("assignment"):
        member_refresh_progress(member)
