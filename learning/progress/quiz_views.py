"""Taking a quiz with plain HTML forms (JavaScript only adds autosave, a countdown and offline saving)."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from courses import quiz_engine

from . import quiz_ids, quiz_selectors, quiz_services
from .errors import QuizError
from .models import QuizAttempt


def _own_attempt(request, attempt_id) -> QuizAttempt:
    try:
        return quiz_selectors.attempt_for_user(user=request.user, attempt_id=attempt_id)
    except QuizAttempt.DoesNotExist:
        raise Http404(_("You have no attempt with this id.")) from None


@login_required
@require_POST
def quiz_start(request, quiz_id: int):
    target = quiz_selectors.quiz_for_start(quiz_id=quiz_id)
    if target is None:
        raise Http404(_("No published quiz has this id."))
    quiz = target.quiz
    try:
        result = quiz_services.attempt_start(user=request.user, quiz=quiz, course=target.course)
    except QuizError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(quiz.url)
    return redirect("progress:attempt", attempt_id=result.attempt.pk)


def _form_response(item: dict, question_id: str, post) -> dict | None:
    """The response a plain HTML form gives for one question (None when left empty); its fields are
    named after the question's id in this attempt."""
    name = f"q-{question_id}"
    qtype = item["type"]
    if qtype == "single_choice":
        return {"choice": post[name]} if post.get(name) else None
    if qtype == "multiple_choice":
        chosen = post.getlist(name)
        return {"choices": chosen} if chosen else None
    if qtype == "true_false":
        return {"value": post[name] == "true"} if post.get(name) in ("true", "false") else None
    if qtype in ("short_answer", "numerical"):
        text = post.get(name, "").strip()
        if not text:
            return None
        return {"text": text} if qtype == "short_answer" else {"value": text}
    if qtype == "matching":
        pairs = {i["id"]: post[f"{name}-{i['id']}"] for i in item["items"] if post.get(f"{name}-{i['id']}")}
        return {"pairs": pairs} if pairs else None
    return None


def _save_form(request, attempt) -> list[str]:
    """Save every answered question of the form; returns the problems, by question number.

    Client ids derive from the form's id, so the same form sent twice saves each answer once."""
    form_id = request.POST.get("form_id", "")
    try:
        namespace = uuid.UUID(form_id)
    except ValueError:
        namespace = uuid.uuid4()
    problems = []
    ids = quiz_ids.public_ids(attempt)
    for number, item in enumerate(attempt.snapshot["questions"], start=1):
        response = _form_response(item, ids[item["key"]], request.POST)
        if response is None:
            continue
        try:
            quiz_services.answer_save(
                attempt=attempt,
                question_key=item["key"],
                response=response,
                client_id=uuid.uuid5(namespace, item["key"]),
            )
        except QuizError as exc:
            if exc.quiz_code in ("time_up", "submitted"):
                return [exc.messages[0]]
            problems.append(_("Question %(n)d: %(problem)s") % {"n": number, "problem": exc.messages[0]})
        except ValidationError as exc:
            problems.append(_("Question %(n)d: %(problem)s") % {"n": number, "problem": exc.messages[0]})
    return problems


def _with_saved(public: dict, number: int, saved: dict) -> dict:
    """Mark the learner's saved answer on the question for the form (checked / selected / value)."""
    public["number"] = number
    chosen = {saved.get("choice")} | set(saved.get("choices", []))
    for choice in public.get("choices", []):
        choice["checked"] = choice["id"] in chosen
    for item in public.get("items", []):
        item["selected"] = saved.get("pairs", {}).get(item["id"], "")
    public["value"] = saved.get("text", saved.get("value", ""))
    return public


@login_required
@require_http_methods(["GET", "POST"])
def attempt_page(request, attempt_id: int):
    attempt = _own_attempt(request, attempt_id)
    if attempt.status == "in_progress" and quiz_services.attempt_close_if_expired(attempt).status == "submitted":
        messages.warning(request, _("Time is up: your attempt was submitted with the answers saved in time."))
        return redirect("progress:attempt_result", attempt_id=attempt.pk)
    if attempt.status == "submitted":
        return redirect("progress:attempt_result", attempt_id=attempt.pk)
    if request.method == "POST":
        problems = _save_form(request, attempt)
        for problem in problems:
            messages.error(request, problem)
        if request.POST.get("action") == "submit" and not problems:
            quiz_services.attempt_submit(attempt=attempt)
            return redirect("progress:attempt_result", attempt_id=attempt.pk)
        if not problems:
            messages.success(request, _("Your answers have been saved."))
        return redirect("progress:attempt", attempt_id=attempt.pk)
    saved = {a.question_key: a.response for a in attempt.answers.all()}
    questions = []
    ids = quiz_ids.public_ids(attempt)
    for number, item in enumerate(attempt.snapshot["questions"], start=1):
        public = quiz_engine.public_question(item, ids[item["key"]])
        questions.append(_with_saved(public, number, saved.get(item["key"]) or {}))
    seconds_left = None
    if attempt.deadline:
        seconds_left = max(0, int((attempt.deadline - timezone.now()).total_seconds()))
    return render(
        request,
        "progress/attempt.html",
        {
            "attempt": attempt,
            "questions": questions,
            "seconds_left": seconds_left,
            "form_id": uuid.uuid4(),
            "answer_url": reverse("api:attempt_answer", args=[attempt.pk, "QUESTION"]),
        },
    )


@login_required
def attempt_result(request, attempt_id: int):
    attempt = _own_attempt(request, attempt_id)
    if attempt.status != "submitted":
        return redirect("progress:attempt", attempt_id=attempt.pk)
    result = quiz_services.attempt_result(attempt)
    return render(
        request,
        "progress/attempt_result.html",
        {
            "attempt": attempt,
            "result": result,
            "overview": quiz_selectors.quiz_overview(user=request.user, quiz=attempt.quiz),
        },
    )
