"""Codes sent by SMS through the API: a new password for a forgotten one, and proving one's phone after
signing up (services in ``learning.accounts.verification``, one sign-in policy in ``signin``)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from learning.accounts import signin, verification

from .serializers import PhoneSerializerField
from .views import SignInLockedError

CODE_FIELD = {
    "max_length": 12,
    "help_text": "The 6 digits from the SMS (spaces are ignored).",
}


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


class PasswordResetRequestSerializer(serializers.Serializer):
    phone = PhoneSerializerField(max_length=20, help_text="Vietnamese mobile number, e.g. 0912 345 678 or +84912345678")


class PasswordResetConfirmSerializer(serializers.Serializer):
    phone = PhoneSerializerField(max_length=20, help_text="The number the code was sent to")
    code = serializers.RegexField(r"^[0-9 ]{6,12}$", **CODE_FIELD)
    password = serializers.CharField(
        write_only=True, style={"input_type": "password"}, max_length=128, help_text="The new password"
    )


class PhoneVerifySerializer(serializers.Serializer):
    code = serializers.RegexField(r"^[0-9 ]{6,12}$", **CODE_FIELD)


LOCKED = OpenApiResponse(DetailSerializer, description="Locked out after too many failures, or throttled")
INVALID = OpenApiResponse(description="A field is missing or malformed, or the code is wrong or has expired")


class CodeView(APIView):
    """Throttled like the other sign-in doors (``auth``)."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"


class AnonymousCodeView(CodeView):
    permission_classes = [AllowAny]
    authentication_classes = []


class SignedInCodeView(CodeView):
    permission_classes = [IsAuthenticated]


def _locked_check(request, phone) -> None:
    try:
        signin.signin_check(request, phone)
    except signin.SignInLocked as exc:
        raise SignInLockedError(exc) from None


class PasswordResetView(AnonymousCodeView):
    @extend_schema(
        request=PasswordResetRequestSerializer,
        responses={
            202: DetailSerializer,
            400: OpenApiResponse(description="The phone number is missing or not a Vietnamese mobile number"),
            429: LOCKED,
        },
        summary="Forgot password: send a reset code by SMS",
        description="The answer is the same whether or not the number has an account. A code lives "
        "PHONE_CODE_MINUTES minutes; one number gets at most one code per PHONE_CODE_RESEND_SECONDS.",
    )
    def post(self, request):
        data = PasswordResetRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        phone = data.validated_data["phone"]
        _locked_check(request, phone)
        signin.signin_failed(request, phone, account=False)  # each request may cost an SMS
        verification.password_reset_request(phone=phone)
        return Response({"detail": verification.reset_sent_message(phone)}, status=status.HTTP_202_ACCEPTED)


class PasswordResetConfirmView(AnonymousCodeView):
    @extend_schema(
        request=PasswordResetConfirmSerializer,
        responses={200: DetailSerializer, 400: INVALID, 429: LOCKED},
        summary="Forgot password: set a new password with the code from the SMS",
        description="Every API token and every session of the account ends; get a new token from "
        "/api/v1/auth/token/. A wrong code counts as a failed sign-in.",
    )
    def post(self, request):
        data = PasswordResetConfirmSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        phone, password = data.validated_data["phone"], data.validated_data["password"]
        _locked_check(request, phone)
        try:
            verification.password_reset_complete(
                phone=phone, code=data.validated_data["code"], password1=password, password2=password
            )
        except DjangoValidationError as exc:
            if "code" in exc.message_dict:
                signin.signin_failed(request, phone)
            raise
        signin.signin_succeeded(request, phone)
        return Response({"detail": _("Your new password is saved. Sign in with it.")})


class PhoneVerifyView(SignedInCodeView):
    @extend_schema(
        request=PhoneVerifySerializer,
        responses={200: DetailSerializer, 400: INVALID, 401: OpenApiResponse(description="Not signed in"), 429: LOCKED},
        summary="Prove the phone number with the code sent at sign-up",
    )
    def post(self, request):
        data = PhoneVerifySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = request.user
        _locked_check(request, user.phone)
        try:
            verification.phone_verify(user=user, code=data.validated_data["code"])
        except DjangoValidationError:
            signin.signin_failed(request, user.phone)
            raise
        return Response({"detail": _("Your phone number is verified. Thank you!")})


class PhoneVerifyResendView(SignedInCodeView):
    @extend_schema(
        request=None,
        responses={
            202: DetailSerializer,
            401: OpenApiResponse(description="Not signed in"),
            429: OpenApiResponse(DetailSerializer, description="A code was sent less than a minute ago, or locked out"),
        },
        summary="Send the phone verification code again",
    )
    def post(self, request):
        user = request.user
        _locked_check(request, user.phone)
        try:
            verification.phone_verification_send(user=user)
        except verification.ResendTooSoon as exc:
            return Response(
                {"detail": exc.message},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
                headers={"Retry-After": str(exc.seconds)},
            )
        return Response(
            {"detail": _("We have sent a new code to %(phone)s.") % {"phone": user.phone_display}},
            status=status.HTTP_202_ACCEPTED,
        )
