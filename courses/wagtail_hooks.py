"""The question bank in the Wagtail admin: categories and questions as snippets, in one "Question bank"
menu with the import, and the quiz statistics."""

from django.db import models
from django.db.models import Count
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms.models import register_form_field_override
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.menus import MenuItem as ListingMenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets.button import HeaderButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSetGroup

from courses import admin_views
from courses.admin_ui import SlugInput, SnippetViewSet
from courses.forms import QuestionCategoryForm, QuestionForm
from courses.models import Question, QuestionCategory

MENU_HOOK = "register_question_bank_menu_item"
# Learner answers are not content: an app that records them registers a function under this hook name,
# taking question ids and returning ``{id: stats}`` where ``stats`` has ``answered`` and ``percent_correct``.
QUESTION_STATS_HOOK = "question_bank_answer_stats"


# --- categories ---------------------------------------------------------------------------------


class ExportLinkColumn(Column):
    cell_template_name = "courses/admin/export_link_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["url"] = reverse("courses_category_export", args=[instance.pk])
        context["filename"] = admin_views.export_filename(instance)
        return context


class QuestionCategoryIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().annotate(question_count=Count("questions")).order_by("path")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        buttons.append(
            ListingMenuItem(
                _("Export as GIFT"),
                url=reverse("courses_category_export", args=[instance.pk]),
                icon_name="download",
                priority=40,
            )
        )
        if admin_views.can_import(self.request.user):
            buttons.append(
                ListingMenuItem(
                    _("Import questions here"),
                    url=reverse("courses_question_import") + "?" + urlencode({"category": instance.path}),
                    icon_name="upload",
                    priority=41,
                )
            )
        return buttons


class QuestionCategoryViewSet(SnippetViewSet):
    model = QuestionCategory
    icon = "folder-open-inverse"
    menu_label = _("Categories")
    menu_name = "question-categories"
    index_view_class = QuestionCategoryIndexView
    list_display = [
        "path",
        Column("question_count", label=_("Questions"), sort_key="question_count"),
        ExportLinkColumn("export", label=_("Export")),
    ]
    search_fields = ["path", "description"]
    edit_handler = ObjectList(QuestionCategory.panels, base_form_class=QuestionCategoryForm)


# --- questions ----------------------------------------------------------------------------------


class QuestionIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("category", "competence")

    def paginate_queryset(self, queryset, page_size):
        """Attach the answer statistics of the questions on this page (one aggregate query)."""
        paginator, page, object_list, is_paginated = super().paginate_queryset(queryset, page_size)
        questions = list(object_list)
        stats = {}
        for provider in hooks.get_hooks(QUESTION_STATS_HOOK):
            stats.update(provider([q.pk for q in questions]))
        for question in questions:
            question.answer_stats = stats.get(question.pk)
        page.object_list = questions
        return paginator, page, questions, is_paginated

    def get_header_buttons(self):
        buttons = super().get_header_buttons()
        if admin_views.can_import(self.request.user):
            buttons.insert(
                0,
                HeaderButton(_("Import GIFT / Moodle XML"), url=reverse("courses_question_import"), icon_name="upload"),
            )
        return buttons


def _answered(question) -> int:
    stats = getattr(question, "answer_stats", None)
    return stats.answered if stats else 0


def _share_correct(question) -> str:
    stats = getattr(question, "answer_stats", None)
    if not stats or not stats.answered:
        return "—"
    return f"{stats.percent_correct}%"


class QuestionViewSet(SnippetViewSet):
    model = Question
    icon = "help"
    menu_label = _("Questions")
    menu_name = "questions"
    index_view_class = QuestionIndexView
    list_display = [
        "name",
        "type",
        "category",
        "difficulty",
        "competence",
        Column("answered", label=_("Answered"), accessor=_answered),
        Column("share_correct", label=_("Fully correct"), accessor=_share_correct),
    ]
    list_filter = ["category", "type", "difficulty"]
    search_fields = ["name", "text"]
    edit_handler = ObjectList(Question.panels, base_form_class=QuestionForm)


class QuestionBankGroup(SnippetViewSetGroup):
    items = (QuestionViewSet, QuestionCategoryViewSet)
    menu_label = _("Question bank")
    menu_name = "question-bank"
    menu_icon = "help"
    menu_order = 250
    submenu_hook = MENU_HOOK


register_snippet(QuestionBankGroup)

# Every slug field of the admin (page addresses first) transliterates Vietnamese as the editor types.
register_form_field_override(models.SlugField, override={"widget": SlugInput})


# --- import and export -------------------------------------------------------------


@hooks.register("register_admin_urls")
def register_question_bank_urls():
    return [
        path("question-bank/import/", admin_views.question_import, name="courses_question_import"),
        path(
            "question-bank/import/<int:import_id>/",
            admin_views.question_import_preview,
            name="courses_question_import_preview",
        ),
        path(
            "question-bank/categories/<int:category_id>/export.gift",
            admin_views.category_export,
            name="courses_category_export",
        ),
    ]


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, allowed, **kwargs):
        super().__init__(*args, **kwargs)
        self.allowed = allowed

    def is_shown(self, request):
        return self.allowed(request.user)


@hooks.register(MENU_HOOK)
def register_import_menu_item():
    return PermissionMenuItem(
        _("Import questions"),
        reverse("courses_question_import"),
        name="question-import",
        icon_name="upload",
        order=900,
        allowed=admin_views.can_import,
    )
