"""What a web worker does once, before its first request (gunicorn's ``post_worker_init``, deploy/gunicorn.conf.py),
so that the first organiser after a restart does not pay for it: the URL patterns imported (every view
module with them) and their reverse maps built in every language, the context processors, the message storage
and the cache backend imported, the Vietnamese catalogue and formats loaded, the phone numbering plan read, the
pages' templates (and those they extend or include) compiled, the database connection opened, and what each
process reads once from it: the server's Vietnamese collation, the catalogue's address and the live courses
the filters list. gunicorn has built the WSGI handler, middleware included, before this runs. The figures
themselves are in the shared cache (``selectors.dashboards_warm``)."""

import contextlib
import logging

import phonenumbers
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.template import engines
from django.template.loader import get_template
from django.urls import NoReverseMatch, get_resolver, reverse
from django.utils import formats, translation
from django.utils.module_loading import import_string

from courses import page_cache
from learning.localities.collation import postgresql_collation

from .selectors import course_list

logger = logging.getLogger(__name__)

# The organiser's pages and every template they extend or include (compiled on first use otherwise).
TEMPLATES = (
    "base.html",
    "stats/_base.html",
    "stats/_filters.html",
    "stats/_replica_notice.html",
    "stats/_scroll_hint.html",
    "stats/_weeks_table.html",
    "stats/dashboard.html",
    "stats/commune.html",
    "stats/people.html",
    "stats/person.html",
)


def _namespaces(resolver, prefix: str = ""):
    for name, (_pattern, below) in resolver.namespace_dict.items():
        yield prefix + name
        yield from _namespaces(below, f"{prefix}{name}:")


def _reverse_maps() -> None:
    """Builds the reverse map of every URL namespace for the active language (Django builds each on the first
    ``reverse``/``{% url %}`` into it, before looking for the name; a page's header and links reach several)."""
    for namespace in _namespaces(get_resolver()):
        with contextlib.suppress(NoReverseMatch):
            reverse(f"{namespace}:-")


def worker_warm() -> None:
    get_resolver().url_patterns  # noqa: B018 - imports the URLconf and the views
    reverse("stats:dashboard")
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            translation.gettext("Statistics")  # loads the catalogue
            formats.get_format("DATE_FORMAT")  # and the language's formats
            _reverse_maps()
    engines["django"].engine.template_context_processors  # noqa: B018 - imports the context processors
    import_string(settings.MESSAGE_STORAGE)
    cache.get("warm")  # the cache backend made and connected (a Redis that does not answer is retried later)
    phonenumbers.parse("0912345678", "VN")  # the numbering plan, read on first use
    for name in TEMPLATES:
        get_template(name)
    try:
        connection.ensure_connection()
        if connection.vendor == "postgresql":
            postgresql_collation(connection)
        page_cache.catalogue_url()  # the header's link, kept per version of the page tree
        course_list()
    except DatabaseError as exc:  # the worker starts anyway; its pages say the database is unavailable
        logger.warning("Warm-up without the database (%s): the first requests read what it would have.", exc)
