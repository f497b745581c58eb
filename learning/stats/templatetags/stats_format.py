from django import template

from learning.stats.report_files import format_int, format_percent

register = template.Library()


@register.filter
def num(value):
    """1234567 → 1.234.567 (Vietnamese thousands separator); empty stays empty."""
    return "" if value is None or value == "" else format_int(value)


@register.filter
def pct(value):
    """0.453 → 45,3 %; no data → –."""
    return "–" if value is None else format_percent(value)


@register.simple_tag(takes_context=True)
def sort_link(context, key):
    """The query string that sorts by ``key``, flipping the direction when it is already sorted so."""
    query = context["request"].GET.copy()
    current = query.get("sort", "name")
    query["sort"] = key if current == f"-{key}" else f"-{key}"
    if key == "name":
        query["sort"] = "-name" if current == "name" else "name"
    query.pop("format", None)
    return "?" + query.urlencode()


@register.simple_tag(takes_context=True)
def csv_link(context, table=""):
    query = context["request"].GET.copy()
    query["format"] = "csv"
    if table:
        query["table"] = table
    return "?" + query.urlencode()


@register.filter
def qs(query: dict) -> str:
    """A dict of query parameters as a query string (for links that keep the filters)."""
    from urllib.parse import urlencode

    return urlencode(query)
