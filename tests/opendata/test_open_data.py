"""The open dataset: content against DailyCount, JSON and CSV, cursor pagination, suppression, API keys
(hashed at rest, revoked, throttled) and the Frictionless Data package."""

import csv
import datetime as dt
import io
import json

import frictionless
import pytest
from django.test import Client
from django.utils import timezone

from learning.localities.models import Commune
from learning.opendata.models import OpenDataKey
from learning.opendata.services import key_create
from learning.stats.models import DailyCount
from learning.stats.opendata import FIELD_NAMES, OPEN_METRICS, suppressed_cells

pytestmark = pytest.mark.django_db

URL = "/api/v1/open/daily-counts/"
PACKAGE_URL = "/api/v1/open/daily-counts/datapackage.json"
HA_TU, CAO_XANH, HONG_GAI = "06652", "06658", "06685"  # communes of Quảng Ninh (22)
DAY = dt.date(2026, 3, 2)


@pytest.fixture
def secret():
    return key_create(name="Kho dữ liệu tỉnh", organisation="Sở KH&CN Quảng Ninh", contact="kho@example.vn")[1]


@pytest.fixture
def api(secret):
    client = Client(HTTP_ACCEPT_LANGUAGE="en", HTTP_AUTHORIZATION=f"Api-Key {secret}")
    return client


@pytest.fixture
def counts():
    """Two days of counts in Quảng Ninh, plus rows the dataset must not read (one course, one group)."""
    rows = [
        DailyCount(day=DAY, commune_id=HA_TU, registered=12, participants=7, active=20, enrolments=9),
        DailyCount(day=DAY, commune_id=CAO_XANH, registered=6, participants=2, active=5, quiz_passes=3),
        DailyCount(day=DAY + dt.timedelta(days=1), commune_id=HA_TU, registered=40, active=8),
        DailyCount(day=DAY, commune_id=HA_TU, course_id=99, registered=0, active=500),
        DailyCount(day=DAY, commune_id=HA_TU, target_group="citizen", registered=900),
        DailyCount(day=DAY, commune_id="00004", registered=77),  # Hà Nội
    ]
    DailyCount.objects.bulk_create(rows)
    return rows


def communes_22():
    return list(Commune.objects.filter(province_id="22").order_by("code").values_list("code", flat=True))


def read_all(api, **params):
    """Every row of a period, page after page by following ``next``."""
    rows, url, pages = [], URL, 0
    query = {"province": "22", "from": DAY.isoformat(), "to": (DAY + dt.timedelta(days=2)).isoformat(), **params}
    response = api.get(url, query)
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        rows += body["results"]
        pages += 1
        if body["next"] is None:
            return rows, pages
        response = api.get(body["next"])


# --- content ------------------------------------------------------------------------------------------


def test_json_rows_are_the_daily_counts_of_every_commune_and_day(api, counts):
    response = api.get(URL, {"province": "22", "from": DAY.isoformat(), "to": DAY.isoformat()})
    assert response.status_code == 200
    body = response.json()
    communes = communes_22()
    assert [row["commune_code"] for row in body["results"]] == communes  # every commune, in code order
    assert body["next"] is None and body["min_count"] == 5
    by_code = {row["commune_code"]: row for row in body["results"]}
    ha_tu = by_code[HA_TU]
    assert list(ha_tu) == list(FIELD_NAMES)
    assert ha_tu["date"] == "2026-03-02" and ha_tu["province_code"] == "22"
    assert ha_tu["province_name"] == "Tỉnh Quảng Ninh"
    assert ha_tu["commune_name"] == Commune.objects.get(pk=HA_TU).name
    # All courses, everyone: the course and target-group rows are not read.
    assert (ha_tu["registered"], ha_tu["active"], ha_tu["enrolments"]) == (12, 20, 9)
    assert ha_tu["registered_suppressed"] is False
    # A commune without a row counts zeros, shown.
    assert by_code[HONG_GAI]["registered"] == 0 and by_code[HONG_GAI]["registered_suppressed"] is False
    # Cao Xanh's participants (2) and quiz passes (3) are below 5: empty and flagged.
    cao_xanh = by_code[CAO_XANH]
    assert cao_xanh["participants"] is None and cao_xanh["participants_suppressed"] is True
    assert cao_xanh["quiz_passes"] is None and cao_xanh["quiz_passes_suppressed"] is True
    assert cao_xanh["registered"] == 6 and cao_xanh["active"] == 5
    # Each is the only one hidden that day, so one more commune is hidden with it: Hà Tu's 7 participants
    # (the smallest value above zero), and for quiz passes, where no other commune has any, a zero.
    assert ha_tu["participants"] is None and ha_tu["participants_suppressed"] is True
    first_zero = next(code for code in communes if code != CAO_XANH)
    assert by_code[first_zero]["quiz_passes"] is None and by_code[first_zero]["quiz_passes_suppressed"] is True
    assert sum(row["quiz_passes_suppressed"] for row in body["results"]) == 2


