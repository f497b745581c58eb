import io

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from learning.accounts.roles import RoleGrant
from learning.accounts.scopes import can_see_commune, communes_in_scope, is_organiser, provinces_in_scope

pytestmark = pytest.mark.django_db


def grant(*args):
    out = io.StringIO()
    call_command("grant_role", *args, stdout=out)
    return out.getvalue()


def test_provincial_organiser_sees_the_whole_province(make_user):
    user = make_user(phone="0912000101")
    assert "Provincial organiser · Tỉnh Quảng Ninh" in grant("0912 000 101", "province_organiser", "--scope", "22")
    assert communes_in_scope(user).count() == 54
    assert provinces_in_scope(user) == ["22"] and is_organiser(user)
    assert can_see_commune(user, "06688") and not can_see_commune(user, "00004")


def test_commune_organiser_sees_only_their_communes(make_user):
    user = make_user(phone="0912000102")
    grant("+84912000102", "commune_organiser", "--scope", "06688", "06652")
    assert set(communes_in_scope(user).values_list("code", flat=True)) == {"06688", "06652"}
    assert provinces_in_scope(user) == []
    assert not can_see_commune(user, "06658")


def test_granting_again_changes_nothing(make_user):
    make_user(phone="0912000103")
    grant("0912000103", "commune_organiser", "--scope", "06688")
    grant("0912000103", "commune_organiser", "--scope", "06688")
    assert RoleGrant.objects.count() == 1


def test_editor_and_admin(make_user):
    editor = make_user(phone="0912000104")
    grant("0912000104", "editor")
    editor.refresh_from_db()
    assert editor.is_staff and not editor.is_superuser and editor.groups.filter(name="Editors").exists()
    admin = make_user(phone="0912000105")
    grant("0912000105", "admin")
    admin.refresh_from_db()
    assert admin.is_staff and admin.is_superuser
    assert not communes_in_scope(admin).exists() and not is_organiser(admin)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["0912000106", "province_organiser", "--scope", "99"], "Unknown province code: 99"),
        (["0912000106", "commune_organiser", "--scope", "12345"], "Unknown commune code: 12345"),
        (["0912000106", "commune_organiser"], "at least one province or commune code"),
        (["0912000106", "editor", "--scope", "22"], "no scope"),
        (["0999999999", "editor"], "No account"),
        (["024 3825 1234", "editor"], "landline"),
    ],
)
def test_bad_grants_are_refused_with_a_reason(make_user, args, message):
    make_user(phone="0912000106")
    with pytest.raises(CommandError, match=message):
        grant(*args)
    assert not RoleGrant.objects.exists()


def test_learners_see_no_one(learner):
    assert not communes_in_scope(learner).exists() and not is_organiser(learner)


def test_database_refuses_a_scope_that_does_not_fit_the_role(learner):
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleGrant.objects.create(user=learner, role="province_organiser", commune_id="06688")
