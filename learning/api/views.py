"""The /api/v1 endpoints: thin — parse, call a service or selector, serialise."""

from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import APIException, NotFound
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from courses.models import CoursePage, LessonPage
from courses.selectors import course_get, course_list, lesson_get
from learning.accounts import services as account_services
from learning.accounts import signin, tokens
from learning.accounts.consent_models import ConsentSource
from learning.localities.models import Province
from learning.localities.selectors import commune_search, province_list
from learning.progress import selectors as progress_selectors
from learning.progress import services as progress_services

from . import serializers as s


class RegisterView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"

    @extend_schema(
        request=s.RegisterSerializer,
        responses={201: s.UserSerializer},
        summary="Register a learner",
        description="The phone is not verified yet: a code is sent to it by SMS, to be entered with "
        "POST /api/v1/auth/verify-phone/ (until then a roster naming the number takes the account back).",
    )
    def post(self, request):
        data = s.RegisterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = {name: value for name, value in data.validated_data.items() if name != "consent"}
        user = account_services.user_register(**values, consent_source=ConsentSource.API)
        return Response(s.UserSerializer(user).data, status=status.HTTP_201_CREATED)


class SignInLockedError(APIException):
    """429 with the lockout's own message (when to try again) and ``Retry-After``."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "locked"

    def __init__(self, locked: signin.SignInLocked):
        super().__init__(detail=locked.message)
        self.wait = locked.retry_after  # DRF's handler turns it into Retry-After


class TokenView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"

    @extend_schema(request=s.TokenRequestSerializer, responses={200: s.TokenSerializer}, summary="Get an API token")
    def post(self, request):
        data = s.TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        phone = data.validated_data["phone"]
        try:
            signin.signin_check(request, phone)
        except signin.SignInLocked as exc:
            raise SignInLockedError(exc) from None
        user = authenticate(request, phone=phone, password=data.validated_data["password"])
        if user is None or not user.is_active:
            signin.signin_failed(request, phone)
            raise serializers.ValidationError({"detail": _("The phone number or password is not correct.")})
        signin.signin_succeeded(request, phone)
        return Response({"token": tokens.api_token_get(user=user).key})


class LogoutView(APIView):
    """Sign out of the API: the caller's token stops working (a new sign-in issues a new one)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=None,
        responses={204: None},
        summary="Sign out: delete the caller's API token",
        description="After this call the token is refused (401); get a new one from /api/v1/auth/token/.",
    )
    def post(self, request):
        tokens.api_tokens_revoke(user_id=request.user.pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ProvinceListView(generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = s.ProvinceSerializer
    pagination_class = None

    def get_queryset(self):
        return province_list()


class CommuneListView(generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = s.CommuneSerializer
    pagination_class = None

    @extend_schema(
        parameters=[
            OpenApiParameter("province", str, description="Province code, e.g. 22"),
            OpenApiParameter("q", str, description="Words of the name; case and diacritics ignored"),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        province = self.request.query_params.get("province") or None
        if province and not Province.objects.filter(code=province).exists():
            raise serializers.ValidationError({"province": _("Unknown province code: %(code)s.") % {"code": province}})
        return commune_search(province=province, query=self.request.query_params.get("q", "")[:100])


class CourseListView(generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = s.CourseSummarySerializer

    def get_queryset(self):
        return course_list()


class CourseDetailView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=s.CourseDetailSerializer, summary="A course with its lessons in order")
    def get(self, request, pk: int):
        try:
            course = course_get(course_id=pk)
        except CoursePage.DoesNotExist:
            raise NotFound(_("No published course has this id.")) from None
        state = progress_selectors.course_state(user=request.user, course=course)
        return Response(s.CourseDetailSerializer(state).data)


class CourseEnrolView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=s.CourseDetailSerializer, summary="Start a course (enrol); safe to repeat")
    def post(self, request, pk: int):
        try:
            course = course_get(course_id=pk)
        except CoursePage.DoesNotExist:
            raise NotFound(_("No published course has this id.")) from None
        progress_services.enrolment_ensure(user=request.user, course=course)
        state = progress_selectors.course_state(user=request.user, course=course)
        return Response(s.CourseDetailSerializer(state).data)


class LessonCompleteView(APIView):
    permission_classes = [IsAuthenticated]
    error_responses = {409: "The lesson is locked: the lessons before it are not complete yet."}

    @extend_schema(
        request=s.LessonCompleteSerializer,
        responses={201: s.LessonStateSerializer, 200: s.LessonStateSerializer},
        summary="Complete a lesson (201; 200 when it was complete already)",
    )
    def post(self, request, pk: int):
        try:
            lesson = lesson_get(lesson_id=pk)
        except LessonPage.DoesNotExist:
            raise NotFound(_("No published lesson has this id.")) from None
        data = s.LessonCompleteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            result = progress_services.lesson_complete(
                user=request.user, lesson=lesson, claimed=True, **data.validated_data
            )
        except DjangoValidationError as exc:
            if "lesson" in exc.message_dict:
                return Response(exc.message_dict, status=status.HTTP_409_CONFLICT)
            raise
        code = status.HTTP_201_CREATED if result.created else status.HTTP_200_OK
        return Response(s.LessonStateSerializer(result.state).data, status=code)


class MyProgressView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=s.ProgressSerializer(many=True), summary="The learner's courses with progress")
    def get(self, request):
        return Response(s.ProgressSerializer(progress_selectors.my_courses(user=request.user), many=True).data)
