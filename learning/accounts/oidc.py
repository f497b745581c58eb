"""Sign-in with an OpenID Connect provider: VNeID, or the province's identity system.

Off unless ``OIDC_CLIENT_ID`` and the provider are configured (``learning/settings/base.py``); then the
sign-in and sign-up pages offer "Đăng nhập bằng <provider>". The flow is the authorization code flow with
PKCE (S256), a random ``state`` and ``nonce`` kept in the session and used once, and the ID token's
signature checked against the provider's JWKS, with its issuer, audience (our client id) and expiry.
mozilla-django-oidc makes the requests; this module finds the endpoints (the provider's discovery
document, cached, or endpoints given one by one) and decides which account signs in:

1. An identity already linked — the same (issuer, ``sub``) — signs in its account.
2. Otherwise, when the provider proves a phone number (``phone_number`` with ``phone_number_verified``
   true, a Vietnamese mobile number), the account of that number is linked and signs in; the phone now
   counts as proven. An account someone made with that number without ever proving it is taken back for
   the owner first, as a roster does (``verification.accounts_claim``).
3. Otherwise a new account is made: no password (only the provider signs it in), the proven phone or,
   when the provider proves none, a placeholder number that is never a real one (``+841`` then eight
   digits). The person then gives commune and target groups and agrees to the privacy policy
   (``oidc_views.complete``).

A provider that cannot be reached or refuses our client raises ``ProviderUnavailable``; a token or answer
that fails a check raises ``SuspiciousOperation`` (or ``IdentityRefused``, with the reason to show).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import jwt
import requests
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from learning.core.events import publish
from learning.core.text import clean_name

from .consent_models import Consent
from .events import PersonRegistered
from .models import User
from .oidc_models import ExternalIdentity
from .phone import NO_PHONE_PREFIX, normalise_phone
from .verification import accounts_claim

log = logging.getLogger(__name__)

PLACEHOLDER_PREFIX = NO_PHONE_PREFIX  # never a real number (erased accounts: +840)


class ProviderUnavailable(Exception):
    """The provider could not be reached, answered nonsense, or refused our client (its id or secret)."""


class IdentityRefused(Exception):
    """The provider signed the person in, but this site will not: ``message`` says why."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


# --- configuration -----------------------------------------------------------------------------------


def enabled() -> bool:
    return bool(
        settings.OIDC_RP_CLIENT_ID
        and (settings.OIDC_ISSUER or settings.OIDC_DISCOVERY_URL or settings.OIDC_OP_AUTHORIZATION_ENDPOINT)
    )


def provider_name() -> str | None:
    """The provider's name for the sign-in button, or None when sign-in with a provider is off."""
    return (settings.OIDC_PROVIDER_NAME or "VNeID") if enabled() else None


@dataclass(frozen=True)
class Endpoints:
    issuer: str
    authorization: str
    token: str
    userinfo: str
    jwks: str


def _discovery_url() -> str:
    return settings.OIDC_DISCOVERY_URL or settings.OIDC_ISSUER.rstrip("/") + "/.well-known/openid-configuration"


def _discover() -> dict:
    url = _discovery_url()
    key = "oidc:discovery:" + url
    document = cache.get(key)
    if document is not None:
        return document
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise ProviderUnavailable(f"discovery document {url}: {exc}") from exc
    if not isinstance(document, dict):
        raise ProviderUnavailable(f"discovery document {url} is not a JSON object")
    cache.set(key, document, timeout=settings.OIDC_DISCOVERY_CACHE_SECONDS)
    return document


