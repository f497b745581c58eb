"""Statistics and report snapshots for the provincial reporting system, scoped like the dashboard."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import FileResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from learning.api.pagination import PeoplePagination
from learning.api.permissions import IsOrganiser
from learning.audit.services import What, personal_data_viewed_by_request
from learning.core.replicas import ReplicaReadsMixin
from learning.localities.models import Commune, Province
from learning.stats import selectors
from learning.stats.models import ReportSnapshot
from learning.stats.report_views import FILE_TYPES, reports_visible_to

FILTERS = [
    OpenApiParameter("from", OpenApiTypes.DATE, description="First day of the period (default: campaign start)"),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Last day of the period (default: today)"),
    OpenApiParameter("course", OpenApiTypes.INT, description="A course id; all courses when absent"),
    OpenApiParameter("target_group", OpenApiTypes.STR, description="citizen, student, official, … or adult"),
    OpenApiParameter("campaign", OpenApiTypes.INT, description="Campaign whose targets apply (default: latest)"),
]


def _scoped(lookup, model, request, code):
    """The province or commune through its selector: 404 for an unknown code, 403 outside the scope."""
    try:
        return lookup(request.user, code)
    except model.DoesNotExist as exc:
        raise NotFound(str(exc)) from None
    except DjangoPermissionDenied as exc:
        raise PermissionDenied(str(exc)) from None


def _province(request, code) -> Province:
    return _scoped(selectors.province_for, Province, request, code)


def _commune(request, code) -> Commune:
    return _scoped(selectors.commune_for, Commune, request, code)


def _period(f) -> dict:
    return {
        "from": f.start,
        "to": f.end,
        "course": f.course.pk if f.course else None,
        "target_group": f.target_group,
        "campaign": f.campaign.pk if f.campaign else None,
    }


class ProvinceStatsView(ReplicaReadsMixin, APIView):
    permission_classes = [IsAuthenticated, IsOrganiser]

    @extend_schema(
        parameters=FILTERS,
        responses=OpenApiTypes.OBJECT,
        summary="A province: headline numbers and the national indicators",
    )
    def get(self, request, code):
        province = _province(request, code)
        f = selectors.filters_parse(request.query_params, province=province)
        communes = selectors.scope_communes(request.user, province)
        _rows, totals = selectors.commune_table(f, communes)
        totals.pop("code"), totals.pop("name")
        return Response(
            {
                "province": {"code": province.code, "name": province.name},
                "filters": _period(f),
                "totals": totals,
                "indicators": selectors.indicators(f, communes)["total"],
            }
        )


class ProvinceCommunesView(ReplicaReadsMixin, APIView):
    permission_classes = [IsAuthenticated, IsOrganiser]

    @extend_schema(
        parameters=[*FILTERS, OpenApiParameter("sort", OpenApiTypes.STR, description="e.g. -participation_rate")],
        responses=OpenApiTypes.OBJECT,
        summary="A province: one row per commune, with totals",
    )
    def get(self, request, code):
        province = _province(request, code)
        f = selectors.filters_parse(request.query_params, province=province)
        communes = selectors.scope_communes(request.user, province)
        rows, totals = selectors.commune_table(f, communes)
        indicators = selectors.indicators(f, communes)["communes"]
        for row in rows:
            row["indicators"] = indicators[row["code"]]
        return Response({"filters": _period(f), "communes": rows, "totals": totals})


class ProvinceTimeseriesView(ReplicaReadsMixin, APIView):
    permission_classes = [IsAuthenticated, IsOrganiser]

    @extend_schema(parameters=FILTERS, responses=OpenApiTypes.OBJECT, summary="A province: week-by-week series")
    def get(self, request, code):
        province = _province(request, code)
        f = selectors.filters_parse(request.query_params, province=province)
        weeks = selectors.timeseries(f, selectors.scope_communes(request.user, province))
        return Response({"filters": _period(f), "weeks": weeks})


class CommuneStatsView(ReplicaReadsMixin, APIView):
    permission_classes = [IsAuthenticated, IsOrganiser]

    @extend_schema(parameters=FILTERS, responses=OpenApiTypes.OBJECT, summary="One commune, by course and target group")
    def get(self, request, code):
        commune = _commune(request, code)
        f = selectors.filters_parse(request.query_params, province=commune.province)
        rows, totals = selectors.commune_table(f, [commune])
        return Response(
            {
                "commune": {"code": commune.code, "name": commune.name, "province": commune.province_id},
                "filters": _period(f),
                "totals": rows[0],
                "indicators": selectors.indicators(f, [commune])["total"],
                "by_course": selectors.by_course(f, commune),
                "by_target_group": selectors.by_group(f, commune),
            }
        )


PersonSerializer = inline_serializer(
    "StatsPerson",
    {
        "id": serializers.IntegerField(),
        "full_name": serializers.CharField(),
        "phone": serializers.CharField(),
        "target_groups": serializers.ListField(child=serializers.CharField()),
        "courses_started": serializers.IntegerField(),
        "courses_completed": serializers.IntegerField(),
        "lessons_completed": serializers.IntegerField(),
        "quizzes_passed": serializers.IntegerField(),
        "overdue": serializers.BooleanField(),
        "last_activity": serializers.DateTimeField(allow_null=True),
    },
    many=True,
)


class CommunePeopleView(ReplicaReadsMixin, APIView):
    permission_classes = [IsAuthenticated, IsOrganiser]

    @extend_schema(
        parameters=[
            *FILTERS,
            OpenApiParameter("status", OpenApiTypes.STR, enum=list(selectors.PEOPLE_STATUSES)),
            OpenApiParameter("q", OpenApiTypes.STR, description="Part of a name or phone number"),
            OpenApiParameter("page", OpenApiTypes.INT),
        ],
        responses=PersonSerializer,
        summary="People of one commune and their progress (organisers whose scope includes the commune)",
    )
    def get(self, request, code):
        commune = _commune(request, code)
        f = selectors.filters_parse(request.query_params, province=commune.province)
        status = request.query_params.get("status", "")
        if status and status not in selectors.PEOPLE_STATUSES:
            raise serializers.ValidationError(
                {"status": _("Use one of: %(values)s.") % {"values": ", ".join(selectors.PEOPLE_STATUSES)}}
            )
        found = selectors.people(f, commune, status=status, search=request.query_params.get("q", "")[:100])
        paginator = PeoplePagination()
        page = paginator.paginate_queryset(found.prefetch_related("target_groups"), request, view=self)
        overdue = selectors.overdue_among(f, [u.pk for u in page])
        personal_data_viewed_by_request(request, what=What.PEOPLE_LIST, scope=commune.code)
        return paginator.get_paginated_response(
            [
                {
                    "id": u.pk,
                    "full_name": u.full_name,
                    "phone": u.phone,
                    "target_groups": [g.code for g in u.target_groups.all()],
                    "courses_started": u.enrolled,
                    "courses_completed": u.courses_done,
                    "lessons_completed": u.lessons_done,
                    "quizzes_passed": u.quiz_passes,
                    "overdue": u.pk in overdue,
                    "last_activity": u.last_activity,
                }
                for u in page
            ]
        )


ReportSerializer = inline_serializer(
    "ReportSnapshot",
    {
        "id": serializers.IntegerField(),
        "province": serializers.CharField(),
        "kind": serializers.CharField(),
        "period_start": serializers.DateField(),
        "period_end": serializers.DateField(),
        "status": serializers.CharField(),
        "generated_at": serializers.DateTimeField(allow_null=True),
        "downloads": serializers.DictField(child=serializers.CharField()),
    },
    many=True,
)


class ReportListView(ReplicaReadsMixin, APIView):
    permission_classes = [IsAuthenticated, IsOrganiser]

    @extend_schema(responses=ReportSerializer, summary="Report snapshots of the provinces in scope")
    def get(self, request):
        snapshots = reports_visible_to(request.user)[:200]
        return Response(
            [
                {
                    "id": s.pk,
                    "province": s.province_id,
                    "kind": s.kind,
                    "period_start": s.period_start,
                    "period_end": s.period_end,
                    "status": s.status,
                    "generated_at": s.generated_at,
                    "downloads": {
                        kind: request.build_absolute_uri(f"/api/v1/reports/{s.pk}/download/?file={kind}")
                        for kind in FILE_TYPES
                    }
                    if s.status == ReportSnapshot.Status.READY
                    else {},
                }
                for s in snapshots
            ]
        )


class ReportDownloadView(APIView):
    permission_classes = [IsAuthenticated, IsOrganiser]

    @extend_schema(
        parameters=[
            OpenApiParameter("file", OpenApiTypes.STR, enum=list(FILE_TYPES), description="xlsx (default) or pdf")
        ],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
        summary="Download a report snapshot",
    )
    def get(self, request, pk):
        kind = request.query_params.get("file", "xlsx")
        if kind not in FILE_TYPES:
            raise serializers.ValidationError({"file": _("Reports come as xlsx or pdf.")})
        snapshot = reports_visible_to(request.user).filter(pk=pk).first()
        if snapshot is None:
            raise NotFound(_("There is no report with this id among yours."))
        stored = getattr(snapshot, kind)
        if snapshot.status != ReportSnapshot.Status.READY or not stored:
            raise NotFound(_("This report is not ready yet."))
        return FileResponse(
            stored.open("rb"),
            as_attachment=True,
            filename=stored.name.rsplit("/", 1)[-1],
            content_type=FILE_TYPES[kind],
        )
