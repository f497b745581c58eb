"""A learner deletes their account: the commune's statistics, the issued certificates and the mandatory-module
counts do not change (stored counts equal a full recompute, before and after); the person leaves the organisers'
people lists and the rosters; their certificate still verifies, without a name."""

from django.test import Client

from learning.accounts.services import user_erase
from learning.campaigns.models import AssignmentMember
from learning.campaigns.roster_models import OrganisationMembership, Roster, RosterRow
from learning.certificates.models import Certificate
from learning.stats import fill
from tests.stats.conftest import HA_TU
from tests.stats.test_counts import _stored

FIGURES = ("/api/v1/stats/provinces/22/", f"/api/v1/stats/communes/{HA_TU}/", "/api/v1/stats/provinces/22/communes/")


def _figures(api) -> dict:
    return {url: api.get(url).json() for url in FIGURES}


def test_erasing_learners_changes_no_statistic_and_no_certificate_count(
    world, province_organiser, api, client, django_capture_on_commit_callbacks
):
    an, binh = world["an"], world["binh"]
    certificate = Certificate.objects.get(holder=an)
    roster = Roster.objects.create(organiser=province_organiser, filename="ds.xlsx", status="imported")
    RosterRow.objects.create(
        roster=roster, row_number=2, full_name=binh.full_name, phone=binh.phone, outcome="update", user=binh
    )
    RosterRow.objects.create(
        roster=roster, row_number=3, full_name="Lê Thị Bình", phone=binh.phone, outcome="error", reason="x"
    )
    OrganisationMembership.objects.create(user=binh, organisation="UBND phường Hà Tu", position="Văn thư")
    api.force_authenticate(province_organiser)
    figures, stored = _figures(api), _stored()
    certificates, members = Certificate.objects.count(), AssignmentMember.objects.count()
    people = api.get(f"/api/v1/stats/communes/{HA_TU}/people/").json()
    assert {"Trần Văn An", "Lê Thị Bình"} <= {p["full_name"] for p in people["results"]}
    assert any(m["full_name"] == "Lê Thị Bình" for m in api.get("/api/v1/organiser/assignments/").json()["results"])
    assert stored, "the world has counts"

    with django_capture_on_commit_callbacks(execute=True):
        user_erase(user=an)
        user_erase(user=binh)

    # The numbers organisers read are the same, and the stored counts still equal a full recompute.
    assert _figures(api) == figures
    assert _stored() == stored
    fill.fill_all(restart=True)
    assert _stored() == stored
    assert Certificate.objects.count() == certificates and AssignmentMember.objects.count() == members

    # Gone from the people lists (the list is one shorter), the person page and the assignments list.
    after = api.get(f"/api/v1/stats/communes/{HA_TU}/people/").json()
    assert after["count"] == people["count"] - 2
    assert not {"", "Trần Văn An", "Lê Thị Bình"} & {p["full_name"] for p in after["results"]}
    assert all(m["full_name"] for m in api.get("/api/v1/organiser/assignments/").json()["results"])
    organiser = Client()
    organiser.force_login(province_organiser)
    assert organiser.get(f"/organiser/stats/people/{an.pk}/").status_code == 404
    assert "Trần Văn An" not in organiser.get(f"/organiser/stats/communes/{HA_TU}/people/").content.decode()
    # Rosters keep their rows (and outcomes) without the name, the phone or the organisation.
    rows = list(RosterRow.objects.filter(roster=roster).values_list("full_name", "phone", "outcome"))
    binh.refresh_from_db()
    assert rows == [("", binh.phone, "update"), ("", binh.phone, "error")]
    assert not OrganisationMembership.objects.filter(user=binh).exists()

    # The certificate is still valid, without a name, on the page and in the API.
    certificate.refresh_from_db()
    assert certificate.holder_name == "" and certificate.revoked_at is None
    page = Client(HTTP_ACCEPT_LANGUAGE="vi").get(f"/chung-nhan/{certificate.code}/").content.decode()
    assert "Chứng nhận này là thật và còn hiệu lực" in page and "đã được xóa theo yêu cầu" in page
    verified = client.get(f"/api/v1/certificates/verify/{certificate.code}/").json()
    assert verified["valid"] is True and verified["holder"] == ""
