from django.urls import path

from learning.core.replicas import replica_reads

from . import report_views, views

app_name = "stats"
# Organiser reads: on a replica when there is one (learning/core/replicas.py); report downloads stay on the
# primary, which marked them ready.
urlpatterns = [
    path("", replica_reads(views.dashboard), name="dashboard"),
    path("communes/<str:code>/", replica_reads(views.commune), name="commune"),
    path("communes/<str:code>/people/", replica_reads(views.people), name="people"),
    path("people/<int:user_id>/", replica_reads(views.person), name="person"),
    path("reports/", replica_reads(report_views.report_list), name="reports"),
    path("reports/<int:report_id>/<str:kind>/", report_views.report_download, name="report_download"),
]
