from django.urls import path

from . import registration_views, views, workspace_views

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
]
