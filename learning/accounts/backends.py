from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError

from .phone import normalise_phone


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
