"""Question-bank tools in the Wagtail admin: import (upload → preview → confirm) and GIFT export.

Registered under /admin/question-bank/ by ``courses.wagtail_hooks``. The import record
(``QuestionImport``) keeps the uploaded bytes, so confirming re-parses exactly what was previewed.
"""

from functools import wraps

from django.contrib.admin.utils import quote
from django.db import DatabaseError, transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from wagtail.admin import messages

from courses.forms import QuestionImportForm, format_error_message, parse_upload, translated
from courses.models import Question, QuestionCategory, QuestionImport, QuestionType
from courses.question_bank import category_ensure, category_export_gift, questions_import, questions_preview
from courses.quizformats import QuizFormatError
from learning.core.text import fold

ADD_QUESTION = "courses.add_question"
ANY_QUESTION_PERMISSION = ("courses.add_question", "courses.change_question", "courses.view_question")


def can_import(user) -> bool:
    return user.has_perm(ADD_QUESTION)


def can_view_bank(user) -> bool:
    return any(user.has_perm(perm) for perm in ANY_QUESTION_PERMISSION)


def allowed_if(check):
    """Answer 403 (an admin page saying so) to users for whom ``check(user)`` is false.

    Raising PermissionDenied would make Wagtail redirect to the dashboard instead.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not check(request.user):
                message = _(
                    "You do not have permission to use the question bank tools. "
                    "Ask an administrator for access to the questions."
                )
                return TemplateResponse(request, "admin_forbidden.html", {"message": message}, status=403)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def snippet_url(model, view: str, *args) -> str | None:
    viewset = getattr(model, "snippet_viewset", None)
    if viewset is None:
        return None
    try:
        return reverse(viewset.get_url_name(view), args=[quote(a) for a in args])
    except NoReverseMatch:
        return None


def export_filename(category: QuestionCategory) -> str:
    """``Kỹ năng số/Lừa đảo trực tuyến`` → ``ky-nang-so_lua-dao-truc-tuyen.gift`` (ASCII only)."""
    parts = [slugify(fold(part)) for part in category.path.split("/")]
    stem = "_".join(part for part in parts if part)[:150] or f"category-{category.pk}"
    return f"{stem}.gift"


# --- writes of the import record --------------------------------------------------------------


@transaction.atomic
def question_import_start(*, form: QuestionImportForm, user) -> QuestionImport:
    """Store a parsed upload for preview. The target category must exist (the record points to it)."""
    category = category_ensure(form.cleaned_data["category"])
    return QuestionImport.objects.create(
        category=category,
        filename=form.cleaned_data["file"].name[:255],
        format=form.fmt,
        content=form.content,
        status=QuestionImport.Status.PREVIEW,
        created_by=user if user.is_authenticated else None,
        report=questions_preview(form.result).as_dict(),
    )


def _error_report(error: QuizFormatError) -> dict:
    return {"line": error.line, "template": error.template, "params": error.params, "reason": error.reason}


@transaction.atomic
def question_import_confirm(*, import_id: int) -> tuple[QuestionImport, bool]:
    """Import a previewed file (all or nothing). Returns the record and whether this call imported it.

    Confirming an import that is no longer waiting (already imported or refused) changes nothing.
    """
    record = QuestionImport.objects.select_for_update().select_related("category").get(pk=import_id)
    if record.status != QuestionImport.Status.PREVIEW:
        return record, False
    try:
        result = parse_upload(bytes(record.content), record.format)
        report = questions_import(result, category_path=record.category.path).as_dict()
    except QuizFormatError as error:
        record.status = QuestionImport.Status.FAILED
        record.report = {**record.report, "error": _error_report(error)}
    except (DatabaseError, ValueError) as error:  # e.g. a name longer than the database allows
        record.status = QuestionImport.Status.FAILED
        record.report = {
            **record.report,
            "error": {"line": None, "template": "{detail}", "params": {"detail": str(error)}},
        }
    else:
        record.status = QuestionImport.Status.IMPORTED
        record.report = report
    record.save(update_fields=["status", "report"])
    return record, True


# --- views -------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@allowed_if(can_import)
def question_import(request):
    if request.method == "POST":
        form = QuestionImportForm(request.POST, request.FILES)
        if form.is_valid():
            record = question_import_start(form=form, user=request.user)
            return redirect("courses_question_import_preview", import_id=record.pk)
        messages.error(request, _("The file was not imported. Please see the errors below."))
    else:
        form = QuestionImportForm(initial={"category": request.GET.get("category", "")})
    recent = QuestionImport.objects.select_related("category", "created_by").defer("content")[:10]
    return TemplateResponse(request, "courses/admin/question_import.html", {"form": form, "recent": recent})


def _type_label(value: str) -> str:
    try:
        return QuestionType(value).label
    except ValueError:
        return value


def _preview_context(record: QuestionImport) -> dict:
    report = record.report or {}
    root = record.category.path
    questions = [
        {
            "name": q.get("name", ""),
            "type": _type_label(q.get("type", "")),
            "line": q.get("line"),
            "category": f"{root}/{q['category']}" if q.get("category") else root,
        }
        for q in report.get("questions", [])
    ]
    skipped = [
        {
            "name": s.get("name", ""),
            "position": s.get("position"),
            "line": s.get("line"),
            "type": s.get("type", ""),
            "reason": translated(s.get("reason", "")),
        }
        for s in report.get("skipped", [])
    ]
    error = report.get("error")
    error_message = None
    if error:
        error_message = format_error_message(
            QuizFormatError(error.get("line"), error.get("template", "{detail}"), **error.get("params", {})),
            record.filename,
        )
    return {
        "record": record,
        "questions": questions,
        "skipped": skipped,
        "new_categories": [f"{root}/{path}" for path in report.get("categories", [])],
        "created": report.get("created", 0),
        "unchanged": report.get("unchanged", 0),
        "error_message": error_message,
        "questions_url": snippet_url(Question, "list"),
    }


@require_http_methods(["GET", "POST"])
@allowed_if(can_import)
def question_import_preview(request, import_id: int):
    record = get_object_or_404(
        QuestionImport.objects.select_related("category", "created_by").defer("content"), pk=import_id
    )
    if request.method == "POST":
        record, done = question_import_confirm(import_id=record.pk)
        if not done:
            messages.warning(request, _("This file was already handled; nothing was changed."))
        elif record.status == QuestionImport.Status.IMPORTED:
            messages.success(
                request,
                _("Import finished: %(created)d questions created, %(unchanged)d unchanged.")
                % {"created": record.report.get("created", 0), "unchanged": record.report.get("unchanged", 0)},
            )
        else:
            messages.error(request, _("The import was refused; nothing was stored."))
        return redirect("courses_question_import_preview", import_id=record.pk)
    context = _preview_context(record)
    if record.status == QuestionImport.Status.IMPORTED and context["questions_url"]:
        context["questions_url"] += f"?category={record.category_id}"
    return TemplateResponse(request, "courses/admin/question_import_preview.html", context)


@require_GET
@allowed_if(can_view_bank)
def category_export(request, category_id: int):
    category = get_object_or_404(QuestionCategory, pk=category_id)
    response = HttpResponse(category_export_gift(category), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, export_filename(category))
    return response
