from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from courses import page_cache
from courses.rendering import page_html
from learning.accounts.consent_models import CONSENT_REQUIRED
from learning.accounts.models import TargetGroup, TargetGroupCode, User
from learning.accounts.phone import normalise_phone
from learning.localities.models import Commune, Province


class ProvinceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Province
        fields = ["code", "name", "type"]


class CommuneSerializer(serializers.ModelSerializer):
    province = serializers.CharField(source="province_id")

    class Meta:
        model = Commune
        fields = ["code", "name", "type", "province"]


class PhoneSerializerField(serializers.CharField):
    def to_internal_value(self, data):
        from django.core.exceptions import ValidationError

        value = super().to_internal_value(data)
        try:
            return normalise_phone(value)
        except ValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None


class RegisterSerializer(serializers.Serializer):
    phone = PhoneSerializerField(max_length=20)
    full_name = serializers.CharField(max_length=150)
    password = serializers.CharField(write_only=True, style={"input_type": "password"}, max_length=128)
    commune = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Commune.objects.all(),
        error_messages={"does_not_exist": _("Unknown commune code: {value}.")},
    )
    target_groups = serializers.ListField(
        child=serializers.ChoiceField(choices=TargetGroupCode.choices), allow_empty=False
    )
    consent = serializers.BooleanField(
        help_text="true: the person agrees to the privacy policy (/privacy/, version PRIVACY_POLICY_VERSION); "
        "required, false is refused with a 400 on this field.",
        error_messages={"required": CONSENT_REQUIRED},
    )

    def validate_consent(self, value: bool) -> bool:
        if not value:
            raise serializers.ValidationError(CONSENT_REQUIRED)
        return value


class UserSerializer(serializers.ModelSerializer):
    commune = serializers.CharField(source="commune_id", allow_null=True)
    target_groups = serializers.SlugRelatedField(slug_field="code", many=True, queryset=TargetGroup.objects.all())
    phone_verified = serializers.SerializerMethodField(
        help_text="Whether the code sent to the phone has been entered (POST /api/v1/auth/verify-phone/)"
    )

    class Meta:
        model = User
        fields = ["id", "phone", "full_name", "commune", "target_groups", "phone_verified"]

    def get_phone_verified(self, user) -> bool:
        return user.phone_verified_at is not None


class TokenRequestSerializer(serializers.Serializer):
    phone = serializers.CharField(max_length=20)
    password = serializers.CharField(style={"input_type": "password"}, max_length=128)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()


class OutputSerializer(serializers.Serializer):
    """A serializer that only writes answers, whose fields are worked out once per class.

    DRF copies and binds every declared field for each serializer it makes (a nested list makes one per
    item): on a learner's everyday answer that cost more than the answer's queries. The fields of an output
    serializer keep nothing of one answer (no ``context``, no ``instance``; method fields read only their
    argument), so the fields bound once, to an empty serializer of the class, serve every later one. Use it only for
    such serializers (never with ``data=``)."""

    _bound_fields: dict = {}

    @property
    def fields(self):
        cls = type(self)
        kept = OutputSerializer._bound_fields.get(cls)
        if kept is None:  # bound to an empty serializer of the class, which holds no answer's data
            kept = OutputSerializer._bound_fields.setdefault(cls, super(OutputSerializer, cls()).fields)
        return kept


class LessonItemSerializer(OutputSerializer):
    id = serializers.IntegerField(source="lesson.pk")
    title = serializers.CharField(source="lesson.title")
    estimated_minutes = serializers.IntegerField(source="lesson.estimated_minutes")
    url = serializers.CharField(source="lesson.url")
    locked = serializers.BooleanField()
    completed = serializers.BooleanField()


