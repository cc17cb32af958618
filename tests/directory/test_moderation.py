import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maillage.core.models import Role
from maillage.directory.feedback import ChangeRequest, ErrorReport
from maillage.directory.models import Service, Term
from maillage.directory.moderation import service_data

from ..factories import CommuneFactory, OrganisationFactory, RoleFactory
from .factories import PhoneFactory, PlaceFactory, ServiceFactory

pytestmark = pytest.mark.django_db


def post_data(record: dict) -> dict:
    """The POST body of the service form for a flat record (moderation.service_data)."""
    data = {
        key: value
        for key, value in record.items()
        if key not in ("violence_types", "help_types", "publics", "place", "phones", "exceptions")
    }
    for key, value in list(data.items()):
        if isinstance(value, bool):
            if value:
                data[key] = "on"
            else:
                del data[key]
        elif value is None:
            data[key] = ""
    vocabularies = {"violence_types": "violence", "help_types": "help", "publics": "public"}
    for relation, vocabulary in vocabularies.items():
        data[relation] = [
            str(pk)
            for pk in Term.objects.filter(
                vocabulary=vocabulary, code__in=record.get(relation, [])
            ).values_list("pk", flat=True)
        ]
    place = record.get("place") or {}
    for name in ("name", "address", "postal_code", "commune"):
        data[f"lieu-{name}"] = place.get(name, "")
    if place.get("hide_address"):
        data["lieu-hide_address"] = "on"
    phones = record.get("phones", [])
    data.update(
        {
            "tel-TOTAL_FORMS": str(len(phones) + 1),
            "tel-INITIAL_FORMS": str(len(phones)),
            "tel-MIN_NUM_FORMS": "0",
            "tel-MAX_NUM_FORMS": "10",
        }
    )
    for i, phone in enumerate([*phones, {"label": "", "number": "", "visibility": "public"}]):
        for name, value in phone.items():
            data[f"tel-{i}-{name}"] = value
    exceptions = record.get("exceptions", [])
    data.update(
        {
            "exc-TOTAL_FORMS": str(len(exceptions) + 1),
            "exc-INITIAL_FORMS": str(len(exceptions)),
            "exc-MIN_NUM_FORMS": "0",
            "exc-MAX_NUM_FORMS": "100",
        }
    )
    for i, exception in enumerate(exceptions):
        data[f"exc-{i}-on"] = exception["on"]
        data[f"exc-{i}-opens"] = exception["opens"] or ""
        data[f"exc-{i}-closes"] = exception["closes"] or ""
        data[f"exc-{i}-notice"] = exception["notice"]
        if exception["opens"] is None:
            data[f"exc-{i}-closed"] = "on"
    return data


def new_record(**changes) -> dict:
    record = {
        "name": "Permanence juridique",
        "summary": "Vos droits, sans rendez-vous",
        "description": "",
        "is_free": True,
        "is_anonymous": False,
        "walk_in": True,
        "by_appointment": False,
        "referral_only": False,
        "remote": False,
        "email": "",
        "website": "",
        "is_24_7": False,
        "saturation": "",
        "visibility": "public",
        "status": "published",
        "suspended_until": None,
        "violence_types": [],
        "help_types": ["information-juridique"],
        "publics": [],
        "place": {
            "name": "",
            "address": "3 rue Plantagenêt",
            "postal_code": "49100",
            "commune": "49007",
            "hide_address": False,
        },
        "phones": [{"label": "Accueil", "number": "02 41 00 00 09", "visibility": "public"}],
    }
    return {**record, **changes}


@pytest.fixture
def angers(db):
    return CommuneFactory(insee_code="49007", name="Angers")


@pytest.fixture
def service(organisation, angers):
    service = ServiceFactory(
        organisation=organisation, name="Accueil de jour", terms__help=["ecoute"]
    )
    PlaceFactory(service=service, commune=angers)
    PhoneFactory(service=service, label="Accueil", number="02 41 00 00 01")
    return service


def edit_url(service) -> str:
    return reverse("directory:service_edit", args=[service.pk])


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_a_referents_edit_waits_for_the_coordinator(
    login, referent, coordinator, service, mailoutbox, django_capture_on_commit_callbacks
):
    record = service_data(service)
    record.update(name="Accueil de jour et de nuit", help_types=["accueil-de-jour", "ecoute"])
    record["phones"][0]["number"] = "02 41 00 00 02"

    with django_capture_on_commit_callbacks(execute=True):
        response = login(referent).post(edit_url(service), post_data(record))

    assert response.status_code == 302
    change = ChangeRequest.objects.get()
    assert (change.status, change.service, change.author) == ("pending", service, referent)
    service.refresh_from_db()
    assert service.name == "Accueil de jour"
    assert list(service.phones.values_list("number", flat=True)) == ["02 41 00 00 01"]
    assert [m.to for m in mailoutbox] == [[coordinator.email]]  # the coordination is told

    client = login(coordinator)
    assert change.title in client.get(reverse("directory:changes")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("directory:change", args=[change.pk]), {"decision": "approve"}
        )

    assert response.status_code == 302
    service.refresh_from_db()
    change.refresh_from_db()
    assert change.status == "approved"
    assert change.decided_by == coordinator
    assert service.name == "Accueil de jour et de nuit"
    assert sorted(t.code for t in service.help_types.all()) == ["accueil-de-jour", "ecoute"]
    assert list(service.phones.values_list("number", flat=True)) == ["02 41 00 00 02"]
    assert service.history.count() == 2  # created, then the approved edit
    assert mailoutbox[-1].to == [referent.email]
    assert "acceptée" in mailoutbox[-1].subject


