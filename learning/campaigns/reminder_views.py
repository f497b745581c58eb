"""The organiser's "remind everyone overdue" page: overdue people per commune in scope, one button each.

The button queues the sending (a Celery task) and comes back at once with a "sending" message."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from learning.accounts.decorators import organiser_required

from .reminders import ReminderNotAllowed, overdue_counts_by_commune, remind_overdue_queue

REMINDERS_ONLY = gettext_lazy("Only organisers can send reminders, and only to people in their own area.")


@organiser_required(message=REMINDERS_ONLY)
@require_http_methods(["GET", "POST"])
def overdue(request):
    if request.method == "POST":
        commune = request.POST.get("commune", "").strip() or None
        try:
            queued = remind_overdue_queue(organiser=request.user, commune=commune)
        except ReminderNotAllowed:
            raise PermissionDenied(REMINDERS_ONLY) from None
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return _render(request, status=400)
        if queued:
            messages.success(
                request,
                ngettext(
                    "Sending %(n)d reminder in the background. It may take a few minutes to reach everyone.",
                    "Sending %(n)d reminders in the background. They may take a few minutes to reach everyone.",
                    queued,
                )
                % {"n": queued},
            )
        else:
            messages.info(request, _("Nothing to send: everyone overdue here has already been reminded today."))
        return redirect("campaign_reminders:overdue")
    return _render(request)


def _render(request, status: int = 200):
    rows = overdue_counts_by_commune(user=request.user)
    return render(
        request,
        "campaigns/reminders/overdue.html",
        {"rows": rows, "total": sum(r["people"] for r in rows)},
        status=status,
    )
