from django.urls import include, path

from . import material_views, views, workspace_views

app_name = "prevention"

urlpatterns = [
    path("", include("maillage.prevention.event_urls")),  # agenda, actions, reuses (H1)
    path("supports/", views.library, name="library"),
    path("supports/<int:pk>/", views.material_detail, name="material"),
    path("supports/<int:pk>/telecharger/", views.material_download, name="download"),
    path(
        "supports/<int:pk>/fichiers/<int:variant_pk>/telecharger/",
        views.variant_download,
        name="variant_download",
    ),
    path("supports/<int:pk>/apercu.png", views.material_preview, name="preview"),
    # Campaigns and materials (the coordination, materials.py)
    path("espace/prevention/campagnes/", material_views.campaign_list, name="campaign_list"),
    path(
        "espace/prevention/campagnes/nouvelle/",
        material_views.campaign_edit,
        name="campaign_add",
    ),
    path(
        "espace/prevention/campagnes/<int:pk>/",
        material_views.campaign_edit,
        name="campaign_edit",
    ),
    path("espace/prevention/supports/", material_views.material_list, name="material_list"),
    path("espace/prevention/supports/nouveau/", material_views.material_edit, name="material_add"),
    path(
        "espace/prevention/supports/<int:pk>/",
        material_views.material_manage,
        name="material_manage",
    ),
    path(
        "espace/prevention/supports/<int:pk>/modifier/",
        material_views.material_edit,
        name="material_edit",
    ),
    path(
        "espace/prevention/supports/<int:pk>/etat/<str:state>/",
        material_views.material_transition,
        name="material_transition",
    ),
    path(
        "espace/prevention/supports/<int:pk>/stock/",
        material_views.material_stock,
        name="material_stock",
    ),
    path(
        "espace/prevention/supports/<int:pk>/fichiers/ajouter/",
        material_views.variant_add,
        name="variant_add",
    ),
    path(
        "espace/prevention/fichiers/<int:pk>/supprimer/",
        material_views.variant_delete,
        name="variant_delete",
    ),
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
