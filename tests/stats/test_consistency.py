"""One commune with known activity, read everywhere an organiser reads it — the dashboard, the commune page, the
people page, the CSV downloads, the statistics API, the Excel report and the PDF report — for the same filters:
the same registered people, participants, completers, targets and rates, written the same way.

The activity is made through the services (so the events fire and the counts are recomputed on commit) and the
expected figures are counted from the raw records, so a figure that drifts anywhere fails here."""

import csv
import datetime as dt
import io
import re
import uuid
from html.parser import HTMLParser

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from openpyxl import load_workbook
from pypdf import PdfReader

from courses.models import LessonPage
from learning.accounts.models import TargetGroupCode, User
from learning.campaigns.models import Assignment, Campaign, CampaignTarget
from learning.campaigns.services import assignment_populate
from learning.progress.models import Enrolment
from learning.progress.quiz_services import attempt_start, attempt_submit
from learning.progress.services import enrolment_ensure, lesson_complete
from learning.stats.formats import EXCEL_PERCENT_FORMAT, NO_DATA, format_percent
from learning.stats.models import ReportSnapshot
from learning.stats.selectors import target_group_choices
from learning.stats.tables import COMMUNE_TABLE
from tests.quiz_fixtures import make_quiz
from tests.stats.conftest import CAO_XANH, HA_TU

FIGURES = ("registered", "participants", "target", "participation_rate", "completers", "completion_rate")
PAGE_LABELS = {  # column header (English msgid) → figure, on the pages
    "Registered": "registered",
    "Participants": "participants",
    "Target": "target",
    "Participation rate": "participation_rate",
    "Completed": "completers",
    "Completion rate": "completion_rate",
}
FILE_LABELS = {  # the same figures in the CSV, Excel and PDF columns (tables.py)
    "Registered": "registered",
    "Participants": "participants",
    "Target participants": "target",
    "Participation rate": "participation_rate",
    "Completed a course": "completers",
    "Completion rate": "completion_rate",
}
DATE_TIME = re.compile(r"^\d\d/\d\d/\d{4} \d\d:\d\d$")


# --- the commune ---------------------------------------------------------------------------------------


def _finish(user, course, quiz=None):
    for lesson in LessonPage.objects.child_of(course).live().order_by("path"):
        lesson_complete(user=user, lesson=lesson, client_id=uuid.uuid4(), time_spent_seconds=90)
    if quiz is not None:
        attempt_submit(attempt=attempt_start(user=user, quiz=quiz).attempt)


@pytest.fixture
def commune(make_user, make_course, province_organiser, django_capture_on_commit_callbacks):
    """Hà Tu: six people in four groups, two courses, a quiz, targets for four groups, a mandatory module whose
    deadline has passed; one learner next door in Cao Xanh, who must not count."""
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        data = make_course(title="Dữ liệu và an toàn thông tin", lessons=2)
        skills = make_course(title="Ứng dụng số trong đời sống", lessons=2)
        quiz = make_quiz(data, slug="kiem-tra-du-lieu", pass_mark_percent=0)
        campaign = Campaign.objects.create(
            name="Bình dân học vụ số 2026", province_id="22", starts_on=today - dt.timedelta(days=30), ends_on=today
        )
        for group, participants, completions in (
            ("citizen", 10, 5),
            ("official", 5, 2),
            ("student", 4, 2),
            ("party_member", 3, 1),
        ):
            CampaignTarget.objects.create(
                campaign=campaign,
                commune_id=HA_TU,
                target_group_id=group,
                expected_participants=participants,
                expected_completions=completions,
            )
        CampaignTarget.objects.create(
            campaign=campaign,
            commune_id=CAO_XANH,
            target_group_id="citizen",
            expected_participants=7,
            expected_completions=3,
        )
        an = make_user(commune=HA_TU, groups=("citizen",), full_name="Trần Văn An")
        binh = make_user(commune=HA_TU, groups=("official", "party_member"), full_name="Lê Thị Bình")
        chi = make_user(commune=HA_TU, groups=("citizen",), full_name="Đỗ Minh Chi")
        make_user(commune=HA_TU, groups=("student",), full_name="Phạm Học Sinh")
        em = make_user(commune=HA_TU, groups=("official",), full_name="Hoàng Văn Em")
        giang = make_user(commune=CAO_XANH, groups=("citizen",), full_name="Vũ Thị Giang")
        _finish(an, data, quiz)
        enrolment_ensure(user=binh, course=data)
        lesson_complete(
            user=binh,
            lesson=LessonPage.objects.child_of(data).live().order_by("path").first(),
            client_id=uuid.uuid4(),
            time_spent_seconds=60,
        )
        _finish(chi, skills)
        _finish(em, data, quiz)
        _finish(giang, data, quiz)
        assignment = Assignment.objects.create(
            title="Bắt buộc: dữ liệu",
            target_group_id="official",
            province_id="22",
            deadline=today - dt.timedelta(days=1),
        )
        assignment.courses.set([data])
        assignment_populate(assignment=assignment)
    return {"data": data, "skills": skills, "campaign": campaign, "organiser": province_organiser}


