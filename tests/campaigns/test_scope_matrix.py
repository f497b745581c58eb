"""Who may see whose people: every organiser endpoint (pages and API) × every kind of caller.

Two commune organisers: ``inside`` organises Phường Hạ Long (06688), ``outsider`` Phường Hà Tu (06652).
Each endpoint is called about Hạ Long's people and ``inside``'s roster:

* ``inside`` gets the endpoint's success status (200, or 201/202/302 for writes) — and, where the
  endpoint shows people, sees Hạ Long's;
* ``outsider`` gets 403 or 404 — or, for an endpoint that lists "my own" things (no commune or roster
  in the URL), the success status with none of Hạ Long's names, phone numbers or files in the answer;
* a learner gets 403, an anonymous visitor the sign-in page (pages) or 401/403 (API);
* and nobody but ``inside`` changes anything of Hạ Long's: no message reaches its people, its roster
  is not confirmed, no roster of theirs gets a valid row.

**Adding an endpoint is one row of ENDPOINTS**, e.g.::

    E("get", "/api/v1/stats/communes/{commune}/", shows=True),

URL placeholders: ``{commune}`` (Hạ Long, inside's commune), ``{province}`` (22, Quảng Ninh — neither
organiser's), ``{roster}`` (inside's roster), ``{person}`` (the id of a Hạ Long official with an overdue
mandatory module), ``{certificate}`` (that official's certificate's code).
``test_every_organiser_route_is_in_the_table`` fails when a route under ``organiser/`` has no row
(``ROWS_TO_COME`` lists the prefixes whose rows are still to be written).
"""

import io
import uuid
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone
from openpyxl import Workbook

from learning.accounts.services import role_grant
from learning.campaigns.models import Assignment
from learning.campaigns.roster_models import Roster
from learning.campaigns.rosters import roster_preview
from learning.certificates.models import Certificate
from learning.notifications.models import Delivery
from learning.notifications.sms import ConsoleSmsBackend
from learning.progress.services import lesson_complete

pytestmark = pytest.mark.django_db

HA_LONG, HA_TU = "06688", "06652"

# How the outsider (another commune's organiser) is answered.
DENIED = "denied"  # 403 or 404
OWN = "own"  # the success status, showing only their own people and files
# What a write sends.
UPLOAD = "upload"  # a roster file with Hạ Long people
COMMUNE = "commune"  # {"commune": Hạ Long}
REVOKE = "revoke"  # a reason to revoke a certificate


@dataclass(frozen=True)
class E:
    method: str
    url: str
    ok: int = 200  # the in-scope organiser's status
    outsider: str = DENIED
    body: str = ""
    shows: bool = False  # the in-scope answer names Hạ Long's people (or the commune, with its counts)

    def __str__(self):
        return f"{self.method.upper()} {self.url}" + (f" [{self.body}]" if self.body else "")


ENDPOINTS = [
    # assignments (API)
    E("get", "/api/v1/organiser/assignments/?commune={commune}", shows=True),
    E("get", "/api/v1/organiser/assignments/?commune={commune}&status=overdue", shows=True),
    E("get", "/api/v1/organiser/assignments/", outsider=OWN, shows=True),
    # rosters (pages)
    E("get", "/organiser/rosters/", outsider=OWN),
    E("post", "/organiser/rosters/", ok=302, outsider=OWN, body=UPLOAD),
    E("get", "/organiser/rosters/template.xlsx", outsider=OWN),
    E("get", "/organiser/rosters/{roster}/", shows=True),
    E("get", "/organiser/rosters/{roster}/?outcome=error", shows=True),
    E("post", "/organiser/rosters/{roster}/confirm/", ok=302),
    # rosters (API)
    E("post", "/api/v1/organiser/rosters/", ok=201, outsider=OWN, body=UPLOAD),
    E("get", "/api/v1/organiser/rosters/{roster}/"),
    E("get", "/api/v1/organiser/rosters/{roster}/rows/", shows=True),
    E("post", "/api/v1/organiser/rosters/{roster}/confirm/", ok=202),
    # exports
    E("get", "/organiser/rosters/{roster}/errors.csv", shows=True),
    # reminders (page and API)
    E("get", "/organiser/reminders/", outsider=OWN, shows=True),
    E("post", "/organiser/reminders/", ok=302, body=COMMUNE),
    E("post", "/organiser/reminders/", ok=302, outsider=OWN),
    E("post", "/api/v1/organiser/reminders/overdue/", ok=202, body=COMMUNE),
    E("post", "/api/v1/organiser/reminders/overdue/", ok=202, outsider=OWN),
    # statistics (pages, CSV and API); reports are provincial: commune organisers are refused
    E("get", "/organiser/stats/", outsider=OWN, shows=True),
    E("get", "/organiser/stats/?format=csv", outsider=OWN, shows=True),
    E("get", "/organiser/stats/communes/{commune}/", shows=True),
    E("get", "/organiser/stats/communes/{commune}/?format=csv&table=groups"),
    E("get", "/organiser/stats/communes/{commune}/people/", shows=True),
    E("get", "/organiser/stats/communes/{commune}/people/?format=csv", shows=True),
    E("get", "/organiser/stats/people/{person}/", shows=True),
    E("get", "/organiser/stats/reports/", ok=403),
    E("get", "/organiser/stats/reports/1/xlsx/", ok=403),
    E("get", "/api/v1/stats/communes/{commune}/", shows=True),
    E("get", "/api/v1/stats/communes/{commune}/people/", shows=True),
    # certificates (pages)
    E("get", "/organiser/certificates/", outsider=OWN, shows=True),
    E("get", "/organiser/certificates/?commune={commune}&status=valid", shows=True),
    E("get", "/organiser/certificates/{certificate}/revoke/", shows=True),
    E("post", "/organiser/certificates/{certificate}/revoke/", ok=302, body=REVOKE),
]

