"""Provinces and communes in force since 1 July 2025, keyed by their official codes."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from learning.core.text import fold

from .collation import Vietnamese


class ProvinceType(models.TextChoices):
    PROVINCE = "tinh", _("Province")
    CITY = "thanh_pho", _("Centrally-run city")


class CommuneType(models.TextChoices):
    WARD = "phuong", _("Ward")
    COMMUNE = "xa", _("Commune")
    SPECIAL_ZONE = "dac_khu", _("Special zone")


class Province(models.Model):
    code = models.CharField(_("code"), max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    type = models.CharField(_("type"), max_length=12, choices=ProvinceType.choices)

    class Meta:
        ordering = [Vietnamese("name")]  # Vietnamese alphabetical order: "Tỉnh Điện Biên" among the D
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        constraints = [
            models.CheckConstraint(condition=models.Q(code__regex=r"^[0-9]{2}$"), name="province_code_two_digits")
        ]

    def __str__(self):
        return self.name


class Commune(models.Model):
    code = models.CharField(_("code"), max_length=5, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    type = models.CharField(_("type"), max_length=12, choices=CommuneType.choices)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="communes", verbose_name=_("province")
    )
    # Lower-case name without diacritics, for searches such as "ha long".
    name_folded = models.CharField(max_length=100, editable=False, db_index=True)

    class Meta:
        ordering = [Vietnamese("name")]
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        constraints = [
            models.CheckConstraint(condition=models.Q(code__regex=r"^[0-9]{5}$"), name="commune_code_five_digits")
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_folded = fold(self.name)
        super().save(*args, **kwargs)
