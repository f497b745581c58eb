from django.conf import settings

from learning.core.text import search_terms

from .collation import vietnamese
from .models import Commune, Province


def province_list():
    """Every province, in Vietnamese alphabetical order."""
    return Province.objects.order_by(vietnamese("name"), "code")


def communes_of(province_code: str | None):
    """A province's communes, in Vietnamese alphabetical order."""
    return Commune.objects.filter(province_id=province_code).order_by(vietnamese("name"), "code")


def default_province_code() -> str:
    return settings.DEFAULT_PROVINCE_CODE


def commune_search(*, province: str | None = None, query: str = ""):
    """Communes of a province whose name contains every word of ``query``, diacritics ignored, in Vietnamese
    alphabetical order."""
    qs = Commune.objects.select_related("province").order_by(vietnamese("name"), "code")
    if province:
        qs = qs.filter(province_id=province)
    for term in search_terms(query):
        qs = qs.filter(name_folded__contains=term)
    return qs
