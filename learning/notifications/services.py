"""Sending a message to a person through their channels: once per (person, key, channel), never lost.

Each message is a ``Delivery`` row, recorded ``pending`` before anything is sent. A sender claims one
row at a time (an UPDATE that only one sender can win: ``pending``, or ``sending``/``failed`` whose
``next_try_at`` has passed), marks it ``sent`` only after the provider accepted it, and ``failed`` with
the error and a later try otherwise. ``deliveries_retry`` (beat, every minute) claims again what a dead
sender left ``sending`` and what failed, with back-off, up to ``NOTIFICATIONS_MAX_ATTEMPTS`` tries; after
that the failure stays visible. The row's id is the provider's idempotency key, the same on every try.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

from learning.core.enqueue import enqueue_on_commit

from .models import Channel, Delivery
from .sms import SmsError, get_backend

logger = logging.getLogger(__name__)

# Texts made at send time for keys that start with a prefix: messages holding a secret (a one-time code)
# keep only a masked copy in ``body``; the renderer rebuilds the real text, or returns None when there is
# nothing to send any more (the row is then marked skipped).
_renderers: dict[str, Callable[[Delivery], str | None]] = {}


def sms_renderer(prefix: str):
    """Register ``function(delivery) -> text | None`` as the text of the SMS whose key starts with ``prefix``."""

    def register(function):
        _renderers[prefix] = function
        return function

    return register


def derived_code(purpose: str, seed: str, digits: int = 6) -> str:
    """A numeric code made from the site's secret key and ``seed``: the same seed gives the same code, so
    only its hash needs storing and a retried message carries the code that was first sent."""
    value = int(salted_hmac(f"learning.notifications.code.{purpose}", seed, algorithm="sha256").hexdigest(), 16)
    return f"{value % 10**digits:0{digits}d}"


def _seconds(name: str) -> timedelta:
    return timedelta(seconds=getattr(settings, name))


def retry_delay(attempts: int) -> timedelta:
    """How long a failed message waits before its next try: doubled each time, at most an hour."""
    base = settings.NOTIFICATIONS_RETRY_SECONDS
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 3600))


# --- recording ---------------------------------------------------------------------------------------------


def deliveries_record(*, rows: list[tuple[int, str]], channel: str, body: str, url: str = "", subject: str = ""):
    """Record a pending message for each (user id, key) that has none on ``channel``; rows already there (in
    any state) are left as they are. Returns the ids of every row for those keys, pending or not."""
    now = timezone.now()
    due = now + _seconds("NOTIFICATIONS_PENDING_GRACE_SECONDS")
    Delivery.objects.bulk_create(
        [
            Delivery(
                user_id=uid,
                key=key,
                channel=channel,
                subject=subject,
                body=body,
                url=url,
                created_at=now,
                next_try_at=due,
            )
            for uid, key in rows
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )
    ids = []
    for start in range(0, len(rows), 2000):
        chunk = rows[start : start + 2000]
        found = Delivery.objects.filter(
            channel=channel, user_id__in=[uid for uid, _key in chunk], key__in={key for _uid, key in chunk}
        ).values_list("pk", "user_id", "key")
        wanted = set(chunk)
        ids += [pk for pk, uid, key in found if (uid, key) in wanted]
    return sorted(ids)


def sms_send(*, user, key: str, text: str, url: str = "") -> Delivery:
    """Send ``text`` to ``user``'s phone once for ``key``: the row is recorded now and sent by a worker
    once the caller's transaction commits (or by the sweeper if that never happens). A key already used
    returns its row and sends nothing. For a text holding a secret, pass it masked and register a
    renderer for the key's prefix (``sms_renderer``)."""
    from .tasks import send_deliveries

    ids = deliveries_record(rows=[(user.pk, key)], channel=Channel.SMS, body=text, url=url)
    delivery = Delivery.objects.get(pk=ids[0])
    if delivery.status == Delivery.Status.PENDING:
        enqueue_on_commit(send_deliveries, [delivery.pk])  # a broker that does not answer: the sweep sends it
    return delivery


# --- sending -----------------------------------------------------------------------------------------------


def _claimable(now) -> Q:
    return Q(status=Delivery.Status.PENDING) | Q(
        status__in=[Delivery.Status.SENDING, Delivery.Status.FAILED], next_try_at__lte=now
    )


def _claim(pk: int) -> Delivery | None:
    """Take one row for this sender until its lease ends; None when someone else has it or it is done."""
    now = timezone.now()
    claimed = (
        Delivery.objects.filter(_claimable(now), pk=pk)
        .filter(attempts__lt=settings.NOTIFICATIONS_MAX_ATTEMPTS)
        .update(
            status=Delivery.Status.SENDING,
            attempts=F("attempts") + 1,
            next_try_at=now + _seconds("NOTIFICATIONS_SEND_LEASE_SECONDS"),
        )
    )
    return Delivery.objects.select_related("user").get(pk=pk) if claimed else None


