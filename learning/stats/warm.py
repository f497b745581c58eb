"""What a web worker does once, before its first request (gunicorn's ``post_worker_init``, deploy/gunicorn.conf.py),
so that the first organiser after a restart does not pay for it: the URL patterns imported (every view
module with them) and their reverse maps built in every language, the context processors, the message storage
and the cache backend imported, the Vietnamese catalogue and formats loaded, the phone numbering plan read, the
pages' templates (and those they extend or include) compiled, the database connection opened, and what each
process reads once from it: the server's Vietnamese collation, the catalogue's address and the live courses
the filters list; the people lists' statements built and planned (not run). gunicorn has built the WSGI
handler, middleware included, before this runs. The figures themselves are in the shared cache
(``selectors.dashboards_warm``).

Each thread of a gthread worker opens its own database connection on its first request; what is kept per
process (above) serves them all, what is kept per connection (the server's catalogue) serves this one."""

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
from learning.localities.models import Commune

from . import selectors
from .views import PAGE_COLUMNS, PEOPLE_PER_PAGE

logger = logging.getLogger(__name__)

# One number of each kind a people list shows: the mobile ranges 03, 05, 07, 08, 09 and a Quảng Ninh landline.
SAMPLE_PHONES = ("0912345678", "0312345678", "0512345678", "0712345678", "0812345678", "02033123456")

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


def _people_lists_planned() -> None:
    """The statements of a commune's people list (everyone, and the overdue) built by the ORM — the models'
    first-use caches filled on the way — and planned by the server with ``EXPLAIN``, not run: no one's data is
    read, and the connection has the catalogue of those tables and their indexes."""
    commune = Commune.objects.select_related("province").order_by("code").first()
    if commune is None:
        return
    f = selectors.filters_parse({}, province=commune.province)
    for status in ("", "overdue"):
        found = selectors.people(f, commune, status=status, columns=PAGE_COLUMNS)
        sql, params = found[: PEOPLE_PER_PAGE + 1].query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN {sql}", params)


_process_warmed = False


def process_warm() -> None:
    """What needs no connection: gunicorn runs it once in the master when it preloads the application
    (deploy/gunicorn.conf.py), so every worker forked from it starts with it done."""
    global _process_warmed
    if _process_warmed:
        return
    get_resolver().url_patterns  # noqa: B018 - imports the URLconf and the views
    reverse("stats:dashboard")
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            translation.gettext("Statistics")  # loads the catalogue
            formats.get_format("DATE_FORMAT")  # and the language's formats
            _reverse_maps()
    engines["django"].engine.template_context_processors  # noqa: B018 - imports the context processors
    import_string(settings.MESSAGE_STORAGE)
    for sample in SAMPLE_PHONES:  # the numbering plan, read on first use, and its formats' patterns compiled
        phonenumbers.format_number(phonenumbers.parse(sample, "VN"), phonenumbers.PhoneNumberFormat.NATIONAL)
    for name in TEMPLATES:
        get_template(name)
    _process_warmed = True


def worker_warm() -> None:
    process_warm()  # done already in a worker forked from a master that preloaded
    cache.get("warm")  # the cache backend made and connected (a Redis that does not answer is retried later)
    try:
        connection.ensure_connection()
        if connection.vendor == "postgresql":
            postgresql_collation(connection)
        page_cache.catalogue_url()  # the header's link, kept per version of the page tree
        selectors.course_list()
        _people_lists_planned()
    except DatabaseError as exc:  # the worker starts anyway; its pages say the database is unavailable
        logger.warning("Warm-up without the database (%s): the first requests read what it would have.", exc)
