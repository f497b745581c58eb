"""Token authentication whose tokens expire (``API_TOKEN_LIFETIME_DAYS``, see ``learning.accounts.tokens``)."""

from django.utils.translation import gettext as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from learning.accounts.tokens import token_expired


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token_expired(token):
            token.delete()
            raise AuthenticationFailed(_("Your sign-in has expired. Please sign in again to get a new token."))
        return user, token
