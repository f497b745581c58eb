"""How learner progress plugs into Wagtail: lesson locking when a page is served, and the quiz statistics
(answer counts on the question list, the quiz statistics pages under the question bank menu)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from courses.admin_views import can_view_bank
from courses.wagtail_hooks import MENU_HOOK, QUESTION_STATS_HOOK, PermissionMenuItem

from . import admin_views
from .quiz_stats import question_answer_stats
from .serving import locked_lesson_response


@hooks.register("before_serve_page")
def lock_lessons(page, request, serve_args, serve_kwargs):
    return locked_lesson_response(page, request)


hooks.register(QUESTION_STATS_HOOK, question_answer_stats)


@hooks.register("register_admin_urls")
def register_quiz_statistics_urls():
    return [
        path("question-bank/quizzes/", admin_views.quiz_list, name="progress_quiz_stats"),
        path("question-bank/quizzes/<int:quiz_id>/hardest/", admin_views.quiz_hardest, name="progress_quiz_hardest"),
    ]


@hooks.register(MENU_HOOK)
def register_quiz_statistics_menu_item():
    return PermissionMenuItem(
        _("Quiz statistics"),
        reverse("progress_quiz_stats"),
        name="quiz-statistics",
        icon_name="table",
        order=910,
        allowed=can_view_bank,
    )
