"""Every saved learner record marks the commune-days it counts in, in the same transaction.

Receivers rather than calls in each service, so that every path that writes a record (services, the admin,
imports) keeps the counts current. Bulk writes (``bulk_create``, ``update``) send no signals: those services
call :func:`learning.stats.services.mark_many` themselves, and the hourly and nightly fills reconcile.
"""

from django.db.models.signals import m2m_changed, post_delete, post_init, post_save

from learning.accounts.models import User
from learning.campaigns.models import AssignmentMember
from learning.progress.models import Enrolment, LessonCompletion, QuizAttempt

from . import services

QUIET_UPDATES = {frozenset({"last_login"}), frozenset({"last_activity_at"}), frozenset({"password"})}


def _quiet(update_fields) -> bool:
    return update_fields is not None and frozenset(update_fields) in QUIET_UPDATES


def _remember_commune(sender, instance, **kwargs):
    instance._stats_commune_id = instance.commune_id


def _user_saved(sender, instance, created, update_fields=None, **kwargs):
    if _quiet(update_fields):
        return
    before = getattr(instance, "_stats_commune_id", None)
    if created or before != instance.commune_id:
        services.mark_many([(instance.date_joined, before), (instance.date_joined, instance.commune_id)])
    instance._stats_commune_id = instance.commune_id


def _user_deleted(sender, instance, **kwargs):
    services.mark(instance.date_joined, instance.commune_id)


def _groups_changed(sender, instance, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear") and isinstance(instance, User):
        services.mark_user(instance.pk)


def _stamps(instance, *names):
    return [(getattr(instance, name), instance.commune_id) for name in names if getattr(instance, name, None)]


def _enrolment_saved(sender, instance, update_fields=None, **kwargs):
    if not _quiet(update_fields):
        services.mark_many(_stamps(instance, "enrolled_at", "completed_at"))


def _completion_saved(sender, instance, **kwargs):
    services.mark_many(_stamps(instance, "completed_at"))


def _attempt_saved(sender, instance, **kwargs):
    services.mark_many(_stamps(instance, "submitted_at"))


def _member_saved(sender, instance, **kwargs):
    services.mark_many(_stamps(instance, "assigned_at", "completed_at", "left_at"))


def connect():
    post_init.connect(_remember_commune, sender=User, dispatch_uid="stats-user-init")
    post_save.connect(_user_saved, sender=User, dispatch_uid="stats-user")
    post_delete.connect(_user_deleted, sender=User, dispatch_uid="stats-user-delete")
    m2m_changed.connect(_groups_changed, sender=User.target_groups.through, dispatch_uid="stats-groups")
    for model, receiver in (
        (Enrolment, _enrolment_saved),
        (LessonCompletion, _completion_saved),
        (QuizAttempt, _attempt_saved),
        (AssignmentMember, _member_saved),
    ):
        post_save.connect(receiver, sender=model, dispatch_uid=f"stats-{model.__name__}")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"stats-{model.__name__}-delete")
