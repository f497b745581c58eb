"""Reads of the statistics, with the organiser's scope applied. Only the count tables are read here, except
for the people lists, which read one commune's records a page at a time."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, transaction
from django.db.models import Count, IntegerField, Max, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from courses import page_cache
from courses.models import CoursePage, LessonPage
from learning.accounts.models import TargetGroupCode, User
from learning.accounts.scopes import communes_in_scope, in_scope, provinces_in_scope
from learning.campaigns.models import AssignmentMember, AssignmentStatus, Campaign, CampaignTarget
from learning.core.text import vietnamese_sort_key
from learning.localities.collation import vietnamese
from learning.localities.models import Commune, Province
from learning.progress.models import Enrolment, LessonCompletion, QuizAttempt

from .models import ADULT, ALL_COURSES, EVERYONE, FLOW_METRICS, MANDATORY_METRICS, DailyCount

EARLIEST = dt.date(2020, 1, 1)
MAX_SPAN_DAYS = 3 * 366
# Groups of the national indicators: share of each that completed the basic programme.
INDICATOR_GROUPS = (
    ("official", gettext_lazy("Officials and civil servants")),
    ("student", gettext_lazy("Students")),
    (ADULT, gettext_lazy("Adults")),
    ("enterprise_worker", gettext_lazy("Enterprise workers")),
)
# sort parameter → column of the commune table ("-" in front: largest first)
SORTS = {
    "name": "name",
    "participants": "participants",
    "participation_rate": "participation_rate",
    "completion_rate": "completion_rate",
    "mandatory_rate": "mandatory_rate",
    "overdue": "mandatory_overdue",
}


# About people whatever the course (new accounts; the basic programme): a course's figures read them from the
# all-courses counts, so a course sheet says how many people registered, not 0.
PEOPLE_METRICS = ("registered", "basic_completers")


def target_group_choices() -> list[tuple[str, str]]:
    return [(EVERYONE, _("Everyone")), *TargetGroupCode.choices, (ADULT, _("Adults (everyone but students)"))]


def course_list() -> list[CoursePage]:
    """The live courses, in Vietnamese alphabetical order of their titles (filters, tables, report sheets):
    read once per version of the page tree in each process (``courses.page_cache``)."""
    return page_cache.kept(
        "stats:course_list", lambda: list(CoursePage.objects.live().order_by(vietnamese("title"), "pk"))
    )


def provinces_of(codes):
    """These provinces, in Vietnamese alphabetical order."""
    return Province.objects.filter(pk__in=codes).order_by(vietnamese("name"), "code")


@dataclass
class Filters:
    start: dt.date
    end: dt.date
    course: CoursePage | None = None
    target_group: str = EVERYONE
    campaign: Campaign | None = None
    sort: str = "name"
    errors: dict = field(default_factory=dict)

    @property
    def course_id(self) -> int:
        return self.course.pk if self.course else ALL_COURSES

    def as_query(self) -> dict:
        query = {"from": self.start.isoformat(), "to": self.end.isoformat()}
        if self.course:
            query["course"] = str(self.course.pk)
        if self.target_group:
            query["target_group"] = self.target_group
        if self.campaign:
            query["campaign"] = str(self.campaign.pk)
        return query


def _date(params, name: str, default: dt.date, errors: dict) -> dt.date:
    raw = (params.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = dt.date.fromisoformat(raw)
    except ValueError:
        errors[name] = _("“%(value)s” is not a date: use YYYY-MM-DD, e.g. 2026-11-30.") % {"value": raw}
        return default
    if not EARLIEST <= value <= timezone.localdate() + dt.timedelta(days=366):
        errors[name] = _("%(value)s is outside the campaign years.") % {"value": raw}
    return value


def filters_parse(params, *, province: Province | None = None) -> Filters:
    """Filters from query parameters. Raises ValidationError (field → message) on bad input."""
    errors: dict = {}
    today = timezone.localdate()
    campaign = None
    if params.get("campaign"):
        campaign = Campaign.objects.filter(pk=_int(params["campaign"])).first()
        if campaign is None or (province and campaign.province_id != province.pk):
            errors["campaign"] = _("There is no such campaign in this province.")
    if campaign is None and province is not None:
        campaign = Campaign.objects.filter(province=province).order_by("-starts_on").first()
    default_start = campaign.starts_on if campaign else today.replace(month=1, day=1)
    start = _date(params, "from", default_start, errors)
    end = _date(params, "to", today, errors)
    if "from" not in errors and "to" not in errors:
        if start > end:
            errors["from"] = _("The start date (%(start)s) is after the end date (%(end)s).") % {
                "start": start.isoformat(),
                "end": end.isoformat(),
            }
        elif (end - start).days > MAX_SPAN_DAYS:
            errors["to"] = _("A period can be at most three years long.")
    course = None
    if params.get("course"):
        course = CoursePage.objects.filter(pk=_int(params["course"])).first()
        if course is None:
            errors["course"] = _("There is no course with the code “%(code)s”.") % {"code": params["course"]}
    group = params.get("target_group") or EVERYONE
    if group not in dict(target_group_choices()):
        errors["target_group"] = _("Unknown target group “%(code)s”: use one of %(codes)s.") % {
            "code": group,
            "codes": ", ".join(code for code, _label in target_group_choices() if code),
        }
    sort = params.get("sort") or "name"
    if sort.lstrip("-") not in SORTS:
        errors["sort"] = _("Sort by one of: %(keys)s.") % {"keys": ", ".join(SORTS)}
    if errors:
        raise ValidationError(errors)
    return Filters(start=start, end=end, course=course, target_group=group, campaign=campaign, sort=sort)


def _int(value) -> int:
    try:
        return int(str(value).strip())
    except ValueError:
        return -1


# --- scope ---------------------------------------------------------------------------------------------


def province_for(user, code: str) -> Province:
    """The province, if ``user`` organises it as a whole; 404 for an unknown code, 403 otherwise."""
    province = Province.objects.filter(pk=code).first()
    if province is None:
        raise Province.DoesNotExist(_("There is no province with the code “%(code)s”.") % {"code": code})
    if code not in provinces_in_scope(user):
        raise PermissionDenied(_("You do not organise this province."))
    return province


def commune_for(user, code: str) -> Commune:
    """The commune, if it is in ``user``'s scope; 404 for an unknown code, 403 otherwise."""
    commune = Commune.objects.select_related("province").filter(pk=code).first()
    if commune is None:
        raise Commune.DoesNotExist(_("There is no commune with the code “%(code)s”.") % {"code": code})
    if not in_scope(user, commune):
        raise PermissionDenied(_("This commune is outside your scope."))
    return commune


