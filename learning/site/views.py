from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import health
from .personal_data import personal_data_counts, personal_data_zip


@never_cache
@require_GET
def healthz(request):
    """200 with the database's and broker's state when both answer, else 503.

    ``?worker=1`` also asks which queues the workers consume and how many messages wait, and sends a task
    through the ``interactive`` queue and waits for a worker to run it: 503, with ``problems`` saying what is
    missing, when a required queue has no worker or the task was not run.
    """
    body = {"database": health.database_state(), "broker": health.broker_state()}
    healthy = body["database"] == "ok" and not body["broker"].startswith("error")
    if request.GET.get("worker") == "1":
        body.update(health.workers_state())
        healthy = healthy and not body["problems"]
    body["status"] = "ok" if healthy else "error"
    return JsonResponse(body, status=200 if healthy else 503)


def server_error(request):
    """The 500 page: the site's page (navigation, the visitor's language) when it can be drawn, else the plain
    page without context (``500.html``) — an error page must never fail itself."""
    from django.template import loader

    try:
        body = loader.render_to_string("500_site.html", request=request)
    except Exception:  # the failure may be in what the full page needs (the database, a context processor)
        body = loader.get_template("500.html").render()
    return HttpResponseServerError(body)


_TABLE_NAMES = {
    "roles": _("Roles"),
    "enrolments": _("Courses started"),
    "lesson_completions": _("Lessons completed"),
    "quiz_attempts": _("Quiz attempts"),
    "quiz_answers": _("Quiz answers"),
    "mandatory_modules": _("Mandatory modules"),
    "certificates": _("Certificates"),
    "messages": _("Messages"),
}


@login_required
@require_GET
def my_data(request):
    """The “My data” page: what the site holds about the signed-in person, and the link to download it all."""
    counts = [(_TABLE_NAMES[name], n) for name, n in personal_data_counts(request.user).items() if name in _TABLE_NAMES]
    return render(request, "site/my_data.html", {"counts": counts})


@never_cache
@login_required
@require_GET
def my_data_download(request):
    """Everything held about the signed-in person (``personal_data.personal_data_zip``), as a zip."""
    response = HttpResponse(personal_data_zip(request.user), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="du-lieu-cua-toi.zip"'
    return response
