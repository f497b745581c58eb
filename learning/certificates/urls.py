"""The learner's certificates; included from the root URLconf at ``learning/certificates/``."""

from django.urls import path

from . import views

app_name = "certificates"
urlpatterns = [
    path("", views.my_certificates, name="mine"),
    path("<str:code>/pdf/", views.download, name="download"),
]
