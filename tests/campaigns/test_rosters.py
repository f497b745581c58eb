import csv
import io
import logging
import re
import unicodedata
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from learning.accounts.activation_models import ActivationCode
from learning.accounts.models import User
from learning.accounts.services import role_grant
from learning.campaigns.models import Assignment, AssignmentMember
from learning.campaigns.roster_models import OrganisationMembership, Roster, RosterRow
from learning.campaigns.rosters import parse_groups, roster_confirm, roster_preview, spreadsheet_safe
from learning.notifications.models import Delivery
from learning.notifications.sms import ConsoleSmsBackend

pytestmark = pytest.mark.django_db

VI = ["Họ và tên", "Số điện thoại", "Xã/phường", "Nhóm đối tượng", "Đơn vị", "Chức vụ"]
EN = ["Full name", "Phone", "Commune", "Target group", "Organisation", "Position"]


def xlsx(rows, header=VI) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows, header=VI, delimiter=",", bom=True) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" if bom else "").encode() + out.getvalue().encode()


def person(name="Nguyễn Văn An", phone="0912 345 001", commune="06688", group="Người dân", org="UBND", pos=""):
    return [name, phone, commune, group, org, pos]


@pytest.fixture(autouse=True)
def outbox():
    ConsoleSmsBackend.outbox.clear()
    yield ConsoleSmsBackend.outbox
    ConsoleSmsBackend.outbox.clear()


@pytest.fixture
def organiser(make_user):
    user = make_user(phone="0987000001", full_name="Cán bộ Xã")
    role_grant(user=user, role="commune_organiser", scope_codes=["06688", "06652"])
    return user


@pytest.fixture
def other_organiser(make_user):
    user = make_user(phone="0987000002", full_name="Cán bộ khác")
    role_grant(user=user, role="commune_organiser", scope_codes=["06673"])
    return user


def preview(organiser, content, filename="ds.xlsx"):
    return roster_preview(organiser=organiser, content=content, filename=filename)


def outcomes(roster):
    return {r.row_number: (r.outcome, r.reason) for r in roster.rows.order_by("row_number")}


def file_error(organiser, content, filename="ds.xlsx") -> str:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as info:
        preview(organiser, content, filename)
    assert not Roster.objects.exists()
    return " ".join(info.value.messages)


def confirm(roster, capture):
    with capture(execute=True):
        roster_confirm(roster=roster)
    roster.refresh_from_db()
    return roster


# --- Preview -----------------------------------------------------------------------------------


def test_preview_classifies_every_row_and_writes_no_person(organiser, make_user):
    existing = make_user(phone="0912345002", groups=["citizen"])
    same = make_user(phone="0912345003", groups=["citizen"])
    OrganisationMembership.objects.create(user=same, organisation="UBND")
    users_before = User.objects.count()
    content = xlsx(
        [
            person(phone="0912 345 001"),  # 2 new
            person(phone="0912345002", group="Đảng viên"),  # 3 update (group added)
            person(phone="+84912345003", group="citizen"),  # 4 unchanged
            person(phone="0912 34"),  # 5 bad phone
            person(phone="0912345005", commune="99999"),  # 6 unknown commune
            person(phone="0912345006", commune="00004"),  # 7 outside scope (Hà Nội)
            person(phone="0912345007", group="Nông dân"),  # 8 unknown group
            person(name="  ", phone="0912345008"),  # 9 missing name
            person(phone="0912.345.001"),  # 10 duplicate of row 2
            person(phone="0243 382 1234"),  # 11 landline
        ]
    )
    roster = preview(organiser, content)
    result = outcomes(roster)
    assert User.objects.count() == users_before
    assert result[2] == ("new", "")
    assert (
        result[3][0] == "update"
        and RosterRow.objects.get(roster=roster, row_number=3).changes == "target_groups,organisation"
    )
    assert result[4] == ("unchanged", "")
    assert result[5][0] == "error" and "0912 34" in result[5][1] and "10 digits" in result[5][1]
    assert result[6] == ("error", "Unknown commune code “99999”.")
    assert result[7] == ("error", "Commune 00004 is outside your scope.")
    assert result[8] == ("error", "Unknown target group “Nông dân”.")
    assert result[9] == ("error", "The full name is missing.")
    assert result[10] == ("error", "The phone number is already on row 2 of this file.")
    assert result[11][0] == "error" and "landline" in result[11][1]
    assert (roster.total_rows, roster.new_rows, roster.update_rows, roster.unchanged_rows, roster.error_rows) == (
        10,
        1,
        1,
        1,
        7,
    )
    assert existing.target_groups.count() == 1


