"""Personal data kept no longer than needed: a nightly task (``site.forget_old_records``) deletes, in batches
so no table is locked for long,

- access-log entries (who viewed whose personal data) older than ``ACCESS_LOG_RETENTION_DAYS``;
- one-time SMS codes (activation, phone verification, password reset) ``CODE_RETENTION_DAYS`` after they
  expired or were used;
- notifications sent, failed or skipped more than ``NOTIFICATION_RETENTION_DAYS`` ago (their unique key only
  guards against sending twice around the time they are sent);
- expired sessions.

Sign-in failures are never written to the database: they live in the cache and expire by themselves after
``SIGNIN_LOCKOUT_MINUTES``.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from learning.accounts.activation_models import ActivationCode
from learning.audit.models import PersonalDataAccess
from learning.notifications.models import Delivery

BATCH_SIZE = 2000


def delete_in_batches(queryset: QuerySet, *, batch_size: int = BATCH_SIZE) -> int:
    """Delete what ``queryset`` selects, ``batch_size`` rows per statement; returns how many rows went."""
    model = queryset.model
    deleted = 0
    while True:
        keys = list(queryset.order_by().values_list("pk", flat=True)[:batch_size])
        if not keys:
            return deleted
        deleted += model.objects.filter(pk__in=keys).delete()[0]


def _before(days: int, now):
    return now - timedelta(days=days)


def forget_old_records(*, now=None, batch_size: int = BATCH_SIZE) -> dict[str, int]:
    """Delete every record past its retention time; returns how many of each kind went."""
    now = now or timezone.now()
    codes_cutoff = _before(settings.CODE_RETENTION_DAYS, now)
    sent_cutoff = _before(settings.NOTIFICATION_RETENTION_DAYS, now)
    finished = [Delivery.Status.SENT, Delivery.Status.FAILED, Delivery.Status.SKIPPED]
    old = {
        "access_log": PersonalDataAccess.objects.filter(at__lt=_before(settings.ACCESS_LOG_RETENTION_DAYS, now)),
        "codes": ActivationCode.objects.filter(Q(expires_at__lt=codes_cutoff) | Q(used_at__lt=codes_cutoff)),
        "notifications": Delivery.objects.alias(done=Coalesce("sent_at", "created_at")).filter(
            status__in=finished, done__lt=sent_cutoff
        ),
        "sessions": Session.objects.filter(expire_date__lt=now),
    }
    return {name: delete_in_batches(queryset, batch_size=batch_size) for name, queryset in old.items()}
