"""Learners and staff sign in with a Vietnamese mobile number (stored E.164)."""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .phone import NO_PHONE_PREFIX, display_phone, normalise_phone, phone_reachable


class TargetGroupCode(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    STUDENT = "student", _("Student")
    OFFICIAL = "official", _("Official, civil servant or public employee")
    PARTY_MEMBER = "party_member", _("Party member")
    ENTERPRISE_WORKER = "enterprise_worker", _("Enterprise worker")
    OTHER = "other", _("Other")


class TargetGroup(models.Model):
    """One of the campaign's target groups; a person may belong to several."""

    code = models.CharField(_("code"), max_length=20, primary_key=True, choices=TargetGroupCode.choices)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")

    def __str__(self):
        return str(self.get_code_display())


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, phone, password, **extra):
        user = self.model(phone=normalise_phone(phone), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, phone, password=None, **extra):
        # Accounts made by the site's own code or an administrator are vouched for; a self-registered one
        # (``services.user_register``) and one made from a roster start unverified.
        extra.setdefault("phone_verified_at", timezone.now())
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(phone, password, **extra)

    def create_superuser(self, phone, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        extra.setdefault("phone_verified_at", timezone.now())
        return self._create(phone, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    phone = models.CharField(
        _("mobile phone"),
        max_length=16,
        unique=True,
        error_messages={"unique": _("An account with this phone number already exists.")},
    )
    full_name = models.CharField(_("full name"), max_length=150)
    email = models.EmailField(_("email"), blank=True)
    # When the person deleted their account (``services.user_erase``): personal fields erased, learning
    # records kept without a name so the statistics do not change.
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True)
    commune = models.ForeignKey(
        "localities.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="residents",
        verbose_name=_("commune"),
    )
    target_groups = models.ManyToManyField(
        TargetGroup, blank=True, related_name="members", verbose_name=_("target groups")
    )
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # When the person proved the phone is theirs (a code sent to it: sign-up verification, activation,
    # password reset). Empty for a self-registered account until its code is entered, and for an account
    # made from a roster until it is activated. See ``learning.accounts.verification``.
    phone_verified_at = models.DateTimeField(_("phone verified at"), null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "phone"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(condition=models.Q(phone__regex=r"^\+84[0-9]{9}$"), name="user_phone_e164_vn")
        ]
        indexes = [
            models.Index(fields=["date_joined"], name="user_date_joined"),  # statistics, day by day
            models.Index(fields=["commune", "full_name"], name="user_commune_name"),  # a commune's people by name
        ]

    def __str__(self):
        return self.full_name or self.phone

    def save(self, *args, **kwargs):
        # A new password (set_password, then save: sign-up, activation, the admin, changepassword) ends
        # every API token issued under the old one.
        password_changed = self._password is not None and self.pk is not None
        super().save(*args, **kwargs)
        if password_changed:
            from .tokens import api_tokens_revoke  # noqa: PLC0415  (tokens imports DRF's model of users)

            api_tokens_revoke(user_id=self.pk)

    # Wagtail and Django admin use these.
    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[-1] if self.full_name else self.phone

    @property
    def first_name(self):
        return self.get_short_name()

    @property
    def last_name(self):
        return ""

    @property
    def phone_unproven(self) -> bool:
        """Someone can sign in to this account but has not shown the phone is theirs (see ``verification``)."""
        return self.phone_verified_at is None and self.has_usable_password()

    @property
    def phone_reachable(self) -> bool:
        """A text message can reach this account's number (not an erased or identity-provider placeholder)."""
        return phone_reachable(self.phone)

    @property
    def phone_display(self):
        if self.phone.startswith(NO_PHONE_PREFIX):  # signed up through an identity provider, no number given
            return str(_("none"))
        return display_phone(self.phone)


from .activation_models import ActivationCode  # noqa: E402,F401
from .consent_models import Consent  # noqa: E402,F401  (consent to the privacy policy)
from .oidc_models import ExternalIdentity  # noqa: E402,F401  (sign-in with an OpenID Connect provider)
from .roles import Role, RoleGrant  # noqa: E402,F401  (roles live in their own module)
