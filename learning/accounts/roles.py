"""Organiser, editor and administrator roles, with the localities an organiser may see.

A provincial organiser sees a whole province; a commune organiser one or more communes. Every
organiser page, export and API call asks ``communes_in_scope(user)`` — never its own query.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PROVINCE_ORGANISER = "province_organiser", _("Provincial organiser")
    COMMUNE_ORGANISER = "commune_organiser", _("Commune organiser")
    EDITOR = "editor", _("Content editor")
    ADMIN = "admin", _("Administrator")


class RoleGrant(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    province = models.ForeignKey(
        "localities.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("province"),
    )
    commune = models.ForeignKey(
        "localities.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commune"),
    )
    granted_at = models.DateTimeField(default=timezone.now)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        app_label = "accounts"
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(role="province_organiser", province__isnull=False, commune__isnull=True)
                    | models.Q(role="commune_organiser", province__isnull=True, commune__isnull=False)
                    | models.Q(role__in=["editor", "admin"], province__isnull=True, commune__isnull=True)
                ),
                name="role_scope_matches_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "province"],
                condition=models.Q(province__isnull=False),
                name="role_once_per_province",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "commune"],
                condition=models.Q(commune__isnull=False),
                name="role_once_per_commune",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(province__isnull=True, commune__isnull=True),
                name="role_once_without_scope",
            ),
        ]

    def __str__(self):
        scope = self.province or self.commune
        return f"{self.get_role_display()}{f' · {scope}' if scope else ''}"
