"""The on-screen orientation guide, public and professional, and its coordination page."""

from django.urls import path

from . import editor_views, views, workspace_views

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
    # The editor of a draft (editor_views.py).
    path("espace/orientation/versions/<int:pk>/", editor_views.version_detail, name="version"),
    path(
        "espace/orientation/versions/<int:pk>/premiere-question/",
        editor_views.version_start,
        name="version-start",
    ),
    path(
        "espace/orientation/versions/<int:pk>/questions/ajouter/",
        editor_views.question_add,
        name="question-add",
    ),
    path(
        "espace/orientation/versions/<int:pk>/resultats/ajouter/",
        editor_views.result_add,
        name="result-add",
    ),
    path("espace/orientation/etapes/<int:pk>/", editor_views.node_edit, name="node-edit"),
    path(
        "espace/orientation/etapes/<int:pk>/supprimer/",
        editor_views.node_delete,
        name="node-delete",
    ),
]
