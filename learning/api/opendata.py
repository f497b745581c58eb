"""The open dataset for other systems (the provincial data warehouse): daily counts per commune as JSON or CSV,
read with an API key issued by an administrator, throttled per key, and its Frictionless Data package.

``GET /api/v1/open/daily-counts/?province=22&from=2026-01-01&to=2026-01-31`` with
``Authorization: Api-Key <key>`` (or ``X-Api-Key: <key>``); ``?format=csv`` or ``Accept: text/csv`` for CSV.
Rows come day by day, commune code by commune code; ``next`` (JSON) or the ``Link: <…>; rel="next"`` header
(CSV) reads the following page. What the rows hold, and which values are suppressed, is in
``learning/stats/opendata.py``.
"""

import csv
import datetime as dt
import io
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed, NotAcceptable, NotAuthenticated, ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from learning.core.replicas import ReplicaReadsMixin
from learning.localities.models import Province
from learning.opendata.selectors import KeyState, key_check
from learning.opendata.services import key_used
from learning.stats import opendata

DEFAULT_LIMIT = 1000
MAX_LIMIT = 10000
KEYWORD = "Api-Key"


# --- the key ------------------------------------------------------------------------------------------


def key_from_request(request) -> str:
    """The key in ``Authorization: Api-Key <key>``, else in ``X-Api-Key``; empty when there is none."""
    scheme, _space, value = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() == KEYWORD.lower() and value.strip():
        return value.strip()
    return request.META.get("HTTP_X_API_KEY", "").strip()


class OpenDataKeyAuthentication(BaseAuthentication):
    """An open-data key, required: nothing is answered without one (401 with the reason, in Vietnamese by
    default). ``request.auth`` is the key; there is no user."""

    def authenticate(self, request):
        secret = key_from_request(request)
        if not secret:
            raise NotAuthenticated(
                _("An API key is required: send the header “Authorization: Api-Key <key>” (or “X-Api-Key: <key>”).")
            )
        state, key = key_check(secret)
        if state is KeyState.REVOKED:
            raise AuthenticationFailed(_("This API key has been revoked. Ask the site's administrator for a new one."))
        if state is KeyState.EXPIRED:
            raise AuthenticationFailed(_("This API key has expired. Ask the site's administrator for a new one."))
        if state is not KeyState.VALID:
            raise AuthenticationFailed(_("This API key is not valid. Check that it was copied whole."))
        key_used(key)
        return AnonymousUser(), key

    def authenticate_header(self, request):
        return KEYWORD


