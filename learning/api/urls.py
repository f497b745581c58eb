from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from . import views

app_name = "api"
urlpatterns = [
    path("auth/register/", views.RegisterView.as_view(), name="register"),
    path("auth/token/", views.TokenView.as_view(), name="token"),
    path("localities/provinces/", views.ProvinceListView.as_view(), name="provinces"),
    path("localities/communes/", views.CommuneListView.as_view(), name="communes"),
    path("courses/", views.CourseListView.as_view(), name="courses"),
    path("courses/<int:pk>/", views.CourseDetailView.as_view(), name="course"),
    path("lessons/<int:pk>/complete/", views.LessonCompleteView.as_view(), name="lesson_complete"),
    path("me/progress/", views.MyProgressView.as_view(), name="my_progress"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
]
