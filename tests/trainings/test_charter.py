"""The nightlife charter: venues are organisations of kind "nightlife"; each year they apply,
the follow-up committee grants the label or not; the public page lists the labelled venues of
the year, and sets no cookie."""

from datetime import date

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from maillage.core.models import Organisation
from maillage.trainings.charter import decide_label
from maillage.trainings.models import CharterApplication

from ..factories import CommuneFactory, OrganisationFactory

THIS_YEAR = timezone.localdate().year


@pytest.fixture
def venue(territory):
    return OrganisationFactory(
        territory=territory,
        name="Le Comptoir des Ardoises",
        kind=Organisation.Kind.NIGHTLIFE,
        commune=CommuneFactory(insee_code="49007", name="Angers"),
    )


def apply(venue, year=THIS_YEAR, **fields) -> CharterApplication:
    return CharterApplication.objects.create(
        venue=venue,
        year=year,
        contact_name="Alex Gérant",
        commitments=["training", "campaign"],
        staff_count=6,
        submitted_on=date(year, 2, 1),
        **fields,
    )


def test_the_public_page_lists_only_the_venues_labelled_this_year(client, venue, territory):
    decide_label(application=apply(venue), decision="granted", on=date(THIS_YEAR, 3, 1))
    last_year = OrganisationFactory(territory=territory, name="Le Bar d'Antan", kind="nightlife")
    decide_label(application=apply(last_year, THIS_YEAR - 1), decision="granted", on=date.today())
    refused = OrganisationFactory(territory=territory, name="Le Refusé", kind="nightlife")
    decide_label(application=apply(refused), decision="refused", on=date.today())
    withdrawn = OrganisationFactory(territory=territory, name="Le Retiré", kind="nightlife")
    decide_label(application=apply(withdrawn), decision="withdrawn", on=date.today())
    apply(OrganisationFactory(territory=territory, name="L'En Attente", kind="nightlife"))

    response = client.get(reverse("trainings:labelled_venues"))

    html = response.content.decode()
    assert response.status_code == 200
    assert not response.cookies
    assert html.count("data-venue") == 1
    assert "Le Comptoir des Ardoises" in html and "Angers" in html
    for name in ["Le Bar d&#x27;Antan", "Le Refusé", "Le Retiré", "L&#x27;En Attente"]:
        assert name not in html


def test_a_venue_applies_once_a_year(venue):
    apply(venue)
    with pytest.raises(IntegrityError):
        apply(venue)


def test_the_coordinator_records_an_application_and_the_committees_decision(
    login, coordinator, venue
):
    client = login(coordinator)
    response = client.post(
        reverse("trainings:charter_application_add"),
        {
            "venue": venue.pk,
            "year": THIS_YEAR,
            "contact_name": "Alex Gérant",
            "contact_email": "contact@comptoir.example.org",
            "commitments": ["training", "alert"],
            "staff_count": 8,
            "submitted_on": f"{THIS_YEAR}-02-03",
        },
    )
    assert response.status_code == 302
    application = CharterApplication.objects.get()
    assert application.commitments == ["training", "alert"]
    assert application.decision == "pending"

    url = reverse("trainings:charter_application_decide", args=[application.pk])
    assert client.post(url, {"decision": "granted", "decided_on": ""}).status_code == 422
    response = client.post(
        url, {"decision": "granted", "decided_on": f"{THIS_YEAR}-03-10", "comment": "Unanime."}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.is_labelled
    assert application.decided_on == date(THIS_YEAR, 3, 10)

    listing = client.get(reverse("trainings:charter_applications")).content.decode()
    assert "Le Comptoir des Ardoises" in listing and "Label accordé" in listing


def test_only_nightlife_venues_can_apply(login, coordinator, organisation):
    response = login(coordinator).post(
        reverse("trainings:charter_application_add"),
        {"venue": organisation.pk, "year": THIS_YEAR, "contact_name": "X", "staff_count": 1,
         "submitted_on": f"{THIS_YEAR}-02-03"},
    )  # fmt: skip
    assert response.status_code == 200
    assert not CharterApplication.objects.exists()


def test_a_referent_cannot_reach_the_charter_workspace(login, referent, venue):
    client = login(referent)
    assert client.get(reverse("trainings:charter_applications")).status_code == 403
    application = apply(venue)
    url = reverse("trainings:charter_application_decide", args=[application.pk])
    assert client.post(url, {"decision": "granted", "decided_on": "2024-01-01"}).status_code == 403


def test_another_territorys_coordinator_cannot_see_the_application(login, other_coordinator, venue):
    application = apply(venue)
    url = reverse("trainings:charter_application_edit", args=[application.pk])
    assert login(other_coordinator).get(url).status_code == 404


def test_the_public_page_offers_a_map_of_the_labelled_venues_with_coordinates(
    client, venue, territory
):
    venue.latitude, venue.longitude = 47.4712, -0.5518
    venue.save()
    decide_label(application=apply(venue), decision="granted", on=date.today())
    unlabelled = OrganisationFactory(
        territory=territory, name="Le Refusé", kind="nightlife", latitude=47.47, longitude=-0.55
    )
    decide_label(application=apply(unlabelled), decision="refused", on=date.today())
    unmapped = OrganisationFactory(territory=territory, name="Le Sans Adresse", kind="nightlife")
    decide_label(application=apply(unmapped), decision="granted", on=date.today())

    response = client.get(reverse("trainings:labelled_venues"))

    html = response.content.decode()
    assert not response.cookies
    assert 'id="map-points"' in html and "data-map hidden" in html
    assert "tuiles.example.org" in response.headers["Content-Security-Policy"]
    points = response.context["map_points"]
    assert [(p["name"], p["lat"], p["lon"]) for p in points] == [
        ("Le Comptoir des Ardoises", 47.4712, -0.5518)
    ]
    assert html.count("data-venue") == 2 and "Le Sans Adresse" in html
    assert "Le Refusé" not in html


def test_without_coordinates_there_is_no_map(client, venue):
    decide_label(application=apply(venue), decision="granted", on=date.today())

    html = client.get(reverse("trainings:labelled_venues")).content.decode()

    assert "data-venue" in html
    assert "map-points" not in html and "data-map" not in html
