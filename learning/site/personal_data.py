"""Everything the site holds about one person, to give them (Personal Data Protection Law 2025, Decree 13/2023):
their account, consents to the privacy policy, organisation and position (from a roster), roles, enrolments,
lesson completions, quiz attempts and answers, mandatory modules, certificates and messages — as one JSON file
and one CSV per table, in a zip.

Secrets are left out (the password hash, activation codes, API tokens); quiz attempts are given without the
drawn questions' answer key (``snapshot``), with the person's own answers."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone

from learning.imports.export import write_csv

_SECRET = ("password", "hash", "secret", "token", "snapshot", "key")


def _value(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, UUID | Decimal):
        return str(value)
    return value


def _fields(model) -> list[models.Field]:
    return [
        field
        for field in model._meta.concrete_fields
        if not any(word in field.name for word in _SECRET) or field.name in ("client_id",)
    ]


def _querysets(user) -> dict[str, models.QuerySet]:
    from learning.campaigns.roster_models import OrganisationMembership
    from learning.progress.models import AttemptAnswer

    return {
        "account": get_user_model().objects.filter(pk=user.pk),
        "consents": user.consents.order_by("pk"),
        "organisation": OrganisationMembership.objects.filter(user=user),
        "roles": user.role_grants.order_by("pk"),
        "enrolments": user.enrolments.order_by("pk"),
        "lesson_completions": user.lesson_completions.order_by("pk"),
        "quiz_attempts": user.quiz_attempts.order_by("pk"),
        "quiz_answers": AttemptAnswer.objects.filter(attempt__user=user).order_by("pk"),
        "mandatory_modules": user.assignments.order_by("pk"),
        "certificates": user.certificates.order_by("pk"),
        "messages": user.deliveries.order_by("pk"),
    }


def personal_data_counts(user) -> dict[str, int]:
    """How many rows of each kind the site holds about ``user``."""
    return {name: queryset.count() for name, queryset in _querysets(user).items()}


def _cell(value):
    return json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else value


def personal_data_zip(user) -> bytes:
    """A zip: ``du-lieu-cua-toi.json`` (every table) and ``<table>.csv`` for each (formula-safe, for Excel)."""
    tables = {}
    for name, queryset in _querysets(user).items():
        header = [field.attname for field in _fields(queryset.model)]
        rows = [{key: _value(getattr(obj, key)) for key in header} for obj in queryset]
        if name == "account":
            header.append("target_groups")
            rows[0]["target_groups"] = ", ".join(sorted(user.target_groups.values_list("code", flat=True)))
        tables[name] = (header, rows)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        document = {"generated_at": _value(timezone.now())} | {name: rows for name, (_h, rows) in tables.items()}
        archive.writestr("du-lieu-cua-toi.json", json.dumps(document, ensure_ascii=False, indent=2, default=str))
        for name, (header, rows) in tables.items():
            archive.writestr(f"{name}.csv", write_csv(header, ([_cell(row[key]) for key in header] for row in rows)))
    return out.getvalue()
