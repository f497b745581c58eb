"""The organiser's "remind everyone overdue" over the API (the same rule as the page: once a day, sent in
the background)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from learning.accounts.scopes import can_see_commune
from learning.api.permissions import IsOrganiser
from learning.campaigns.reminders import ReminderNotAllowed, remind_overdue_queue
from learning.localities.models import Commune


class RemindOverdueSerializer(serializers.Serializer):
    commune = serializers.CharField(
        required=False, allow_blank=True, max_length=5, help_text="Commune code (must be in your scope)"
    )


class OrganiserRemindOverdueView(APIView):
    """Remind everyone overdue in the caller's scope, or in one commune of it, in the background.

    Answers 202 at once with ``queued``: the reminders (person × assignment) still to be sent today,
    which a Celery task now sends. Pressing it again the same day queues nothing more (``queued``: 0),
    and a task run twice sends each reminder once."""

    permission_classes = [IsAuthenticated, IsOrganiser]

    @extend_schema(
        request=RemindOverdueSerializer,
        responses={
            202: inline_serializer(
                "RemindOverdueQueued",
                {"queued": serializers.IntegerField(), "commune": serializers.CharField(allow_null=True)},
            )
        },
        summary="Remind everyone overdue in my scope (sent in the background)",
    )
    def post(self, request):
        serializer = RemindOverdueSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        commune = serializer.validated_data.get("commune") or None
        if commune:
            if not Commune.objects.filter(code=commune).exists():
                raise NotFound(_("Unknown commune code: %(code)s.") % {"code": commune})
            if not can_see_commune(request.user, commune):
                raise PermissionDenied(_("This commune is outside your scope."))
        try:
            queued = remind_overdue_queue(organiser=request.user, commune=commune)
        except ReminderNotAllowed as exc:
            raise PermissionDenied(exc.messages[0]) from None
        return Response({"queued": queued, "commune": commune}, status=status.HTTP_202_ACCEPTED)
