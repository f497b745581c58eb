"""Quiz attempts over the API. Nothing here sends a correct answer before submission: questions go
out through ``quiz_engine.public_question`` only."""

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from courses import quiz_engine
from learning.progress import quiz_ids, quiz_selectors, quiz_services
from learning.progress.errors import QuizError
from learning.progress.models import QuizAttempt

CONFLICT_CODES = {"attempt_limit", "wait", "submitted", "time_up", "busy", "locked"}


def quiz_error_response(exc: QuizError) -> Response:
    code = status.HTTP_409_CONFLICT if exc.quiz_code in CONFLICT_CODES else status.HTTP_400_BAD_REQUEST
    return Response({**exc.message_dict, "code": exc.quiz_code}, status=code)


class PublicChoiceSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="Opaque, different in every attempt")
    html = serializers.CharField()


class PublicOptionSerializer(serializers.Serializer):
    id = serializers.CharField()
    text = serializers.CharField()


class PublicQuestionSerializer(serializers.Serializer):
    id = serializers.CharField()
    type = serializers.CharField()
    html = serializers.CharField()
    image = serializers.CharField(allow_null=True)
    choices = PublicChoiceSerializer(many=True, required=False)
    items = PublicChoiceSerializer(many=True, required=False)
    options = PublicOptionSerializer(many=True, required=False)


class ResultSerializer(serializers.Serializer):
    score_percent = serializers.CharField()
    passed = serializers.BooleanField()
    pass_mark_percent = serializers.IntegerField()
    review_policy = serializers.CharField()
    questions = serializers.ListField(child=serializers.DictField())


class AttemptSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    quiz_id = serializers.IntegerField()
    number = serializers.IntegerField()
    status = serializers.CharField()
    started_at = serializers.DateTimeField()
    deadline = serializers.DateTimeField(allow_null=True)
    seconds_left = serializers.IntegerField(allow_null=True)
    questions = PublicQuestionSerializer(many=True)
    answers = serializers.DictField(help_text="question id → the saved response")
    result = ResultSerializer(allow_null=True)


def _shape(name: str, schema: dict, description: str) -> dict:
    return {"type": "object", "title": name, "description": description, "properties": schema, "required": [*schema]}


_ID = {"type": "string", "description": "A choice, item or option id of this question in this attempt"}
# The response to one question, by its type (``quiz_engine.response_clean`` is the rule; this documents it).
RESPONSE_SCHEMA = {
    "anyOf": [
        _shape("SingleChoice", {"choice": _ID}, "single_choice: the chosen choice's id"),
        _shape("MultipleChoice", {"choices": {"type": "array", "items": _ID}}, "multiple_choice: every chosen id"),
        _shape("TrueFalse", {"value": {"type": "boolean"}}, "true_false"),
        _shape("ShortAnswer", {"text": {"type": "string", "maxLength": 500}}, "short_answer"),
        _shape(
            "Numerical",
            {"value": {"oneOf": [{"type": "string", "maxLength": 40}, {"type": "number"}]}},
            "numerical: a number, or text such as 3,5 (Vietnamese decimal comma); at most ±10^12",
        ),
        _shape(
            "Matching",
            {"pairs": {"type": "object", "additionalProperties": _ID}},
            "matching: item id → option id",
        ),
    ]
}


@extend_schema_field(RESPONSE_SCHEMA)
class ResponseField(serializers.JSONField):
    """A response to one question; its shape depends on the question's type."""


class AnswerRequestSerializer(serializers.Serializer):
    response = ResponseField()
    client_id = serializers.UUIDField()


class AnswerSerializer(serializers.Serializer):
    question_id = serializers.CharField()
    response = ResponseField()
    saved_at = serializers.DateTimeField()


class AttemptSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    quiz_id = serializers.IntegerField()
    quiz_title = serializers.CharField(source="quiz.title")
    course_id = serializers.IntegerField()
    number = serializers.IntegerField()
    status = serializers.CharField()
    started_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    score_percent = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    passed = serializers.BooleanField(allow_null=True)


