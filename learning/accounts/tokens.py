"""API tokens with a lifetime: a token works for ``API_TOKEN_LIFETIME_DAYS`` after it was issued, and every
token of a person is deleted when their password changes (sign-in, activation, the admin) or they sign out."""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token


def token_expired(token: Token, *, now=None) -> bool:
    return token.created + timedelta(days=settings.API_TOKEN_LIFETIME_DAYS) <= (now or timezone.now())


def api_token_get(*, user) -> Token:
    """The person's token, a new one when they have none or theirs has expired."""
    token = Token.objects.filter(user=user).first()
    if token is not None and not token_expired(token):
        return token
    Token.objects.filter(user=user).delete()
    try:
        with transaction.atomic():
            return Token.objects.create(user=user)
    except IntegrityError:  # a concurrent sign-in made one first
        return Token.objects.get(user=user)


def api_tokens_revoke(*, user_id: int) -> int:
    """Delete every API token of a person; returns how many."""
    deleted, _by_model = Token.objects.filter(user_id=user_id).delete()
    return deleted
