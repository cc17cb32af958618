"""The public pages: catalogue, module, session, calendar, and the page of an emailed link."""

import html
from datetime import date, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from maillage.trainings.models import Registration
from maillage.trainings.registration import cancel_registration, register_people, register_person

from .factories import ModuleFactory, SessionFactory

pytestmark = pytest.mark.django_db


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(response.content.decode())


def test_the_catalogue_lists_published_modules_with_their_next_sessions(
    client, module, session, django_assert_max_num_queries
):
    ModuleFactory(territory=module.territory, title="Module en préparation", is_published=False)

    with django_assert_max_num_queries(8):
        response = client.get(reverse("trainings:catalogue"))

    page = text(response)
    assert module.title in page
    assert "Module en préparation" not in page
    assert session.slot_list[0].date.strftime("%Y") in page
    assert "12 places restantes" in page
    assert not response.cookies


def test_the_module_page_shows_what_the_training_is(client, module, session):
    module.reference_material = "Kit de la MIPROF « Anna »"
    module.save()

    page = text(client.get(module.get_absolute_url()))

    assert "<h1>Primo-accueil des victimes de violences sexistes et sexuelles</h1>" in page
    assert "Kit de la MIPROF « Anna »" in page
    assert "Solidarité Femmes 49" in page
    assert "Maison des solidarités, 12 rue des Lices, Angers" in page


def test_an_unpublished_module_answers_404(client, module):
    module.is_published = False
    module.save()

    assert client.get(module.get_absolute_url()).status_code == 404


def test_the_session_page_hides_a_confidential_address_and_the_video_link(client, module):
    session = SessionFactory(
        module=module,
        address_for_registrants_only=True,
        remote_url="https://visio.example.org/secret",
    )

    page = text(client.get(session.get_absolute_url()))

    assert "12 rue des Lices" not in page
    assert "visio.example.org" not in page
    assert "adresse précise envoyée aux personnes inscrites" in page
    assert "Se connecter pour s'inscrire" in page


def test_the_session_page_says_when_registrations_are_closed(client, module):
    session = SessionFactory(
        module=module, registration_deadline=timezone.localdate() - timedelta(days=2)
    )

    page = text(client.get(session.get_absolute_url()))

    assert "La date limite d'inscription" in page
    assert "Se connecter pour s'inscrire" not in page


def test_the_session_page_offers_the_logged_in_professional_to_register(
    client, session, professional
):
    client.force_login(professional)

    page = text(client.get(session.get_absolute_url()))

    assert "M'inscrire" in page
    assert "Inscrire des membres de mon équipe" not in page


def test_the_calendar_lists_the_half_days_of_the_month(client, module):
    SessionFactory(
        module=module,
        slots=[
            (date(2031, 3, 4), time(9), time(12, 30)),
            (date(2031, 3, 4), time(13, 30), time(17)),
        ],
    )
    SessionFactory(module=module, slots=[(date(2031, 4, 1), time(9), time(12))])

    page = text(client.get(reverse("trainings:calendar"), {"mois": "2031-03"}))

    assert "Calendrier : mars 2031" in page
    assert "Mardi 4 mars" in page
    assert "9h00 \N{EN DASH} 12h30" in page
    assert "13h30 \N{EN DASH} 17h00" in page
    assert "1er avril" not in page and "1 avril" not in page
    assert 'href="?mois=2031-04"' in page
    assert 'href="?mois=2031-02"' in page


def test_the_calendar_ignores_a_malformed_month(client):
    page = text(client.get(reverse("trainings:calendar"), {"mois": "2031-13"}))

    assert "Aucune session ce mois-ci." in page


def test_the_emailed_link_lets_a_person_without_account_take_an_offered_seat(
    client, module, person
):
    session = SessionFactory(module=module, capacity=1)
    first, second = register_people(
        session=session, people=[person(1), person(2)], by=None, notify_people=False
    )
    cancel_registration(registration=first, by=None, notify_person=False)
    second.refresh_from_db()
    url = second.access_url()

    page = text(client.get(url))
    assert "Une place vous est proposée jusqu'au" in page
    assert Registration.objects.get(pk=second.pk).status == "offered"  # GET changes nothing

    response = client.post(url, {"action": "accept"})

    assert "C'est confirmé : la place est à vous." in text(response)
    assert not response.cookies
    second.refresh_from_db()
    assert second.status == "confirmed"


def test_the_emailed_link_lets_a_person_cancel(client, session, person):
    registration = register_person(session=session, person=person(1), by=None, notify_people=False)

    response = client.post(registration.access_url(), {"action": "cancel"})

    assert "Votre inscription est annulée." in text(response)
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_an_expired_offer_cannot_be_taken(client, module, person):
    session = SessionFactory(module=module, capacity=1)
    first, second = register_people(
        session=session, people=[person(1), person(2)], by=None, notify_people=False
    )
    cancel_registration(registration=first, by=None, notify_person=False)
    Registration.objects.filter(pk=second.pk).update(
        offer_expires_at=timezone.now() - timedelta(minutes=1)
    )

    response = client.post(second.access_url(), {"action": "accept"})

    assert response.status_code == 400
    assert "Cette proposition a expiré" in html.unescape(response.content.decode())


def test_a_made_up_registration_link_answers_404(client):
    assert client.get(reverse("trainings:registration_access", args=["x" * 43])).status_code == 404


def test_the_catalogue_reads_in_english(client, module, session):
    page = text(client.get("/en/formations/"))

    assert "<h1>Trainings</h1>" in page
    assert "Next sessions" in page
    assert "12 seats left" in page
