import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
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


# Seconds a client is asked to wait when the database cannot be reached (a restart takes about as long).
DATABASE_AWAY_RETRY_AFTER = 15


def server_error(request):
    """The 500 page: the site's page (navigation, the visitor's language) when it can be drawn, else the plain
    page without context (``500.html``) — an error page must never fail itself.

    When the failure is the database being out of reach (a restart, a failover), the answer is 503 with
    ``Retry-After`` instead: nothing is wrong with the request, it will work in a moment. Under ``/api/`` the
    JSON error middleware turns either into ``{"detail": …}``."""
    from django.template import loader

    database_away = isinstance(sys.exc_info()[1], (OperationalError, InterfaceError))
    try:
        if database_away:
            raise LookupError  # the full page needs the database: straight to the plain one
        body = loader.render_to_string("500_site.html", request=request)
    except Exception:  # the failure may be in what the full page needs (the database, a context processor)
        body = loader.get_template("500.html").render()
    response = HttpResponse(body, status=503 if database_away else 500)
    if database_away:
        response["Retry-After"] = str(DATABASE_AWAY_RETRY_AFTER)
    return response
