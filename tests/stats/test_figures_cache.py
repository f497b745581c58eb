"""The dashboard's figures are kept in the cache under the counts' version: a second look reads no count, a
recompute shows at once, and the refresh task leaves the province's default view summed for the next visitor."""

import threading
import uuid

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from learning.localities.models import Commune, Province
from learning.progress.services import enrolment_ensure, lesson_complete
from learning.stats import selectors
from learning.stats.tasks import refresh_dirty_counts
from tests.stats.conftest import HA_TU

pytestmark = pytest.mark.django_db


def _figures(response) -> str:
    """The figures' part of the page (the rest holds a per-request token)."""
    html = response.content.decode()
    return html[html.index('<section class="cards"') :]


def _counts_read(client, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/organiser/stats/", params or {})
    assert response.status_code == 200
    return response, sum("stats_dailycount" in q["sql"] for q in queries.captured_queries)


def test_a_second_look_reads_no_count_and_a_recompute_shows_at_once(
    client, world, province_organiser, make_user, course, lessons, django_capture_on_commit_callbacks
):
    client.force_login(province_organiser)
    first, read = _counts_read(client)
    assert read > 0 and first.context["totals"]["participants"] == 2
    again, read_again = _counts_read(client)
    assert read_again == 0  # figures and the rendered tables from the cache
    assert _figures(again) == _figures(first)
    assert "<svg" in again.content.decode() and "Phường Hà Tu" in again.content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # a new participant: the counts are recomputed
        newcomer = make_user(commune=HA_TU, groups=("citizen",), full_name="Người Mới")
        enrolment_ensure(user=newcomer, course=course)
        lesson_complete(user=newcomer, lesson=lessons[0], client_id=uuid.uuid4(), time_spent_seconds=60)
    after, read_after = _counts_read(client)
    assert read_after > 0 and after.context["totals"]["participants"] == 3
    assert _figures(after) != _figures(first)
    sorted_view, _read = _counts_read(client, {"sort": "-participants"})  # other query string: its own page
    assert sorted_view.context["rows"][0]["code"] == HA_TU


def test_the_refresh_task_warms_the_default_view_of_the_provinces_it_recomputed(
    world, make_user, course, django_capture_on_commit_callbacks
):
    province = Province.objects.get(pk="22")
    communes = list(Commune.objects.filter(province=province).order_by(selectors.vietnamese("name"), "code"))
    f = selectors.filters_parse({}, province=province)
    codes = [c.code for c in communes]
    with django_capture_on_commit_callbacks(execute=False):  # marked, not yet recomputed
        enrolment_ensure(user=make_user(commune=HA_TU, groups=("citizen",)), course=course)
    cache.clear()
    assert refresh_dirty_counts.apply().result >= 1
    for name in ("communes", "weeks", "indicators"):
        assert cache.get(selectors.figures_key(name, f, codes)) is not None, name


def _in_a_new_thread(work):
    """``work(connection)`` in a thread of its own, with that thread's own new connection (as a gunicorn thread
    has); returns what it returned."""
    from django.db import connection as own_connection

    result = []

    def run():
        try:
            result.append(work(own_connection))
        finally:
            own_connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(30)
    return result[0]


def test_a_worker_is_warmed_before_its_first_request():
    from django.utils import translation

    from learning.stats.warm import worker_warm

    def warm(own):
        worker_warm()
        return own.connection is not None

    assert _in_a_new_thread(warm)  # its connection opened
    with translation.override("vi"):
        assert translation.gettext("Statistics") != "Statistics"  # the catalogue is there (and loaded)


def test_the_warm_up_reads_what_the_first_organiser_page_would(django_assert_num_queries, course):
    """The header's catalogue link, the courses of the filters and the server's collation are read by the
    warm-up, once per process, not by the first page (nor by a thread's new connection)."""
    from courses import page_cache
    from learning.localities.collation import POSTGRESQL_COLLATIONS, postgresql_collation
    from learning.stats.warm import worker_warm

    page_cache.clear()
    worker_warm()
    with django_assert_num_queries(0):
        page_cache.catalogue_url()
        assert course.pk in [c.pk for c in selectors.course_list()]
    if connection.vendor == "postgresql":

        def collation_asked(own):
            with CaptureQueriesContext(own) as queries:
                name = postgresql_collation(own)
            return name, len(queries)

        name, asked = _in_a_new_thread(collation_asked)
        assert asked == 0 and name in POSTGRESQL_COLLATIONS


def test_the_warm_up_plans_the_people_lists_and_reads_no_one():
    """The people lists' statements (everyone, the overdue) are planned by the server with EXPLAIN, never run:
    the warm-up reads no person's row."""
    from learning.stats.warm import worker_warm

    with CaptureQueriesContext(connection) as queries:
        worker_warm()
    statements = [q["sql"] for q in queries.captured_queries]
    planned = [sql for sql in statements if sql.startswith("EXPLAIN")]
    assert len(planned) == 2 and "campaigns_assignmentmember" in planned[1]
    assert all('"accounts_user"' in sql for sql in planned)
    assert not [sql for sql in statements if '"accounts_user"' in sql and not sql.startswith("EXPLAIN")]


def test_a_worker_starts_when_the_database_does_not_answer(settings, caplog):
    from django.db import connections

    from courses import page_cache
    from learning.stats.warm import worker_warm

    if connection.vendor != "postgresql":
        pytest.skip("a server that does not answer is a PostgreSQL setting")
    page_cache.clear()
    broken = {**settings.DATABASES["default"], "HOST": "127.0.0.1", "PORT": 1, "NAME": "nowhere"}
    original = connections["default"]
    connections["default"] = type(original)(broken, "default")
    try:
        worker_warm()  # no exception
    finally:
        connections["default"].close()
        connections["default"] = original
    assert "Warm-up without the database" in caplog.text


def test_the_warm_up_builds_every_namespace_and_compiles_the_templates(monkeypatch):
    """After the warm-up, the first organiser page builds no reverse map and compiles no template."""
    from django.template import engines
    from django.urls import clear_url_caches, resolvers

    from learning.stats import warm
    from learning.stats.warm import TEMPLATES, worker_warm

    clear_url_caches()  # as in a new process: no resolver, no reverse map, no compiled template
    engines["django"].engine.template_loaders[0].reset()
    monkeypatch.setattr(warm, "_process_warmed", False)
    worker_warm()
    built = []
    original = resolvers.URLResolver._populate
    monkeypatch.setattr(resolvers.URLResolver, "_populate", lambda self: built.append(self) or original(self))
    from django.urls import reverse

    for name in ("stats:dashboard", "progress:lesson_complete", "accounts:login"):
        kwargs = {"lesson_id": 1} if name == "progress:lesson_complete" else {}
        reverse(name, kwargs=kwargs)
    assert built == []
    cached = engines["django"].engine.template_loaders[0].get_template_cache
    assert set(TEMPLATES) <= set(cached)
