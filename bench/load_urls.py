"""The site's URLs plus ``/bench/bare/``: the bare reference of the load benchmark (``bench.load``).

A DRF view with no authentication, no permission check, no database and no template: it goes through the
same gunicorn, middleware and DRF machinery as every other answer and does nothing else, so its latency is
what any request costs on this machine at that moment. The benchmark divides every endpoint's figures by
it, measured in the same run, to make runs on a busy or a quiet machine comparable."""

from django.urls import path
from rest_framework.response import Response
from rest_framework.views import APIView

from learning.urls import urlpatterns as site_urlpatterns


class Bare(APIView):
    authentication_classes = []
    permission_classes = []

    def get(self, request):
        return Response({"ok": True})


urlpatterns = [path("bench/bare/", Bare.as_view(), name="bench_bare"), *site_urlpatterns]
