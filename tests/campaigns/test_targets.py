import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from learning.campaigns.models import Campaign, CampaignTarget
from learning.campaigns.targets import targets_import, targets_template

pytestmark = pytest.mark.django_db

HA_LONG, HA_TU = "06688", "06652"
HEADER = [
    "Mã xã",
    "Tên xã / phường",
    "Người dân — tham gia",
    "Người dân — hoàn thành",
    "official — tham gia",
    "official — hoàn thành",
]


@pytest.fixture
def campaign():
    return Campaign.objects.create(
        name="Bình dân học vụ số 2026", province_id="22", starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31)
    )


def xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def targets(campaign):
    return {
        (t.commune_id, t.target_group_id): (t.expected_participants, t.expected_completions)
        for t in CampaignTarget.objects.filter(campaign=campaign)
    }


def messages_of(excinfo) -> str:
    return "\n".join(excinfo.value.messages)


def test_import_creates_one_target_per_commune_and_group(campaign):
    data = xlsx(
        [
            HEADER,
            [HA_LONG, "Phường Hạ Long", 1200, 900, "1.000", 800],
            [6652, None, 300, 250, None, None],  # Excel dropped the leading zero; official left empty
            [None] * 6,  # an empty row is skipped
        ]
    )
    report = targets_import(campaign=campaign, data=data, filename="chi-tieu.xlsx")
    assert (report.communes, report.created, report.updated, report.unchanged) == (2, 3, 0, 0)
    assert targets(campaign) == {
        (HA_LONG, "citizen"): (1200, 900),
        (HA_LONG, "official"): (1000, 800),
        (HA_TU, "citizen"): (300, 250),
    }


def test_reimport_updates_in_place_never_duplicates(campaign):
    targets_import(campaign=campaign, data=xlsx([HEADER, [HA_LONG, "", 10, 5, 4, 4]]), filename="a.xlsx")
    report = targets_import(
        campaign=campaign, data=xlsx([HEADER, [HA_LONG, "", 12, 5, 4, 4], [HA_TU, "", 1, 1, "", ""]]), filename="b.xlsx"
    )
    assert (report.created, report.updated, report.unchanged) == (1, 1, 1)
    assert CampaignTarget.objects.filter(campaign=campaign).count() == 3
    assert targets(campaign)[(HA_LONG, "citizen")] == (12, 5)


def test_csv_with_semicolons_names_and_group_labels(campaign):
    text = "\ufeffXã / phường;Người dân - tham gia;Người dân - hoàn thành;Cán bộ, công chức, viên chức: tham gia;"
    text += "Cán bộ, công chức, viên chức: hoàn thành\nHà Tu;10;9;3;2\nphuong ha long;1 200;1 000;0;0\n"
    report = targets_import(campaign=campaign, data=text.encode(), filename="chi-tieu.csv")
    assert report.created == 4
    assert targets(campaign)[(HA_TU, "official")] == (3, 2)
    assert targets(campaign)[(HA_LONG, "citizen")] == (1200, 1000)


def test_bad_rows_are_refused_with_their_numbers_and_nothing_is_written(campaign):
    data = xlsx(
        [
            HEADER,
            [HA_LONG, "", 10, 5, 1, 1],  # fine, but the file is refused as a whole
            ["99999", "", 1, 1, 1, 1],
            ["00004", "", 1, 1, 1, 1],  # Hà Nội
            [HA_TU, "", -1, 0, 1, 1],
            [HA_TU, "", 5, 6, 1, 1],  # already on row 5 (refused there, still a duplicate)
            ["Ba Đình", "", 1, 1, 1, 1],
            ["", "", 1, 1, 1, 1],
            ["06673", "", 2.5, 1, 3, None],
        ]
    )
    with pytest.raises(ValidationError) as excinfo:
        targets_import(campaign=campaign, data=data, filename="x.xlsx")
    text = messages_of(excinfo)
    assert "Row 2" not in text
    assert "Row 3: unknown commune code 99999" in text
    assert "Row 4: the commune 00004 (Phường Ba Đình) is in" in text and "not in this campaign's province" in text
    assert "Row 5, group citizen: the targets must be whole numbers" in text
    assert "Row 6: Phường Hà Tu is already on row 5" in text
    assert "Row 7: “Ba Đình” is not a commune of this campaign's province" in text
    assert "Row 8: the commune is missing" in text
    assert "Row 9, group citizen: the targets must be whole numbers" in text
    assert "Row 9, group official: fill in both" in text
    assert not CampaignTarget.objects.exists()


def test_more_completions_than_participants_is_refused(campaign):
    with pytest.raises(ValidationError) as excinfo:
        targets_import(campaign=campaign, data=xlsx([HEADER, [HA_LONG, "", 5, 6, None, None]]), filename="x.xlsx")
    assert "Row 2, group citizen: 6 completions expected but only 5 participants" in messages_of(excinfo)
    assert not CampaignTarget.objects.exists()


