from django.urls import include, path

from . import meeting_views, survey_urls, views

app_name = "network"

urlpatterns = [
    path("", include(survey_urls)),
    # Action plan
    path("espace/plan/", views.plan_home, name="plan_home"),
    path("espace/plan/contrat/<int:contract_pk>/", views.plan, name="plan"),
    path("espace/plan/contrat/<int:contract_pk>/export.csv", views.plan_csv, name="plan_csv"),
    path("espace/plan/contrat/<int:contract_pk>/export.xlsx", views.plan_xlsx, name="plan_xlsx"),
    path(
        "espace/plan/contrat/<int:contract_pk>/fiches/nouvelle/",
        views.sheet_edit,
        name="sheet_create",
    ),
    path("espace/plan/fiches/<int:pk>/", views.sheet_detail, name="sheet"),
    path("espace/plan/fiches/<int:pk>/modifier/", views.sheet_edit, name="sheet_edit"),
    path("espace/plan/fiches/<int:pk>/avancement/", views.sheet_progress, name="sheet_progress"),
    path("espace/plan/fiches/<int:pk>/notes/", views.note_add, name="note_add"),
    path("espace/plan/fiches/<int:pk>/jalons/", views.milestone_add, name="milestone_add"),
    path("espace/plan/fiches/<int:pk>/pieces/", views.attachment_add, name="attachment_add"),
    path("espace/plan/jalons/<int:pk>/", views.milestone_edit, name="milestone_edit"),
    path("espace/plan/jalons/<int:pk>/supprimer/", views.milestone_delete, name="milestone_delete"),
    path("espace/plan/pieces/<int:pk>/", views.attachment_download, name="attachment"),
    path(
        "espace/plan/pieces/<int:pk>/supprimer/",
        views.attachment_delete,
        name="attachment_delete",
    ),
    # Working groups, meetings, decisions
    path("espace/reunions/contrat/<int:contract_pk>/", meeting_views.meetings, name="meetings"),
    path(
        "espace/reunions/contrat/<int:contract_pk>/nouvelle/",
        meeting_views.meeting_edit,
        name="meeting_create",
    ),
    path(
        "espace/reunions/contrat/<int:contract_pk>/decisions/",
        meeting_views.decisions,
        name="decisions",
    ),
    path("espace/reunions/contrat/<int:contract_pk>/groupes/", meeting_views.groups, name="groups"),
    path(
        "espace/reunions/contrat/<int:contract_pk>/groupes/nouveau/",
        meeting_views.group_edit,
        name="group_create",
    ),
    path("espace/reunions/groupes/<int:pk>/", meeting_views.group_edit, name="group_edit"),
    path("espace/reunions/<int:pk>/", meeting_views.meeting_detail, name="meeting"),
    path("espace/reunions/<int:pk>/modifier/", meeting_views.meeting_edit, name="meeting_edit"),
    path("espace/reunions/<int:pk>/decisions/", meeting_views.decision_add, name="decision_add"),
    path("espace/reunions/decisions/<int:pk>/", meeting_views.decision_edit, name="decision_edit"),
]