def scope_communes(user, province: Province | None = None) -> list[Commune]:
    communes = communes_in_scope(user)
    if province is not None:
        communes = communes.filter(province=province)
    return list(communes.order_by(vietnamese("name"), "code"))  # "Phường Đông Mai" after "Phường Cửa Ông"


# --- the figures' cache ---------------------------------------------------------------------------------
# The dashboard, the statistics API and the reports ask the same sums of the same counts again and again
# between two refreshes: each is kept in the cache under the counts' version, which every recompute moves on
# (``counts_changed``), so a figure is never older than the counts it was summed from. The refresh task warms
# the province dashboards' default view after it recomputes (``dashboards_warm``), and the cache is shared
# (Redis in production), so a freshly started worker answers from it too.

VERSION_KEY = "stats:counts-version"
FIGURES_SECONDS = 3600


def counts_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = str(time.time_ns())
        cache.add(VERSION_KEY, version, timeout=None)
        version = cache.get(VERSION_KEY) or version
    return version


def counts_changed() -> None:
    """The stored counts changed: figures summed before are not served any more."""
    cache.set(VERSION_KEY, str(time.time_ns()), timeout=None)


def figures_key(name: str, f: Filters, codes: list[str], *extra) -> str:
    """The cache key of figures ``name`` for these filters and communes, at the counts' current version (and in
    the active language: labels and totals' names are translated)."""
    raw = json.dumps([name, codes, f.as_query(), f.sort, get_language(), *extra], sort_keys=True, default=str)
    return f"stats:{name}:{counts_version()}:{hashlib.sha256(raw.encode()).hexdigest()[:32]}"


