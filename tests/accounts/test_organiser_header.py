"""The header's statistics link follows the organiser role read with the signed-in user (one statement with
the user, learning.accounts.backends.PhoneBackend.get_user): a role granted or withdrawn shows on the next page."""

import pytest
from django.urls import reverse

from learning.accounts.roles import RoleGrant
from learning.accounts.services import role_grant

pytestmark = pytest.mark.django_db


def test_the_link_follows_the_role(client, learner):
    client.force_login(learner, backend="learning.accounts.backends.PhoneBackend")
    dashboard = reverse("stats:dashboard")
    assert dashboard not in client.get("/").content.decode()
    role_grant(user=learner, role="commune_organiser", scope_codes=[learner.commune_id])
    assert dashboard in client.get("/").content.decode()
    assert client.get(dashboard).status_code == 200
    RoleGrant.objects.filter(user=learner).delete()
    assert dashboard not in client.get("/").content.decode()
    assert client.get(dashboard).status_code in (302, 403)