class OpenDataKeyScheme(OpenApiAuthenticationExtension):
    target_class = OpenDataKeyAuthentication
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Api-Key <key>`: a key issued by the site's administrator (or the header `X-Api-Key`).",
        }


class OpenDataKeyThrottle(SimpleRateThrottle):
    """Requests per key, at the key's own rate or OPEN_DATA_THROTTLE, counted in the shared cache."""

    scope = "open_data"

    def __init__(self):  # the rate is the key's, known only with the request
        pass

    def allow_request(self, request, view):
        self.rate = request.auth.throttle_rate or settings.OPEN_DATA_THROTTLE
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": request.auth.prefix}


# --- formats ------------------------------------------------------------------------------------------


class CsvRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(opendata.FIELD_NAMES)
        for row in data:
            writer.writerow(_csv_value(row[name]) for name in opendata.FIELD_NAMES)
        return out.getvalue().encode()


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


class FormatNegotiation(DefaultContentNegotiation):
    """``?format=`` must be json or csv (400 otherwise, not DRF's 404); an Accept header that names neither
    gets JSON."""

    def select_renderer(self, request, renderers, format_suffix=None):
        wanted = format_suffix or request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        formats = [renderer.format for renderer in renderers]
        if wanted is not None and wanted not in formats:
            raise ValidationError(
                {"format": [_("Ask for one of these formats: %(formats)s.") % {"formats": ", ".join(formats)}]}
            )
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except NotAcceptable:
            return renderers[0], renderers[0].media_type


# --- the dataset ----------------------------------------------------------------------------------------


class DailyCountsQuery(serializers.Serializer):
    """The query parameters, each with a message that names it."""

    def get_fields(self):
        date_errors = {"invalid": gettext_lazy("Write a date as YYYY-MM-DD, e.g. 2026-01-31.")}
        return {
            "province": serializers.RegexField(
                opendata.PROVINCE_CODE.pattern,
                help_text="Official code of the province (two digits), e.g. 22 for Quảng Ninh.",
                error_messages={
                    "required": gettext_lazy("Give the province's code, e.g. province=22."),
                    "invalid": gettext_lazy("A province code is two digits, e.g. 22."),
                },
            ),
            "from": serializers.DateField(
                help_text="First day (YYYY-MM-DD).",
                error_messages={"required": gettext_lazy("Give the first day, e.g. from=2026-01-01."), **date_errors},
            ),
            "to": serializers.DateField(
                help_text=(
                    f"Last day (YYYY-MM-DD); days after today have no rows. "
                    f"At most {settings.OPEN_DATA_MAX_DAYS} days from `from`."
                ),
                error_messages={"required": gettext_lazy("Give the last day, e.g. to=2026-01-31."), **date_errors},
            ),
            "cursor": serializers.CharField(
                required=False,
                max_length=200,
                help_text="Where to go on: the `next_cursor` of the previous page (or take its `next` link).",
            ),
            "limit": serializers.IntegerField(
                required=False,
                min_value=1,
                max_value=MAX_LIMIT,
                default=DEFAULT_LIMIT,
                help_text=f"Rows per page, {DEFAULT_LIMIT} by default, at most {MAX_LIMIT}.",
            ),
        }

    def validate_province(self, code):
        province = Province.objects.filter(pk=code).first()
        if province is None:
            raise serializers.ValidationError(_("There is no province with the code %(code)s.") % {"code": code})
        return province

    def validate_cursor(self, cursor):
        try:
            return opendata.cursor_decode(cursor)
        except opendata.CursorError:
            raise serializers.ValidationError(
                _("This is not a cursor of this dataset: take it as it came in next_cursor, or leave it out.")
            ) from None

    def validate(self, attrs):
        first, last = attrs["from"], attrs["to"]
        if first > last:
            raise serializers.ValidationError(
                {
                    "from": [
                        _("The first day (%(first)s) is after the last day (%(last)s).")
                        % {"first": first, "last": last}
                    ]
                }
            )
        if (last - first).days + 1 > settings.OPEN_DATA_MAX_DAYS:
            raise serializers.ValidationError(
                {
                    "to": [
                        _("A request covers at most %(days)d days: ask for the rest in another one.")
                        % {"days": settings.OPEN_DATA_MAX_DAYS}
                    ]
                }
            )
        return attrs


def _column(field: opendata.Field) -> serializers.Field:
    text = {"help_text": field.description}
    if field.type == "date":
        return serializers.DateField(**text)
    if field.type == "integer":
        return serializers.IntegerField(allow_null=True, min_value=0, **text)
    if field.type == "boolean":
        return serializers.BooleanField(**text)
    return serializers.CharField(**text)


DailyCountsPage = inline_serializer(
    "OpenDailyCountsPage",
    {
        "next": serializers.URLField(allow_null=True, help_text="The next page, or null on the last one."),
        "next_cursor": serializers.CharField(allow_null=True, help_text="The cursor of the next page, or null."),
        "min_count": serializers.IntegerField(help_text="Values from 1 to min_count - 1 are suppressed."),
        "results": inline_serializer(
            "OpenDailyCount", {field.name: _column(field) for field in opendata.FIELDS}, many=True
        ),
    },
)


class DailyCountsView(ReplicaReadsMixin, APIView):
    authentication_classes = [OpenDataKeyAuthentication]
    permission_classes = []  # the authentication requires the key itself
    throttle_classes = [OpenDataKeyThrottle]
    renderer_classes = [JSONRenderer, CsvRenderer]
    content_negotiation_class = FormatNegotiation
    error_responses = {401: "No API key, or the key is not valid, revoked or expired (the body says which)."}

    @extend_schema(
        tags=["open-data"],
        operation_id="open_daily_counts",
        summary="Daily counts per commune (open data, API key)",
        description=(
            "One row per commune of the province and per day, in the order of day then commune code; "
            "a count from 1 to `min_count` - 1 is null with its `<metric>_suppressed` flag true (and so is "
            "one more commune's when only one would be), so nobody can be identified. No personal data. "
            "CSV with `?format=csv` or `Accept: text/csv`: the same columns, the next page in the `Link` header. "
            "The columns are described in /api/v1/open/daily-counts/datapackage.json."
        ),
        parameters=[
            DailyCountsQuery,
            OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "csv"], description="json (default) or csv"),
            # The serializer's province, from and to again, with an example each (a first request that works).
            *(
                OpenApiParameter(
                    name,
                    kind,
                    required=True,
                    description=str(DailyCountsQuery().fields[name].help_text),
                    examples=[OpenApiExample(name, value=example)],
                )
                for name, kind, example in (
                    ("province", OpenApiTypes.STR, "22"),
                    ("from", OpenApiTypes.DATE, "2026-03-01"),
                    ("to", OpenApiTypes.DATE, "2026-03-31"),
                )
            ),
        ],
        responses={
            (200, "application/json"): DailyCountsPage,
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="The rows as CSV (UTF-8, header row)."),
        },
    )
    def get(self, request):
        query = DailyCountsQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        min_count = settings.OPEN_DATA_MIN_COUNT
        page = opendata.daily_counts_page(
            params["province"],
            params["from"],
            params["to"],
            after=params.get("cursor"),
            limit=params["limit"],
            min_count=min_count,
        )
        url = request.build_absolute_uri()
        next_url = replace_query_param(url, "cursor", page.next_cursor) if page.next_cursor else None
        headers = {"X-Next-Cursor": page.next_cursor} if page.next_cursor else {}
        if next_url:
            headers["Link"] = f'<{next_url}>; rel="next"'
        if request.accepted_renderer.format == "csv":
            return Response(page.rows, headers=headers)
        body = {"next": next_url, "next_cursor": page.next_cursor, "min_count": min_count, "results": page.rows}
        return Response(body, headers=headers)

    def finalize_response(self, request, response, *args, **kwargs):
        # Only rows are CSV: errors (the one shape of the API's errors) and OPTIONS are JSON whatever was asked.
        if response.status_code >= 400 or not isinstance(getattr(response, "data", None), list):
            request.accepted_renderer, request.accepted_media_type = JSONRenderer(), JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)


# --- the data package -------------------------------------------------------------------------------------


def _both(text) -> tuple[str, str]:
    with translation.override("vi"):
        vietnamese = str(text)
    with translation.override("en"):
        english = str(text)
    return vietnamese, english


def data_package(csv_url: str) -> dict:
    """The Frictionless Data package (Data Package v1 with a Table Schema) of the dataset."""
    fields = []
    for field in opendata.FIELDS:
        title_vi, title_en = _both(field.title)
        description_vi, description_en = _both(field.description)
        item = {
            "name": field.name,
            "type": field.type,
            "title": title_vi,
            "description": description_vi,
            "title_en": title_en,
            "description_en": description_en,
        }
        if field.type == "date":
            item["format"] = "default"
        if field.pattern:
            item["constraints"] = {"required": True, "pattern": field.pattern.strip("^$")}
        elif field.type == "integer":
            item["constraints"] = {"minimum": 0}
        elif field.type == "boolean":
            item.update({"trueValues": ["true"], "falseValues": ["false"], "constraints": {"required": True}})
        elif field.type in ("date", "string"):
            item["constraints"] = {"required": True}
        fields.append(item)
    min_count = settings.OPEN_DATA_MIN_COUNT
    rule_vi, rule_en = _both(SUPPRESSION_RULE)
    title_vi, title_en = _both(TITLE)
    description_vi, description_en = _both(DESCRIPTION)
    return {
        "profile": "tabular-data-package",
        "name": "bdhvs-daily-counts",
        "title": title_vi,
        "title_en": title_en,
        "description": description_vi,
        "description_en": description_en,
        "resources": [
            {
                "profile": "tabular-data-resource",
                "name": "daily-counts",
                "path": csv_url,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "header": True},
                "schema": {
                    "fields": fields,
                    "primaryKey": list(opendata.PRIMARY_KEY),
                    "missingValues": [""],
                },
                "suppression": {
                    "min_count": min_count,
                    "rule": rule_vi % {"min_count": min_count, "below": max(min_count - 1, 0)},
                    "rule_en": rule_en % {"min_count": min_count, "below": max(min_count - 1, 0)},
                },
            }
        ],
    }


TITLE = gettext_lazy("Daily learning counts per commune")
DESCRIPTION = gettext_lazy(
    "How many people registered, took part, were active and completed courses and lessons of the "
    "digital-skills campaign, per commune and per day, with the official administrative codes. "
    "No personal data. Read it with an API key issued by the site's administrator."
)
SUPPRESSION_RULE = gettext_lazy(
    "A value from 1 to %(below)d is left empty and its <metric>_suppressed column is true. If on a day only "
    "one commune of a province would have a metric left empty, the commune with the smallest value shown "
    "otherwise is left empty too, so that a province total cannot give the hidden value back. Zeros are "
    "shown. The dataset has no totals."
)


class DataPackageView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = FormatNegotiation

    @extend_schema(
        tags=["open-data"],
        operation_id="open_daily_counts_datapackage",
        summary="The open dataset's Frictionless Data package (no key needed)",
        description=(
            "A Data Package with the Table Schema of /api/v1/open/daily-counts/: every column's name, type, "
            "title and description in Vietnamese (`title`, `description`) and English (`title_en`, "
            "`description_en`), the primary key and the suppression rule."
        ),
        parameters=[
            OpenApiParameter(name, OpenApiTypes.STR, description=f"Optional: the `{name}` of the resource's CSV path")
            for name in ("province", "from", "to")
        ],
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="datapackage.json")},
    )
    def get(self, request):
        # The CSV of the province and period asked for, when they are given: ?province=22&from=…&to=…
        query = {
            name: request.query_params[name] for name in ("province", "from", "to") if name in request.query_params
        }
        csv_url = (
            request.build_absolute_uri(reverse("api:open_daily_counts")) + "?" + urlencode({**query, "format": "csv"})
        )
        return Response(data_package(csv_url))
