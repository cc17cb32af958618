import pytest
from django.urls import reverse

from maillage.core.models import Organisation

pytestmark = pytest.mark.django_db


def valid_data(**changes):
    data = {
        "name": "Maison Olympe",
        "acronym": "",
        "kind": "association",
        "siret": "",
        "address": "",
        "commune": "",
        "website": "",
        "public_phone": "",
        "public_email": "",
        "description": "",
    }
    data.update(changes)
    return data


def test_invalid_organisation_shows_french_errors_and_saves_nothing(login, coordinator, territory):
    client = login(coordinator)
    response = client.post(
        reverse("core:organisation_add"),
        valid_data(
            name="",
            kind="inconnu",
            siret="123",
            website="pas une url",
            public_phone="12",
            public_email="pas-une-adresse",
        ),
    )
    content = response.content.decode()

    assert response.status_code == 200
    assert "Le formulaire contient des erreurs ; rien n'a été enregistré." in content
    assert "Ce champ est obligatoire." in content
    assert "Un SIRET compte 14 chiffres." in content
    assert "Saisissez une adresse de courriel valide." in content
    assert "Saisissez un numéro français" in content
    assert "Saisissez une URL valide." in content
    assert "Sélectionnez un choix valide." in content
    assert Organisation.objects.count() == 0


def test_editing_an_organisation_keeps_its_history(login, referent, organisation):
    client = login(referent)
    url = reverse("core:organisation_edit", args=[organisation.pk])

    response = client.post(
        url, valid_data(name=organisation.name, public_phone="+33241000000", website="exemple.fr")
    )

    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.public_phone == "02 41 00 00 00"
    assert organisation.website == "https://exemple.fr"
    latest = organisation.history.latest()
    assert latest.history_user == referent
    assert latest.history_type == "~"
    assert latest.prev_record.public_phone == ""


def test_invalid_edit_leaves_the_organisation_unchanged(login, referent, organisation):
    client = login(referent)
    url = reverse("core:organisation_edit", args=[organisation.pk])
    response = client.post(url, valid_data(name="Nouveau nom", public_email="pas-une-adresse"))
    assert response.status_code == 200
    organisation.refresh_from_db()
    assert organisation.name == "Solidarité Femmes 49"
    assert organisation.history.count() == 1


def test_coordinator_creates_an_organisation_in_their_territory(login, coordinator, territory):
    client = login(coordinator)
    response = client.post(reverse("core:organisation_add"), valid_data())
    organisation = Organisation.objects.get()
    assert response["Location"] == reverse("core:organisation_manage", args=[organisation.pk])
    assert organisation.territory == territory


def test_a_coordinator_reverts_an_edit(login, coordinator, organisation):
    client = login(coordinator)
    client.post(
        reverse("core:organisation_edit", args=[organisation.pk]),
        valid_data(name="Nom erroné", public_email="contact@example.org"),
    )
    first = organisation.history.earliest()
    history_url = reverse("core:organisation_history", args=[organisation.pk])
    page = client.get(history_url).content.decode()
    assert "Nom erroné" in page
    assert "Rétablir cette version" in page

    response = client.post(
        reverse("core:organisation_revert", args=[organisation.pk, first.history_id])
    )

    assert response["Location"] == history_url
    organisation.refresh_from_db()
    assert organisation.name == "Solidarité Femmes 49"
    assert organisation.public_email == ""
    assert organisation.history.count() == 3


def test_a_referent_cannot_revert_another_organisation(login, referent, other_organisation):
    client = login(referent)
    first = other_organisation.history.earliest()
    url = reverse("core:organisation_revert", args=[other_organisation.pk, first.history_id])
    assert client.post(url).status_code == 403
