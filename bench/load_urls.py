"""Maillage's URLs plus `/bench/trivial/`, the reference of the load benchmark: a Django view
that reads nothing and renders nothing, behind the same middleware as every page."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from maillage.urls import urlpatterns as maillage_urlpatterns


def trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/trivial/", trivial), *maillage_urlpatterns]