def _finish(delivery: Delivery, status: str, error: str = "") -> None:
    """Record the outcome of this sender's try (a sender whose lease was taken over records nothing)."""
    now = timezone.now()
    next_try = None
    if status == Delivery.Status.FAILED and delivery.attempts < settings.NOTIFICATIONS_MAX_ATTEMPTS:
        next_try = now + retry_delay(delivery.attempts)
    Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.SENDING, attempts=delivery.attempts).update(
        status=status, error=error[:300], next_try_at=next_try, sent_at=now
    )
    delivery.status, delivery.error, delivery.next_try_at, delivery.sent_at = status, error[:300], next_try, now


def _text(delivery: Delivery) -> str | None:
    for prefix, render in _renderers.items():
        if delivery.key.startswith(prefix):
            return render(delivery)
    return f"{delivery.body} {delivery.url}".strip()


def _deliver(delivery: Delivery) -> None:
    """Send a claimed row and record the outcome."""
    user = delivery.user
    if delivery.channel == Channel.IN_APP:
        _finish(delivery, Delivery.Status.SENT)
    elif delivery.channel == Channel.EMAIL:
        if not user.email:
            _finish(delivery, Delivery.Status.SKIPPED)
            return
        try:
            send_mail(delivery.subject, f"{delivery.body}\n\n{delivery.url}".strip(), None, [user.email])
        except (smtplib.SMTPException, OSError) as exc:
            _finish(delivery, Delivery.Status.FAILED, str(exc))
        else:
            _finish(delivery, Delivery.Status.SENT)
    elif delivery.channel == Channel.SMS:
        text = _text(delivery)
        # An account without a real number (erased, or made by an identity provider that proved none).
        if not getattr(user, "phone_reachable", bool(user.phone)) or text is None:
            _finish(delivery, Delivery.Status.SKIPPED)
            return
        try:
            get_backend().send(user.phone, text, key=f"delivery-{delivery.pk}")
        except SmsError as exc:
            _finish(delivery, Delivery.Status.FAILED, str(exc))
        else:
            _finish(delivery, Delivery.Status.SENT)


def deliveries_send(ids) -> int:
    """Send the rows ``ids`` one at a time (each claimed first, marked after); returns how many this call
    sent. Rows sent, being sent by someone else, or waiting for a later try are passed over."""
    sent = 0
    for pk in ids:
        delivery = _claim(pk)
        if delivery is None:
            continue
        _deliver(delivery)
        sent += delivery.status == Delivery.Status.SENT
    return sent


def deliveries_due(limit: int = 500) -> list[int]:
    """Rows the sweeper should try now: never sent, left by a dead sender, or failed and due again."""
    now = timezone.now()
    return list(
        Delivery.objects.filter(
            status__in=[Delivery.Status.PENDING, Delivery.Status.SENDING, Delivery.Status.FAILED],
            next_try_at__lte=now,
            attempts__lt=settings.NOTIFICATIONS_MAX_ATTEMPTS,
        )
        .order_by("next_try_at")
        .values_list("pk", flat=True)[:limit]
    )


def deliveries_retry(limit: int = 500) -> int:
    """The sweep: send what is due; rows out of attempts while "sending" are marked failed for good."""
    now = timezone.now()
    Delivery.objects.filter(
        status=Delivery.Status.SENDING, next_try_at__lte=now, attempts__gte=settings.NOTIFICATIONS_MAX_ATTEMPTS
    ).update(status=Delivery.Status.FAILED, next_try_at=None, error="the sender stopped on every try")
    return deliveries_send(deliveries_due(limit))


def notify(
    *, user, key: str, body: str, subject: str = "", url: str = "", channels=(Channel.IN_APP,)
) -> list[Delivery]:
    """Send ``body`` to ``user`` through ``channels`` now; a (key, channel) already used sends nothing.

    The row is recorded in its own transaction before sending: running the same job twice, at once or
    one after the other, sends one message. A sender that dies leaves the row for the sweeper."""
    sent = []
    for channel in channels:
        try:
            with transaction.atomic():
                delivery = Delivery.objects.create(
                    user=user,
                    key=key,
                    channel=channel,
                    subject=subject,
                    body=body,
                    url=url,
                    next_try_at=timezone.now() + _seconds("NOTIFICATIONS_PENDING_GRACE_SECONDS"),
                )
        except IntegrityError:
            continue
        claimed = _claim(delivery.pk)
        if claimed is not None:
            _deliver(claimed)
            sent.append(claimed)
    return sent


def inbox(*, user, limit: int = 20):
    return Delivery.objects.filter(user=user, channel=Channel.IN_APP).order_by("-created_at")[:limit]
