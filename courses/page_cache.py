"""The page tree as serving reads it, kept per process for one version of the tree.

Serving a page Wagtail's way costs, on every request: the site for the host (a query), the root page and a
``.specific`` fetch per level down the tree (a query each), the view restrictions of the page and its
ancestors (a query), and the site root paths from the shared cache for every URL drawn; a course's state
reads its published lessons and quizzes (two queries of page rows, ~40 columns each). None of it changes
between two edits of the tree, so it is kept here:

- **the tree version**: one value in the shared cache (Redis), replaced whenever a page, a site or a view
  restriction is saved or deleted, and when a page is published, unpublished or moved (the signals at the
  end), once at once and once more after the commit. A request reads it once (:func:`version`); everything
  below is kept per process for that version only, so every process sees an edit on its next request;
- sites by host and port, the site root paths, whether any view restriction exists at all;
- routes: (site, path) → the page Wagtail's walk found. A route is checked on every use against the page's
  own row (still live, at that very path: one short statement), so an entry the signals missed can only cost
  Wagtail's walk, never serve an unpublished or a moved page; a draft is never in a page row;
- course outlines: a course's published lessons and quizzes in order, and the published public courses.

When the shared cache does not answer there is no version: nothing is kept and every request goes Wagtail's
way, as before.
"""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass

from django.core.cache import cache
from django.core.signals import request_started
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move
from wagtail.url_routing import RouteResult

from courses.models import CatalogPage, CoursePage, LessonPage, QuizPage

VERSION_KEY = "courses:page-tree-version"
# Outside a request (a task, a shell) the version read is trusted this long.
MEMO_SECONDS = 1.0

_thread = threading.local()  # the version this thread read for the current request
_lock = threading.Lock()
_kept: dict = {"version": None}


def version() -> str | None:
    """The tree's version for this request (one read of the shared cache per request); None when the shared
    cache does not answer."""
    memo = getattr(_thread, "memo", None)
    now = time.monotonic()
    if memo is not None and now - memo[0] < MEMO_SECONDS:
        return memo[1]
    value = cache.get(VERSION_KEY)
    if value is None:
        fresh = uuid.uuid4().hex
        value = fresh if cache.add(VERSION_KEY, fresh, timeout=None) else cache.get(VERSION_KEY)
    _thread.memo = (now, value)
    return value


def _store() -> dict | None:
    """What this process keeps for the current version (emptied when the version changes); None without one."""
    current = version()
    if current is None:
        return None
    kept = _kept
    if kept["version"] != current:
        with _lock:
            if _kept["version"] != current:
                _kept.clear()
                _kept.update(version=current, sites={}, routes={})
            kept = _kept
    return kept


def _remember(name: str, build):
    store = _store()
    if store is None:
        return build()
    if name not in store:
        store[name] = build()
    return store[name]


def kept(key, build):
    """``build()`` worked out once per version of the tree in this process, for what is derived from pages
    only (e.g. a course's introduction as safe HTML); ``key`` names it among the others."""
    return _remember(("kept", key), build)


def tree_changed(**_kwargs) -> None:
    """A new version: every process drops what it kept on its next request."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    _thread.memo = None
    with _lock:
        _kept.clear()
        _kept["version"] = None


def clear() -> None:
    """Forget this process's copy and this thread's version (tests, after the database was rolled back)."""
    _thread.memo = None
    with _lock:
        _kept.clear()
        _kept["version"] = None


@receiver(request_started)
def _new_request(**_kwargs) -> None:
    _thread.memo = None


# --- sites ------------------------------------------------------------------------------------------------


def site_for_request(request) -> Site | None:
    """Wagtail's ``Site.find_for_request``, kept per host and port; also left on the request where Wagtail
    looks for it."""
    if hasattr(request, "_wagtail_site"):
        return request._wagtail_site
    store = _store()
    if store is None:
        return Site.find_for_request(request)
    key = request.get_host()
    sites = store["sites"]
    if key not in sites:
        sites[key] = Site._find_for_request(request)
    request._wagtail_site = sites[key]
    return sites[key]


def site_root_paths() -> list:
    """Wagtail's ``Site.get_site_root_paths()`` (a read of the shared cache each time), kept per process."""
    return _remember("root_paths", Site.get_site_root_paths)


def restrictions_exist() -> bool:
    """Whether any page has a view restriction (private pages, passwords, groups)."""
    return _remember("restricted", lambda: PageViewRestriction.objects.exists())


def public(queryset):
    """``queryset.public()``, without its query of the restrictions when there are none."""
    return queryset.public() if restrictions_exist() else queryset


# --- routes -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Route:
    page: Page
    url_path: str


