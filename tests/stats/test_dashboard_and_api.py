"""Organiser dashboard, drill-down, CSV and the statistics API: numbers, scope and bad input."""

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from tests.stats.conftest import BA_DINH, CAO_XANH, HA_TU


def test_dashboard_shows_the_province_in_numbers(client, world, province_organiser):
    client.force_login(province_organiser)
    response = client.get("/organiser/stats/", {"sort": "-overdue"})
    assert response.status_code == 200
    rows = response.context["rows"]
    assert len(rows) == 54 and rows[0]["code"] == HA_TU  # sorted by people overdue, most first
    ha_tu = rows[0]
    assert ha_tu["participants"] == 1 and ha_tu["target_participants"] == 20
    assert ha_tu["participation_rate"] == pytest.approx(0.05)
    assert ha_tu["completers"] == 1 and ha_tu["completion_rate"] == 1.0
    # Bình and the provincial organiser, both officials in Hà Tu, were assigned; the deadline passed.
    assert ha_tu["registered"] == 4
    assert ha_tu["mandatory_assigned"] == 2 and ha_tu["mandatory_overdue"] == 2
    totals = response.context["totals"]
    assert totals["participants"] == 2 and totals["target_participants"] == 28
    assert totals["mandatory_overdue"] == 2
    html = response.content.decode()
    assert "<svg" in html and "Phường Hà Tu" in html
    indicators = {i["group"]: i for i in response.context["indicators"]}
    assert indicators["student"]["people"] == 1 and indicators["student"]["rate"] == 0
    assert indicators["adult"]["completed"] == 1  # An completed the (only, so basic) course


def test_dashboard_csv_has_one_row_per_commune_and_totals(client, world, province_organiser):
    client.force_login(province_organiser)
    response = client.get("/organiser/stats/", {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Code", "Commune", "Registered"]
    assert len(rows) == 1 + 54 + 1 and rows[-1][1] == "Total"
    weekly = client.get("/organiser/stats/", {"format": "csv", "table": "weeks"})
    assert "Participants to date" in weekly.content.decode("utf-8-sig").splitlines()[0]


def test_drill_down_commune_people_person(client, world, province_organiser):
    client.force_login(province_organiser)
    commune = client.get(f"/organiser/stats/communes/{HA_TU}/")
    assert commune.status_code == 200
    by_course = commune.context["by_course"]
    assert by_course[0]["participants"] == 1 and by_course[1]["completers"] == 1
    people = client.get(f"/organiser/stats/communes/{HA_TU}/people/", {"status": "overdue"})
    names = [r["full_name"] for r in people.context["rows"]]
    assert names == ["Lê Thị Bình", "Tổ chức Tỉnh"]
    assert world["binh"].phone_display in people.content.decode()  # phone numbers are shown to this organiser
    for row in people.context["rows"]:  # each name links to the person's page
        assert f'<a href="/organiser/stats/people/{row["pk"]}/">{row["full_name"]}</a>' in people.content.decode()
    person = client.get(f"/organiser/stats/people/{world['an'].pk}/")
    assert person.status_code == 200
    assert person.context["progress"]["courses"][0]["lessons_done"] == 3


def test_commune_organiser_sees_only_their_commune(client, world, commune_organiser):
    client.force_login(commune_organiser)
    dashboard = client.get("/organiser/stats/")
    assert [r["code"] for r in dashboard.context["rows"]] == [CAO_XANH]
    assert client.get(f"/organiser/stats/communes/{HA_TU}/").status_code == 403
    assert client.get(f"/organiser/stats/communes/{HA_TU}/people/").status_code == 403
    assert client.get(f"/organiser/stats/people/{world['an'].pk}/").status_code == 403
    assert client.get(f"/organiser/stats/people/{world['chi'].pk}/").status_code == 200
    assert client.get("/organiser/stats/communes/99999/").status_code == 404
    assert client.get("/organiser/stats/reports/").status_code == 403


def test_learner_gets_403(client, world):
    client.force_login(world["an"])
    assert client.get("/organiser/stats/").status_code == 403
    assert client.get(f"/organiser/stats/communes/{HA_TU}/").status_code == 403
    assert client.get("/organiser/stats/reports/").status_code == 403


def test_api_province_communes_timeseries(api, world, province_organiser):
    api.force_authenticate(province_organiser)
    head = api.get("/api/v1/stats/provinces/22/")
    assert head.status_code == 200
    assert head.json()["totals"]["participants"] == 2
    assert {i["group"] for i in head.json()["indicators"]} == {"official", "student", "adult", "enterprise_worker"}
    communes = api.get("/api/v1/stats/provinces/22/communes/", {"sort": "-participation_rate"}).json()
    assert len(communes["communes"]) == 54 and communes["communes"][0]["code"] == CAO_XANH  # 1 of 8 beats 1 of 20
    today = timezone.localdate()
    series = api.get(
        "/api/v1/stats/provinces/22/timeseries/",
        {"from": (today - dt.timedelta(days=20)).isoformat(), "to": today.isoformat()},
    ).json()
    assert series["weeks"][-1]["participants_to_date"] == 2
    assert sum(w["new_participants"] for w in series["weeks"]) == 2
    one = api.get(f"/api/v1/stats/communes/{HA_TU}/", {"target_group": "official"}).json()
    assert one["totals"]["mandatory_overdue"] == 2 and one["totals"]["target_participants"] == 10
    people = api.get(f"/api/v1/stats/communes/{HA_TU}/people/").json()
    assert people["count"] == 4 and {p["full_name"] for p in people["results"]} >= {"Trần Văn An", "Lê Thị Bình"}


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/api/v1/stats/provinces/22/", {"from": "2026-12-01", "to": "2026-01-01"}, "from"),
        ("/api/v1/stats/provinces/22/", {"from": "yesterday"}, "from"),
        ("/api/v1/stats/provinces/22/", {"from": "1900-01-01"}, "from"),
        ("/api/v1/stats/provinces/22/", {"course": "999999"}, "course"),
        ("/api/v1/stats/provinces/22/", {"target_group": "aliens"}, "target_group"),
        ("/api/v1/stats/provinces/22/communes/", {"sort": "size"}, "sort"),
        (f"/api/v1/stats/communes/{HA_TU}/people/", {"status": "asleep"}, "status"),
    ],
)
def test_api_bad_input_is_a_400_naming_the_field(api, world, province_organiser, path, params, field):
    api.force_authenticate(province_organiser)
    response = api.get(path, params)
    assert response.status_code == 400
    assert field in response.json()


