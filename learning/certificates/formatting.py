"""How a certificate writes its date, score and file name."""

from decimal import Decimal

from django.utils.formats import get_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from learning.core.text import fold


def long_date(day) -> str:
    """A date as written out on a certificate: "ngày 7 tháng 12 năm 2026" in Vietnamese."""
    return pgettext("a date written out on a certificate", "%(day)d/%(month)d/%(year)d") % {
        "day": day.day,
        "month": day.month,
        "year": day.year,
    }


def percent(score) -> str:
    """A score in percent, with at most one decimal and the language's decimal mark: "87,5%"."""
    text = format(Decimal(score).quantize(Decimal("0.1")).normalize(), "f")
    return text.replace(".", get_format("DECIMAL_SEPARATOR")) + "%"


def pdf_filename(course_title: str) -> str:
    """The download's name, after the course, in plain letters: "chung-nhan-ky-nang-so-co-ban.pdf"."""
    slug = slugify(fold(course_title))[:80].strip("-") or "khoa-hoc"
    return f"{slugify(fold(_('Certificate')))}-{slug}.pdf"
