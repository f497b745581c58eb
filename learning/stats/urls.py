from django.urls import path

from . import report_views, views

app_name = "stats"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("communes/<str:code>/", views.commune, name="commune"),
    path("communes/<str:code>/people/", views.people, name="people"),
    path("people/<int:user_id>/", views.person, name="person"),
    path("reports/", report_views.report_list, name="reports"),
    path("reports/<int:report_id>/<str:kind>/", report_views.report_download, name="report_download"),
]
