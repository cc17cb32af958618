from django.urls import include, path

from . import survey_urls

app_name = "network"

urlpatterns = [
    path("", include(survey_urls)),
]
