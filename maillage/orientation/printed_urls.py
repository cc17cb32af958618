"""The printed guide (PDF), per territory and per commune."""

from django.urls import path

from . import printed_views

app_name = "printed_guide"
urlpatterns = [
    path("guide.pdf", printed_views.default_guide, name="default"),
    path("guide/<slug:territory>.pdf", printed_views.territory_guide, name="territory"),
    path("guide/<slug:territory>/<str:insee>.pdf", printed_views.commune_guide, name="commune"),
]
