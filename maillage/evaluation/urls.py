from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    path("espace/evaluation/", views.home, name="home"),
    path("espace/evaluation/contrats/<int:pk>/", views.dashboard, name="dashboard"),
    path(
        "espace/evaluation/contrats/<int:contract_pk>/indicateurs/ajouter/",
        views.indicator_edit,
        name="indicator_add",
    ),
    path(
        "espace/evaluation/contrats/<int:contract_pk>/indicateurs/<int:pk>/",
        views.indicator_detail,
        name="indicator",
    ),
    path(
        "espace/evaluation/contrats/<int:contract_pk>/indicateurs/<int:pk>/modifier/",
        views.indicator_edit,
        name="indicator_edit",
    ),
    path("espace/evaluation/contrats/<int:pk>/bilan/", views.review, name="review"),
    path("espace/evaluation/contrats/<int:pk>/bilan.pdf", views.review_pdf_view, name="review_pdf"),
    path("espace/evaluation/contrats/<int:pk>/bilan.json", views.review_json, name="review_json"),
    path(
        "espace/evaluation/contrats/<int:pk>/bilan/tableaux/<slug:table>.<str:extension>",
        views.review_table,
        name="review_table",
    ),
    path("espace/evaluation/contrats/<int:pk>/bilan/copil.zip", views.review_copil, name="copil"),
]