def test_english_headers_csv_with_semicolons_and_commune_names(organiser):
    rows = [
        person(phone="0912345011", commune="Phường Hạ Long", group="official, party_member"),
        person(phone="0912345012", commune="ha long", group="Cán bộ, công chức, viên chức; Đảng viên"),
        person(phone="0912345013", commune="Hà Tu", group="Học sinh, sinh viên"),
        person(phone="0912345014", commune="Bãi Cháy", group="student"),  # Quảng Ninh, not in this scope
        person(phone="0912345015", commune="Xã Không Có", group="student"),
    ]
    roster = preview(organiser, csv_bytes(rows, header=EN, delimiter=";"), "roster.csv")
    result = outcomes(roster)
    row2, row3, row4 = (RosterRow.objects.get(roster=roster, row_number=n) for n in (2, 3, 4))
    assert (row2.commune_id, row2.group_codes) == ("06688", ["official", "party_member"])
    assert (row3.commune_id, row3.group_codes) == ("06688", ["official", "party_member"])
    assert (row4.commune_id, row4.group_codes) == ("06652", ["student"])
    assert result[5] == ("error", "The commune “Bãi Cháy” is outside your scope.")
    assert result[6] == ("error", "Unknown commune “Xã Không Có”.")


def test_headers_are_matched_ignoring_case_diacritics_and_spaces(organiser):
    assert preview(organiser, xlsx([person()], header=["Ho va ten", "Sô điện thoai", *VI[2:]])).total_rows == 1
    header = ["  HO TEN ", "SĐT", "mã xã", "đối tượng", "Cơ quan", "chuc vu"]
    roster = preview(organiser, xlsx([person()], header=header))
    assert outcomes(roster) == {2: ("new", "")}


def test_group_labels_with_commas():
    from learning.campaigns.rosters import _group_keys

    keys = _group_keys()
    assert parse_groups("Cán bộ, công chức, viên chức", keys) == (["official"], [])
    assert parse_groups("Đảng viên, cán bộ", keys) == (["party_member", "official"], [])
    assert parse_groups("official; nông dân", keys) == (["official"], ["nong dan"])


def test_missing_and_misspelled_columns_are_named(organiser):
    header = ["Họ và tên", "Số điện thaoi", "Xã/phường", "Nhóm đối tượng"]
    message = file_error(organiser, xlsx([["A", "0912345001", "06688", "citizen"]], header=header))
    assert "Missing column(s): “Số điện thoại”, “Đơn vị”" in message
    assert "“Số điện thaoi” looks like a misspelling of “Số điện thoại”" in message
    assert "The header row has: “Họ và tên”, “Số điện thaoi”, “Xã/phường”, “Nhóm đối tượng”" in message


def test_empty_files(organiser):
    assert file_error(organiser, b"", "ds.csv") == "The file is empty."
    assert file_error(organiser, "\ufeff\n\n".encode(), "ds.csv") == "The file is empty."
    assert file_error(organiser, xlsx([])) == "The file has a header row but no people under it."
    assert file_error(organiser, csv_bytes([["", "", "", "", "", ""]]), "ds.csv") == (
        "The file has a header row but no people under it."
    )