def test_the_diff_shows_current_and_proposed_values(login, referent, coordinator, service):
    record = service_data(service)
    record.update(name="Nouveau nom", walk_in=True)
    login(referent).post(edit_url(service), post_data(record))
    change = ChangeRequest.objects.get()

    page = text(login(coordinator).get(reverse("directory:change", args=[change.pk])))

    assert "Nom" in page
    assert "Accueil de jour" in page
    assert "Nouveau nom" in page
    assert "Sans rendez-vous" in page
    assert "Description" not in page  # unchanged fields are not listed


def test_rejection_emails_the_author_with_the_comment(
    login, referent, coordinator, service, mailoutbox, django_capture_on_commit_callbacks
):
    record = service_data(service)
    record["name"] = "Nom fantaisiste"
    login(referent).post(edit_url(service), post_data(record))
    change = ChangeRequest.objects.get()
    client = login(coordinator)
    url = reverse("directory:change", args=[change.pk])

    refused = client.post(url, {"decision": "reject", "comment": ""})
    assert refused.status_code == 200
    assert "pourquoi la modification est refusée" in text(refused)
    change.refresh_from_db()
    assert change.status == "pending"

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"decision": "reject", "comment": "Le nom officiel reste le même."})

    change.refresh_from_db()
    service.refresh_from_db()
    assert change.status == "rejected"
    assert service.name == "Accueil de jour"
    assert mailoutbox[-1].to == [referent.email]
    assert "refusée" in mailoutbox[-1].subject
    assert "Le nom officiel reste le même." in mailoutbox[-1].body


def test_a_decided_request_cannot_be_decided_again(login, referent, coordinator, service):
    record = service_data(service)
    record["name"] = "Autre nom"
    login(referent).post(edit_url(service), post_data(record))
    change = ChangeRequest.objects.get()
    client = login(coordinator)
    url = reverse("directory:change", args=[change.pk])
    client.post(url, {"decision": "reject", "comment": "Non."})

    response = client.post(url, {"decision": "approve"})

    service.refresh_from_db()
    assert "déjà été traitée" in text(response)
    assert service.name == "Accueil de jour"


def test_the_coordinators_edit_applies_directly(login, coordinator, service):
    record = service_data(service)
    record.update(name="Accueil de jour (Angers)", saturation="high")

    response = login(coordinator).post(edit_url(service), post_data(record))

    assert response.status_code == 302
    assert not ChangeRequest.objects.exists()
    service.refresh_from_db()
    assert service.name == "Accueil de jour (Angers)"
    assert service.saturation == "high"
    assert service.saturation_updated_at is not None
    assert service.history.first().history_user == coordinator


def test_a_referent_proposes_a_new_service(login, referent, coordinator, organisation, angers):
    client = login(referent)
    assert client.get(reverse("directory:service_add")).status_code == 200
    data = {**post_data(new_record()), "organisation": str(organisation.pk)}

    client.post(reverse("directory:service_add"), data)

    change = ChangeRequest.objects.get()
    assert change.service is None
    assert not Service.objects.filter(name="Permanence juridique").exists()

    login(coordinator).post(reverse("directory:change", args=[change.pk]), {"decision": "approve"})

    service = Service.objects.get(name="Permanence juridique")
    assert service.organisation == organisation
    assert service.places.get().public_address == "3 rue Plantagenêt, 49100 Angers"
    assert service.phones.get().number == "02 41 00 00 09"
    change.refresh_from_db()
    assert change.service == service
    found = client.get("/annuaire/", {"q": "permanence juridique"}).content.decode()
    assert "Permanence juridique" in found  # re-indexed for the search


def test_a_referent_cannot_create_a_service_for_another_structure(
    login, referent, other_organisation, angers
):
    data = {**post_data(new_record()), "organisation": str(other_organisation.pk)}

    response = login(referent).post(reverse("directory:service_add"), data)

    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert not ChangeRequest.objects.exists()


def test_bad_input_gets_a_french_message_and_writes_nothing(login, referent, service):
    record = service_data(service)
    record["phones"][0]["number"] = "12"
    record["place"]["commune"] = "Atlantide"

    response = login(referent).post(edit_url(service), post_data(record))

    page = text(response)
    assert response.status_code == 200
    assert "rien n'a été enregistré" in page
    assert "Saisissez un numéro français" in page
    assert "Commune inconnue" in page
    assert not ChangeRequest.objects.exists()