# Routes that must each have a row ...
SCOPED_ROUTES = ("organiser/",)
# ... except those whose rows are still to be written (none now).
ROWS_TO_COME = ()

# Hạ Long's people and files, which nobody else may see.
SECRET_NAME, SECRET_PHONE = "Người Hạ Long Bí Mật", "0912777001"
ROSTER_NAME, ROSTER_PHONE = "Trần Thị Danh Sách", "0912777002"
ERROR_NAME = "Lê Văn Dòng Lỗi"
ROSTER_FILE = "danh-sach-ha-long-bi-mat.xlsx"
SECRETS = (
    "Phường Hạ Long",  # the reminder page counts people per commune by name
    SECRET_NAME,
    ROSTER_NAME,
    ERROR_NAME,
    ROSTER_FILE,
    "+84912777001",
    "0912 777 001",
    "912777001",
    "+84912777002",
    "0912 777 002",
    "912777002",
)


def roster_file(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["Họ và tên", "Số điện thoại", "Xã/phường", "Nhóm đối tượng", "Đơn vị", "Chức vụ"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def outbox(settings):
    settings.REMINDER_CHANNELS = ["in_app", "sms"]
    ConsoleSmsBackend.outbox.clear()
    yield
    ConsoleSmsBackend.outbox.clear()


@pytest.fixture
def world(make_user, make_course):
    """Two communes with an overdue official each, their organisers, a learner, inside's roster, and a
    certificate of Hạ Long's official."""
    assignment = Assignment.objects.create(
        title="Kỹ năng số", target_group_id="official", province_id="22", deadline=timezone.localdate() - timedelta(3)
    )
    secret = make_user(phone=SECRET_PHONE, commune=HA_LONG, groups=["official"], full_name=SECRET_NAME)
    neighbour = make_user(commune=HA_TU, groups=["official"], full_name="Người Hà Tu")
    inside = make_user(commune=HA_LONG, full_name="Cán bộ Hạ Long")
    role_grant(user=inside, role="commune_organiser", scope_codes=[HA_LONG])
    outsider = make_user(commune=HA_TU, full_name="Cán bộ Hà Tu")
    role_grant(user=outsider, role="commune_organiser", scope_codes=[HA_TU])
    from learning.campaigns.services import assignment_populate

    assignment_populate(assignment=assignment)
    roster = roster_preview(
        organiser=inside,
        content=roster_file(
            [
                [ROSTER_NAME, ROSTER_PHONE, HA_LONG, "Người dân", "UBND phường", ""],
                [ERROR_NAME, "12", HA_LONG, "Người dân", "UBND phường", ""],
            ]
        ),
        filename=ROSTER_FILE,
    )
    assert (roster.valid_rows, roster.error_rows) == (1, 1)
    course = make_course(lessons=1)
    lesson_complete(user=secret, lesson=course.lessons().get(), client_id=uuid.uuid4(), time_spent_seconds=60)
    return {
        "inside": inside,
        "outsider": outsider,
        "learner": make_user(commune=HA_LONG),
        "anonymous": None,
        "roster": roster,
        "secret": secret,
        "neighbour": neighbour,
        "certificate": Certificate.objects.get(holder=secret),
        # What reached Hạ Long's person before any organiser acted (the code that proves their phone at sign-up).
        "messages_before": (
            set(Delivery.objects.filter(user=secret).values_list("pk", flat=True)),
            sum(phone == "+84912777001" for phone, _text in ConsoleSmsBackend.outbox),
        ),
    }


def fill(url: str, *, roster: int, person: int, certificate: str = "ABCDE23456") -> str:
    return url.format(commune=HA_LONG, province="22", roster=roster, person=person, certificate=certificate)


def call(client, endpoint: E, world, capture):
    ids = {"roster": world["roster"].pk, "person": world["secret"].pk, "certificate": world["certificate"].code}
    url = fill(endpoint.url, **ids)
    data, options = {}, {}
    if endpoint.body == UPLOAD:
        upload = io.BytesIO(roster_file([["Người Mới", "0912777003", HA_LONG, "Người dân", "UBND", ""]]))
        upload.name = "moi.xlsx"
        data = {"file": upload}
        if url.startswith("/api/"):
            options["format"] = "multipart"
    elif endpoint.body == REVOKE:
        data = {"reason": "issued_in_error"}
    elif endpoint.body == COMMUNE:
        data = {"commune": HA_LONG}
        if url.startswith("/api/"):
            options["format"] = "json"
    with capture(execute=True):  # what the request queues (imports, reminders) runs too
        if endpoint.method == "get":
            return client.get(url)
        return client.post(url, data, **options)


def text_of(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def nothing_of_ha_long_changed(world):
    deliveries, sms = world["messages_before"]
    now = set(Delivery.objects.filter(user=world["secret"]).values_list("pk", flat=True))
    assert now == deliveries, "a message reached Hạ Long's people"
    assert sum(phone == "+84912777001" for phone, _text in ConsoleSmsBackend.outbox) == sms
    assert Roster.objects.get(pk=world["roster"].pk).status == "previewed", "inside's roster was confirmed"
    assert not Roster.objects.exclude(organiser=world["inside"]).filter(valid_rows__gt=0).exists()
    assert not Certificate.objects.filter(revoked_at__isnull=False).exists(), "a certificate was revoked"


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
class TestScopeMatrix:
    def test_in_scope_organiser(self, endpoint, world, client, api, django_capture_on_commit_callbacks):
        caller = api if endpoint.url.startswith("/api/") else client
        caller.force_login(world["inside"]) if caller is client else caller.force_authenticate(world["inside"])
        response = call(caller, endpoint, world, django_capture_on_commit_callbacks)
        assert response.status_code == endpoint.ok, text_of(response)[:500]
        if endpoint.shows:
            body = text_of(response)
            assert any(name in body for name in SECRETS[:4]), body[:500]

    def test_other_communes_organiser(self, endpoint, world, client, api, django_capture_on_commit_callbacks):
        caller = api if endpoint.url.startswith("/api/") else client
        caller.force_login(world["outsider"]) if caller is client else caller.force_authenticate(world["outsider"])
        response = call(caller, endpoint, world, django_capture_on_commit_callbacks)
        if endpoint.outsider == DENIED:
            assert response.status_code in (403, 404), (response.status_code, text_of(response)[:500])
        else:
            assert response.status_code == endpoint.ok, text_of(response)[:500]
        if response.status_code == 302:
            response = caller.get(response["Location"])
        body = text_of(response)
        leaked = [secret for secret in SECRETS if secret in body]
        assert not leaked, f"{endpoint} shows another commune's {leaked}"
        nothing_of_ha_long_changed(world)

    def test_learner(self, endpoint, world, client, api, django_capture_on_commit_callbacks):
        caller = api if endpoint.url.startswith("/api/") else client
        caller.force_login(world["learner"]) if caller is client else caller.force_authenticate(world["learner"])
        response = call(caller, endpoint, world, django_capture_on_commit_callbacks)
        assert response.status_code == 403
        assert not [secret for secret in SECRETS if secret in text_of(response)]
        nothing_of_ha_long_changed(world)

    def test_anonymous(self, endpoint, world, client, api, django_capture_on_commit_callbacks):
        caller = api if endpoint.url.startswith("/api/") else client
        response = call(caller, endpoint, world, django_capture_on_commit_callbacks)
        if caller is api:
            assert response.status_code in (401, 403)
        else:
            assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
        nothing_of_ha_long_changed(world)


def _routes(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def test_every_organiser_route_is_in_the_table():
    routes = {
        route
        for route in _routes(get_resolver().url_patterns)
        if any(s in route for s in SCOPED_ROUTES) and not any(s in route for s in ROWS_TO_COME)
    }
    covered = {resolve(fill(e.url, roster=1, person=1).split("?")[0]).route for e in ENDPOINTS}
    missing = sorted(routes - covered)
    assert not missing, f"add a row to ENDPOINTS in {__file__} for: {missing}"
