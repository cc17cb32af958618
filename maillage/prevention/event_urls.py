"""Awareness events and reuse declarations: the public agenda and its feed, the workspace
pages, the coordination's review of partners' events (included by urls.py)."""

from django.urls import path

from . import event_review_views, event_views, reuse_views

urlpatterns = [
    path("agenda/", event_views.agenda, name="agenda"),
    path("agenda/<int:pk>/", event_views.event_detail, name="event"),
    path("agenda.ics", event_views.agenda_ical, name="agenda_ical"),
    path("espace/prevention/actions/", event_views.event_list, name="events"),
    path("espace/prevention/actions/nouvelle/", event_views.event_create, name="event_create"),
    path(
        "espace/prevention/actions/a-valider/",
        event_review_views.event_reviews,
        name="event_reviews",
    ),
    path(
        "espace/prevention/actions/<int:pk>/validation/",
        event_review_views.event_review,
        name="event_review",
    ),
    path("espace/prevention/actions/<int:pk>/", event_views.event_edit, name="event_edit"),
    path(
        "espace/prevention/actions/<int:pk>/publier/",
        event_views.event_publish,
        name="event_publish",
    ),
    path(
        "espace/prevention/actions/<int:pk>/annuler/",
        event_views.event_cancel,
        name="event_cancel",
    ),
    path(
        "espace/prevention/actions/<int:pk>/bilan/",
        event_views.event_attendance,
        name="event_attendance",
    ),
    path("espace/prevention/actions/export.csv", event_views.events_csv, name="events_csv"),
    path("espace/prevention/actions/export.xlsx", event_views.events_xlsx, name="events_xlsx"),
    path("espace/prevention/reutilisations/", reuse_views.reuses, name="reuses"),
    path(
        "espace/prevention/reutilisations/<int:pk>/supprimer/",
        reuse_views.reuse_delete,
        name="reuse_delete",
    ),
    path("espace/prevention/reutilisations/export.csv", reuse_views.reuses_csv, name="reuses_csv"),
    path(
        "espace/prevention/reutilisations/export.xlsx",
        reuse_views.reuses_xlsx,
        name="reuses_xlsx",
    ),
]