def test_rows_hold_no_personal_data(api, make_user, django_capture_on_commit_callbacks):
    """Real sign-ups counted by the stats: the rows hold codes, names of places and numbers only."""
    with django_capture_on_commit_callbacks(execute=True):
        people = [make_user(commune=HA_TU, full_name=f"Người Thử {n}") for n in range(6)]
    today = timezone.localdate()
    response = api.get(URL, {"province": "22", "from": today.isoformat(), "to": today.isoformat()})
    ha_tu = next(row for row in response.json()["results"] if row["commune_code"] == HA_TU)
    assert ha_tu["registered"] == 6
    text = response.content.decode()
    for person in people:
        assert person.phone not in text and person.full_name not in text


def test_csv_has_the_same_rows_with_a_header(api, counts):
    query = {"province": "22", "from": DAY.isoformat(), "to": (DAY + dt.timedelta(days=1)).isoformat()}
    as_json = api.get(URL, query).json()["results"]
    for response in (api.get(URL, {**query, "format": "csv"}), api.get(URL, query, HTTP_ACCEPT="text/csv")):
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        rows = list(csv.DictReader(io.StringIO(response.content.decode())))
        assert list(rows[0]) == list(FIELD_NAMES)
        assert len(rows) == len(as_json) == 2 * len(communes_22())
        for row, expected in zip(rows, as_json, strict=True):
            for name, value in expected.items():
                shown = "" if value is None else str(value).lower() if isinstance(value, bool) else str(value)
                assert row[name] == shown, name


def test_days_after_today_have_no_rows(api):
    today = timezone.localdate()
    query = {"province": "22", "from": today.isoformat(), "to": (today + dt.timedelta(days=30)).isoformat()}
    rows = api.get(URL, query).json()["results"]
    assert {row["date"] for row in rows} == {today.isoformat()}


