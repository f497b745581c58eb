"""The organiser's reminder page; include it from the root URLconf as
``path("organiser/reminders/", include("learning.campaigns.reminder_urls"))``."""

from django.urls import path

from . import reminder_views

app_name = "campaign_reminders"
urlpatterns = [
    path("", reminder_views.overdue, name="overdue"),
]