def _cached(name: str, compute, f: Filters, codes: list[str], *extra):
    key = figures_key(name, f, codes, *extra)
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, timeout=FIGURES_SECONDS)
    return found


def dashboards_warm(province_codes) -> int:
    """Sum the default view (no filter) of these provinces' dashboards into the cache; returns how many."""
    warmed = 0
    for province in Province.objects.filter(pk__in=list(province_codes)):
        communes = list(Commune.objects.filter(province=province).order_by(vietnamese("name"), "code"))
        f = filters_parse({}, province=province)
        commune_table(f, communes)
        timeseries(f, communes)
        indicators(f, communes)
        warmed += 1
    return warmed


# --- numbers -------------------------------------------------------------------------------------------


def _ratio(part, whole):
    return part / whole if whole else None


def _sums(rows, f: Filters, group_by: str, metrics=FLOW_METRICS + MANDATORY_METRICS):
    """Period and to-date sums of the metrics, grouped by one column."""
    aggregates = {}
    for m in metrics:
        aggregates[f"{m}_total"] = Coalesce(Sum(m), 0, output_field=IntegerField())
        aggregates[f"{m}_period"] = Coalesce(Sum(m, filter=Q(day__gte=f.start)), 0, output_field=IntegerField())
    return rows.filter(day__lte=f.end).values(group_by).annotate(**aggregates).order_by()


def _with_people(sums: dict, rows_all_courses, f: Filters, group_by: str) -> dict:
    """``sums`` of a course's rows, with the people metrics taken from the all-courses rows."""
    people = {r[group_by]: r for r in _sums(rows_all_courses, f, group_by, PEOPLE_METRICS)}
    out = {}
    for key in set(sums) | set(people):
        values = {**(sums.get(key) or _zero())}
        for m in PEOPLE_METRICS:
            for k in ("total", "period"):
                values[f"{m}_{k}"] = (people.get(key) or {}).get(f"{m}_{k}", 0)
        out[key] = values
    return out


def _row(values: dict, targets: tuple[int, int] | None = (0, 0)) -> dict:
    """The figures shown for one commune (or a total) from the period and to-date sums."""
    expected_participants, expected_completions = targets or (0, 0)
    participants, completers = values["participants_total"], values["completers_total"]
    assigned = values["mandatory_assigned_total"]
    done = values["mandatory_completed_total"] + values["mandatory_completed_late_total"]
    return {
        "registered": values["registered_total"],
        "participants": participants,
        "new_participants": values["participants_period"],
        "active_days": values["active_period"],
        "enrolments": values["enrolments_period"],
        "lesson_completions": values["lesson_completions_period"],
        "course_completions": values["course_completions_period"],
        "completers": completers,
        "basic_completers": values["basic_completers_total"],
        "quiz_passes": values["quiz_passes_period"],
        "target_participants": expected_participants,
        "target_completions": expected_completions,
        "participation_rate": _ratio(participants, expected_participants),
        "completion_rate": _ratio(completers, participants),
        "target_completion_rate": _ratio(completers, expected_completions),
        "mandatory_assigned": assigned,
        "mandatory_completed": values["mandatory_completed_total"],
        "mandatory_completed_late": values["mandatory_completed_late_total"],
        "mandatory_overdue": values["mandatory_overdue_total"],
        "mandatory_rate": _ratio(done, assigned),
    }


