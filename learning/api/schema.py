"""The OpenAPI schema of /api/v1 (drf-spectacular): only the public API, every error an operation can give,
and the real formats of what it accepts.

Every operation documents its 4xx answers, derived from the view so that a new endpoint gets them too:
400 always (the request guard refuses a NUL byte or an integer too large in any request, and a body or a
parameter can be wrong), 401 when the view reads credentials (a wrong, expired or revoked token is refused
even where signing in is optional), 403 when a permission or the session's CSRF check can refuse, 404 when
the path names something, 429 when the view is throttled, and what a view declares in ``error_responses``
(409 for a quiz or lesson that is locked or already closed, …). Their bodies share one shape, ``Error``.
"""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import SAFE_METHODS, AllowAny

# Formats of what the API accepts, written once: every request field or query parameter with one of these
# names, and the code in a path after ``provinces/`` or ``communes/``, is documented with its pattern.
PROVINCE_CODE_PATTERN = r"^[0-9]{2}$"
COMMUNE_CODE_PATTERN = r"^[0-9]{5}$"
# A Vietnamese mobile number as people type it (0912 345 678, 0912.345.678, +84 912 345 678); the server
# reads it and says what is wrong when it is not a mobile number.
PHONE_PATTERN = r"^\+?[0-9][0-9 .()/-]{7,18}[0-9]$"
PHONE_SCHEMA = {
    "type": "string",
    "pattern": PHONE_PATTERN,
    "maxLength": 20,
    "example": "0912 345 678",
    "description": "A Vietnamese mobile number: 0912 345 678, 0912345678 or +84912345678.",
}

FORMATS = {
    "phone": PHONE_SCHEMA,
    "province": {"type": "string", "pattern": PROVINCE_CODE_PATTERN, "example": "22"},
    "commune": {"type": "string", "pattern": COMMUNE_CODE_PATTERN, "example": "07030"},
}
PATH_CODES = {"provinces": "province", "communes": "commune"}

ERROR_SCHEMA = {
    "type": "object",
    "description": (
        "What is wrong. `detail` speaks of the whole request; any other key names the field or parameter at "
        "fault, with its messages (a list of strings, or an object for the items of a list or a nested "
        "object). `code`, when present, is a machine-readable reason (e.g. `locked`, `submitted`, `time_up`)."
    ),
    "properties": {
        "detail": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
        # A reason code, or the messages of a request field named ``code`` (a one-time code, a verification code).
        "code": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
    },
    "additionalProperties": {
        "oneOf": [{"type": "string"}, {"type": "array"}, {"type": "object"}],
    },
}