def endpoints() -> Endpoints:
    """The provider's endpoints: each one configured, else from its discovery document."""
    given = {
        "authorization": settings.OIDC_OP_AUTHORIZATION_ENDPOINT,
        "token": settings.OIDC_OP_TOKEN_ENDPOINT,
        "userinfo": settings.OIDC_OP_USER_ENDPOINT,
        "jwks": settings.OIDC_OP_JWKS_ENDPOINT,
    }
    issuer = settings.OIDC_ISSUER
    if not all(given.values()) or not issuer:
        document = _discover()
        found = {
            "authorization": document.get("authorization_endpoint"),
            "token": document.get("token_endpoint"),
            "userinfo": document.get("userinfo_endpoint") or "",
            "jwks": document.get("jwks_uri"),
        }
        given = {name: value or found[name] for name, value in given.items()}
        if issuer and document.get("issuer") and document["issuer"] != issuer:
            raise ProviderUnavailable(f"the discovery document names issuer {document['issuer']!r}, not {issuer!r}")
        issuer = issuer or document.get("issuer") or ""
    missing = [name for name in ("authorization", "token", "jwks") if not given[name]]
    if missing or not issuer:
        raise ProviderUnavailable("no " + ", ".join(missing or ["issuer"]) + " for the provider")
    return Endpoints(issuer=issuer, **given)


# --- which account signs in --------------------------------------------------------------------------


def proven_phone(claims: dict) -> str | None:
    """The Vietnamese mobile number the provider vouches for (E.164), or None."""
    if claims.get("phone_number_verified") is not True:
        return None
    try:
        return normalise_phone(str(claims.get("phone_number") or ""))
    except ValidationError:
        return None


def _new_account(*, phone: str | None, full_name: str, now) -> User:
    user = User(
        phone=phone or PLACEHOLDER_PREFIX + get_random_string(8, "0123456789"),
        full_name=full_name,
        phone_verified_at=now if phone else None,
    )
    user.set_unusable_password()
    user.save()
    if phone is None:  # a placeholder of its own, from the account's number
        user.phone = f"{PLACEHOLDER_PREFIX}{user.pk:08d}"
        user.save(update_fields=["phone"])
    publish(PersonRegistered(user=user))
    return user


def identity_signin(*, issuer: str, claims: dict) -> User:
    """The account the provider's ``claims`` (ID token and userinfo) sign in to, linked and made if
    needed (see the module's docstring). Raises ``IdentityRefused`` with the reason to show."""
    subject = str(claims.get("sub") or "")
    if not subject:
        raise SuspiciousOperation("the provider named no subject")
    phone = proven_phone(claims)
    now = timezone.now()
    try:
        with transaction.atomic():
            identity = ExternalIdentity.objects.select_for_update().filter(issuer=issuer, subject=subject).first()
            if identity is not None:
                user = identity.user
                _check_active(user)
                identity.last_signin_at = now
                identity.save(update_fields=["last_signin_at"])
                if phone == user.phone and user.phone_verified_at is None:
                    user.phone_verified_at = now
                    user.save(update_fields=["phone_verified_at"])
                return user
            user = User.objects.select_for_update().filter(phone=phone).first() if phone else None
            if user is not None:
                _check_active(user)
                if user.phone_unproven:  # made by someone who typed the number: back to its owner
                    accounts_claim(user_ids=[user.pk])
                    user.refresh_from_db()
                    user.full_name = clean_name(str(claims.get("name") or "")) or user.full_name
                if user.phone_verified_at is None:
                    user.phone_verified_at = now
                user.save(update_fields=["phone_verified_at", "full_name"])
            else:
                user = _new_account(phone=phone, full_name=clean_name(str(claims.get("name") or "")), now=now)
            ExternalIdentity.objects.create(
                user=user, issuer=issuer, subject=subject, phone_proven=phone is not None, last_signin_at=now
            )
            return user
    except IntegrityError:
        # The same identity linked a moment ago by another request, or the account of this phone already
        # linked to another identity at this provider.
        identity = ExternalIdentity.objects.filter(issuer=issuer, subject=subject).select_related("user").first()
        if identity is not None:
            _check_active(identity.user)
            return identity.user
        raise IdentityRefused(
            _("The account of this phone number is already linked to another %(provider)s identity.")
            % {"provider": provider_name()}
        ) from None


def _check_active(user: User) -> None:
    if not user.is_active:
        raise IdentityRefused(_("This account has been deactivated."))


