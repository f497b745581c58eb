"""DRF permissions shared by the organiser endpoints."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from learning.accounts.scopes import is_organiser


class IsOrganiser(BasePermission):
    """A signed-in commune or provincial organiser (put ``IsAuthenticated`` before it, so that an anonymous
    caller gets 401). The scope within is the endpoint's own (``communes_in_scope``)."""

    message = _("Only commune and provincial organisers can do this.")

    def has_permission(self, request, view):
        return is_organiser(request.user)