# --- pagination --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("limit", [1, 7, 54, 55, 500])
def test_pages_cover_every_row_once(api, counts, limit, settings):
    settings.OPEN_DATA_THROTTLE = "1000/minute"
    everything = api.get(
        URL, {"province": "22", "from": DAY.isoformat(), "to": (DAY + dt.timedelta(days=2)).isoformat()}
    ).json()["results"]
    rows, pages = read_all(api, limit=limit)
    keys = [(row["date"], row["commune_code"]) for row in rows]
    assert len(keys) == len(set(keys)) == 3 * len(communes_22())
    assert keys == sorted(keys)
    assert rows == everything  # suppression decided per day, not per page
    assert pages == -(-len(everything) // limit)


def test_csv_pages_link_to_the_next(api, counts):
    query = {"province": "22", "from": DAY.isoformat(), "to": DAY.isoformat(), "format": "csv", "limit": 50}
    first = api.get(URL, query)
    assert first["Link"].endswith('>; rel="next"') and first["X-Next-Cursor"]
    second = api.get(first["Link"][1:].split(">")[0])
    assert second.status_code == 200 and second["Content-Type"].startswith("text/csv")
    codes = [
        row["commune_code"]
        for response in (first, second)
        for row in csv.DictReader(io.StringIO(response.content.decode()))
    ]
    assert codes == communes_22()
    assert "Link" not in second


# --- suppression ----------------------------------------------------------------------------------------


def test_small_values_are_suppressed_and_zeros_shown():
    assert suppressed_cells({"a": 0, "b": 4, "c": 3, "d": 9}, 5) == {"b", "c"}
    assert suppressed_cells({"a": 0, "b": 5}, 5) == set()


def test_a_single_suppressed_commune_takes_a_complement_with_it():
    # Otherwise a province total for the day minus the communes shown would give the hidden 2 back.
    assert suppressed_cells({"a": 2, "b": 9, "c": 6, "d": 0}, 5) == {"a", "c"}
    assert suppressed_cells({"a": 2, "b": 0, "c": 0}, 5) == {"a", "b"}  # no other positive value: a zero
    assert suppressed_cells({"a": 2, "b": 6, "c": 6}, 5) == {"a", "b"}  # on a tie, the lower code


def test_no_province_day_has_exactly_one_suppressed_cell(api, counts):
    rows, _pages = read_all(api)
    for metric in OPEN_METRICS:
        by_day: dict[str, int] = {}
        for row in rows:
            by_day[row["date"]] = by_day.get(row["date"], 0) + row[f"{metric}_suppressed"]
            assert (row[metric] is None) == row[f"{metric}_suppressed"]
        assert 1 not in by_day.values(), metric
    day_two = [row for row in rows if row["date"] == (DAY + dt.timedelta(days=1)).isoformat()]
    assert all(row["registered"] in (0, 40) for row in day_two)  # nothing below 5: nothing hidden


def test_the_threshold_comes_from_the_settings(api, counts, settings):
    settings.OPEN_DATA_MIN_COUNT = 3
    body = api.get(URL, {"province": "22", "from": DAY.isoformat(), "to": DAY.isoformat()}).json()
    cao_xanh = next(row for row in body["results"] if row["commune_code"] == CAO_XANH)
    assert body["min_count"] == 3
    assert cao_xanh["quiz_passes"] == 3 and cao_xanh["participants"] is None


# --- keys ---------------------------------------------------------------------------------------------------


def test_keys_are_hashed_at_rest():
    key, secret = key_create(name="Kho", organisation="Sở", contact="0912345678")
    stored = OpenDataKey.objects.filter(pk=key.pk).values().get()
    assert secret not in json.dumps(stored, default=str)
    assert stored["hashed_key"].startswith("sha512$$") and stored["prefix"] == secret.split(".")[0]


QUERY = {"province": "22", "from": "2026-03-01", "to": "2026-03-02"}


@pytest.mark.parametrize(
    "headers, message",
    [
        ({}, "An API key is required"),
        ({"HTTP_AUTHORIZATION": "Token abc"}, "An API key is required"),
        ({"HTTP_AUTHORIZATION": "Api-Key nope.nope"}, "is not valid"),
        ({"HTTP_X_API_KEY": "abc"}, "is not valid"),
    ],
)
def test_no_key_or_a_wrong_key_is_401(client, headers, message):
    response = client.get(URL, QUERY, **headers)
    assert response.status_code == 401
    assert message in response.json()["detail"]
    assert response["WWW-Authenticate"] == "Api-Key"


def test_the_key_may_come_in_x_api_key_and_its_use_is_noted(client, secret):
    assert client.get(URL, QUERY, HTTP_X_API_KEY=secret).status_code == 200
    assert OpenDataKey.objects.get().last_used_at is not None


def test_a_revoked_or_expired_key_is_refused(client, secret):
    key = OpenDataKey.objects.get()
    key.revoked = True
    key.save()
    response = client.get(URL, QUERY, HTTP_AUTHORIZATION=f"Api-Key {secret}")
    assert response.status_code == 401 and "revoked" in response.json()["detail"]
    other, other_secret = key_create(name="B", organisation="B", contact="b")
    other.expiry_date = timezone.now() - dt.timedelta(minutes=1)
    other.save()
    response = client.get(URL, QUERY, HTTP_AUTHORIZATION=f"Api-Key {other_secret}")
    assert response.status_code == 401 and "expired" in response.json()["detail"]


def test_messages_are_vietnamese_by_default(secret):
    response = Client().get(URL, QUERY)
    assert response.status_code == 401 and "khóa API" in response.json()["detail"]
    response = Client().get(URL, {**QUERY, "province": "99"}, HTTP_AUTHORIZATION=f"Api-Key {secret}")
    assert response.status_code == 400 and "Không có tỉnh" in response.json()["province"][0]


def test_each_key_is_throttled_at_its_own_rate(client, secret):
    slow, slow_secret = key_create(name="Thử", organisation="Sở", contact="x", throttle_rate="2/minute")
    for _n in range(2):
        assert client.get(URL, QUERY, HTTP_AUTHORIZATION=f"Api-Key {slow_secret}").status_code == 200
    response = client.get(URL, QUERY, HTTP_AUTHORIZATION=f"Api-Key {slow_secret}")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60 and "Too many requests" in response.json()["detail"]
    # Another key is not held back by it.
    assert client.get(URL, QUERY, HTTP_AUTHORIZATION=f"Api-Key {secret}").status_code == 200


def test_a_bad_throttle_rate_is_refused_by_the_database():
    from django.db import IntegrityError, transaction

    key, _secret = key_create(name="A", organisation="B", contact="C")
    with pytest.raises(IntegrityError), transaction.atomic():
        OpenDataKey.objects.filter(pk=key.pk).update(throttle_rate="lots")


# --- bad input --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params, field, message",
    [
        ({"province": None}, "province", "Give the province"),
        ({"province": "2x"}, "province", "two digits"),
        ({"province": "99"}, "province", "no province with the code 99"),
        ({"from": "2026-02-30"}, "from", "YYYY-MM-DD"),
        ({"to": "yesterday"}, "to", "YYYY-MM-DD"),
        ({"from": "2026-03-05"}, "from", "after the last day"),
        ({"from": "2025-01-01"}, "to", "at most 366 days"),
        ({"cursor": "not-a-cursor"}, "cursor", "not a cursor"),
        ({"cursor": "MjAyNi0wMy0wMS4xMjM"}, "cursor", "not a cursor"),  # "2026-03-01.123"
        ({"limit": "0"}, "limit", "greater than or equal to 1"),
        ({"limit": "10001"}, "limit", "less than or equal to 10000"),
        ({"format": "xml"}, "format", "json, csv"),
    ],
)
def test_bad_parameters_are_400_naming_the_parameter(api, params, field, message):
    query = {k: v for k, v in {**QUERY, **params}.items() if v is not None}
    for extra in ({}, {"HTTP_ACCEPT": "text/csv"}):
        response = api.get(URL, query, **extra)
        assert response.status_code == 400
        assert response["Content-Type"] == "application/json"
        assert message in response.json()[field][0]