def _zero() -> dict:
    return {f"{m}_{k}": 0 for m in FLOW_METRICS + MANDATORY_METRICS for k in ("total", "period")}


def _add(into: dict, values: dict) -> None:
    for key, value in values.items():
        if key in into:
            into[key] += value


def _in_group(rows, group: str):
    """Campaign targets of a target group: everyone's is the sum of every group's, the adults' leaves out the
    students' (the same sums on the dashboard, the commune page and the report)."""
    if group == ADULT:
        return rows.exclude(target_group_id="student")
    if group:
        return rows.filter(target_group_id=group)
    return rows


def _targets(f: Filters, communes: list[str], group: str | None = None) -> dict[str, tuple[int, int]]:
    """Expected participants and completions per commune for the filters' campaign and group."""
    if f.campaign is None:
        return {}
    rows = _in_group(
        CampaignTarget.objects.filter(campaign=f.campaign, commune_id__in=communes),
        f.target_group if group is None else group,
    )
    sums = rows.values("commune_id").annotate(p=Sum("expected_participants"), c=Sum("expected_completions"))
    return {r["commune_id"]: (r["p"], r["c"]) for r in sums}


def _name_order(row: dict):
    return vietnamese_sort_key(row["name"])


def commune_table(f: Filters, communes: list[Commune]) -> tuple[list[dict], dict]:
    """One row per commune (sorted as asked) and the totals row, for the filters (cached: see above)."""
    return _cached("communes", lambda: _commune_table(f, communes), f, [c.code for c in communes])


def _commune_table(f: Filters, communes: list[Commune]) -> tuple[list[dict], dict]:
    codes = [c.code for c in communes]
    in_scope = DailyCount.objects.filter(commune_id__in=codes, target_group=f.target_group)
    sums = {r["commune_id"]: r for r in _sums(in_scope.filter(course_id=f.course_id), f, "commune_id")}
    if f.course:
        sums = _with_people(sums, in_scope.filter(course_id=ALL_COURSES), f, "commune_id")
    targets = _targets(f, codes)
    table, total = [], _zero()
    total_targets = [0, 0]
    for commune in communes:
        values = sums.get(commune.code) or _zero()
        _add(total, values)
        target = targets.get(commune.code, (0, 0))
        total_targets[0] += target[0]
        total_targets[1] += target[1]
        table.append({"code": commune.code, "name": commune.name, **_row(values, target)})
    key = SORTS[f.sort.lstrip("-")]
    present = [r for r in table if r[key] is not None]
    present.sort(key=_name_order)  # equal figures: in alphabetical order
    present.sort(key=_name_order if key == "name" else lambda r: r[key], reverse=f.sort.startswith("-"))
    table = present + [r for r in table if r[key] is None]  # no target: last, whatever the order
    return table, {"code": "", "name": _("Total"), **_row(total, tuple(total_targets))}


def indicators(f: Filters, communes: list[Commune]) -> dict:
    """Share of each indicator group that completed the basic programme, per commune and in all (cached)."""
    return _cached("indicators", lambda: _indicators(f, communes), f, [c.code for c in communes])


def _indicators(f: Filters, communes: list[Commune]) -> dict:
    codes = [c.code for c in communes]
    groups = [code for code, _label in INDICATOR_GROUPS]
    rows = (
        DailyCount.objects.filter(commune_id__in=codes, course_id=ALL_COURSES, target_group__in=groups, day__lte=f.end)
        .values("commune_id", "target_group")
        .annotate(done=Sum("basic_completers"), people=Sum("registered"))
        .order_by()
    )
    per_commune: dict = defaultdict(dict)
    totals = {g: [0, 0] for g in groups}
    for r in rows:
        per_commune[r["commune_id"]][r["target_group"]] = (r["done"], r["people"])
        totals[r["target_group"]][0] += r["done"]
        totals[r["target_group"]][1] += r["people"]

    def shaped(pairs: dict) -> list[dict]:
        out = []
        for code, label in INDICATOR_GROUPS:
            done, people = pairs.get(code, (0, 0))
            out.append(
                {"group": code, "label": str(label), "completed": done, "people": people, "rate": _ratio(done, people)}
            )
        return out

    return {
        "total": shaped({g: tuple(v) for g, v in totals.items()}),
        "communes": {c.code: shaped(per_commune.get(c.code, {})) for c in communes},
    }


