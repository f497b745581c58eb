from django.urls import path

from . import views

app_name = "progress"
urlpatterns = [
    path("", views.my_learning, name="my_learning"),
    path("lessons/<int:lesson_id>/complete/", views.lesson_complete, name="lesson_complete"),
]
