import pytest
from django.db import IntegrityError

from maillage.directory.models import Place, Visibility

from ..conftest import login_with_second_factor
from .factories import PhoneFactory, PlaceFactory, ServiceFactory

pytestmark = pytest.mark.django_db


def test_a_hidden_address_never_shows(client):
    place = PlaceFactory(address="12 rue Secrète", latitude=None, longitude=None, hide_address=True)
    html = client.get(place.service.get_absolute_url()).content.decode()
    assert "rue Secrète" not in html
    assert "Angers" in html
    search = client.get("/annuaire/", {"q": place.service.name}).content.decode()
    assert "rue Secrète" not in search


def test_a_hidden_place_cannot_keep_coordinates():
    place = PlaceFactory.build(service=ServiceFactory(), hide_address=True)
    place.commune.save()
    with pytest.raises(IntegrityError):
        Place.objects.bulk_create([place])


def test_professional_phones_show_only_to_professionals(client, referent):
    service = ServiceFactory(name="Accueil")
    PhoneFactory(service=service, number="02 41 00 00 01")
    PhoneFactory(service=service, number="02 41 00 00 02", visibility=Visibility.PROFESSIONALS)

    public = client.get(service.get_absolute_url()).content.decode()
    assert "02 41 00 00 01" in public
    assert "02 41 00 00 02" not in public

    client.force_login(referent)
    professional = client.get(service.get_absolute_url()).content.decode()
    assert "02 41 00 00 02" in professional
    assert "Réservé aux professionnels" in professional


def test_unpublished_service_answers_404(client):
    service = ServiceFactory(status="draft")
    assert client.get(service.get_absolute_url()).status_code == 404


def test_the_administrator_edits_the_taxonomy_in_the_admin(client, administrator):
    from maillage.directory.models import Term

    login_with_second_factor(client, administrator)
    term = Term.objects.get(vocabulary="help", code="ecoute")
    response = client.get(f"/admin/directory/term/{term.pk}/change/")
    assert response.status_code == 200
    assert "data·inclusion" in response.content.decode()