def test_wrong_columns_are_named(campaign):
    header = ["Mã xã", "Ghi chú", "Nông dân — tham gia", "Nông dân — hoàn thành", "official — tham gia"]
    with pytest.raises(ValidationError) as excinfo:
        targets_import(campaign=campaign, data=xlsx([header, [HA_LONG, "", 1, 1, 1]]), filename="x.xlsx")
    text = messages_of(excinfo)
    assert "Unknown columns: B “Ghi chú”" in text
    assert "Column C “Nông dân — tham gia”: unknown target group" in text
    assert "The column “official — hoàn thành” is missing" in text
    with pytest.raises(ValidationError) as excinfo:
        targets_import(campaign=campaign, data=xlsx([["Xã", "Tổng"], [HA_LONG, 1]]), filename="x.xlsx")
    assert "Unknown columns: B “Tổng”" in messages_of(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        targets_import(
            campaign=campaign, data=xlsx([["Người dân — tham gia", "Người dân — hoàn thành"]]), filename="x.xlsx"
        )
    assert "must have a “Mã xã” column" in messages_of(excinfo)
    assert not CampaignTarget.objects.exists()


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"not a zip", "x.xlsx", "not a readable Excel"),
        (b"\xff\xfe\x00bad", "x.csv", "not UTF-8"),
        (b"whatever", "x.pdf", "Upload an Excel (.xlsx) or CSV"),
        (b"", "x.csv", "The file is empty"),
        ("Mã xã;Người dân — tham gia;Người dân — hoàn thành\n".encode(), "x.csv", "no commune rows"),
    ],
)
def test_unreadable_files_are_refused_clearly(campaign, data, filename, message):
    with pytest.raises(ValidationError) as excinfo:
        targets_import(campaign=campaign, data=data, filename=filename)
    assert message in messages_of(excinfo)


def test_the_template_round_trips(campaign):
    CampaignTarget.objects.create(
        campaign=campaign, commune_id=HA_TU, target_group_id="student", expected_participants=7, expected_completions=3
    )
    workbook = load_workbook(io.BytesIO(targets_template(campaign=campaign)))
    sheet = workbook.worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[:2] == ["Mã xã", "Tên xã / phường"] and header[2].endswith(" — tham gia")
    codes = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(codes) == 54 and HA_LONG in codes  # Quảng Ninh's communes, codes kept as text
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == HA_LONG:
            row[2].value, row[3].value = 100, 50
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = targets_import(campaign=campaign, data=buffer.getvalue(), filename="chi-tieu.xlsx")
    assert (report.created, report.updated, report.unchanged) == (1, 0, 1)
    assert targets(campaign) == {(HA_TU, "student"): (7, 3), (HA_LONG, "citizen"): (100, 50)}


# --- the admin pages and the command ----------------------------------------------------------


@pytest.fixture
def admin_client(client, django_user_model):
    admin = django_user_model.objects.create_superuser("0900000009", "Mat-khau-2025!", full_name="Biên tập")
    client.force_login(admin)
    return client


def test_admin_downloads_the_template_and_imports(admin_client, campaign):
    response = admin_client.get(f"/admin/campaigns/targets-template.xlsx?campaign={campaign.pk}")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    assert admin_client.get("/admin/campaigns/targets-template.xlsx?campaign=abc").status_code == 404
    url = f"/admin/campaigns/{campaign.pk}/targets/import/"
    assert admin_client.get(url).status_code == 200
    upload = io.BytesIO(xlsx([HEADER, [HA_LONG, "", 10, 5, 1, 1]]))
    upload.name = "chi-tieu.xlsx"
    response = admin_client.post(url, {"file": upload})
    assert response.status_code == 302
    assert CampaignTarget.objects.filter(campaign=campaign).count() == 2
    bad = io.BytesIO(xlsx([HEADER, ["99999", "", 1, 1, 1, 1]]))
    bad.name = "sai.xlsx"
    response = admin_client.post(url, {"file": bad})
    assert response.status_code == 400 and "Row 2: unknown commune code 99999" in response.content.decode()
    assert admin_client.post(url, {}).status_code == 400
    assert admin_client.get("/admin/campaigns/999999/targets/import/").status_code == 404


def test_admin_without_permission_is_refused(client, make_user, campaign):
    from learning.accounts.services import role_grant

    editor = make_user()
    role_grant(user=editor, role="editor")
    client.force_login(editor)
    response = client.get(f"/admin/campaigns/{campaign.pk}/targets/import/")
    assert response.status_code == 403
    assert [t.name for t in response.templates][0] == "admin_forbidden.html"
    html = response.content.decode()
    assert "You do not have permission to import campaign targets" in html and "Back to the dashboard" in html
    assert client.get("/admin/campaigns/targets-template.xlsx").status_code == 403


def test_one_shared_admin_forbidden_page(client, make_user):
    """The question bank's refusal is the same admin page, with its own message (here to a member of staff who
    may open the admin but was given nothing of the question bank)."""
    from django.contrib.auth.models import Permission

    staff = make_user()
    staff.is_staff = True
    staff.save(update_fields=["is_staff"])
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(staff)
    response = client.get("/admin/question-bank/import/")
    assert response.status_code == 403
    assert "admin_forbidden.html" in [t.name for t in response.templates]
    html = response.content.decode()
    assert "permission to use the question bank tools" in html and "Back to the dashboard" in html


def test_management_command(tmp_path, campaign):
    path = tmp_path / "chi-tieu.xlsx"
    path.write_bytes(xlsx([HEADER, [HA_LONG, "", 10, 5, 1, 1]]))
    out = io.StringIO()
    call_command("import_targets", str(path), campaign=campaign.pk, stdout=out)
    assert "2 targets created" in out.getvalue()
    path.write_bytes(xlsx([HEADER, ["99999", "", 1, 1, 1, 1]]))
    with pytest.raises(CommandError, match="Row 2: unknown commune code 99999"):
        call_command("import_targets", str(path), campaign=campaign.pk)
    with pytest.raises(CommandError, match="No campaign"):
        call_command("import_targets", str(path), campaign=999999)
