"""The site's URLs plus the two references of the benchmarks: ``/bench/bare/`` (:mod:`bench.load_urls`) and
``/bench/bare-token/``, the reference of ``bench.paths``.

``/bench/bare-token/`` is the cheapest API answer a signed-in learner can get from a bare Django + DRF
project: DRF's token authentication (one query for the token and its user), ``IsAuthenticated`` and one
query of its own, a small JSON answer, through the same middleware as every other answer. ``bench.paths``
divides what each everyday path costs by what this costs, measured in the same process and run."""

from django.conf import settings
from django.urls import path
from rest_framework.authentication import TokenAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from bench.load_urls import urlpatterns as load_urlpatterns
from learning.localities.models import Province


class BareToken(APIView):
    authentication_classes = [TokenAuthentication]
    permission_classes = [IsAuthenticated]

    def get(self, request):
        province = Province.objects.filter(pk=settings.DEFAULT_PROVINCE_CODE).values("code", "name").first()
        return Response({"user": request.user.pk, "province": province})


urlpatterns = [path("bench/bare-token/", BareToken.as_view(), name="bench_bare_token"), *load_urlpatterns]