def test_corrupt_and_password_protected_xlsx(organiser):
    good = xlsx([person()])
    assert "damaged" in file_error(organiser, good[:300])
    assert "damaged" in file_error(organiser, b"PK\x03\x04" + b"\0" * 200)
    assert "damaged" in file_error(organiser, b"not a workbook at all", "ds.xlsx")
    encrypted = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1000
    assert "password-protected" in file_error(organiser, encrypted)
    assert "UTF-8" in file_error(organiser, b"H\xf4 v\xe0 t\xean,SDT\n", "ds.csv")


def test_size_and_row_limits(organiser, settings):
    settings.ROSTER_MAX_BYTES = 1000
    assert "largest roster accepted" in file_error(organiser, csv_bytes([person()] * 30), "ds.csv")
    settings.ROSTER_MAX_BYTES = 10**6
    settings.ROSTER_MAX_ROWS = 3
    rows = [person(phone=f"09123450{i:02d}") for i in range(4)]
    assert "more than 3 people" in file_error(organiser, xlsx(rows))
    assert preview(organiser, xlsx(rows[:3])).total_rows == 3


def test_formulas_are_text_names_are_cleaned_and_exports_neutralised(organiser):
    nfd = unicodedata.normalize("NFD", "Nguyễn Thị Hoà")
    rows = [
        person(name=f"  {nfd}   ", phone="0912345021"),
        person(name='=HYPERLINK("http://x","Bấm")', phone="=1+1"),
        person(name="Trần  Văn   Bình", phone="0912345023", org="=cmd|' /C calc'!A0"),
    ]
    roster = preview(organiser, xlsx(rows))
    row2, row3, row4 = (RosterRow.objects.get(roster=roster, row_number=n) for n in (2, 3, 4))
    assert row2.full_name == "Nguyễn Thị Hoà" and unicodedata.is_normalized("NFC", row2.full_name)
    assert row3.outcome == "error" and "=1+1" in row3.reason and row3.raw["full_name"].startswith("=HYPERLINK")
    assert row4.full_name == "Trần Văn Bình" and row4.organisation == "=cmd|' /C calc'!A0"
    assert spreadsheet_safe("=1+1") == "'=1+1" and spreadsheet_safe("@SUM(A1)") == "'@SUM(A1)"
    assert spreadsheet_safe("-5") == "'-5" and spreadsheet_safe("+84") == "'+84" and spreadsheet_safe("An") == "An"
    from learning.campaigns.rosters import roster_errors_csv

    exported = list(csv.reader(io.StringIO(roster_errors_csv(roster=roster).lstrip("\ufeff"))))
    assert exported[1][:3] == ["3", '\'=HYPERLINK("http://x","Bấm")', "'=1+1"]


@pytest.mark.parametrize(
    "written",
    [
        "0912345678",
        "0912 345 678",
        "0912.345.678",
        "0912-345-678",
        "(091) 2345 678",
        "+84912345678",
        "+84 912 345 678",
        "84912345678",
        "0084912345678",
        912345678,
        "  0912345678  ",
    ],
)
def test_every_common_phone_format(organiser, written):
    roster = preview(organiser, xlsx([person(phone=written)]))
    row = roster.rows.get()
    assert (row.outcome, row.phone) == ("new", "+84912345678")


# --- Import ------------------------------------------------------------------------------------


