"""The organiser's "remind everyone overdue" over the API (the same rule as the page: once a day)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from learning.accounts.scopes import can_see_commune, is_organiser
from learning.campaigns.reminders import ReminderNotAllowed, remind_overdue
from learning.localities.models import Commune


class RemindOverdueSerializer(serializers.Serializer):
    commune = serializers.CharField(
        required=False, allow_blank=True, max_length=5, help_text="Commune code (must be in your scope)"
    )


class OrganiserRemindOverdueView(APIView):
    """Remind everyone overdue in the caller's scope, or in one commune of it. Pressing it again the
    same day sends nothing more; ``sent`` counts the reminders (person × assignment) sent now."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=RemindOverdueSerializer,
        responses={200: inline_serializer("RemindOverdueResult", {"sent": serializers.IntegerField()})},
        summary="Remind everyone overdue in my scope",
    )
    def post(self, request):
        if not is_organiser(request.user):
            raise PermissionDenied(_("Only organisers can send reminders."))
        serializer = RemindOverdueSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        commune = serializer.validated_data.get("commune") or None
        if commune:
            if not Commune.objects.filter(code=commune).exists():
                raise NotFound(_("Unknown commune code: %(code)s.") % {"code": commune})
            if not can_see_commune(request.user, commune):
                raise PermissionDenied(_("This commune is outside your scope."))
        try:
            sent = remind_overdue(organiser=request.user, commune=commune)
        except ReminderNotAllowed as exc:
            raise PermissionDenied(exc.messages[0]) from None
        return Response({"sent": sent}, status=status.HTTP_200_OK)