def test_api_scope(api, world, commune_organiser, province_organiser, make_user):
    api.force_authenticate(commune_organiser)
    assert api.get("/api/v1/stats/provinces/22/").status_code == 403
    assert api.get("/api/v1/stats/provinces/22/communes/").status_code == 403
    assert api.get("/api/v1/stats/provinces/22/timeseries/").status_code == 403
    assert api.get(f"/api/v1/stats/communes/{HA_TU}/").status_code == 403
    assert api.get(f"/api/v1/stats/communes/{HA_TU}/people/").status_code == 403
    assert api.get(f"/api/v1/stats/communes/{CAO_XANH}/people/").status_code == 200
    assert api.get("/api/v1/stats/provinces/99/").status_code == 404
    assert api.get("/api/v1/stats/communes/12345/").status_code == 404
    api.force_authenticate(province_organiser)
    assert api.get(f"/api/v1/stats/communes/{BA_DINH}/").status_code == 403  # Hà Nội: not their province
    assert api.get("/api/v1/stats/provinces/01/").status_code == 403
    learner = make_user(commune=HA_TU)
    api.force_authenticate(learner)
    assert api.get("/api/v1/stats/provinces/22/").status_code == 403
    assert api.get(f"/api/v1/stats/communes/{HA_TU}/people/").status_code == 403
    api.force_authenticate(None)
    assert api.get("/api/v1/stats/provinces/22/").status_code in (401, 403)


def test_empty_period_is_valid(api, province_organiser):
    api.force_authenticate(province_organiser)
    response = api.get("/api/v1/stats/provinces/22/", {"from": "2024-01-01", "to": "2024-01-31"})
    assert response.status_code == 200 and response.json()["totals"]["participants"] == 0
