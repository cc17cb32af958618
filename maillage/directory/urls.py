from django.urls import path

from . import views

app_name = "directory"

urlpatterns = [
    path("annuaire/", views.search, name="search"),
    path("annuaire/services/<uuid:pk>/", views.service_detail, name="service"),
]