def test_confirm_imports_sends_codes_and_the_same_file_again_changes_nothing(
    organiser, django_capture_on_commit_callbacks, course, outbox, caplog
):
    assignment = Assignment.objects.create(
        title="Kỹ năng số", target_group_id="official", province_id="22", deadline=timezone.localdate() + timedelta(9)
    )
    assignment.courses.set([course])
    rows = [
        person(phone=f"09123451{i:02d}", group="official" if i % 2 else "citizen", org="Sở TT", pos="CV")
        for i in range(7)
    ] + [person(phone="12")]
    content = xlsx(rows)
    roster = preview(organiser, content)
    with caplog.at_level(logging.DEBUG):
        roster = confirm(roster, django_capture_on_commit_callbacks)
    assert (roster.status, roster.processed, roster.valid_rows, roster.created_count) == ("imported", 7, 7, 7)
    created = User.objects.filter(phone__startswith="+8491234510")
    assert created.count() == 7
    assert all(not u.has_usable_password() for u in created)
    assert OrganisationMembership.objects.filter(user__in=created, organisation="Sở TT", position="CV").count() == 7
    assert AssignmentMember.objects.filter(assignment=assignment).count() == 3
    assert len(outbox) == 7 and ActivationCode.objects.filter(purpose="activation").count() == 7
    codes = [re.search(r"\b(\d{6})\b", text).group(1) for _phone, text in outbox]
    assert not Delivery.objects.filter(body__regex=r"\d{6}").exists()  # the stored copy is masked
    assert not ActivationCode.objects.filter(code_hash__in=codes).exists()
    for record in caplog.records:  # only the console SMS backend's own line carries a code
        if record.name != "learning.sms":
            assert not any(code in record.getMessage() for code in codes)

    again = preview(organiser, content)
    assert (again.new_rows, again.update_rows, again.unchanged_rows) == (0, 0, 7)
    assert Roster.objects.filter(sha256=again.sha256).count() == 2
    users = User.objects.count()
    again = confirm(again, django_capture_on_commit_callbacks)
    assert (again.status, again.processed, again.created_count) == ("imported", 7, 0)
    assert (
        User.objects.count() == users
        and len(outbox) == 7
        and ActivationCode.objects.filter(purpose="activation").count() == 7
    )


def test_import_updates_existing_people_and_is_resumable(organiser, make_user, django_capture_on_commit_callbacks):
    from learning.campaigns.rosters import roster_import, roster_start

    moving = make_user(phone="0912345201", commune="06652", groups=["citizen"])
    roster = preview(
        organiser,
        xlsx([person(phone="0912345201", group="official", org="Trường A"), person(phone="0912345202")]),
    )
    roster, started = roster_start(roster=roster)
    assert started and roster.status == "importing"
    roster = roster_import(roster=roster, batch_size=1)
    roster = roster_import(roster=roster)  # again: nothing more
    moving.refresh_from_db()
    assert moving.commune_id == "06688" and set(moving.target_groups.values_list("code", flat=True)) == {
        "citizen",
        "official",
    }
    assert moving.organisation_membership.organisation == "Trường A"
    assert moving.has_usable_password()
    assert User.objects.filter(phone="+84912345202").count() == 1 and roster.created_count == 1


def test_someone_registered_outside_the_scope_is_not_touched(organiser, make_user):
    make_user(phone="0912345301", commune="00004")
    roster = preview(organiser, xlsx([person(phone="0912345301")]))
    assert outcomes(roster)[2] == ("error", "This phone number belongs to an account registered outside your scope.")


def test_a_roster_without_valid_rows_cannot_be_confirmed(organiser, django_capture_on_commit_callbacks):
    from django.core.exceptions import ValidationError

    roster = preview(organiser, xlsx([person(phone="1")]))
    with pytest.raises(ValidationError):
        confirm(roster, django_capture_on_commit_callbacks)


def test_learners_cannot_import(learner):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        preview(learner, xlsx([person()]))


# --- Pages -------------------------------------------------------------------------------------


def test_pages_upload_preview_confirm_and_progress(client, organiser, django_capture_on_commit_callbacks):
    client.force_login(organiser)
    page = client.get("/organiser/rosters/")
    assert page.status_code == 200 and b"template.xlsx" in page.content
    template = client.get("/organiser/rosters/template.xlsx")
    sheet = load_workbook(io.BytesIO(template.content)).active
    assert [c.value for c in sheet[1]] == VI and sheet["A1"].font.bold and sheet.max_row == 2
    upload = io.BytesIO(xlsx([person(phone="0912345401"), person(phone="0912345401")]))
    upload.name = "ds.xlsx"
    response = client.post("/organiser/rosters/", {"file": upload})
    roster = Roster.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/organiser/rosters/{roster.pk}/"
    detail = client.get(f"/organiser/rosters/{roster.pk}/?outcome=error")
    assert b"already on row 2" in detail.content and b"Confirm and import" in detail.content
    assert client.get(f"/organiser/rosters/{roster.pk}/errors.csv").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/organiser/rosters/{roster.pk}/confirm/")
    detail = client.get(f"/organiser/rosters/{roster.pk}/")
    assert b"1 of 1 rows imported" in detail.content and b"Confirm and import" not in detail.content