def needs_completion(user: User) -> bool:
    """A person signed in by the provider who has yet to give commune and target groups, or to agree to
    the privacy policy in force."""
    return (
        user.commune_id is None
        or not user.target_groups.exists()
        or not Consent.objects.filter(user=user, policy_version=settings.PRIVACY_POLICY_VERSION).exists()
    )


# --- the authentication backend ----------------------------------------------------------------------


class OIDCBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend with the endpoints found at sign-in time, a full check of the ID token
    (signature by the provider's JWKS, issuer, audience, expiry) and accounts chosen by ``identity_signin``.

    Only the callback view calls it (``oidc_nonce`` and ``oidc_code_verifier`` are its credentials): a
    phone-and-password sign-in never reaches it."""

    def __init__(self, *args, **kwargs):  # no settings are read before a sign-in with the provider
        self.UserModel = User

    def authenticate(self, request, *, oidc_nonce, oidc_code_verifier):
        found = endpoints()
        self.request = request
        self.issuer = found.issuer
        self.OIDC_OP_TOKEN_ENDPOINT = found.token
        self.OIDC_OP_USER_ENDPOINT = found.userinfo
        self.OIDC_OP_JWKS_ENDPOINT = found.jwks
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None
        code = request.GET.get("code")
        if not code:
            return None
        payload = {
            "client_id": self.OIDC_RP_CLIENT_ID,
            "client_secret": self.OIDC_RP_CLIENT_SECRET,
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": callback_url(request),
            "code_verifier": oidc_code_verifier,
        }
        try:
            tokens = self.get_token(payload)
        except requests.HTTPError as exc:
            _token_refused(exc.response)
        except (requests.RequestException, ValueError) as exc:
            raise ProviderUnavailable(f"token endpoint {found.token}: {exc}") from exc
        id_token = tokens.get("id_token")
        if not id_token:
            raise SuspiciousOperation("the token endpoint returned no ID token")
        try:
            claims = self.verify_token(id_token, nonce=oidc_nonce)
        except requests.RequestException as exc:
            raise ProviderUnavailable(f"JWKS {found.jwks}: {exc}") from exc
        except (jwt.PyJWTError, KeyError, ValueError) as exc:
            raise SuspiciousOperation(f"ID token refused: {exc}") from exc
        if found.userinfo and tokens.get("access_token"):
            try:
                extra = self.get_userinfo(tokens["access_token"], id_token, claims)
            except (requests.RequestException, ValueError) as exc:
                raise ProviderUnavailable(f"userinfo {found.userinfo}: {exc}") from exc
            if str(extra.get("sub")) != str(claims.get("sub")):
                raise SuspiciousOperation("the userinfo answer is about someone else")
            claims = {**extra, **claims}  # the signed ID token's claims win
        return identity_signin(issuer=found.issuer, claims=claims)

    def _verify_jws(self, payload, key):
        header = jwt.get_unverified_header(payload)
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation(f"ID token signed with {header.get('alg')!r}, not {self.OIDC_RP_SIGN_ALGO}")
        try:
            return jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=self.issuer,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
                leeway=60,
            )
        except jwt.PyJWTError as exc:
            raise SuspiciousOperation(f"ID token refused: {exc}") from exc

    def get_user(self, user_id):
        return ModelBackend.get_user(self, user_id)


def _token_refused(response) -> None:
    """The token endpoint said no: our client's fault (misconfiguration) or this sign-in's (a code used
    twice, a wrong PKCE verifier)."""
    try:
        error = (response.json() or {}).get("error", "")
    except ValueError:
        error = ""
    detail = f"token endpoint answered {response.status_code} {error or response.text[:200]}"
    if response.status_code == 401 or error in ("invalid_client", "unauthorized_client"):
        raise ProviderUnavailable(detail)
    raise SuspiciousOperation(detail)


def callback_url(request) -> str:
    return request.build_absolute_uri(reverse(settings.OIDC_AUTHENTICATION_CALLBACK_URL))
