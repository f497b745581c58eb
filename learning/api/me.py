"""The signed-in person's own account: deleting it (Personal Data Protection Law 2025)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from learning.accounts.services import user_erase_confirmed


class AccountDeleteSerializer(serializers.Serializer):
    password = serializers.CharField(
        style={"input_type": "password"},
        max_length=128,
        trim_whitespace=False,
        error_messages={"required": _("Type your password to delete your account.")},
    )


class AccountDeleteView(APIView):
    """Delete the caller's account: personal fields erased, learning records kept without a name."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=AccountDeleteSerializer,
        responses={
            204: OpenApiResponse(description="Deleted: the token and every session of the account stop working."),
            400: OpenApiResponse(description="No password, or not the account's password (nothing deleted)."),
            401: OpenApiResponse(description="Not signed in."),
        },
        summary="Delete my account",
        description=(
            "Erases the caller's name, phone number (replaced by a placeholder), email and password, and ends "
            "every token and session. Enrolments, completions, quiz attempts, mandatory modules and certificates "
            "are kept without a name, so commune statistics and certificate counts do not change; certificate "
            "verification then shows the certificate valid with an empty holder. A wrong password counts as a "
            "failed sign-in (lockout). Cannot be undone."
        ),
    )
    def post(self, request):
        data = AccountDeleteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user_erase_confirmed(request=request, user=request.user, password=data.validated_data["password"])
        return Response(status=status.HTTP_204_NO_CONTENT)
