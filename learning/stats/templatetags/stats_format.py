from django import template

from learning.stats.formats import NO_DATA, format_date, format_datetime, format_int, format_percent

register = template.Library()


@register.filter
def num(value):
    """1234567 → 1.234.567 (Vietnamese thousands separator); empty stays empty."""
    return "" if value is None or value == "" else format_int(value)


@register.filter
def pct(value):
    """0.453 → 45,3 %; no data → –."""
    return NO_DATA if value is None else format_percent(value)


@register.filter
def day(value):
    """A date (or a moment, in Vietnam's time): 07/12/2026; none → –."""
    return format_date(value) if value else NO_DATA


@register.filter
def when(value):
    """A moment in Vietnam's time: 07/12/2026 14:05; none → –."""
    return format_datetime(value) if value else NO_DATA


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
