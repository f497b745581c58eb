from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef

from .phone import normalise_phone
from .roles import RoleGrant
from .scopes import ORGANISER_ROLES


class PhoneBackend(ModelBackend):
    """Sign in with a phone number written any common way, and a password."""

    def authenticate(self, request, username=None, password=None, phone=None, **kwargs):
        raw = phone if phone is not None else username
        if raw is None or password is None:
            return None
        try:
            normalised = normalise_phone(raw)
        except ValidationError:
            return None
        return super().authenticate(request, username=normalised, password=password, **kwargs)

    def get_user(self, user_id):
        """The signed-in user of a request, with whether they hold an organiser role read in the same
        statement (``organiser_role``, read by ``scopes.is_organiser``): every page's header asks it."""
        organiser = RoleGrant.objects.filter(user=OuterRef("pk"), role__in=ORGANISER_ROLES)
        user = get_user_model()._default_manager.annotate(organiser_role=Exists(organiser)).filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
