"""Organisers' certificate pages; included from the root URLconf at ``organiser/certificates/``."""

from django.urls import path

from . import organiser_views

app_name = "organiser_certificates"
urlpatterns = [
    path("", organiser_views.certificate_list, name="list"),
    path("<str:code>/revoke/", organiser_views.revoke, name="revoke"),
]
