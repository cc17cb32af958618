"""The on-screen orientation guide, public and professional, and its coordination page."""

from django.urls import path

from . import views, workspace_views

app_name = "orientation"
urlpatterns = [
    path("orientation/", views.guide, name="guide"),
    path("orientation/resume.pdf", views.summary_pdf, name="summary-pdf"),
    path("orientation/fiche-reflexe/", views.reflex_sheets, name="reflex-sheets"),
    path("orientation/fiche-reflexe/<str:insee>.pdf", views.reflex_sheet, name="reflex-sheet"),
    path("espace/orientation/", workspace_views.workspace, name="workspace"),
    path(
        "espace/orientation/<slug:slug>/brouillon/",
        workspace_views.draft_start,
        name="draft-start",
    ),
    path(
        "espace/orientation/<slug:slug>/par-defaut/",
        workspace_views.default_tree,
        name="default-tree",
    ),
    path(
        "espace/orientation/<slug:slug>/comptages/",
        workspace_views.counts_toggle,
        name="counts",
    ),
    path(
        "espace/orientation/versions/<int:pk>/apercu/",
        workspace_views.version_preview,
        name="preview",
    ),
    path(
        "espace/orientation/versions/<int:pk>/publier/",
        workspace_views.version_publish,
        name="publish",
    ),
    path(
        "espace/orientation/versions/<int:pk>/supprimer/",
        workspace_views.version_delete,
        name="delete",
    ),
]