class CourseSummarySerializer(OutputSerializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    topic = serializers.CharField()
    audience = serializers.CharField()
    estimated_minutes = serializers.IntegerField()
    url = serializers.CharField()
    sequential = serializers.BooleanField()


class QuizItemSerializer(OutputSerializer):
    id = serializers.IntegerField(source="quiz.pk")
    title = serializers.CharField(source="quiz.title")
    kind = serializers.CharField(source="quiz.kind")
    url = serializers.CharField(source="quiz.url")
    best_score = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    passed = serializers.BooleanField()
    locked = serializers.BooleanField()
    locked_reason = serializers.CharField(source="reason", help_text="Why it does not open yet; empty when open")
    pass_mark_percent = serializers.IntegerField(source="quiz.pass_mark_percent")


class NextStepSerializer(OutputSerializer):
    """What is left to do: a lesson, or a final test to pass (with its pass mark); null once complete."""

    kind = serializers.ChoiceField(choices=["lesson", "final_test"])
    id = serializers.IntegerField(source="page.pk")
    title = serializers.CharField(source="page.title")
    url = serializers.CharField(source="page.url")
    pass_mark_percent = serializers.IntegerField(source="pass_mark", allow_null=True)


class CourseDetailSerializer(OutputSerializer):
    id = serializers.IntegerField(source="course.pk")
    title = serializers.CharField(source="course.title")
    topic = serializers.CharField(source="course.topic")
    audience = serializers.CharField(source="course.audience")
    estimated_minutes = serializers.IntegerField(source="course.estimated_minutes")
    intro = serializers.SerializerMethodField(help_text="HTML, sanitised")
    competences = serializers.SerializerMethodField()
    sequential = serializers.BooleanField(source="course.sequential")
    url = serializers.CharField(source="course.url")
    enrolled = serializers.SerializerMethodField()
    percent_complete = serializers.IntegerField(source="percent")
    completed = serializers.BooleanField(source="is_complete")
    next_lesson_id = serializers.SerializerMethodField()
    next_step = NextStepSerializer(allow_null=True)
    lessons = LessonItemSerializer(many=True)
    quizzes = QuizItemSerializer(many=True)

    def get_intro(self, state) -> str:
        course = state.course
        return page_cache.kept(("intro_html", course.pk), lambda: str(page_html(course.intro)))

    def get_competences(self, state) -> list[str]:
        return page_cache.course_competences(state.course)

    def get_enrolled(self, state) -> bool:
        return state.enrolment is not None

    def get_next_lesson_id(self, state) -> int | None:
        return state.next_lesson.pk if state.next_lesson else None


class ProgressSerializer(OutputSerializer):
    course_id = serializers.IntegerField(source="course.pk")
    title = serializers.CharField(source="course.title")
    url = serializers.CharField(source="course.url")
    lessons_total = serializers.IntegerField(source="total")
    lessons_completed = serializers.IntegerField(source="completed_count")
    final_tests_total = serializers.SerializerMethodField()
    final_tests_passed = serializers.SerializerMethodField()
    percent_complete = serializers.IntegerField(source="percent")
    completed = serializers.BooleanField(source="is_complete")
    next_lesson_id = serializers.SerializerMethodField()
    next_step = NextStepSerializer(allow_null=True)
    enrolled_at = serializers.DateTimeField(source="enrolment.enrolled_at")

    def get_next_lesson_id(self, state) -> int | None:
        return state.next_lesson.pk if state.next_lesson else None

    def get_final_tests_total(self, state) -> int:
        return len(state.final_tests)

    def get_final_tests_passed(self, state) -> int:
        return len(state.final_tests) - len(state.remaining_final_tests)


class LessonCompleteSerializer(serializers.Serializer):
    client_id = serializers.UUIDField()
    time_spent_seconds = serializers.IntegerField(min_value=0, max_value=8 * 60 * 60)


class LessonStateSerializer(OutputSerializer):
    id = serializers.IntegerField(source="lesson.pk")
    title = serializers.CharField(source="lesson.title")
    completed = serializers.BooleanField()
    locked = serializers.BooleanField()
    course_id = serializers.IntegerField(source="course_state.course.pk")
    course_percent_complete = serializers.IntegerField(source="course_state.percent")
    course_completed = serializers.BooleanField(source="course_state.is_complete")
    next_lesson_id = serializers.SerializerMethodField()

    def get_next_lesson_id(self, state) -> int | None:
        return state.next.pk if state.next else None
