"""Every write to accounts goes through here."""

from collections.abc import Iterable

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from learning.core.text import clean_name
from learning.localities.models import Commune

from .models import TargetGroup, User
from .phone import normalise_phone


def _groups(codes: Iterable[str]) -> list[TargetGroup]:
    codes = list(dict.fromkeys(codes))
    groups = list(TargetGroup.objects.filter(code__in=codes))
    unknown = sorted(set(codes) - {g.code for g in groups})
    if unknown:
        raise ValidationError({"target_groups": _("Unknown target group: %(codes)s") % {"codes": ", ".join(unknown)}})
    if not groups:
        raise ValidationError({"target_groups": _("Choose at least one target group.")})
    return groups


def user_register(*, phone: str, full_name: str, password: str, commune: Commune, target_groups: Iterable[str]) -> User:
    """Create a learner account. Raises ValidationError naming the field at fault."""
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
    user.full_name = full_name
    user.commune = commune
    user.save(update_fields=["full_name", "commune"])
    user.target_groups.set(groups)
    return user
