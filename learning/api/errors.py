"""JSON errors for the API: Django's ValidationError becomes a 400 naming the field; messages in the
visitor's language (Vietnamese by default); no error under ``/api/`` is an HTML page (``JsonApiErrorsMiddleware``).

DRF's own messages are translated by the project's catalogue (``locale/``, which comes before DRF's own,
incomplete for Vietnamese): ``DRF_MESSAGES`` names the ones people meet, so ``makemessages`` keeps them."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import JsonResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

# DRF's msgids, word for word, so that the project's catalogue translates them.
DRF_MESSAGES = [
    _("A valid integer is required."),
    _("A valid number is required."),
    _("Must be a valid boolean."),
    _("Not a valid string."),
    _("This field is required."),
    _("This field may not be null."),
    _("This field may not be blank."),
    _("Ensure this value is less than or equal to {max_value}."),
    _("Ensure this value is greater than or equal to {min_value}."),
    _("Ensure this field has no more than {max_length} characters."),
    _("Date has wrong format. Use one of these formats instead: {format}."),
    _("Must be a valid UUID."),
    _('"{input}" is not a valid choice.'),
    _("Invalid data. Expected a dictionary, but got {datatype}."),
    _('Expected a list of items but got type "{input_type}".'),
    _("Request was throttled."),
    _("Authentication credentials were not provided."),
    _("Incorrect authentication credentials."),
    _("You do not have permission to perform this action."),
    _("Not found."),
    _('Method "{method}" not allowed.'),
    _('Unsupported media type "{media_type}" in request.'),
    _("Malformed request."),
    _("Invalid page."),
    _("Invalid token."),
    _("Invalid token header. No credentials provided."),
    _("User inactive or deleted."),
]


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        exc = exceptions.ValidationError(detail)
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        # DRF formats the wait into its msgid before translating it, so no catalogue can: say it ourselves.
        wait = exc.wait
        exc = exceptions.Throttled(
            detail=ngettext(
                "Too many requests. Try again in %(wait)d second.",
                "Too many requests. Try again in %(wait)d seconds.",
                wait,
            )
            % {"wait": wait},
        )
        exc.wait = wait
    return drf_exception_handler(exc, context)


# Messages of the error pages Django itself draws (a route that does not exist, a failure outside a view).
_STATUS_MESSAGES = {
    400: _("Malformed request."),
    403: _("You do not have permission to perform this action."),
    404: _("Not found."),
    405: _("This method is not allowed here."),
    413: _("The request is too large."),
    500: _("A server error occurred. Please try again later."),
    502: _("A server error occurred. Please try again later."),
    503: _("The service is temporarily unavailable. Please try again later."),
}
_KEPT_HEADERS_EXCLUDED = {"content-type", "content-length", "content-language", "content-encoding"}


class JsonApiErrorsMiddleware:
    """Under ``/api/`` an error is JSON, never an HTML page: a response of 400 or more that is not JSON — the
    404 of an unknown path, the 500 of a failure outside DRF's handler — becomes ``{"detail": "…"}`` with the
    same status and headers (so security headers, ``Retry-After`` and ``Allow`` stay)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code >= 400
            and request.path.startswith("/api/")
            and "json" not in response.get("Content-Type", "")
            and not getattr(response, "streaming", False)
        ):
            message = _STATUS_MESSAGES.get(response.status_code) or response.reason_phrase
            replacement = JsonResponse({"detail": str(message)}, status=response.status_code)
            for header, value in response.items():
                if header.lower() not in _KEPT_HEADERS_EXCLUDED:
                    replacement[header] = value
            response = replacement
        return response
