"""The overdue people list is read page after page by keyset (``after=<id>``, no count, no OFFSET): every
overdue person once, in Vietnamese name order, whatever the page size; a bad or unknown cursor starts over."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from learning.campaigns.models import Assignment
from learning.campaigns.services import assignment_populate
from learning.localities.collation import vietnamese
from learning.stats import selectors, views
from tests.stats.conftest import HA_TU

pytestmark = pytest.mark.django_db

NAMES = ["Đỗ An", "Dương Bình", "Lê Chi", "Lê Chi", "Ánh Dương", "Anh Dũng", "Ưng Hoà", "Uông Hà", "Bùi Em"]


@pytest.fixture
def overdue(make_user, course, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        people = [make_user(commune=HA_TU, groups=("official",), full_name=name) for name in NAMES]
        make_user(commune=HA_TU, groups=("citizen",), full_name="Ai Không Quá Hạn")  # not assigned
        assignment = Assignment.objects.create(
            title="Bắt buộc",
            target_group_id="official",
            province_id="22",
            deadline=timezone.localdate() - dt.timedelta(days=1),
        )
        assignment.courses.set([course])
        assignment_populate(assignment=assignment)
    return people


def _walk(client, size, monkeypatch):
    monkeypatch.setattr(views, "PEOPLE_PER_PAGE", size)
    seen, after, pages = [], None, 0
    while True:
        params = {"status": "overdue", **({"after": after} if after else {})}
        response = client.get(f"/organiser/stats/communes/{HA_TU}/people/", params)
        assert response.status_code == 200
        pages += 1
        rows = response.context["rows"]
        assert len(rows) <= size and all(r["is_overdue"] for r in rows)  # each marked overdue on the page
        seen += [(r["pk"], r["full_name"]) for r in rows]
        keyset = response.context["keyset"]
        assert keyset["first"] == bool(after)  # a link back to the first page from the second on
        if keyset["next"] is None:
            assert f"after={rows[-1]['pk']}" not in response.content.decode()
            return seen, pages
        assert f"after={keyset['next']}" in response.content.decode()
        after = keyset["next"]


@pytest.mark.parametrize("size", [1, 2, 4, 50])
def test_the_overdue_list_pages_by_keyset_through_everyone_once_in_name_order(
    client, overdue, province_organiser, monkeypatch, size
):
    client.force_login(province_organiser)
    seen, pages = _walk(client, size, monkeypatch)
    from learning.accounts.models import User

    expected = list(
        User.objects.filter(pk__in=[p.pk for p in overdue] + [province_organiser.pk])
        .order_by(vietnamese("full_name"), "pk")
        .values_list("pk", "full_name")
    )
    assert seen == expected  # the organiser is an overdue official of Hà Tu too
    assert len({pk for pk, _name in seen}) == len(NAMES) + 1  # the two "Lê Chi" both, once each
    assert pages == -(-len(expected) // size) or (pages == len(expected) // size + 1)


def test_a_bad_or_unknown_cursor_starts_from_the_first_page(client, overdue, province_organiser):
    client.force_login(province_organiser)
    first = client.get(f"/organiser/stats/communes/{HA_TU}/people/", {"status": "overdue"}).context["rows"]
    huge = client.get(f"/organiser/stats/communes/{HA_TU}/people/", {"status": "overdue", "after": "9" * 40})
    assert huge.status_code == 400  # refused by the request guard with a clear message, as any such number
    for bad in ("abc", "-1", "999999999", "1e5"):
        response = client.get(f"/organiser/stats/communes/{HA_TU}/people/", {"status": "overdue", "after": bad})
        assert response.status_code == 200
        assert [r["pk"] for r in response.context["rows"]] == [r["pk"] for r in first]


def test_people_after_reads_one_page_in_one_query(overdue, province_organiser):
    from learning.localities.models import Commune

    commune = Commune.objects.get(pk=HA_TU)
    f = selectors.filters_parse({}, province=commune.province)
    users = selectors.people(f, commune, status="overdue")
    rows, following = selectors.people_after(users, None, 3)
    assert len(rows) == 3 and following == rows[-1].pk
    with CaptureQueriesContext(connection) as queries:
        later, _next = selectors.people_after(users, following, 3)
    selects = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
    assert len(selects) == 2  # the cursor's name, then the page (PostgreSQL adds its SET LOCAL around it)
    assert not {r.pk for r in rows} & {r.pk for r in later}