def _row_still_there(page_id: int, url_path: str) -> bool:
    """Whether the page's row is still live at ``url_path`` (one short statement, no ORM)."""
    table = connection.ops.quote_name(Page._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT live, url_path FROM {table} WHERE id = %s", [page_id])  # noqa: S608 - a model's table
        row = cursor.fetchone()
    return row is not None and bool(row[0]) and row[1] == url_path


def route(request, path: str):
    """The page at ``path`` of the request's site as Wagtail's ``Page.route_for_request`` finds it — (page,
    args, kwargs) or None — without walking down the tree when the route is known: the page found by the last
    walk in this version, once its row is checked to be still live at that path. Left on the request where
    Wagtail looks for it. The page is shared by the requests of this process: read it, never change it."""
    if hasattr(request, "_wagtail_route_for_request"):
        return request._wagtail_route_for_request
    site = site_for_request(request)
    store = _store()
    if site is None or store is None:
        return Page.route_for_request(request, path)
    components = [component for component in path.split("/") if component]
    url_path = site.root_page.url_path + "".join(f"{c}/" for c in components)
    known = store["routes"].get((site.pk, url_path))
    if known is not None and _row_still_there(known.page.pk, url_path):
        request._wagtail_route_for_request = RouteResult(known.page)
        return request._wagtail_route_for_request
    found = Page.route_for_request(request, path)
    if found is not None:
        page, args, kwargs = found
        if not args and not kwargs and page.url_path == url_path:
            store["routes"][(site.pk, url_path)] = _Route(page, url_path)
    return found


# --- course outlines --------------------------------------------------------------------------------------


def course_outline(course) -> tuple[list, list]:
    """The course's published lessons and quizzes, each in course order. The outlines of every published
    course are read at once (two queries per version of the tree); the pages are shared by every request of
    this process: read them, never change them."""
    store = _store()
    if store is None or course.path not in _remember("course_paths", _live_course_paths):
        return list(course.lessons()), list(course.quizzes())
    return _remember("outlines", _outlines).get(course.path, ([], []))


def _live_course_paths() -> set[str]:
    return {course.path for course in _published_courses().values()}


def _outlines() -> dict[str, tuple[list, list]]:

    outlines: dict[str, tuple[list, list]] = {}
    for position, model in enumerate((LessonPage, QuizPage)):
        for page in model.objects.live().defer_streamfields().order_by("path"):
            outlines.setdefault(page.path[: -page.steplen], ([], []))[position].append(page)
    return outlines


def live_courses() -> dict:
    """The published courses outside any private section, by id (shared: read them, never change them)."""
    if not restrictions_exist():
        return _published_courses()

    def build():

        return {course.pk: course for course in CoursePage.objects.live().public()}

    return _remember("public_courses", build)


def _published_courses() -> dict:
    def build():

        return {course.pk: course for course in CoursePage.objects.live()}

    return _remember("courses", build)


def course_competences(course) -> list[str]:
    """The competence codes of a published course (all courses' read at once, one query per version)."""

    def build():

        through = CoursePage.competences.through
        by_course: dict[int, list[str]] = {}
        for course_id, code in through.objects.order_by("competence_id").values_list("coursepage_id", "competence_id"):
            by_course.setdefault(course_id, []).append(code)
        return by_course

    if _store() is None or course.pk not in _published_courses():
        return [competence.code for competence in course.competences.all()]
    return _remember("competences", build).get(course.pk, [])


def catalogue_url() -> str:
    """The address of the first published course catalogue ("/" when there is none)."""

    def build():

        page = CatalogPage.objects.live().order_by("path").first()
        return page.url if page else "/"

    return _remember("catalogue_url", build)


def lesson_course(lesson):
    """The course a lesson belongs to (published or not), from the kept courses when it is one of them."""

    parent_path = lesson.path[: -lesson.steplen]
    for course in live_courses().values():
        if course.path == parent_path:
            return course
    return CoursePage.objects.get(path=parent_path)


# --- what changes the tree --------------------------------------------------------------------------------


def _changed(sender, instance=None, **kwargs) -> None:
    if isinstance(instance, (Page, Site, PageViewRestriction)) or sender in (Page, Site, PageViewRestriction):
        tree_changed()
        transaction.on_commit(tree_changed)  # and again once the change is visible to other processes


post_save.connect(_changed, dispatch_uid="courses.page_cache.saved")
post_delete.connect(_changed, dispatch_uid="courses.page_cache.deleted")
for _signal in (page_published, page_unpublished, post_page_move):
    _signal.connect(_changed, dispatch_uid=f"courses.page_cache.{id(_signal)}")
