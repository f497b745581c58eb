"""What a web worker does once, before its first request (gunicorn's ``post_worker_init``, deploy/gunicorn.conf.py),
so that the first organiser after a restart does not pay for it: the URL patterns imported (every view
module with them) and their reverse map built, the Vietnamese catalogue loaded, the pages' templates read,
the database connection opened. The figures themselves are in the shared cache (``selectors.dashboards_warm``)."""

from django.conf import settings
from django.db import connection
from django.template.loader import get_template
from django.urls import get_resolver, reverse
from django.utils import translation

TEMPLATES = ("stats/dashboard.html", "stats/commune.html", "stats/people.html", "stats/person.html")


def worker_warm() -> None:
    get_resolver().url_patterns  # noqa: B018 - imports the URLconf and the views
    reverse("stats:dashboard")  # builds the reverse map
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            translation.gettext("Statistics")  # loads the catalogue
    for name in TEMPLATES:
        get_template(name)
    connection.ensure_connection()
