from django.http import HttpResponseServerError, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import health


@never_cache
@require_GET
def healthz(request):
    """200 with the database's and broker's state when the database answers, else 503.

    ``?worker=1`` also sends a task and waits for a worker to run it.
    """
    body = {"database": health.database_state(), "broker": health.broker_state()}
    if request.GET.get("worker") == "1":
        body["worker"] = health.worker_roundtrip()
    healthy = body["database"] == "ok" and not body["broker"].startswith("error")
    if "worker" in body:
        healthy = healthy and not body["worker"].startswith("error")
    body["status"] = "ok" if healthy else "error"
    status = 200 if body["database"] == "ok" and healthy else 503
    return JsonResponse(body, status=status)


def server_error(request):
    """The 500 page: the site's page (navigation, the visitor's language) when it can be drawn, else the plain
    page without context (``500.html``) — an error page must never fail itself."""
    from django.template import loader

    try:
        body = loader.render_to_string("500_site.html", request=request)
    except Exception:  # the failure may be in what the full page needs (the database, a context processor)
        body = loader.get_template("500.html").render()
    return HttpResponseServerError(body)