FILTERS = [
    pytest.param({}, id="everyone-all-courses"),
    pytest.param({"target_group": "official"}, id="officials"),
    pytest.param({"target_group": "adult"}, id="adults"),
    pytest.param({"course": "data"}, id="one-course"),
    pytest.param({"course": "skills", "target_group": "citizen"}, id="course-and-group"),
]


def _params(filters: dict, world: dict) -> dict:
    params = dict(filters)
    if "course" in params:
        params["course"] = str(world[params["course"]].pk)
    return params


def _expected(params: dict, world: dict) -> dict:
    """The figures counted from the raw records (nobody has moved, so today's commune is the records')."""
    group = params.get("target_group", "")
    people = User.objects.filter(commune_id=HA_TU)
    if group == "adult":  # everyone but the people who are only students
        others = [code for code in TargetGroupCode.values if code != "student"]
        only_students = User.objects.filter(target_groups="student").exclude(target_groups__in=others)
        people = people.exclude(pk__in=only_students.values("pk"))
    elif group:
        people = people.filter(target_groups=group)
    enrolments = Enrolment.objects.filter(user__in=people)
    if "course" in params:
        enrolments = enrolments.filter(course_id=params["course"])
    targets = CampaignTarget.objects.filter(campaign=world["campaign"], commune_id=HA_TU)
    if group == "adult":
        targets = targets.exclude(target_group_id="student")
    elif group:
        targets = targets.filter(target_group_id=group)
    registered = people.distinct().count()
    participants = enrolments.values("user").distinct().count()
    completers = enrolments.filter(completed_at__isnull=False).values("user").distinct().count()
    target = sum(t.expected_participants for t in targets)
    return {
        "registered": registered,
        "participants": participants,
        "target": target,
        "participation_rate": format_percent(participants / target) if target else NO_DATA,
        "completers": completers,
        "completion_rate": format_percent(completers / participants) if participants else NO_DATA,
    }


# --- reading what a person reads -----------------------------------------------------------------------