def by_course(f: Filters, commune: Commune) -> list[dict]:
    """One commune's figures per course (and all courses together first), for the group filter, each with the
    group's target — as the dashboard shows them with that course chosen."""
    rows = DailyCount.objects.filter(commune=commune, target_group=f.target_group)
    sums = {r["course_id"]: r for r in _sums(rows, f, "course_id")}
    everyone = sums.get(ALL_COURSES) or _zero()
    target = _targets(f, [commune.code]).get(commune.code, (0, 0))

    def figures(course_id):
        values = {**(sums.get(course_id) or _zero())}
        values.update({f"{m}_{k}": everyone[f"{m}_{k}"] for m in PEOPLE_METRICS for k in ("total", "period")})
        return _row(values, target)

    out = [{"course_id": ALL_COURSES, "course": _("All courses"), **figures(ALL_COURSES)}]
    out += [{"course_id": c.pk, "course": c.title, **figures(c.pk)} for c in course_list()]
    return out


def by_group(f: Filters, commune: Commune) -> list[dict]:
    """One commune's figures per target group, for the course filter, with the campaign's targets (everyone's:
    the sum of the groups', as on the dashboard)."""
    rows = DailyCount.objects.filter(commune=commune)
    sums = {r["target_group"]: r for r in _sums(rows.filter(course_id=f.course_id), f, "target_group")}
    if f.course:
        sums = _with_people(sums, rows.filter(course_id=ALL_COURSES), f, "target_group")
    out = []
    for code, label in target_group_choices():
        target = _targets(f, [commune.code], group=code).get(commune.code, (0, 0))
        out.append({"target_group": code, "label": str(label), **_row(sums.get(code) or _zero(), target)})
    return out


def timeseries(f: Filters, communes: list[Commune]) -> list[dict]:
    """Week by week (Monday to Sunday) within the period: what happened, and participants to date (cached)."""
    return _cached("weeks", lambda: _timeseries(f, communes), f, [c.code for c in communes])


def _timeseries(f: Filters, communes: list[Commune]) -> list[dict]:
    codes = [c.code for c in communes]
    in_scope = DailyCount.objects.filter(commune_id__in=codes, target_group=f.target_group)
    rows = in_scope.filter(course_id=f.course_id)
    before = rows.filter(day__lt=f.start).aggregate(p=Sum("participants"), c=Sum("completers"))
    participants, completers = before["p"] or 0, before["c"] or 0
    metrics = ("registered", "participants", "active", "enrolments", "lesson_completions", "course_completions")
    metrics += ("completers", "quiz_passes")
    daily = {
        r["day"]: r
        for r in rows.filter(day__gte=f.start, day__lte=f.end)
        .values("day")
        .annotate(**{m: Sum(m) for m in metrics})
        .order_by("day")
    }
    if f.course:  # new accounts are not per course
        registered = in_scope.filter(course_id=ALL_COURSES, day__gte=f.start, day__lte=f.end)
        for r in registered.values("day").annotate(n=Sum("registered")).order_by():
            daily.setdefault(r["day"], {})["registered"] = r["n"]
    weeks = []
    monday = f.start - dt.timedelta(days=f.start.weekday())
    while monday <= f.end:
        days = [monday + dt.timedelta(days=i) for i in range(7)]
        inside = [d for d in days if f.start <= d <= f.end]
        week = {m: sum((daily.get(d) or {}).get(m) or 0 for d in inside) for m in metrics}
        participants += week["participants"]
        completers += week["completers"]
        weeks.append(
            {
                "week_start": inside[0],  # the first and last week are cut to the period
                "week_end": inside[-1],
                "new_participants": week["participants"],
                "registered": week["registered"],
                "active_days": week["active"],
                "enrolments": week["enrolments"],
                "lesson_completions": week["lesson_completions"],
                "course_completions": week["course_completions"],
                "quiz_passes": week["quiz_passes"],
                "participants_to_date": participants,
                "completers_to_date": completers,
            }
        )
        monday += dt.timedelta(days=7)
    return weeks


