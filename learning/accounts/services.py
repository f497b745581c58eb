"""Every write to accounts goes through here."""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.services import editors_group_ensure
from learning.core.events import publish
from learning.core.text import clean_name
from learning.localities.models import Commune, Province
from learning.notifications.models import Delivery

from . import signin
from .consent_models import Consent, ConsentPurpose, ConsentSource
from .events import PersonChanged, PersonErased, PersonRegistered
from .models import TargetGroup, User
from .phone import ERASED_PHONE_PREFIX, normalise_phone
from .verification import phone_verification_send


def _groups(codes: Iterable[str]) -> list[TargetGroup]:
    codes = list(dict.fromkeys(codes))
    groups = list(TargetGroup.objects.filter(code__in=codes))
    unknown = sorted(set(codes) - {g.code for g in groups})
    if unknown:
        raise ValidationError({"target_groups": _("Unknown target group: %(codes)s") % {"codes": ", ".join(unknown)}})
    if not groups:
        raise ValidationError({"target_groups": _("Choose at least one target group.")})
    return groups


def user_register(
    *,
    phone: str,
    full_name: str,
    password: str,
    commune: Commune,
    target_groups: Iterable[str],
    consent_source: str | None = None,
) -> User:
    """Create a learner account. Raises ValidationError naming the field at fault.

    ``consent_source`` (a ``ConsentSource``): the person agreed to the privacy policy there; the consent is
    recorded with the account (the forms refuse to sign anyone up without it)."""
    try:
        phone = normalise_phone(phone)
    except ValidationError as exc:
        raise ValidationError({"phone": exc.messages}) from None
    full_name = clean_name(full_name)
    if not full_name:
        raise ValidationError({"full_name": _("Enter your full name.")})
    groups = _groups(target_groups)
    user = User(phone=phone, full_name=full_name, commune=commune)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
            user.target_groups.set(groups)
            if consent_source:
                consent_record(user=user, source=consent_source)
            publish(PersonRegistered(user=user))  # mandatory modules of their groups, statistics
            phone_verification_send(user=user)  # unverified until the code is entered (``verification``)
    except IntegrityError:
        if User.objects.filter(phone=phone).exists():
            raise ValidationError({"phone": _("An account with this phone number already exists.")}) from None
        raise
    return user


@transaction.atomic
def user_update_profile(*, user: User, full_name: str, commune: Commune, target_groups: Iterable[str]) -> User:
    """Change name, commune and groups. Past records keep the commune they were made in."""
    full_name = clean_name(full_name)
    if not full_name:
        raise ValidationError({"full_name": _("Enter your full name.")})
    groups = _groups(target_groups)
    previous_commune_id = user.commune_id
    user.full_name = full_name
    user.commune = commune
    user.save(update_fields=["full_name", "commune"])
    user.target_groups.set(groups)
    # Joining a group or moving into a scope brings its assignments; the statistics follow the move.
    publish(PersonChanged(user=user, previous_commune_id=previous_commune_id))
    return user


@transaction.atomic
def user_complete_profile(
    *, user: User, full_name: str, commune: Commune, target_groups: Iterable[str], consent_source: str | None
) -> User:
    """A person signed in by an identity provider for the first time gives what sign-up asks for: name,
    commune and groups (``user_update_profile``) and, when ``consent_source`` is given, consent to the
    privacy policy."""
    user_update_profile(user=user, full_name=full_name, commune=commune, target_groups=target_groups)
    if consent_source:
        consent_record(user=user, source=consent_source)
    return user


def user_admin_saved(*, user: User, created: bool, previous_commune_id: str | None) -> None:
    """An administrator created or edited ``user`` in the user admin: the same consequences as a sign-up or
    a profile change (mandatory modules, statistics)."""
    publish(
        PersonRegistered(user=user) if created else PersonChanged(user=user, previous_commune_id=previous_commune_id)
    )


