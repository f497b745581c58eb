import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from courses.models import CoursePage, LessonPage
from courses.selectors import course_get, lesson_get

from . import selectors, services
from .timing import seconds_since


@login_required
@require_POST
def course_start(request, course_id: int):
    """The "Start the first lesson" button: enrols (a GET of the course page writes nothing), then opens
    where the learner is to continue."""
    try:
        course = course_get(course_id=course_id)
    except CoursePage.DoesNotExist:
        raise Http404(_("This course does not exist or is not published.")) from None
    services.enrolment_ensure(user=request.user, course=course)
    next_lesson = selectors.course_state(user=request.user, course=course).next_lesson
    return redirect(next_lesson.url if next_lesson else course.url)


@login_required
@require_POST
def lesson_complete(request, lesson_id: int):
    """The "I have finished this lesson" button.

    A completion kept on the phone while offline is replayed with ``Accept: application/json``: the same
    form fields (so time spent is still measured from the page's signed view token), answered with a status
    the script can read: 201 recorded, 200 already recorded, 404 unpublished, 409 locked, each with a message.
    """
    wants_json = "application/json" in request.headers.get("Accept", "")
    try:
        lesson = lesson_get(lesson_id=lesson_id)
    except LessonPage.DoesNotExist:
        if wants_json:
            return JsonResponse({"lesson": [_("This lesson does not exist or is not published.")]}, status=404)
        raise Http404(_("This lesson does not exist or is not published.")) from None
    try:
        client_id = uuid.UUID(request.POST.get("client_id", ""))
    except ValueError:
        client_id = uuid.uuid4()
    try:
        result = services.lesson_complete(
            user=request.user,
            lesson=lesson,
            client_id=client_id,
            time_spent_seconds=seconds_since(request.POST.get("view_token", ""), lesson.pk),
        )
    except ValidationError as exc:
        if wants_json:
            return JsonResponse({"lesson": exc.messages}, status=409)
        for message in exc.messages:
            messages.error(request, message)
        return redirect(lesson.get_parent().url)
    state = result.state
    if wants_json:
        return JsonResponse({"completed": True, "created": result.created}, status=201 if result.created else 200)
    if state.course_state.is_complete:
        messages.success(request, _("Congratulations! You have completed the course."))
        return redirect(state.course_state.course.url)
    if result.created:
        messages.success(request, _("Lesson completed. Well done!"))
    next_lesson = state.course_state.next_lesson
    return redirect(next_lesson.url if next_lesson else state.course_state.course.url)


@login_required
@require_GET
def my_learning(request):
    """ "Việc học của tôi": the learner's courses with progress."""
    return render(request, "progress/my_learning.html", {"states": selectors.my_courses(user=request.user)})
