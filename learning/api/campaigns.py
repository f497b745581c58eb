"""Mandatory modules over the API: the learner's own, and an organiser's people within their scope."""

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from learning.accounts.scopes import can_see_commune
from learning.api.permissions import IsOrganiser
from learning.audit.services import What, personal_data_viewed_by_request
from learning.campaigns.models import AssignmentStatus
from learning.campaigns.selectors import assignment_people_visible_to, my_assignments
from learning.localities.models import Commune


class CourseRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField()


class MyAssignmentSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="assignment.pk")
    title = serializers.CharField(source="assignment.title")
    deadline = serializers.DateField(source="assignment.deadline")
    status = serializers.SerializerMethodField()
    completed_at = serializers.DateTimeField(allow_null=True)
    courses = serializers.SerializerMethodField()

    def get_status(self, member) -> str:
        return member.status(self.context["today"])

    def get_courses(self, member) -> list[dict]:
        return CourseRefSerializer(member.assignment.courses.all(), many=True).data


class PersonAssignmentSerializer(serializers.Serializer):
    assignment_id = serializers.IntegerField(source="assignment.pk")
    assignment = serializers.CharField(source="assignment.title")
    deadline = serializers.DateField(source="assignment.deadline")
    user_id = serializers.IntegerField(source="user.pk")
    full_name = serializers.CharField(source="user.full_name")
    phone = serializers.CharField(source="user.phone")
    commune = serializers.CharField(source="commune_id")
    status = serializers.SerializerMethodField()
    started_at = serializers.DateTimeField(allow_null=True)
    completed_at = serializers.DateTimeField(allow_null=True)

    def get_status(self, member) -> str:
        return member.status(self.context["today"])


class MyAssignmentsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MyAssignmentSerializer(many=True), summary="The learner's mandatory modules")
    def get(self, request):
        members = my_assignments(user=request.user)
        return Response(MyAssignmentSerializer(members, many=True, context={"today": timezone.localdate()}).data)


class OrganiserAssignmentsView(ListAPIView):
    """People with mandatory modules and their status, within the caller's scope."""

    permission_classes = [IsAuthenticated, IsOrganiser]
    serializer_class = PersonAssignmentSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("commune", str, description="Commune code (must be in your scope)"),
            OpenApiParameter("status", str, enum=AssignmentStatus.values),
        ]
    )
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        scope = request.query_params.get("commune") or "all"
        personal_data_viewed_by_request(request, what=What.PEOPLE_LIST, scope=scope)
        return response

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    def get_queryset(self):
        user = self.request.user
        commune = self.request.query_params.get("commune") or None
        status = self.request.query_params.get("status") or None
        if status and status not in AssignmentStatus.values:
            raise ValidationError(
                {"status": _("Unknown status; use one of: %(s)s.") % {"s": ", ".join(AssignmentStatus.values)}}
            )
        if commune:
            if not Commune.objects.filter(code=commune).exists():
                raise NotFound(_("Unknown commune code: %(code)s.") % {"code": commune})
            if not can_see_commune(user, commune):
                raise PermissionDenied(_("This commune is outside your scope."))
        return assignment_people_visible_to(user=user, commune=commune, status=status)