def test_pages_show_file_errors(client, organiser):
    client.force_login(organiser)
    upload = io.BytesIO(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1000)
    upload.name = "ds.xlsx"
    response = client.post("/organiser/rosters/", {"file": upload})
    assert response.status_code == 200 and b"password-protected" in response.content
    assert not Roster.objects.exists()


def test_pages_are_for_organisers_and_their_own_rosters(client, organiser, other_organiser, learner):
    roster = preview(organiser, xlsx([person()]))
    client.force_login(learner)
    assert client.get("/organiser/rosters/").status_code == 403
    assert client.get(f"/organiser/rosters/{roster.pk}/").status_code == 403
    client.force_login(other_organiser)
    assert client.get(f"/organiser/rosters/{roster.pk}/").status_code == 404
    assert client.post(f"/organiser/rosters/{roster.pk}/confirm/").status_code == 404
    assert client.get(f"/organiser/rosters/{roster.pk}/errors.csv").status_code == 404


def test_pages_are_vietnamese_by_default(vi_client, organiser):
    vi_client.force_login(organiser)
    page = vi_client.get("/organiser/rosters/")
    assert page.status_code == 200 and b'lang="vi"' in page.content


# --- API ---------------------------------------------------------------------------------------


def test_api_upload_confirm_status(api, organiser, django_capture_on_commit_callbacks):
    api.force_authenticate(organiser)
    upload = io.BytesIO(csv_bytes([person(phone="0912345501"), person(phone="0912345502", commune="x")]))
    upload.name = "ds.csv"
    response = api.post("/api/v1/organiser/rosters/", {"file": upload}, format="multipart")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["counts"] == {"rows": 2, "valid": 1, "new": 1, "update": 0, "unchanged": 0, "claimed": 0, "error": 1}
    assert [r["outcome"] for r in body["rows"]] == ["new", "error"] and body["rows"][1]["row"] == 3
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = api.post(f"/api/v1/organiser/rosters/{body['id']}/confirm/")
    assert confirmed.status_code == 202 and confirmed["Location"] == body["url"]
    status = api.get(body["url"]).json()
    assert (status["status"], status["processed"], status["total"], status["created_accounts"]) == ("imported", 1, 1, 1)
    rows = api.get(body["rows_url"] + "?outcome=error").json()
    assert rows["count"] == 1 and rows["results"][0]["reason"] == "Unknown commune “x”."


def test_api_bad_files_are_400(api, organiser, settings):
    api.force_authenticate(organiser)
    upload = io.BytesIO(b"PK\x03\x04garbage")
    upload.name = "ds.xlsx"
    response = api.post("/api/v1/organiser/rosters/", {"file": upload}, format="multipart")
    assert response.status_code == 400 and "damaged" in response.json()["file"][0]
    assert api.post("/api/v1/organiser/rosters/", {}, format="multipart").status_code == 400
    settings.ROSTER_MAX_BYTES = 10
    upload = io.BytesIO(csv_bytes([person()]))
    upload.name = "ds.csv"
    response = api.post("/api/v1/organiser/rosters/", {"file": upload}, format="multipart")
    assert response.status_code == 400 and "largest roster" in response.json()["file"][0]


def test_api_scope(api, organiser, other_organiser, learner):
    roster = preview(organiser, xlsx([person()]))
    api.force_authenticate(learner)
    assert api.get(f"/api/v1/organiser/rosters/{roster.pk}/").status_code == 403
    upload = io.BytesIO(xlsx([person()]))
    upload.name = "ds.xlsx"
    assert api.post("/api/v1/organiser/rosters/", {"file": upload}, format="multipart").status_code == 403
    api.force_authenticate(other_organiser)
    assert api.get(f"/api/v1/organiser/rosters/{roster.pk}/").status_code == 404
    assert api.post(f"/api/v1/organiser/rosters/{roster.pk}/confirm/").status_code == 404
    assert api.get(f"/api/v1/organiser/rosters/{roster.pk}/rows/").status_code == 404