def test_a_year_long_period_is_accepted(api):
    assert api.get(URL, {"province": "22", "from": "2025-01-01", "to": "2025-12-31", "limit": 1}).status_code == 200


# --- the data package ---------------------------------------------------------------------------------------


def test_the_data_package_describes_the_columns_in_both_languages(client):
    response = client.get(PACKAGE_URL, {"province": "22", "from": "2026-03-01", "to": "2026-03-02"})
    assert response.status_code == 200
    package = response.json()
    resource = package["resources"][0]
    schema = resource["schema"]
    assert [field["name"] for field in schema["fields"]] == list(FIELD_NAMES)
    assert schema["primaryKey"] == ["date", "commune_code"]
    assert resource["path"].endswith("/api/v1/open/daily-counts/?province=22&from=2026-03-01&to=2026-03-02&format=csv")
    registered = next(field for field in schema["fields"] if field["name"] == "registered")
    assert registered["description_en"] == "New accounts registered in the commune that day."
    assert registered["description"] == "Số tài khoản mới đăng ký trong xã/phường trong ngày."
    assert resource["suppression"]["min_count"] == 5 and "1 to 4" in resource["suppression"]["rule_en"]


def test_the_csv_validates_against_the_data_package(api, client, counts, tmp_path):
    package = client.get(PACKAGE_URL).json()
    assert not list(frictionless.Package.metadata_validate(package))
    response = api.get(URL, {"province": "22", "from": DAY.isoformat(), "to": DAY.isoformat(), "format": "csv"})
    (tmp_path / "daily-counts.csv").write_bytes(response.content)
    descriptor = {**package["resources"][0], "path": "daily-counts.csv"}
    resource = frictionless.Resource(descriptor, basepath=str(tmp_path))
    report = resource.validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert report.tasks[0].stats["rows"] == len(communes_22())


def test_options_is_json_even_when_csv_is_asked_for(api):
    response = api.options(URL + "?format=csv", HTTP_ACCEPT="text/csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json" and response.json()["name"]


def test_a_page_costs_the_same_few_queries_whatever_its_length(api, counts, django_assert_max_num_queries):
    api.get(URL, QUERY)  # the key's last use is noted once a minute at most
    for limit in (10, 2000):
        # The key, the province, its communes and the counts of the page's days.
        with django_assert_max_num_queries(4):
            assert api.get(URL, {**QUERY, "limit": limit}).status_code == 200
