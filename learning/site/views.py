from django.http import HttpResponseServerError, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from learning.core.replicas import replica_aliases, replicas_state

from . import health


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
    if replica_aliases():  # shown, not counted: while a replica is away the primary serves its reads
        body["replicas"] = replicas_state()
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