# --- people (raw records, one commune, one page at a time) ---------------------------------------------

PEOPLE_STATUSES = ("not_started", "in_progress", "completed", "overdue")


PEOPLE_COLUMNS = ("enrolled", "courses_done", "lessons_done", "quiz_passes", "last_activity")


def people(f: Filters, commune: Commune, *, status: str = "", search: str = "", columns=PEOPLE_COLUMNS):
    """People whose commune is ``commune`` (in the group), with their progress in the course filter.

    Returns a queryset of users annotated with ``columns`` of :data:`PEOPLE_COLUMNS` (courses started and
    completed, lessons completed, quizzes passed, last activity: each a subquery per person, so a list asks
    only for those it shows); paginate it, then ask :func:`overdue_among` about the page."""
    if status == "overdue":  # from the commune's open memberships (few, indexed), which follow people who move
        # (an open membership's commune is its person's: the person's commune filter lets a page walk the
        # commune's people in name order, index ``user_commune_name_vi``, and stop after a page)
        users = User.objects.filter(
            commune=commune, pk__in=_overdue_members(f).filter(commune=commune).values("user_id")
        )
    else:
        users = User.objects.filter(commune=commune)
    users = users.filter(erased_at__isnull=True)  # an erased account still counts, but has no name to list
    if f.target_group == ADULT:
        student_only = User.objects.filter(target_groups="student").exclude(target_groups__in=_non_student())
        users = users.exclude(pk__in=student_only.values("pk"))
    elif f.target_group:
        users = users.filter(target_groups=f.target_group)
    enrolments = Enrolment.objects.filter(user=OuterRef("pk"))
    completions = LessonCompletion.objects.filter(user=OuterRef("pk"))
    attempts = QuizAttempt.objects.filter(user=OuterRef("pk"), passed=True)
    if f.course:
        enrolments = enrolments.filter(course=f.course)
        completions = completions.filter(enrolment__course=f.course)
        attempts = attempts.filter(course=f.course)

    def count(qs):
        grouped = qs.order_by().values("user").annotate(n=Count("pk")).values("n")[:1]
        return Coalesce(Subquery(grouped), 0, output_field=IntegerField())

    progress = {
        "enrolled": count(enrolments),
        "courses_done": count(enrolments.filter(completed_at__isnull=False)),
        "lessons_done": count(completions),
        "quiz_passes": count(attempts),
        "last_activity": Subquery(
            enrolments.order_by().values("user").annotate(m=Max("last_activity_at")).values("m")[:1]
        ),
    }
    # What is not shown but filtered on (the status) is an alias: in the WHERE clause only.
    users = users.annotate(**{k: v for k, v in progress.items() if k in columns}).alias(
        **{k: v for k, v in progress.items() if k not in columns}
    )
    if status == "completed":
        users = users.filter(courses_done__gt=0)
    elif status == "in_progress":
        users = users.filter(enrolled__gt=0, courses_done=0)
    elif status == "not_started":
        users = users.filter(enrolled=0)
    if search:
        digits = "".join(ch for ch in search if ch.isdigit())
        users = users.filter(Q(full_name__icontains=search) | (Q(phone__contains=digits[-9:]) if digits else Q()))
    # Only what the list shows (the person's groups are prefetched by the caller).
    return users.only("id", "full_name", "phone", "commune_id").order_by(vietnamese("full_name"), "pk")


