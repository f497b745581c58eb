"""The learner's on-site notifications: marking them read (the inbox itself is a template tag)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .models import Channel, Delivery


def _next_url(request) -> str:
    url = request.POST.get("next")
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure()):
        return url
    return "/"


def _mark_read(*, user, pk: int | None = None) -> int:
    """Mark ``user``'s unread on-site notification ``pk`` (or all of them) read; someone else's is untouched."""
    qs = Delivery.objects.filter(user=user, channel=Channel.IN_APP, read_at__isnull=True)
    if pk is not None:
        qs = qs.filter(pk=pk)
    return qs.update(read_at=timezone.now())


@login_required
@require_POST
def mark_read(request, pk: int):
    _mark_read(user=request.user, pk=pk)
    return redirect(_next_url(request))


@login_required
@require_POST
def mark_all_read(request):
    _mark_read(user=request.user)
    return redirect(_next_url(request))
