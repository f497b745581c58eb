from django.urls import path

from . import quiz_views, views

app_name = "progress"
urlpatterns = [
    path("", views.my_learning, name="my_learning"),
    path("courses/<int:course_id>/start/", views.course_start, name="course_start"),
    path("lessons/<int:lesson_id>/complete/", views.lesson_complete, name="lesson_complete"),
    path("quizzes/<int:quiz_id>/start/", quiz_views.quiz_start, name="quiz_start"),
    path("attempts/<int:attempt_id>/", quiz_views.attempt_page, name="attempt"),
    path("attempts/<int:attempt_id>/result/", quiz_views.attempt_result, name="attempt_result"),
]