def test_a_confidential_address_loses_its_coordinates(login, coordinator, service):
    record = service_data(service)
    record["place"]["hide_address"] = True

    login(coordinator).post(edit_url(service), post_data(record))

    place = service.places.get()
    assert place.hide_address
    assert (place.latitude, place.longitude) == (None, None)


def test_approval_keeps_an_edit_made_meanwhile(login, referent, coordinator, service):
    record = service_data(service)
    record["name"] = "Nom proposé"
    login(referent).post(edit_url(service), post_data(record))
    change = ChangeRequest.objects.get()
    Service.objects.filter(pk=service.pk).update(summary="Résumé écrit entre-temps")

    login(coordinator).post(reverse("directory:change", args=[change.pk]), {"decision": "approve"})

    service.refresh_from_db()
    assert service.name == "Nom proposé"
    assert service.summary == "Résumé écrit entre-temps"


def test_a_referent_of_another_structure_gets_403(login, other_referent, service):
    client = login(other_referent)
    assert client.get(edit_url(service)).status_code == 403
    record = service_data(service)
    record["name"] = "Piraté"
    assert client.post(edit_url(service), post_data(record)).status_code == 403
    assert not ChangeRequest.objects.exists()


def test_a_referent_of_another_territory_gets_404(login, service, foreign_organisation):
    stranger = RoleFactory(kind=Role.Kind.REFERENT, organisation=foreign_organisation).user
    assert login(stranger).get(edit_url(service)).status_code == 404


def test_a_professional_cannot_edit_the_structures_services(login, service):
    professional = RoleFactory(kind=Role.Kind.PROFESSIONAL, organisation=service.organisation).user
    assert login(professional).get(edit_url(service)).status_code == 403


def test_only_the_territorys_coordination_decides(
    login, referent, other_coordinator, service, other_referent
):
    record = service_data(service)
    record["name"] = "Autre nom"
    login(referent).post(edit_url(service), post_data(record))
    url = reverse("directory:change", args=[ChangeRequest.objects.get().pk])

    assert login(other_coordinator).post(url, {"decision": "approve"}).status_code == 404
    assert login(referent).get(url).status_code == 404
    assert login(referent).get(reverse("directory:changes")).status_code == 403
    service.refresh_from_db()
    assert service.name == "Accueil de jour"


def test_the_workspace_lists_the_referents_services_only(login, referent, service):
    ServiceFactory(organisation=OrganisationFactory(), name="Service d'ailleurs")

    page = text(login(referent).get(reverse("directory:workspace")))

    assert "Accueil de jour" in page
    assert "Service d'ailleurs" not in page
    assert "Modifications à valider" not in page


def test_the_coordinators_workspace_counts_pending_changes(login, referent, coordinator, service):
    record = service_data(service)
    record["name"] = "Autre nom"
    login(referent).post(edit_url(service), post_data(record))

    response = login(coordinator).get(reverse("directory:workspace"))

    assert response.context["pending"] == 1
    assert "Modifications à valider" in text(response)


def test_the_coordinator_restores_an_earlier_version(login, coordinator, service):
    client = login(coordinator)
    record = service_data(service)
    record["name"] = "Nom erroné"
    client.post(edit_url(service), post_data(record))
    first = service.history.earliest()

    page = client.get(reverse("directory:service_history", args=[service.pk]))
    assert "Nom erroné" in text(page)
    client.post(reverse("directory:service_revert", args=[service.pk, first.history_id]))

    service.refresh_from_db()
    assert service.name == "Accueil de jour"
    assert service.history.count() == 3


def test_a_referents_revert_goes_through_moderation(login, referent, coordinator, service):
    record = service_data(service)
    record["name"] = "Nom erroné"
    login(coordinator).post(edit_url(service), post_data(record))
    first = service.history.earliest()

    login(referent).post(reverse("directory:service_revert", args=[service.pk, first.history_id]))

    service.refresh_from_db()
    change = ChangeRequest.objects.get()
    assert service.name == "Nom erroné"
    assert change.data["proposed"]["name"] == "Accueil de jour"


def test_list_pages_keep_a_fixed_number_of_queries(
    login, referent, coordinator, organisation, angers
):
    def propose(count: int) -> None:
        for _ in range(count):
            service = ServiceFactory(organisation=organisation)
            ErrorReport.objects.create(service=service, kind="other")
            record = service_data(service)
            record["name"] += " (renommé)"
            login(referent).post(edit_url(service), post_data(record))

    def queries() -> dict[str, int]:
        client = login(coordinator)
        counts = {}
        for name in ("directory:changes", "directory:workspace", "directory:reports"):
            with CaptureQueriesContext(connection) as context:
                assert client.get(reverse(name)).status_code == 200
            counts[name] = len(context)
        return counts

    propose(1)
    few = queries()
    propose(4)
    assert queries() == few
