"""List endpoints page with DRF's classes: absolute links, a largest page, bad values answered sensibly."""

import pytest
from rest_framework.test import APIClient

from learning.accounts.services import role_grant
from learning.campaigns.rosters import roster_preview
from tests.campaigns.test_rosters import csv_bytes, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser_api(make_user):
    organiser = make_user(phone="0900000050")
    role_grant(user=organiser, role="commune_organiser", scope_codes=["06688"])
    api = APIClient()
    api.force_authenticate(organiser)
    return api, organiser


def test_roster_rows_page_with_absolute_links_and_a_largest_page(organiser_api):
    api, organiser = organiser_api
    rows = [person(name=f"Người {i}", phone=f"0912 345 {i:03d}") for i in range(1, 8)]
    roster = roster_preview(organiser=organiser, content=csv_bytes(rows), filename="ds.csv")
    url = f"/api/v1/organiser/rosters/{roster.pk}/rows/"
    first = api.get(url, {"limit": 3}).json()
    assert first["count"] == 7 and len(first["results"]) == 3
    assert first["next"].startswith("http://testserver/api/v1/organiser/rosters/")
    assert "offset=3" in first["next"] and first["previous"] is None
    last = api.get(first["next"]).json()
    assert len(last["results"]) == 3 and last["previous"].startswith("http://testserver/")
    everything = api.get(url, {"limit": 100000}).json()
    assert len(everything["results"]) == 7  # capped at 1,000: here, all there is
    assert api.get(url, {"limit": "many", "offset": "x"}).status_code == 200  # DRF falls back to the defaults


def test_people_pages_are_capped(organiser_api, make_user):
    api, _organiser = organiser_api
    for i in range(3):
        make_user(phone=f"09123460{i:02d}")
    body = api.get("/api/v1/stats/communes/06688/people/", {"page_size": 2}).json()
    assert len(body["results"]) == 2 and body["next"].startswith("http://testserver/")
    assert api.get("/api/v1/stats/communes/06688/people/", {"page": 999}).status_code == 404
