"""Reads of a person's notifications: the on-site inbox."""

from .models import Channel, Delivery


def unread_for(user, limit: int = 5):
    """The latest unread on-site notifications of ``user``, newest first (none for anonymous visitors)."""
    if not getattr(user, "is_authenticated", False):
        return Delivery.objects.none()
    return Delivery.objects.filter(
        user=user, channel=Channel.IN_APP, status=Delivery.Status.SENT, read_at__isnull=True
    ).order_by("-created_at", "-pk")[:limit]
