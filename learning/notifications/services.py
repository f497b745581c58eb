"""Sending a message to a person through their channels, at most once per (key, channel)."""

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Channel, Delivery
from .sms import SmsError, get_backend


def _claim(user, key, channel, subject, body, url) -> Delivery | None:
    """Reserve the (user, key, channel) slot; None when it was already taken (sent or being sent)."""
    try:
        with transaction.atomic():
            return Delivery.objects.create(user=user, key=key, channel=channel, subject=subject, body=body, url=url)
    except IntegrityError:
        return None


def _deliver(delivery: Delivery) -> None:
    user = delivery.user
    if delivery.channel == Channel.IN_APP:
        delivery.status = Delivery.Status.SENT
    elif delivery.channel == Channel.EMAIL:
        if not user.email:
            delivery.status = Delivery.Status.SKIPPED
        else:
            send_mail(delivery.subject, f"{delivery.body}\n\n{delivery.url}".strip(), None, [user.email])
            delivery.status = Delivery.Status.SENT
    elif delivery.channel == Channel.SMS:
        try:
            get_backend().send(user.phone, f"{delivery.body} {delivery.url}".strip())
            delivery.status = Delivery.Status.SENT
        except SmsError as exc:
            delivery.status, delivery.error = Delivery.Status.FAILED, str(exc)[:300]
    delivery.sent_at = timezone.now()
    delivery.save(update_fields=["status", "error", "sent_at"])


def notify(
    *, user, key: str, body: str, subject: str = "", url: str = "", channels=(Channel.IN_APP,)
) -> list[Delivery]:
    """Send ``body`` to ``user`` through ``channels``; a (key, channel) already used sends nothing.

    The slot is claimed in its own transaction before sending: running the same job twice, at once
    or one after the other, sends one message. A worker that dies after claiming leaves the slot
    "claimed" — not sent twice, and visible to operators.
    """
    sent = []
    for channel in channels:
        delivery = _claim(user, key, channel, subject, body, url)
        if delivery is not None:
            _deliver(delivery)
            sent.append(delivery)
    return sent


def inbox(*, user, limit: int = 20):
    return Delivery.objects.filter(user=user, channel=Channel.IN_APP).order_by("-created_at")[:limit]
