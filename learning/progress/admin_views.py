"""Quiz statistics in the Wagtail admin, under the question bank: attempts per quiz and its hardest questions.

They read learner answers, so they live with the answers, not with the content (``courses``).
"""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from courses.admin_views import allowed_if, can_view_bank, snippet_url
from courses.models import Question, QuizPage

from .quiz_stats import quiz_hardest_questions, quizzes_with_attempt_counts


@require_GET
@allowed_if(can_view_bank)
def quiz_list(request):
    page = Paginator(quizzes_with_attempt_counts(), 50).get_page(request.GET.get("p"))
    return TemplateResponse(request, "progress/admin/quiz_list.html", {"page": page, "quizzes": page.object_list})


@require_GET
@allowed_if(can_view_bank)
def quiz_hardest(request, quiz_id: int):
    quiz = get_object_or_404(QuizPage, pk=quiz_id)
    rows = [
        {
            "result": result,
            "edit_url": snippet_url(Question, "edit", result.question.pk) if result.question else None,
        }
        for result in quiz_hardest_questions(quiz)
    ]
    return TemplateResponse(request, "progress/admin/quiz_hardest.html", {"quiz": quiz, "rows": rows})
