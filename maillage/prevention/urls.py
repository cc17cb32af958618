from django.urls import path

from . import views, workspace_views

app_name = "prevention"

urlpatterns = [
    path("supports/", views.library, name="library"),
    path("supports/<int:pk>/", views.material_detail, name="material"),
    path("supports/<int:pk>/telecharger/", views.material_download, name="download"),
    path("espace/prevention/commandes/", workspace_views.orders, name="orders"),
    path(
        "espace/prevention/commandes/<int:pk>/accepter/",
        workspace_views.order_approve,
        name="order_approve",
    ),
    path(
        "espace/prevention/commandes/<int:pk>/refuser/",
        workspace_views.order_refuse,
        name="order_refuse",
    ),
    path(
        "espace/prevention/commandes/<int:pk>/livrer/",
        workspace_views.order_deliver,
        name="order_deliver",
    ),
    path("espace/prevention/diffusion/", workspace_views.distribution_view, name="distribution"),
    path(
        "espace/prevention/supports/<int:pk>/fichier/",
        workspace_views.material_file,
        name="material_file",
    ),
]
