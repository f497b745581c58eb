"""The dashboard's figures are kept in the cache under the counts' version: a second look reads no count, a
recompute shows at once, and the refresh task leaves the province's default view summed for the next visitor."""

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


def test_a_worker_is_warmed_before_its_first_request():
    from django.utils import translation

    from learning.stats.warm import worker_warm

    connection.close()
    worker_warm()
    assert connection.connection is not None  # opened
    with translation.override("vi"):
        assert translation.gettext("Statistics") != "Statistics"  # the catalogue is there (and loaded)


def test_the_warm_up_builds_every_namespace_and_compiles_the_templates(monkeypatch):
    """After the warm-up, the first organiser page builds no reverse map and compiles no template."""
    from django.template import engines
    from django.urls import clear_url_caches, resolvers

    from learning.stats.warm import TEMPLATES, worker_warm

    clear_url_caches()  # as in a new process: no resolver, no reverse map, no compiled template
    engines["django"].engine.template_loaders[0].reset()
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
