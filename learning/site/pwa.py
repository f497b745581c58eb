"""The site as an app a phone can install and read without signal: the web app manifest, the service worker
(``templates/site/sw.js``), the offline page, and what a course download contains.

The service worker is versioned by a hash of the site's static files and of its own text: any release that
changes either makes browsers install the new worker, which drops the old release's shell (pages stay)."""

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import get_template, render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from courses.models import CoursePage
from courses.selectors import course_get
from learning.progress.offline import course_offline_bundle

NAME = "Bình dân học vụ số"
THEME_COLOUR = "#b91c1c"  # the header's red (static/css/site.css)
SHELL = ["css/site.css", "js/site.js", "img/favicon.svg", "img/icon-192.png"]


def _shell_urls() -> list[str]:
    return [static(path) for path in SHELL] + [reverse("offline")]


@lru_cache(maxsize=1)
def release_version() -> str:
    """A hash of every static file of the site and of the worker's own text: a new release, a new worker."""
    digest = hashlib.sha256()
    for directory in settings.STATICFILES_DIRS:
        for path in sorted(Path(directory).rglob("*")):
            if path.is_file():
                digest.update(str(path.relative_to(directory)).encode())
                digest.update(path.read_bytes())
    digest.update(Path(get_template("site/sw.js").origin.name).read_bytes())
    digest.update(json.dumps(_shell_urls()).encode())
    return digest.hexdigest()[:12]


@require_GET
def service_worker(request):
    """``/sw.js``: served from the site root so it may look after every page.

    Browsers check for a new worker on every navigation. Five minutes of HTTP cache (the page registers it
    with ``updateViaCache: "all"``) answer those checks from the phone while a learner reads lesson after
    lesson, so the worker adds no request to a visit; a new release reaches a phone on its first visit five
    minutes after the last check. Pages come from the network first, so an old worker never pins an old page.
    """
    body = render_to_string(
        "site/sw.js",
        {
            "version": release_version(),
            "assets": json.dumps(_shell_urls()),
            "offline_url": reverse("offline"),
            "static_url": settings.STATIC_URL,
            "media_url": settings.MEDIA_URL,
        },
    )
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "max-age=300"
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def manifest(request):
    """The web app manifest: the name on the home screen, the icons, the colours."""
    icons = [
        {"src": static("img/icon-192.png"), "sizes": "192x192", "type": "image/png"},
        {"src": static("img/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        {"src": static("img/icon-maskable-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
        {"src": static("img/favicon.svg"), "sizes": "any", "type": "image/svg+xml"},
    ]
    body = {
        "name": NAME,
        "short_name": "Học vụ số",
        "description": _(
            "Free short courses on data, digital skills and artificial intelligence for everyone in Quảng Ninh."
        ),
        "lang": "vi",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#f8fafc",
        "theme_color": THEME_COLOUR,
        "icons": icons,
    }
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    response["Cache-Control"] = "max-age=86400"
    return response


@require_GET
def offline_page(request):
    """What the phone shows for a page it has not kept: the courses it has (listed by the script)."""
    return render(request, "site/offline.html")


@never_cache
@require_GET
def course_offline(request, course_id: int):
    """``/learning/courses/<id>/offline/``: the pages and files to download for reading ``course_id`` offline."""
    try:
        course = course_get(course_id=course_id)
    except CoursePage.DoesNotExist:
        raise Http404(_("This course does not exist or is not published.")) from None
    return JsonResponse(
        course_offline_bundle(user=request.user, course=course), json_dumps_params={"ensure_ascii": False}
    )


def viewer_mark(user) -> str:
    """Who a page was made for, without saying who: the same for every page of one signed-in person. The
    service worker keeps pages for one person only and forgets them all when a page arrives made for someone
    else or for nobody (signed out)."""
    if not user.is_authenticated:
        return "-"
    return salted_hmac("viewer", str(user.pk)).hexdigest()[:16]
