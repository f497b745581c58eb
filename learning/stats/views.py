"""Organiser dashboard: province or communes in scope → commune → people → one person. Thin: selectors read."""

from __future__ import annotations

import functools

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from learning.accounts.decorators import organiser_required
from learning.accounts.models import User
from learning.accounts.scopes import provinces_in_scope
from learning.audit.services import What, personal_data_viewed_by_request
from learning.core.links import url_by_id
from learning.localities.models import Commune

from . import charts, selectors, tables
from .templatetags.stats_format import num, pct

PEOPLE_PER_PAGE = 50
PAGE_COLUMNS = ("courses_done", "lessons_done", "last_activity")  # what the people page shows of progress


STATISTICS_ONLY = gettext_lazy("Only commune and provincial organisers can see the statistics.")


def _filters(request, province):
    try:
        return selectors.filters_parse(request.GET, province=province), None
    except ValidationError as exc:
        return selectors.filters_parse({}, province=province), exc.message_dict


def _commune(request, code) -> Commune:
    try:
        return selectors.commune_for(request.user, code)
    except Commune.DoesNotExist as exc:
        raise Http404(str(exc)) from None


def _trend(weeks):
    return charts.trend_chart(
        weeks,
        title=_("Week by week"),
        bars_key="new_participants",
        line_key="participants_to_date",
        legend=(_("New participants in the week"), _("Participants to date")),
    )


def _bars(rows):
    """The commune chart: participation rates when there are targets, otherwise participants."""
    with_target = any(r["target_participants"] for r in rows)
    if with_target:
        items = [(r["name"], r["participation_rate"], pct(r["participation_rate"])) for r in rows]
        title = _("Participation rate by commune (participants ÷ target)")
    else:
        items = [(r["name"], r["participants"], num(r["participants"])) for r in rows]
        title = _("Participants by commune")
    return {
        "bars": charts.bar_chart(items, title=title, percent=with_target),
        "bars_title": title,
        "bars_partial": len(items) > 2 * charts.BAR_LIMIT,
        "bars_limit": charts.BAR_LIMIT,
    }


@organiser_required(message=STATISTICS_ONLY)
@require_GET
def dashboard(request):
    provinces = selectors.provinces_of(provinces_in_scope(request.user))
    province = provinces.filter(pk=request.GET.get("province")).first() or provinces.first()
    communes = selectors.scope_communes(request.user, province)
    if province is None and communes:
        province = communes[0].province
    f, errors = _filters(request, province)
    rows, totals = selectors.commune_table(f, communes)
    weeks = selectors.timeseries(f, communes)
    table = request.GET.get("table")
    if request.GET.get("format") == "csv":
        if table == "weeks":
            return tables.csv_response("thong-ke-theo-tuan.csv", tables.WEEK_TABLE, weeks)
        return tables.csv_response("thong-ke-theo-xa.csv", tables.COMMUNE_TABLE, rows, totals)
    indicators = selectors.indicators(f, communes)
    # The figures' part of the page is kept rendered (template fragment cache) under the counts' version, the
    # filters and the query string (its sort links): the charts are drawn only when it is not.
    page_key = selectors.figures_key("dashboard-page", f, [c.code for c in communes], request.GET.urlencode())
    return render(
        request,
        "stats/dashboard.html",
        {
            "province": province,
            "provinces": provinces,
            "whole_province": province is not None and province.pk in provinces_in_scope(request.user),
            "filters": f,
            "errors": errors,
            "rows": rows,
            "totals": totals,
            "weeks": weeks,
            "indicators": indicators["total"],
            "indicators_by_commune": indicators["communes"],
            "courses": selectors.course_list(),
            "groups": selectors.target_group_choices(),
            "sorts": selectors.SORTS,
            "page_key": page_key,
            "trend": functools.cache(lambda: _trend(weeks)),  # called by the template, if it renders the charts
            "chart": functools.cache(lambda: _bars(rows)),
        },
    )


@organiser_required(message=STATISTICS_ONLY)
@require_GET
def commune(request, code):
    place = _commune(request, code)
    f, errors = _filters(request, place.province)
    courses = selectors.by_course(f, place)
    groups = selectors.by_group(f, place)
    weeks = selectors.timeseries(f, [place])
    if request.GET.get("format") == "csv":
        table = request.GET.get("table")
        if table == "groups":
            return tables.csv_response(f"thong-ke-{code}-nhom.csv", tables.GROUP_TABLE, groups)
        if table == "weeks":
            return tables.csv_response(f"thong-ke-{code}-tuan.csv", tables.WEEK_TABLE, weeks)
        return tables.csv_response(f"thong-ke-{code}-khoa-hoc.csv", tables.COURSE_TABLE, courses)
    return render(
        request,
        "stats/commune.html",
        {
            "commune": place,
            "filters": f,
            "errors": errors,
            "by_course": courses,
            "by_group": groups,
            "weeks": weeks,
            "trend": _trend(weeks),
            "indicators": selectors.indicators(f, [place])["total"],
            "courses": selectors.course_list(),
            "groups": selectors.target_group_choices(),
        },
    )


