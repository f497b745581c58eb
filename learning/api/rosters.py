"""Rosters over the API: upload for a preview, confirm, and follow the import (organisers, own rosters only)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from learning.api.pagination import RosterRowsPagination
from learning.api.permissions import IsOrganiser
from learning.audit.services import What, personal_data_viewed_by_request
from learning.campaigns import rosters
from learning.campaigns.roster_models import Roster, RowOutcome
from learning.campaigns.views import read_upload

PREVIEW_ROWS = 500


class RosterRowSerializer(serializers.Serializer):
    row = serializers.IntegerField(source="row_number")
    outcome = serializers.CharField()
    reason = serializers.CharField()
    full_name = serializers.CharField()
    phone = serializers.CharField()
    commune = serializers.CharField(source="commune_id", allow_null=True)
    target_groups = serializers.ListField(child=serializers.CharField(), source="group_codes")
    organisation = serializers.CharField()
    position = serializers.CharField()
    changes = serializers.CharField()


class RosterSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    filename = serializers.CharField()
    sha256 = serializers.CharField()
    status = serializers.CharField()
    created_at = serializers.DateTimeField()
    confirmed_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    processed = serializers.IntegerField()
    total = serializers.IntegerField(source="valid_rows")
    counts = serializers.SerializerMethodField()
    created_accounts = serializers.IntegerField(source="created_count")
    activation_sms_sent = serializers.SerializerMethodField()
    error = serializers.CharField()
    url = serializers.SerializerMethodField()
    rows_url = serializers.SerializerMethodField()

    def get_counts(self, roster) -> dict:
        return {
            "rows": roster.total_rows,
            "valid": roster.valid_rows,
            "new": roster.new_rows,
            "update": roster.update_rows,
            "unchanged": roster.unchanged_rows,
            "claimed": roster.claimed_rows,
            "error": roster.error_rows,
        }

    def get_activation_sms_sent(self, roster) -> int:
        return rosters.roster_activations(roster=roster)["sent"]

    def get_url(self, roster) -> str:
        return reverse("api:roster", args=[roster.pk])

    def get_rows_url(self, roster) -> str:
        return reverse("api:roster_rows", args=[roster.pk])


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField()


def _own(request, pk) -> Roster:
    try:
        return rosters.organiser_roster_get(user=request.user, roster_id=pk)
    except Roster.DoesNotExist:
        raise NotFound(_("You have no roster with this id.")) from None


class RosterUploadView(APIView):
    permission_classes = [IsAuthenticated, IsOrganiser]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": UploadSerializer},
        responses={201: RosterSerializer},
        summary="Upload a roster (.xlsx or .csv) and get the preview of every row (nothing is imported yet)",
    )
    def post(self, request):
        data = UploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        roster = rosters.roster_preview(organiser=request.user, content=read_upload(upload), filename=upload.name)
        body = RosterSerializer(roster).data
        body["rows"] = RosterRowSerializer(rosters.roster_rows(roster=roster)[:PREVIEW_ROWS], many=True).data
        body["rows_truncated"] = roster.total_rows > PREVIEW_ROWS
        return Response(body, status=status.HTTP_201_CREATED)


class RosterDetailView(APIView):
    permission_classes = [IsAuthenticated, IsOrganiser]

    @extend_schema(responses=RosterSerializer, summary="A roster's status, progress and counts")
    def get(self, request, pk: int):
        return Response(RosterSerializer(_own(request, pk)).data)


class RosterConfirmView(APIView):
    permission_classes = [IsAuthenticated, IsOrganiser]

    @extend_schema(
        request=None, responses={202: RosterSerializer}, summary="Import the roster's valid rows in the background"
    )
    def post(self, request, pk: int):
        roster = rosters.roster_confirm(roster=_own(request, pk))
        return Response(
            RosterSerializer(roster).data,
            status=status.HTTP_202_ACCEPTED,
            headers={"Location": reverse("api:roster", args=[roster.pk])},
        )


class RosterRowsView(APIView):
    permission_classes = [IsAuthenticated, IsOrganiser]

    @extend_schema(
        parameters=[
            OpenApiParameter("outcome", str, enum=RowOutcome.values),
            OpenApiParameter("offset", int),
            OpenApiParameter("limit", int, description="100 by default, at most 1000"),
        ],
        responses=inline_serializer(
            "RosterRows",
            {
                "count": serializers.IntegerField(),
                "next": serializers.URLField(allow_null=True),
                "previous": serializers.URLField(allow_null=True),
                "results": RosterRowSerializer(many=True),
            },
        ),
        summary="The rows of a roster with their outcomes",
    )
    def get(self, request, pk: int):
        roster = _own(request, pk)
        outcome = request.query_params.get("outcome") or None
        if outcome and outcome not in RowOutcome.values:
            raise DjangoValidationError(
                {"outcome": _("Unknown outcome; use one of: %(s)s.") % {"s": ", ".join(RowOutcome.values)}}
            )
        paginator = RosterRowsPagination()
        page = paginator.paginate_queryset(rosters.roster_rows(roster=roster, outcome=outcome), request, view=self)
        personal_data_viewed_by_request(request, what=What.PEOPLE_LIST, scope=f"roster:{roster.pk}")
        return paginator.get_paginated_response(RosterRowSerializer(page, many=True).data)
