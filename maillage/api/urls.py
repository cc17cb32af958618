from django.urls import path

from .api import api
from .views import docs

urlpatterns = [
    path("docs", docs, name="api-docs"),
    path("", api.urls),
]
