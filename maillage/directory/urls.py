from django.urls import path

from . import import_views, print_views, views, workspace_views

app_name = "directory"

urlpatterns = [
    path("annuaire/", views.search, name="search"),
    path("annuaire/imprimer/", print_views.search_pdf, name="search-pdf"),
    path("annuaire/<uuid:pk>/fiche.pdf", print_views.service_pdf, name="service-pdf"),
    path("annuaire/services/<uuid:pk>/", views.service_detail, name="service"),
    path("annuaire/services/<uuid:pk>/signaler/", workspace_views.report, name="report"),
    path(
        "annuaire/toujours-a-jour/<str:token>/",
        workspace_views.still_up_to_date,
        name="still_up_to_date",
    ),
    path("espace/annuaire/", workspace_views.home, name="workspace"),
    path("espace/annuaire/services/nouveau/", workspace_views.service_add, name="service_add"),
    path(
        "espace/annuaire/services/<uuid:pk>/modifier/",
        workspace_views.service_edit,
        name="service_edit",
    ),
    path(
        "espace/annuaire/services/<uuid:pk>/historique/",
        workspace_views.service_history,
        name="service_history",
    ),
    path(
        "espace/annuaire/services/<uuid:pk>/historique/<int:history_id>/retablir/",
        workspace_views.service_revert,
        name="service_revert",
    ),
    path(
        "espace/annuaire/services/<uuid:pk>/verifie/",
        workspace_views.service_verify,
        name="service_verify",
    ),
    path("espace/annuaire/fraicheur/", workspace_views.freshness, name="freshness"),
    path("espace/annuaire/signalements/", workspace_views.reports, name="reports"),
    path(
        "espace/annuaire/signalements/<int:pk>/traite/",
        workspace_views.report_close,
        name="report_close",
    ),
    path(
        "espace/annuaire/recherches-sans-resultat/",
        workspace_views.zero_results,
        name="zero_results",
    ),
    path("espace/annuaire/demandes/", workspace_views.changes, name="changes"),
    path("espace/annuaire/demandes/<int:pk>/", workspace_views.change_detail, name="change"),
    path("espace/annuaire/import/", import_views.import_start, name="import"),
    path("espace/annuaire/import/<int:pk>/", import_views.import_job, name="import_job"),
    path(
        "espace/annuaire/import/<int:pk>/etat/",
        import_views.import_job_status,
        name="import_job_status",
    ),
]