def people_after(users, after: int | None, size: int) -> tuple[list[User], int | None]:
    """One page of ``users`` (a :func:`people` queryset, in its order: Vietnamese name, then id) by keyset:
    the ``size`` people after the person ``after`` (from the start when None or unknown), and the id to
    continue after (None on the last page). No count and no OFFSET: every page costs about what the first
    does, walking the index ``user_commune_name_vi`` from where the last page ended."""
    if after:
        name = User.objects.filter(pk=after).values_list("full_name", flat=True).first()
        if name is not None:
            users = (
                users.alias(name_vi=vietnamese("full_name"))
                .filter(name_vi__gte=name)  # where the index walk starts
                .filter(Q(name_vi__gt=name) | Q(pk__gt=after))
            )
    connection = connections[users.db]
    if connection.vendor == "postgresql":  # a page of 50 never repays starting parallel workers
        with transaction.atomic(using=users.db), connection.cursor() as cursor:
            cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
            rows = list(users[: size + 1])
    else:
        rows = list(users[: size + 1])
    return rows[:size], (rows[size - 1].pk if len(rows) > size else None)


def _overdue_members(f: Filters):

    members = AssignmentMember.objects.filter(
        left_at__isnull=True, completed_at__isnull=True, assignment__deadline__lt=timezone.localdate()
    )
    return members.filter(assignment__courses=f.course) if f.course else members


def overdue_among(f: Filters, user_ids) -> set[int]:
    """Which of these people are overdue on a mandatory module (requiring the course filter's course)."""
    return set(_overdue_members(f).filter(user_id__in=list(user_ids)).values_list("user_id", flat=True))


def _non_student():
    return [code for code in TargetGroupCode.values if code != "student"]


def lessons_total(course: CoursePage | None) -> int | None:
    return LessonPage.objects.child_of(course).live().count() if course else None


def person_progress(user_in_scope: User) -> dict:
    """One person's enrolments (with lessons done of the total), quiz attempts and mandatory modules."""

    enrolments = list(Enrolment.objects.filter(user=user_in_scope).select_related("course").order_by("enrolled_at"))
    done = dict(
        LessonCompletion.objects.filter(user=user_in_scope)
        .values("enrolment_id")
        .annotate(n=Count("pk"))
        .values_list("enrolment_id", "n")
    )
    courses = [
        {
            "course": e.course.title,
            "course_id": e.course_id,
            "enrolled_at": e.enrolled_at,
            "last_activity_at": e.last_activity_at,
            "completed_at": e.completed_at,
            "lessons_done": done.get(e.pk, 0),
            "lessons_total": lessons_total(e.course),
        }
        for e in enrolments
    ]
    attempts = list(
        QuizAttempt.objects.filter(user=user_in_scope)
        .exclude(submitted_at=None)
        .select_related("quiz")
        .order_by("-submitted_at")[:50]
    )
    members = list(
        AssignmentMember.objects.filter(user=user_in_scope)
        .select_related("assignment")
        .order_by("assignment__deadline")
    )
    return {
        "courses": courses,
        "attempts": [
            {
                "quiz": a.quiz.title,
                "submitted_at": a.submitted_at,
                "score_percent": a.score_percent,
                "score": None if a.score_percent is None else float(a.score_percent) / 100,  # a share, like the rates
                "passed": a.passed,
            }
            for a in attempts
        ],
        "assignments": [
            {
                "title": m.assignment.title,
                "deadline": m.assignment.deadline,
                "status": m.status(),
                "status_label": AssignmentStatus(m.status()).label,
                "completed_at": m.completed_at,
                "left": m.left_at is not None,
            }
            for m in members
        ],
    }
