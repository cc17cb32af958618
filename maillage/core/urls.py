from django.urls import path

from .views import audit, membership, public, workspace

app_name = "core"

urlpatterns = [
    path("", public.home, name="home"),
    path("securite/", public.safety, name="safety"),
    path("accessibilite/", public.accessibility, name="accessibility"),
    path("mentions-legales/", public.legal, name="legal"),
    path("donnees-personnelles/", public.privacy, name="privacy"),
    path(
        "territoires/<slug:territory>/contrats/<int:pk>/", public.contract_detail, name="contract"
    ),
    path(
        "territoires/<slug:territory>/structures/<int:pk>/",
        public.organisation_detail,
        name="organisation",
    ),
    path("espace/", workspace.workspace, name="workspace"),
    path("espace/rejoindre/", membership.membership_request, name="membership_request"),
    path("espace/demandes-d-acces/", membership.membership_requests, name="membership_requests"),
    path(
        "espace/demandes-d-acces/<int:pk>/decision/",
        membership.membership_decide,
        name="membership_decide",
    ),
    path("espace/journal-des-acces/", audit.audit_log, name="audit_log"),
    path("espace/contrats/<int:pk>/", workspace.contract_manage, name="contract_manage"),
    path("espace/contrats/<int:pk>/modifier/", workspace.contract_edit, name="contract_edit"),
    path(
        "espace/contrats/<int:contract_pk>/signataires/ajouter/",
        workspace.signature_edit,
        name="signature_add",
    ),
    path(
        "espace/contrats/<int:contract_pk>/signataires/<int:pk>/modifier/",
        workspace.signature_edit,
        name="signature_edit",
    ),
    path(
        "espace/contrats/<int:contract_pk>/signataires/<int:pk>/retirer/",
        workspace.signature_delete,
        name="signature_delete",
    ),
    path(
        "espace/contrats/<int:contract_pk>/priorites/ajouter/",
        workspace.priority_edit,
        name="priority_add",
    ),
    path(
        "espace/contrats/<int:contract_pk>/priorites/<int:pk>/modifier/",
        workspace.priority_edit,
        name="priority_edit",
    ),
    path("espace/structures/", workspace.organisation_list, name="organisation_list"),
    path("espace/structures/nouvelle/", workspace.organisation_add, name="organisation_add"),
    path("espace/structures/<int:pk>/", workspace.organisation_manage, name="organisation_manage"),
    path(
        "espace/structures/<int:pk>/modifier/",
        workspace.organisation_edit,
        name="organisation_edit",
    ),
    path(
        "espace/structures/<int:pk>/membres/",
        workspace.organisation_members,
        name="organisation_members",
    ),
    path(
        "espace/structures/<int:pk>/historique/",
        workspace.organisation_history,
        name="organisation_history",
    ),
    path(
        "espace/structures/<int:pk>/historique/<int:history_id>/retablir/",
        workspace.organisation_revert,
        name="organisation_revert",
    ),
]