# --- Command line ------------------------------------------------------------------------------


def test_cli_dry_run_and_import(organiser, tmp_path):
    path = tmp_path / "ds.csv"
    path.write_bytes(csv_bytes([person(phone="0912345601"), person(phone="0912345601")]))
    out = io.StringIO()
    call_command("import_roster", str(path), "--organiser", "0987 000 001", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "2\tnew\tNew account: +84912345601 Nguyễn Văn An" in text
    assert "3\terror\tError: The phone number is already on row 2 of this file." in text
    assert "Dry run: nothing imported." in text and not User.objects.filter(phone="+84912345601").exists()
    out = io.StringIO()
    call_command("import_roster", str(path), "--organiser", "0987000001", stdout=out)
    assert "1 accounts created" in out.getvalue() and User.objects.filter(phone="+84912345601").exists()


def test_cli_errors(organiser, learner, tmp_path):
    path = tmp_path / "ds.xlsx"
    path.write_bytes(b"")
    with pytest.raises(CommandError, match="The file is empty"):
        call_command("import_roster", str(path), "--organiser", "0987000001")
    with pytest.raises(CommandError, match="Only commune and provincial organisers"):
        call_command("import_roster", str(path), "--organiser", learner.phone)
    with pytest.raises(CommandError, match="No account"):
        call_command("import_roster", str(path), "--organiser", "0912999999")
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_roster", str(tmp_path / "none.csv"), "--organiser", "0987000001")


# --- Reading fast, importing in batches --------------------------------------------------------


def test_xlsx_is_read_with_calamine_unless_it_has_formulas(organiser, monkeypatch):
    from learning.imports import xlsx as rosters

    used = []
    for name in ("_calamine_rows", "_openpyxl_rows"):
        original = getattr(rosters, name)
        monkeypatch.setattr(rosters, name, lambda *a, _o=original, _n=name: used.append(_n) or _o(*a))
    book = Workbook()
    sheet = book.active
    sheet["A3"], sheet["B3"], sheet["C3"], sheet["D3"], sheet["E3"] = VI[:5]  # the header on row 3
    sheet.append(person(phone=912345701))  # a number cell
    sheet.append([])
    sheet.append(person(phone="0912 345 702", commune=6688))  # the commune code as a number, zero lost
    out = io.BytesIO()
    book.save(out)
    roster = preview(organiser, out.getvalue())
    assert used == ["_calamine_rows"]
    assert [(r.row_number, r.phone, r.commune_id, r.outcome) for r in roster.rows.order_by("row_number")] == [
        (4, "+84912345701", "06688", "new"),
        (6, "+84912345702", "06688", "new"),
    ]
    used.clear()
    roster = preview(organiser, xlsx([person(phone="=1+1")]))
    assert used == ["_openpyxl_rows"] and "=1+1" in roster.rows.get().reason


def test_the_active_sheet_is_read(organiser):
    book = Workbook()
    book.active.append(["Ghi chú", "Không phải danh sách"])
    people = book.create_sheet("Danh sách")
    people.append(VI)
    people.append(person(phone="0912345711"))
    book.active = 1
    out = io.BytesIO()
    book.save(out)
    assert outcomes(preview(organiser, out.getvalue())) == {2: ("new", "")}


def test_each_batch_is_recorded_and_its_sms_sent_by_its_own_task_once(
    organiser, django_capture_on_commit_callbacks, outbox
):
    from learning.campaigns.roster_models import RosterBatch
    from learning.campaigns.roster_tasks import send_roster_activations
    from learning.campaigns.rosters import roster_activations, roster_import, roster_start

    roster = preview(organiser, xlsx([person(phone=f"09123458{i:02d}") for i in range(5)]))
    roster, _started = roster_start(roster=roster)
    from learning.stats.services import _schedule_refresh

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        roster_import(roster=roster, batch_size=2)
    queued = [task for task in callbacks if task is not _schedule_refresh]  # not the statistics' refresh
    batches = list(RosterBatch.objects.filter(roster=roster))
    assert [(b.first_row, b.last_row, b.rows, b.created) for b in batches] == [(2, 3, 2, 2), (4, 5, 2, 2), (6, 6, 1, 1)]
    assert len(queued) == 3 and outbox == []  # the import itself sends nothing
    assert roster_activations(roster=roster) == {"accounts": 5, "sent": 0, "waiting": 3, "failed": 0}
    for task in queued:
        task()
    assert len(outbox) == 5 and roster_activations(roster=roster) == {
        "accounts": 5,
        "sent": 5,
        "waiting": 0,
        "failed": 0,
    }
    assert send_roster_activations.delay(batches[0].pk).get() == {"batch": batches[0].pk, "sent": 0}  # sent once
    assert len(outbox) == 5 and ActivationCode.objects.filter(purpose="activation").count() == 5


def test_a_resumed_import_queues_the_sms_its_batches_never_sent(organiser, django_capture_on_commit_callbacks, outbox):
    from learning.campaigns.roster_models import RosterBatch, RosterStatus
    from learning.campaigns.rosters import roster_import, roster_start

    roster = preview(organiser, xlsx([person(phone=f"09123459{i:02d}") for i in range(3)]))
    roster, _started = roster_start(roster=roster)
    with django_capture_on_commit_callbacks(execute=False):  # the worker died before the SMS tasks ran
        roster_import(roster=roster, batch_size=2)
    assert outbox == [] and RosterBatch.objects.filter(sms_claimed_at__isnull=True).count() == 2
    Roster.objects.filter(pk=roster.pk).update(status=RosterStatus.IMPORTING)  # the import task is run again
    with django_capture_on_commit_callbacks(execute=True):
        roster_import(roster=roster)
    assert len(outbox) == 3 and not RosterBatch.objects.filter(sms_claimed_at__isnull=True).exists()


def test_a_failed_sms_task_releases_its_batch(organiser, django_capture_on_commit_callbacks, outbox, monkeypatch):
    from learning.accounts import activation
    from learning.campaigns.roster_models import RosterBatch
    from learning.campaigns.rosters import roster_batch_activations_send, roster_import, roster_start

    roster = preview(organiser, xlsx([person(phone="0912345991")]))
    roster, _started = roster_start(roster=roster)
    with django_capture_on_commit_callbacks(execute=False):
        roster_import(roster=roster)
    batch = RosterBatch.objects.get(roster=roster)

    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(activation, "activation_codes_send", broken)
    with pytest.raises(RuntimeError):
        roster_batch_activations_send(batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.sms_claimed_at is None  # a retry may claim it again
    monkeypatch.undo()
    assert roster_batch_activations_send(batch_id=batch.pk) == 1 and len(outbox) == 1


def test_no_code_or_phone_reaches_the_task_queue_or_the_logs(
    organiser, django_capture_on_commit_callbacks, outbox, caplog, monkeypatch
):
    from learning.campaigns.roster_tasks import import_roster, send_roster_activations

    sent_args = []
    for task in (import_roster, send_roster_activations):
        original = task.apply_async
        monkeypatch.setattr(
            task, "apply_async", lambda args=(), *a, _o=original, **kw: sent_args.append(args) or _o(args, *a, **kw)
        )
    roster = preview(organiser, xlsx([person(phone="0912345981"), person(phone="0912345982")]))
    with caplog.at_level(logging.DEBUG):
        confirm(roster, django_capture_on_commit_callbacks)
    assert all(isinstance(arg, int) for args in sent_args for arg in args) and len(sent_args) == 2
    codes = [re.search(r"\b(\d{6})\b", text).group(1) for _phone, text in outbox]
    for record in caplog.records:
        if record.name != "learning.sms":  # the console SMS backend's own line is the SMS
            assert not any(code in record.getMessage() for code in codes)
            assert "912345981" not in record.getMessage()
