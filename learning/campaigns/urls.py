from django.urls import path

from . import views

app_name = "campaigns"
urlpatterns = [
    path("rosters/", views.roster_list, name="rosters"),
    path("rosters/template.xlsx", views.roster_template, name="roster_template"),
    path("rosters/<int:roster_id>/", views.roster_detail, name="roster"),
    path("rosters/<int:roster_id>/confirm/", views.roster_confirm, name="roster_confirm"),
    path("rosters/<int:roster_id>/errors.csv", views.roster_errors, name="roster_errors"),
]
