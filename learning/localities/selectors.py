from django.conf import settings

from learning.core.text import search_terms

from .models import Commune, Province


def province_list():
    return Province.objects.order_by("name")


def default_province_code() -> str:
    return settings.DEFAULT_PROVINCE_CODE


def commune_search(*, province: str | None = None, query: str = ""):
    """Communes of a province whose name contains every word of ``query``, diacritics ignored."""
    qs = Commune.objects.select_related("province").order_by("name")
    if province:
        qs = qs.filter(province_id=province)
    for term in search_terms(query):
        qs = qs.filter(name_folded__contains=term)
    return qs
