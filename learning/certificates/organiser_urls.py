"""Organisers' certificate pages; included from the root URLconf at ``organiser/certificates/``."""

from django.urls import path

from learning.core.replicas import replica_reads

from . import organiser_views

app_name = "organiser_certificates"
urlpatterns = [
    path("", replica_reads(organiser_views.certificate_list), name="list"),  # on a replica if any
    path("<str:code>/revoke/", organiser_views.revoke, name="revoke"),
]
