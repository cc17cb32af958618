"""The URLs of the surveys of signatories, included by urls.py (app namespace "network")."""

from django.urls import path

from . import survey_public_views, survey_views

urlpatterns = [
    path("enquetes/<str:token>/", survey_public_views.survey_answer, name="survey_answer"),
    path("espace/enquetes/", survey_views.survey_list, name="survey_list"),
    path("espace/enquetes/ma-structure/", survey_views.survey_mine, name="survey_mine"),
    path("espace/enquetes/nouvelle/", survey_views.survey_create, name="survey_create"),
    path("espace/enquetes/<int:pk>/", survey_views.survey_detail, name="survey_detail"),
    path("espace/enquetes/<int:pk>/modifier/", survey_views.survey_edit, name="survey_edit"),
    path("espace/enquetes/<int:pk>/supprimer/", survey_views.survey_delete, name="survey_delete"),
    path("espace/enquetes/<int:pk>/apercu/", survey_views.survey_preview, name="survey_preview"),
    path("espace/enquetes/<int:pk>/ouvrir/", survey_views.survey_open, name="survey_open"),
    path("espace/enquetes/<int:pk>/clore/", survey_views.survey_close, name="survey_close"),
    path(
        "espace/enquetes/<int:pk>/resultats/",
        survey_views.survey_results_view,
        name="survey_results",
    ),
    path(
        "espace/enquetes/<int:pk>/resultats.csv",
        survey_views.survey_export_csv,
        name="survey_export_csv",
    ),
    path(
        "espace/enquetes/<int:pk>/resultats.xlsx",
        survey_views.survey_export_xlsx,
        name="survey_export_xlsx",
    ),
    path(
        "espace/enquetes/<int:pk>/questions/ajouter/",
        survey_views.question_add,
        name="survey_question_add",
    ),
    path(
        "espace/enquetes/questions/<int:pk>/modifier/",
        survey_views.question_edit,
        name="survey_question_edit",
    ),
    path(
        "espace/enquetes/questions/<int:pk>/supprimer/",
        survey_views.question_delete,
        name="survey_question_delete",
    ),
    path(
        "espace/enquetes/questions/<int:pk>/deplacer/",
        survey_views.question_move,
        name="survey_question_move",
    ),
]
