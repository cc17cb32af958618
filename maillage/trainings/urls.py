from django.urls import path

from . import (
    attendance_views,
    charter_views,
    followup_views,
    registration_views,
    statistics_views,
    views,
    workspace_views,
)

app_name = "trainings"

urlpatterns = [
    path("formations/", views.catalogue, name="catalogue"),
    path("formations/calendrier/", views.calendar, name="calendar"),
    path("formations/modules/<slug:slug>/", views.module_detail, name="module"),
    path("formations/sessions/<int:pk>/", views.session_detail, name="session"),
    path("formations/sessions/<int:pk>/session.ics", views.session_ics, name="session_ics"),
    path("formations/agenda/<str:token>.ics", views.person_ics, name="person_calendar"),
    path(
        "formations/inscription/<str:token>/",
        views.registration_access,
        name="registration_access",
    ),
    path("espace/formations/", workspace_views.home, name="workspace"),
    path("espace/formations/modules/", workspace_views.module_list, name="module_list"),
    path("espace/formations/modules/nouveau/", workspace_views.module_edit, name="module_add"),
    path(
        "espace/formations/modules/<int:pk>/modifier/",
        workspace_views.module_edit,
        name="module_edit",
    ),
    path("espace/formations/sessions/", workspace_views.session_list, name="session_list"),
    path("espace/formations/sessions/nouvelle/", workspace_views.session_edit, name="session_add"),
    path(
        "espace/formations/sessions/<int:pk>/",
        workspace_views.session_manage,
        name="session_manage",
    ),
    path(
        "espace/formations/sessions/<int:pk>/modifier/",
        workspace_views.session_edit,
        name="session_edit",
    ),
    path(
        "espace/formations/sessions/<int:pk>/statut/",
        workspace_views.session_transition,
        name="session_transition",
    ),
    path(
        "espace/formations/sessions/<int:pk>/annuler/",
        workspace_views.session_cancel,
        name="session_cancel",
    ),
    path(
        "espace/formations/sessions/<int:pk>/inscription/",
        registration_views.register_self,
        name="register_self",
    ),
    path(
        "espace/formations/sessions/<int:pk>/inscrire-mon-equipe/",
        registration_views.register_staff,
        name="register_staff",
    ),
    path(
        "espace/formations/inscriptions/<int:pk>/annuler/",
        registration_views.registration_cancel,
        name="registration_cancel",
    ),
    # Statistics and the nightlife charter (statistics_views.py, charter_views.py)
    path("formations/lieux-engages/", charter_views.labelled_venues, name="labelled_venues"),
    path("espace/formations/statistiques/", statistics_views.statistics, name="statistics"),
    path(
        "espace/formations/statistiques/export.csv",
        statistics_views.statistics_csv,
        name="statistics_csv",
    ),
    path(
        "espace/formations/statistiques/export.xlsx",
        statistics_views.statistics_xlsx,
        name="statistics_xlsx",
    ),
    path(
        "espace/formations/charte-vie-nocturne/",
        charter_views.application_list,
        name="charter_applications",
    ),
    path(
        "espace/formations/charte-vie-nocturne/nouvelle/",
        charter_views.application_edit,
        name="charter_application_add",
    ),
    path(
        "espace/formations/charte-vie-nocturne/<int:pk>/",
        charter_views.application_edit,
        name="charter_application_edit",
    ),
    path(
        "espace/formations/charte-vie-nocturne/<int:pk>/decision/",
        charter_views.application_decide,
        name="charter_application_decide",
    ),
    # Attendance, certificates and evaluation (attendance_views.py, followup_views.py)
    path(
        "formations/attestations/<str:code>/",
        followup_views.certificate_verify,
        name="certificate_verify",
    ),
    path(
        "formations/inscription/<str:token>/attestation.pdf",
        followup_views.registration_certificate,
        name="registration_certificate_by_token",
    ),
    path("formations/evaluation/<str:token>/", followup_views.evaluation, name="evaluation"),
    path(
        "espace/formations/sessions/<int:pk>/presences/",
        attendance_views.session_attendance,
        name="session_attendance",
    ),
    path(
        "espace/formations/sessions/<int:pk>/emargement.pdf",
        attendance_views.attendance_sheet,
        name="attendance_sheet",
    ),
    path(
        "espace/formations/demi-journees/<int:pk>/feuille-signee/",
        attendance_views.signed_sheet_upload,
        name="signed_sheet_upload",
    ),
    path(
        "espace/formations/feuilles-signees/<int:pk>/",
        attendance_views.signed_sheet_download,
        name="signed_sheet_download",
    ),
    path(
        "espace/formations/inscriptions/<int:pk>/attestation.pdf",
        attendance_views.registration_certificate,
        name="registration_certificate",
    ),
    path(
        "espace/formations/sessions/<int:pk>/evaluation/",
        attendance_views.session_evaluation,
        name="session_evaluation",
    ),
    path(
        "espace/formations/modules/<int:pk>/evaluation/",
        attendance_views.module_evaluation,
        name="module_evaluation",
    ),
]