@transaction.atomic
def role_grant(*, user: User, role: str, scope_codes: Iterable[str] = (), granted_by: User | None = None) -> list:
    """Give ``user`` a role; organisers need province (2-digit) or commune (5-digit) codes.

    Granting again changes nothing. Editors join Wagtail's "Editors" group; administrators become
    superusers. Raises ValidationError saying which code or combination is wrong.
    """
    from .roles import Role, RoleGrant

    if role not in Role.values:
        raise ValidationError(
            {
                "role": _("Unknown role %(role)s; use one of: %(roles)s.")
                % {"role": role, "roles": ", ".join(Role.values)}
            }
        )
    codes = list(dict.fromkeys(c.strip() for c in scope_codes if c.strip()))
    grants = []
    if role in ("editor", "admin"):
        if codes:
            raise ValidationError({"scope": _("The %(role)s role has no scope; remove --scope.") % {"role": role}})
        grants.append(
            RoleGrant.objects.get_or_create(
                user=user, role=role, province=None, commune=None, defaults={"granted_by": granted_by}
            )[0]
        )
        user.is_staff = True
        if role == "admin":
            user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
        if role == "editor":
            user.groups.add(editors_group_ensure())
        return grants
    if not codes:
        raise ValidationError({"scope": _("An organiser needs at least one province or commune code.")})
    for code in codes:
        if role == "province_organiser":
            province = Province.objects.filter(code=code).first()
            if province is None:
                raise ValidationError({"scope": _("Unknown province code: %(code)s.") % {"code": code}})
            grant, _created = RoleGrant.objects.get_or_create(
                user=user, role=role, province=province, defaults={"granted_by": granted_by}
            )
        else:
            commune = Commune.objects.filter(code=code).first()
            if commune is None:
                raise ValidationError({"scope": _("Unknown commune code: %(code)s.") % {"code": code}})
            grant, _created = RoleGrant.objects.get_or_create(
                user=user, role=role, commune=commune, defaults={"granted_by": granted_by}
            )
        grants.append(grant)
    return grants


# --- consent and erasure (Personal Data Protection Law 2025, Decree 13/2023) ---------------------------


def consent_record(
    *, user: User, source: str, purpose: str = ConsentPurpose.LEARNING, policy_version: str | None = None
) -> Consent:
    """Record that ``user`` agreed to ``purpose`` under the privacy policy in force (``PRIVACY_POLICY_VERSION``),
    now; agreeing again to the same version changes nothing."""
    consent, _created = Consent.objects.get_or_create(
        user=user,
        purpose=ConsentPurpose(purpose),
        policy_version=policy_version or settings.PRIVACY_POLICY_VERSION,
        defaults={"source": ConsentSource(source), "given_at": timezone.now()},
    )
    return consent


def erased_phone(user_id: int) -> str:
    """The placeholder that replaces an erased person's phone: unique, in the stored format, and never a real
    number (no Vietnamese mobile number starts with 0 after +84), so nothing is ever sent to it."""
    if user_id >= 10**8:
        raise ValueError(f"no phone placeholder for account {user_id}")
    return f"{ERASED_PHONE_PREFIX}{user_id:08d}"


@transaction.atomic
def user_erase(*, user: User) -> User:
    """Delete a person's account at their request, in one transaction.

    Erased: name, phone (a placeholder), email, password (unusable), roles and permissions, API tokens, links to
    identity providers, unused codes and the messages sent to them; every session ends (the password changed and the
    account is inactive). Kept, without a name: the commune, target groups and date joined, and every learning
    record (enrolments, completions, quiz attempts, mandatory modules, certificates), so the commune's statistics
    and the number of certificates issued do not change. Followers of ``PersonErased`` remove the name from
    certificates and rosters. Erasing an erased account changes nothing.
    """
    from .tokens import api_tokens_revoke  # noqa: PLC0415  (tokens imports DRF's model of users)

    user = User.objects.select_for_update().get(pk=user.pk)
    if user.erased_at is not None:
        return user
    former_phone = user.phone
    user.full_name = ""
    user.email = ""
    user.phone = erased_phone(user.pk)
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.last_login = None
    user.erased_at = timezone.now()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    user.role_grants.all().delete()
    user.activation_codes.all().delete()
    user.external_identities.all().delete()  # the provider's identifier of the person
    Delivery.objects.filter(user=user).delete()
    api_tokens_revoke(user_id=user.pk)
    publish(PersonErased(user=user, former_phone=former_phone))
    return user


def user_erase_confirmed(*, request, user: User, password: str) -> User:
    """:func:`user_erase` once the person has typed their password again (the sign-in lockout applies: a
    wrong password counts as a failed sign-in). ValidationError on ``password`` otherwise."""
    try:
        signin.signin_check(request, user.phone)
    except signin.SignInLocked as exc:
        raise ValidationError({"password": exc.message}) from None
    if not password or not user.check_password(password):
        signin.signin_failed(request, user.phone)
        raise ValidationError({"password": _("This is not your password. Your account has not been deleted.")})
    return user_erase(user=user)
