"""Certificates over the API: the learner's own, and the public check of a verification code."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from learning.certificates.pdf import verify_url
from learning.certificates.selectors import certificate_verify, certificates_of


class CompetenceSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()

    def to_representation(self, instance):
        code, name = instance
        return {"code": code, "name": name}


class MyCertificateSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="The verification code printed on the certificate")
    course_id = serializers.IntegerField()
    course_title = serializers.CharField()
    holder_name = serializers.CharField()
    competences = CompetenceSerializer(many=True)
    completed_on = serializers.DateField()
    issuer = serializers.CharField()
    score_percent = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    issued_at = serializers.DateTimeField()
    valid = serializers.SerializerMethodField()
    revoked_at = serializers.DateTimeField(allow_null=True)
    revoke_reason = serializers.CharField(source="get_revoke_reason_display")
    verify_url = serializers.SerializerMethodField(help_text="The public verification page (the QR code's address)")
    pdf_url = serializers.SerializerMethodField(help_text="The PDF, for its holder (empty once revoked)")

    def get_valid(self, certificate) -> bool:
        return not certificate.is_revoked

    def get_verify_url(self, certificate) -> str:
        return verify_url(certificate)

    def get_pdf_url(self, certificate) -> str:
        if certificate.is_revoked:
            return ""
        return self.context["request"].build_absolute_uri(reverse("certificates:download", args=[certificate.code]))


class VerificationSerializer(serializers.Serializer):
    code = serializers.CharField()
    valid = serializers.BooleanField()
    holder = serializers.CharField(
        allow_blank=True,
        help_text="The holder's name, masked: the family name, then initials; empty when the holder deleted their "
        "account (the certificate stays valid)",
    )
    course_title = serializers.CharField()
    competences = CompetenceSerializer(many=True)
    completed_on = serializers.DateField()
    issuer = serializers.CharField()
    issued_on = serializers.DateField()
    revoked_on = serializers.DateField(allow_null=True)
    revoke_reason = serializers.CharField()


class MyCertificatesView(ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = MyCertificateSerializer

    @extend_schema(summary="The learner's certificates")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return certificates_of(user=self.request.user)


class VerifyThrottle(ScopedRateThrottle):
    """``CERTIFICATE_VERIFY_PER_MINUTE`` lookups per client address, whatever other rates are configured."""

    def get_rate(self):
        return f"{settings.CERTIFICATE_VERIFY_PER_MINUTE}/minute"


class CertificateVerifyView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [VerifyThrottle]
    throttle_scope = "certificate_verify"

    @extend_schema(
        responses={
            200: VerificationSerializer,
            404: OpenApiResponse(description="No certificate has this code"),
            429: OpenApiResponse(description="Too many checks from this address in the last minute"),
        },
        summary="Check a certificate's verification code (public)",
    )
    def get(self, request, code):
        verification = certificate_verify(code)
        if verification is None:
            raise NotFound(_("No certificate has this verification code."))
        return Response(VerificationSerializer(verification).data)
