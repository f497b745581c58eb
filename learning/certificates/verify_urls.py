"""The public verification page, the address in every certificate's QR code; included from the root URLconf
at ``chung-nhan/``."""

from django.urls import path

from . import views

app_name = "certificate_verify"
urlpatterns = [
    path("", views.lookup, name="lookup"),
    path("<str:code>/", views.verify, name="verify"),
]
