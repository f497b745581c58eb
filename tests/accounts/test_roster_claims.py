"""Hole: anyone could register someone else's phone number, and a later roster import handed that official's
mandatory modules to the impostor's account ("update", no activation sent); registered in another commune,
the impostor blocked the real person's import. Now a roster row claims an unverified account for its owner."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user
from django.utils import timezone
from rest_framework.authtoken.models import Token

from learning.accounts.models import User
from learning.accounts.services import role_grant
from learning.accounts.tokens import api_token_get
from learning.campaigns.models import Assignment, AssignmentMember
from learning.campaigns.roster_models import RosterRow
from learning.campaigns.rosters import roster_confirm, roster_preview
from tests.accounts.phone_codes import NEW_PASSWORD, OFFICIAL, OFFICIAL_E164, last_code
from tests.campaigns.test_rosters import xlsx
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser(make_user):
    user = make_user(phone="0987000001", full_name="Cán bộ Xã")
    role_grant(user=user, role="commune_organiser", scope_codes=["06688", "06652"])
    return user


@pytest.fixture
def officials_module(course):
    assignment = Assignment.objects.create(
        title="Kỹ năng số cho cán bộ",
        target_group_id="official",
        province_id="22",
        deadline=timezone.localdate() + timedelta(30),
    )
    assignment.courses.set([course])
    return assignment


def import_official(organiser, capture, commune="06688"):
    content = xlsx([["Trần Thị Chính Chủ", OFFICIAL, commune, "Cán bộ, công chức, viên chức", "UBND", "Chủ tịch"]])
    roster = roster_preview(organiser=organiser, content=content, filename="can-bo.xlsx")
    preview_outcome = roster.rows.get().outcome
    with capture(execute=True):
        roster_confirm(roster=roster)
    roster.refresh_from_db()
    return roster, preview_outcome


def test_hole_4_a_roster_claims_the_impostors_account_for_the_official(
    signed_up, client, organiser, officials_module, outbox, django_capture_on_commit_callbacks
):
    impostor = signed_up
    token = api_token_get(user=impostor)
    assert get_user(client).pk == impostor.pk  # the impostor is signed in
    roster, preview_outcome = import_official(organiser, django_capture_on_commit_callbacks)
    assert preview_outcome == "claimed" and roster.claimed_rows == 1 and roster.status == "imported"
    row = RosterRow.objects.get(roster=roster)
    assert (row.outcome, row.user_id, row.created_user) == ("claimed", impostor.pk, False)

    account = User.objects.get(pk=impostor.pk)
    assert account.full_name == "Trần Thị Chính Chủ" and account.phone_verified_at is None
    assert set(account.target_groups.values_list("code", flat=True)) == {"official"}  # not the impostor's
    assert not account.has_usable_password()
    assert not get_user(client).is_authenticated  # the impostor's session has ended
    assert not Token.objects.filter(key=token.key).exists()
    assert not client.login(phone=OFFICIAL, password=PASSWORD)  # the old password no longer works
    # The owner of the number gets an activation code; the module waits for them.
    assert "/accounts/activate/" in [text for to, text in outbox if to == OFFICIAL_E164][-1]
    assert AssignmentMember.objects.filter(assignment=officials_module, user=account).exists()
    code = last_code(outbox)
    response = client.post(
        "/accounts/activate/",
        {"phone": OFFICIAL, "code": code, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "consent": "on"},
    )
    assert response.status_code == 302, re.findall(r'class="errorlist[^>]*>.*?</ul>', response.content.decode())
    account.refresh_from_db()
    assert account.check_password(NEW_PASSWORD) and account.phone_verified_at is not None

    # Verified now: the next roster updates the account as before, and sends nothing.
    sent = len(outbox)
    roster, preview_outcome = import_official(organiser, django_capture_on_commit_callbacks, commune="06652")
    assert preview_outcome == "update" and roster.claimed_rows == 0 and len(outbox) == sent
    account.refresh_from_db()
    assert account.commune_id == "06652" and account.check_password(NEW_PASSWORD)


def test_an_impostor_in_another_commune_no_longer_blocks_the_import(
    make_user, organiser, officials_module, outbox, django_capture_on_commit_callbacks
):
    impostor = make_user(phone=OFFICIAL, commune="06673", groups=["citizen"], verified=False)  # outside the scope
    roster, preview_outcome = import_official(organiser, django_capture_on_commit_callbacks)
    assert preview_outcome == "claimed" and (roster.error_rows, roster.claimed_rows) == (0, 1)
    account = User.objects.get(pk=impostor.pk)
    assert account.commune_id == "06688" and not account.has_usable_password()
    assert AssignmentMember.objects.filter(assignment=officials_module, user=account).exists()
    assert len([1 for to, text in outbox if to == OFFICIAL_E164 and "/accounts/activate/" in text]) == 1


def test_a_verified_account_keeps_todays_behaviour(
    make_user, organiser, officials_module, outbox, django_capture_on_commit_callbacks
):
    owner = make_user(phone=OFFICIAL, groups=["citizen"])
    roster, preview_outcome = import_official(organiser, django_capture_on_commit_callbacks)
    assert preview_outcome == "update" and roster.update_rows == 1 and roster.claimed_rows == 0
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD) and outbox == []
    assert set(owner.target_groups.values_list("code", flat=True)) == {"citizen", "official"}
    other = make_user(phone="0912888002", commune="06673", verified=True)
    content = xlsx([["Người Khác", "0912888002", "06688", "Người dân", "", ""]])
    roster = roster_preview(organiser=organiser, content=content, filename="x.xlsx")
    assert roster.rows.get().outcome == "error" and other.phone_verified_at is not None  # as before


def test_a_phone_verified_after_the_preview_is_updated_not_claimed(
    make_user, organiser, outbox, django_capture_on_commit_callbacks
):
    person = make_user(phone=OFFICIAL, groups=["citizen"], verified=False)
    content = xlsx([["Trần Thị Chính Chủ", OFFICIAL, "06688", "official", "", ""]])
    roster = roster_preview(organiser=organiser, content=content, filename="x.xlsx")
    assert roster.rows.get().outcome == "claimed"
    User.objects.filter(pk=person.pk).update(phone_verified_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        roster_confirm(roster=roster)
    roster.refresh_from_db()
    assert roster.rows.get().outcome == "update" and (roster.update_rows, roster.claimed_rows) == (1, 0)
    person.refresh_from_db()
    assert person.check_password(PASSWORD) and outbox == []


def test_someone_signing_up_between_preview_and_import_is_claimed(
    make_user, organiser, outbox, django_capture_on_commit_callbacks
):
    content = xlsx([["Trần Thị Chính Chủ", OFFICIAL, "06688", "official", "", ""]])
    roster = roster_preview(organiser=organiser, content=content, filename="x.xlsx")
    assert roster.rows.get().outcome == "new"
    late = make_user(phone=OFFICIAL, groups=["citizen"], verified=False)
    with django_capture_on_commit_callbacks(execute=True):
        roster_confirm(roster=roster)
    roster.refresh_from_db()
    assert roster.rows.get().outcome == "claimed" and roster.created_count == 0
    late.refresh_from_db()
    assert not late.has_usable_password() and len(outbox) == 1