@organiser_required(message=STATISTICS_ONLY)
@require_GET
def people(request, code):
    place = _commune(request, code)
    f, errors = _filters(request, place.province)
    status = request.GET.get("status", "")
    if status and status not in selectors.PEOPLE_STATUSES:
        errors = {**(errors or {}), "status": _("Unknown status “%(status)s”.") % {"status": status}}
        status = ""
    search = request.GET.get("q", "").strip()[:100]
    csv = request.GET.get("format") == "csv"
    personal_data_viewed_by_request(request, what=What.EXPORT if csv else What.PEOPLE_LIST, scope=place.code)
    if csv:
        found = selectors.people(f, place, status=status, search=search).prefetch_related("target_groups")
        rows = _people_rows(f, found, chunk=2000, everyone_overdue=status == "overdue")
        return tables.csv_response(f"nguoi-hoc-{code}.csv", tables.PEOPLE_TABLE, rows)
    # The page shows fewer columns than the CSV: no target groups, courses started or quizzes passed.
    found = selectors.people(f, place, status=status, search=search, columns=PAGE_COLUMNS)
    keyset, page = None, None
    if status == "overdue":  # a long list read page after page: by keyset, without counting it
        rows, following = selectors.people_after(found, _int_or_none(request.GET.get("after")), PEOPLE_PER_PAGE)
        keyset = {"next": following, "first": bool(request.GET.get("after"))}
    else:
        page = Paginator(found, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
        rows = page.object_list
    return render(
        request,
        "stats/people.html",
        {
            "commune": place,
            "filters": f,
            "errors": errors,
            "page": page,
            "keyset": keyset,
            "rows": list(_rows_of(f, list(rows), everyone_overdue=status == "overdue", full=False)),
            "status": status,
            "statuses": selectors.PEOPLE_STATUSES,
            "q": search,
            "courses": selectors.course_list(),
            "lessons_total": selectors.lessons_total(f.course),
        },
    )


def _int_or_none(value) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 19 else None


def _people_rows(f, users, chunk=None, everyone_overdue=False):
    """Table rows of people: all at once, or read ``chunk`` at a time (for the CSV of a whole commune).
    ``everyone_overdue``: the list is the overdue people's, so nobody needs asking about it again."""
    if chunk is None:
        yield from _rows_of(f, list(users), everyone_overdue)
        return
    batch = []
    for user in users.iterator(chunk):
        batch.append(user)
        if len(batch) >= chunk:
            yield from _rows_of(f, batch, everyone_overdue)
            batch = []
    yield from _rows_of(f, batch, everyone_overdue)


def _rows_of(f, users, everyone_overdue=False, full=True):
    """The rows of ``users``: with every column of the CSV (``full``), or those of the page and each
    person's link."""
    if everyone_overdue:
        overdue = {u.pk for u in users}
    else:
        overdue = selectors.overdue_among(f, [u.pk for u in users]) if users else set()
    yes = _("yes")
    person_url = None if full else url_by_id("stats:person")  # the page links each person; the CSV does not
    names: dict = {}  # a target group's name, worked out once per page
    for user in users:
        row = {
            "pk": user.pk,
            "full_name": user.full_name,
            "phone": user.phone_display,
            "courses_done": user.courses_done,
            "lessons_done": user.lessons_done,
            "overdue": yes if user.pk in overdue else "",
            "is_overdue": user.pk in overdue,
            "last_activity": user.last_activity,
        }
        if full:
            row["groups"] = ", ".join(
                names.get(g.pk) or names.setdefault(g.pk, str(g)) for g in user.target_groups.all()
            )
            row["enrolled"], row["quiz_passes"] = user.enrolled, user.quiz_passes
        else:
            row["url"] = person_url(user.pk)
        yield row


@organiser_required(message=STATISTICS_ONLY)
@require_GET
def person(request, user_id):
    learner = get_object_or_404(User.objects.select_related("commune").filter(erased_at__isnull=True), pk=user_id)
    if learner.commune_id is None:
        raise PermissionDenied(_("This person is outside your scope."))
    place = _commune(request, learner.commune_id)
    personal_data_viewed_by_request(request, what=What.PERSON, scope=learner.pk)
    return render(
        request,
        "stats/person.html",
        {"learner": learner, "commune": place, "progress": selectors.person_progress(learner)},
    )