class _Tables(HTMLParser):
    """Every <table> of a page: its header texts and its rows (the row's data-* attributes and cell texts)."""

    def __init__(self):
        super().__init__()
        self.tables, self._cell, self._row, self._in_head = {}, None, None, False
        self._table = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self._table = {"header": [], "rows": []}
            self.tables[attrs.get("id") or f"table-{len(self.tables)}"] = self._table
        elif tag == "thead":
            self._in_head = True
        elif tag == "tr" and self._table is not None:
            self._row = (attrs, [])
        elif tag in ("th", "td") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self._cell is not None:
            self._row[1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if self._in_head:
                self._table["header"] = self._row[1]
            else:
                self._table["rows"].append(self._row)
            self._row = None
        elif tag == "thead":
            self._in_head = False
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _html_row(html: str, table_id: str, attribute: str, value: str) -> dict:
    parser = _Tables()
    parser.feed(html)
    table = parser.tables[table_id]
    row = next(cells for attrs, cells in table["rows"] if attrs.get(attribute) == value)
    return _figures(dict(zip(table["header"], row, strict=True)), PAGE_LABELS)


def _figures(by_label: dict, labels: dict) -> dict:
    """The figures of one row (label → text or value) as a person reads them."""
    out = {}
    for label, figure in labels.items():
        if label not in by_label:
            continue
        value = by_label[label]
        if figure.endswith("rate"):
            out[figure] = value if isinstance(value, str) else (NO_DATA if value is None else format_percent(value))
        else:
            out[figure] = int(str(value).replace(".", "")) if value not in (None, "") else 0
    return out


def _csv(response) -> list[dict]:
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def _count(html: str) -> int:
    """The number of people a people page says it found ("7 people")."""
    return int(re.search(r'<p class="found">\s*([\d.]+) (?:person|people)', html).group(1).replace(".", ""))


# --- the pages and the CSV downloads ---------------------------------------------------------------------


@pytest.mark.parametrize("filters", FILTERS)
def test_pages_csv_and_api_give_the_same_figures(client, api, commune, filters):
    params = _params(filters, commune)
    expected = _expected(params, commune)
    group, course = params.get("target_group", ""), params.get("course", "0")
    client.force_login(commune["organiser"])

    dashboard = client.get("/organiser/stats/", params)
    assert dashboard.status_code == 200
    seen = {"dashboard": _html_row(dashboard.content.decode(), "commune-table", "data-code", HA_TU)}
    row = next(r for r in _csv(client.get("/organiser/stats/", {**params, "format": "csv"})) if r["Code"] == HA_TU)
    seen["dashboard CSV"] = _figures(row, FILE_LABELS)

    page = client.get(f"/organiser/stats/communes/{HA_TU}/", params)
    assert page.status_code == 200
    html = page.content.decode()
    seen["commune page, by group"] = _html_row(html, "by-group", "data-group", group)
    seen["commune page, by course"] = _html_row(html, "by-course", "data-course", course)
    groups = _csv(client.get(f"/organiser/stats/communes/{HA_TU}/", {**params, "format": "csv", "table": "groups"}))
    labels = dict(target_group_choices())
    seen["commune CSV, by group"] = _figures(
        next(r for r in groups if r["Target group"] == str(labels[group])), FILE_LABELS
    )
    courses = _csv(client.get(f"/organiser/stats/communes/{HA_TU}/", {**params, "format": "csv"}))
    title = commune["data"].title if course == str(commune["data"].pk) else None
    title = title or (commune["skills"].title if course == str(commune["skills"].pk) else "All courses")
    seen["commune CSV, by course"] = _figures(next(r for r in courses if r["Course"] == title), FILE_LABELS)
    weeks = _csv(client.get(f"/organiser/stats/communes/{HA_TU}/", {**params, "format": "csv", "table": "weeks"}))
    seen["weekly CSV"] = {"participants": int(weeks[-1]["Participants to date"])}
    assert all(re.fullmatch(r"\d\d/\d\d/\d{4}", w["Week from"]) for w in weeks)

    api.force_authenticate(commune["organiser"])
    totals = api.get(f"/api/v1/stats/communes/{HA_TU}/", params).json()["totals"]
    api_keys = {"registered": "registered", "participants": "participants", "target": "target_participants"}
    api_keys |= {"participation_rate": "participation_rate", "completers": "completers"}
    api_keys |= {"completion_rate": "completion_rate"}
    seen["API"] = _figures({figure: totals[key] for figure, key in api_keys.items()}, {f: f for f in FIGURES})

    people = f"/organiser/stats/communes/{HA_TU}/people/"
    seen["people page"] = {
        "registered": _count(client.get(people, params).content.decode()),
        "participants": _count(client.get(people, {**params, "status": "in_progress"}).content.decode())
        + _count(client.get(people, {**params, "status": "completed"}).content.decode()),
        "completers": _count(client.get(people, {**params, "status": "completed"}).content.decode()),
    }
    listed = _csv(client.get(people, {**params, "format": "csv"}))
    seen["people CSV"] = {
        "registered": len(listed),
        "participants": sum(1 for r in listed if int(r["Courses started"])),
        "completers": sum(1 for r in listed if int(r["Courses completed"])),
    }
    for r in listed:  # in Vietnam's time, to the minute, as the page writes it
        assert r["Last activity"] == "" or DATE_TIME.match(r["Last activity"]), r["Last activity"]

    for source, figures in seen.items():
        assert figures == {k: expected[k] for k in figures}, source
    if not params:  # the organiser (an official of Hà Tu) is registered too; Giang of Cao Xanh is not counted
        assert expected == {
            "registered": 6,
            "participants": 4,
            "target": 22,
            "participation_rate": "18,2 %",
            "completers": 3,
            "completion_rate": "75,0 %",
        }


def test_people_page_and_csv_write_the_same_last_activity(client, commune):
    client.force_login(commune["organiser"])
    people = f"/organiser/stats/communes/{HA_TU}/people/"
    parser = _Tables()
    parser.feed(client.get(people).content.decode())
    (table,) = parser.tables.values()
    on_page = {cells[0]: cells[table["header"].index("Last activity")] for _attrs, cells in table["rows"]}
    in_csv = {r["Full name"]: r["Last activity"] or NO_DATA for r in _csv(client.get(people, {"format": "csv"}))}
    assert on_page == in_csv
    assert DATE_TIME.match(on_page["Trần Văn An"])
    moment = Enrolment.objects.filter(user__full_name="Trần Văn An").latest("last_activity_at").last_activity_at
    assert on_page["Trần Văn An"] == timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


# --- the report: Excel and PDF ---------------------------------------------------------------------------


@pytest.fixture
def report(client, commune, django_capture_on_commit_callbacks):
    client.force_login(commune["organiser"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/organiser/stats/reports/",
            {"from": commune["campaign"].starts_on.isoformat(), "to": timezone.localdate().isoformat()},
        )
    assert response.status_code == 302
    snapshot = ReportSnapshot.objects.get()
    assert snapshot.status == "ready", snapshot.error
    xlsx = b"".join(client.get(f"/organiser/stats/reports/{snapshot.pk}/xlsx/").streaming_content)
    pdf = b"".join(client.get(f"/organiser/stats/reports/{snapshot.pk}/pdf/").streaming_content)
    return load_workbook(io.BytesIO(xlsx)), PdfReader(io.BytesIO(pdf))


def _vi(msgid: str, **values) -> str:
    with translation.override("vi"):  # the report is written in the site's language
        return gettext(msgid) % values if values else gettext(msgid)


def _headings(commune) -> dict[str, dict]:
    """Each report sheet's heading → the filters it shows."""
    from learning.accounts.models import TargetGroupCode

    out = {_vi("All courses, everyone, by commune"): {}}
    for key in ("data", "skills"):
        out[_vi("Course: %(title)s", title=commune[key].title)] = {"course": key}
    with translation.override("vi"):
        for code, label in TargetGroupCode.choices:
            out[gettext("Target group: %(group)s") % {"group": str(label)}] = {"target_group": code}
    return out


def test_excel_report_gives_the_same_figures(commune, report):
    workbook, _pdf = report
    labels = {_vi(msgid): figure for msgid, figure in FILE_LABELS.items()}
    headings = _headings(commune)
    found = set()
    for ws in workbook.worksheets:
        assert len(ws.title) <= 31
        filters = headings[ws["A5"].value]
        header = [c.value for c in ws[6]]
        row = next(r for r in ws.iter_rows(min_row=7) if r[0].value == HA_TU)
        cells = dict(zip(header, row, strict=True))
        for label, figure in labels.items():
            if figure.endswith("rate") and cells[label].value is not None:
                assert cells[label].number_format == EXCEL_PERCENT_FORMAT  # a number, shown "40,0 %"
                assert isinstance(cells[label].value, int | float)  # 1.0 reads back as 1
            elif not figure.endswith("rate"):
                assert isinstance(cells[label].value, int), (ws.title, label)
        figures = _figures({k: c.value for k, c in cells.items()}, labels)
        assert figures == _expected(_params(filters, commune), commune), ws.title
        found.add(ws["A5"].value)
    assert found == set(headings)


def test_pdf_report_gives_the_same_figures(commune, report):
    _workbook, pdf = report
    headings = _headings(commune)
    labels = [_vi(msgid) for msgid, _f in FILE_LABELS.items()]
    # Every piece of text with its page and position; a table row is the pieces on one line.
    pieces = []
    for number, page in enumerate(pdf.pages):
        page.extract_text(
            visitor_text=lambda text, _cm, tm, _font, _size, n=number: (
                pieces.append((n, round(tm[5], 1), tm[4], text.strip())) if text.strip() else None
            )
        )
    sheet, rows = None, {}
    for n, y, _x, text in pieces:
        if text in headings:
            sheet = text
        elif text == HA_TU and sheet is not None and sheet not in rows:
            rows[sheet] = [t for m, yy, _xx, t in sorted(pieces, key=lambda p: p[2]) if m == n and yy == y]
    assert set(rows) == set(headings)
    order = [str(label) for _key, label, _kind in COMMUNE_TABLE]
    with translation.override("vi"):
        order = [gettext(label) for label in order]
    for heading, cells in rows.items():
        figures = _figures(dict(zip(order, cells, strict=False)), dict(zip(labels, FILE_LABELS.values(), strict=True)))
        assert figures == _expected(_params(headings[heading], commune), commune), heading