def attempt_payload(attempt: QuizAttempt, *, new: bool = False) -> dict:
    """The attempt as the learner may see it; ``new``: just created, so no answers to read yet."""
    ids = quiz_ids.public_ids(attempt)
    seconds_left = None
    if attempt.deadline and attempt.status == "in_progress":
        seconds_left = max(0, int((attempt.deadline - timezone.now()).total_seconds()))
    return {
        "id": attempt.pk,
        "quiz_id": attempt.quiz_id,
        "number": attempt.number,
        "status": attempt.status,
        "started_at": attempt.started_at,
        "deadline": attempt.deadline,
        "seconds_left": seconds_left,
        "questions": [quiz_engine.public_question(item, ids[item["key"]]) for item in attempt.snapshot["questions"]],
        "answers": {}
        if new
        else {ids[a.question_key]: a.response for a in attempt.answers.all() if a.question_key in ids},
        "result": quiz_services.attempt_result(attempt) if attempt.status == "submitted" else None,
    }


_DATETIME = serializers.DateTimeField()


def attempt_representation(attempt: QuizAttempt, *, new: bool = False) -> dict:
    """What ``AttemptSerializer(attempt_payload(attempt)).data`` gives, without DRF's work per field:
    the payload is plain data already but for two datetimes (starting is the busiest request)."""
    payload = attempt_payload(attempt, new=new)
    payload["started_at"] = _DATETIME.to_representation(payload["started_at"])
    payload["deadline"] = _DATETIME.to_representation(payload["deadline"])
    if payload["result"] is not None:
        payload["result"] = ResultSerializer(payload["result"]).data
    return payload


def _own_attempt(request, pk) -> QuizAttempt:
    try:
        return quiz_selectors.attempt_for_user(user=request.user, attempt_id=pk)
    except QuizAttempt.DoesNotExist:
        raise NotFound(_("You have no attempt with this id.")) from None


class QuizAttemptStartView(APIView):
    permission_classes = [IsAuthenticated]
    error_responses = {
        409: "No attempt can start now: the quiz is locked, every attempt allowed is used, the wait between "
        "attempts is not over, or another start is under way (`code`: locked, attempt_limit, wait, busy)."
    }

    @extend_schema(
        request=None, responses={201: AttemptSerializer, 200: AttemptSerializer}, summary="Start (or resume) an attempt"
    )
    def post(self, request, pk: int):
        target = quiz_selectors.quiz_for_start(quiz_id=pk)
        if target is None:
            raise NotFound(_("No published quiz has this id."))
        try:
            result = quiz_services.attempt_start(user=request.user, quiz=target.quiz, course=target.course)
        except QuizError as exc:
            return quiz_error_response(exc)
        code = status.HTTP_201_CREATED if result.created else status.HTTP_200_OK
        return Response(attempt_representation(result.attempt, new=result.created), status=code)


class AttemptDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses=AttemptSerializer, summary="An attempt: questions, saved answers, and the result once submitted"
    )
    def get(self, request, pk: int):
        attempt = quiz_services.attempt_close_if_expired(_own_attempt(request, pk))
        return Response(attempt_representation(attempt))


class AttemptAnswerView(APIView):
    permission_classes = [IsAuthenticated]
    error_responses = {
        409: "The answer can no longer change: the attempt was submitted or its time is up "
        "(`code`: submitted, time_up)."
    }

    @extend_schema(
        request=AnswerRequestSerializer,
        responses=AnswerSerializer,
        summary="Save the answer to one question",
        parameters=[
            OpenApiParameter(
                "question_id",
                str,
                OpenApiParameter.PATH,
                pattern=f"^[0-9a-f]{{{quiz_ids.LENGTH}}}$",
                description="The question's id in this attempt (from the attempt's `questions`)",
            )
        ],
    )
    def put(self, request, pk: int, question_id: str):
        attempt = _own_attempt(request, pk)
        data = AnswerRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            answer = quiz_services.answer_save(
                attempt=attempt,
                question_key=quiz_ids.key_required(attempt, question_id),
                response=data.validated_data["response"],
                client_id=data.validated_data["client_id"],
            )
        except QuizError as exc:
            return quiz_error_response(exc)
        return Response({"question_id": question_id, "response": answer.response, "saved_at": answer.saved_at})


class AttemptSubmitView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=ResultSerializer, summary="Submit the attempt (idempotent)")
    def post(self, request, pk: int):
        attempt = quiz_services.attempt_submit(attempt=_own_attempt(request, pk))
        return Response(ResultSerializer(quiz_services.attempt_result(attempt)).data)


class MyAttemptsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=AttemptSummarySerializer(many=True), summary="The learner's attempts, newest first")
    def get(self, request):
        return Response(AttemptSummarySerializer(quiz_selectors.attempts_of(user=request.user)[:200], many=True).data)