DESCRIPTIONS = {
    400: "The request cannot be used: a field, parameter or value is missing or wrong (the body says which).",
    401: "Not signed in, or the token is wrong, expired or revoked.",
    403: "Signed in, but not allowed to do this (or the session's CSRF token is missing).",
    404: "Nothing with this id or code exists, or it is not yours to see.",
    409: "Not possible in the present state (the body's `code` says why).",
    429: "Too many requests, or locked out after too many failures: try again after `Retry-After` seconds.",
}
RETRY_AFTER = {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait before trying again."}}


def public_api_only(endpoints, **kwargs):
    """The OpenAPI schema describes /api/v1 only (not Wagtail's internal admin API)."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]


# OpenAPI links: which value of a response names what a next operation works on (a client's way through the
# API, and the way a stateful fuzzer reaches real courses, quizzes and attempts). (path, method, status) →
# {link name: (path, method, {parameter: runtime expression})}.
COURSE, ATTEMPT = "/api/v1/courses/{id}/", "/api/v1/attempts/{id}/"
ANSWER, SUBMIT = "/api/v1/attempts/{id}/answers/{question_id}/", "/api/v1/attempts/{id}/submit/"
START = "/api/v1/quizzes/{id}/attempts/"
_FIRST_COURSE = {"id": "$response.body#/results/0/id"}
_ATTEMPT_LINKS = {
    "ReadAttempt": (ATTEMPT, "get", {"id": "$response.body#/id"}),
    "AnswerFirstQuestion": (
        ANSWER,
        "put",
        {"id": "$response.body#/id", "question_id": "$response.body#/questions/0/id"},
    ),
    "SubmitAttempt": (SUBMIT, "post", {"id": "$response.body#/id"}),
}
LINKS = {
    ("/api/v1/courses/", "get", "200"): {
        "ReadCourse": (COURSE, "get", _FIRST_COURSE),
        "EnrolInCourse": ("/api/v1/courses/{id}/enrol/", "post", _FIRST_COURSE),
    },
    (COURSE, "get", "200"): {
        "StartFirstQuiz": (START, "post", {"id": "$response.body#/quizzes/0/id"}),
        "CompleteFirstLesson": ("/api/v1/lessons/{id}/complete/", "post", {"id": "$response.body#/lessons/0/id"}),
    },
    (START, "post", "201"): _ATTEMPT_LINKS,
    (START, "post", "200"): _ATTEMPT_LINKS,
    (ATTEMPT, "get", "200"): {
        "AnswerFirstQuestion": (
            ANSWER,
            "put",
            {"id": "$request.path.id", "question_id": "$response.body#/questions/0/id"},
        ),
        "SubmitAttempt": (SUBMIT, "post", {"id": "$request.path.id"}),
    },
    (ANSWER, "put", "200"): {"SubmitAttempt": (SUBMIT, "post", {"id": "$request.path.id"})},
    ("/api/v1/me/attempts/", "get", "200"): {"ReadLatestAttempt": (ATTEMPT, "get", {"id": "$response.body#/0/id"})},
}


def _add_links(paths: dict) -> None:
    for (path, method, code), links in LINKS.items():
        response = paths.get(path, {}).get(method, {}).get("responses", {}).get(code)
        if response is None:
            continue
        for name, (target, target_method, parameters) in links.items():
            operation = paths.get(target, {}).get(target_method)
            if operation is not None:
                link = {"operationId": operation["operationId"], "parameters": parameters}
                response.setdefault("links", {})[name] = link


def _with_format(schema: dict, name: str) -> None:
    if schema.get("type") == "string" and "pattern" not in schema and "enum" not in schema:
        schema.update({k: v for k, v in FORMATS[name].items() if k not in schema or k == "description"})


def document_formats(result, generator, request, public):
    """Postprocessing hook: the formats above on the parameters and request fields they name, and the links."""
    for path, operations in result.get("paths", {}).items():
        segments = path.strip("/").split("/")
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                name, where = parameter["name"], parameter["in"]
                if where == "query" and name in FORMATS:
                    _with_format(parameter["schema"], name)
                elif where == "path" and f"{{{name}}}" in segments:
                    before = segments[segments.index(f"{{{name}}}") - 1]
                    if name == "code" and before in PATH_CODES:
                        _with_format(parameter["schema"], PATH_CODES[before])
    for component, schema in result.get("components", {}).get("schemas", {}).items():
        if component.endswith("Request"):
            for name, field in schema.get("properties", {}).items():
                if name in FORMATS:
                    _with_format(field, name)
    _add_links(result.get("paths", {}))
    return result


class ApiAutoSchema(AutoSchema):
    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        # A list that may not be empty says so (drf-spectacular leaves ``allow_empty=False`` out).
        many = isinstance(field, serializers.ListField | serializers.ManyRelatedField | serializers.ListSerializer)
        if many and not getattr(field, "allow_empty", True) and schema.get("type") == "array":
            schema.setdefault("minItems", 1)
        return schema

    def _error_statuses(self) -> dict[int, str]:
        view = self.view
        statuses = {400: DESCRIPTIONS[400]}
        authenticators = list(getattr(view, "authentication_classes", []))
        if authenticators:
            statuses[401] = DESCRIPTIONS[401]
        permissions = list(getattr(view, "permission_classes", []))
        csrf = self.method not in SAFE_METHODS and any(issubclass(a, SessionAuthentication) for a in authenticators)
        if csrf or any(not issubclass(p, AllowAny) for p in permissions):
            statuses[403] = DESCRIPTIONS[403]
        if "{" in self.path:
            statuses[404] = DESCRIPTIONS[404]
        if getattr(view, "throttle_classes", None):
            statuses[429] = DESCRIPTIONS[429]
        for code, description in getattr(view, "error_responses", {}).items():
            statuses[int(code)] = str(description)
        return statuses

    def _error_schema_ref(self) -> dict:
        component = ResolvedComponent(name="Error", type=ResolvedComponent.SCHEMA, object="Error", schema=ERROR_SCHEMA)
        self.registry.register_on_missing(component)
        return component.ref

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code, description in self._error_statuses().items():
            responses.setdefault(str(code), {"description": description})
        for code, response in responses.items():
            # Every error has the one shape the exception handler gives (a view may describe it better).
            if code.startswith("4"):
                response["content"] = {"application/json": {"schema": self._error_schema_ref()}}
                if code == "429":
                    response.setdefault("headers", {}).update(RETRY_AFTER)
        return dict(sorted(responses.items()))
