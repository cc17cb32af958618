"""The trainings in the workspace: who sees and does what, through the real views."""

import html
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from maillage.trainings.models import Module, Registration, TrainingSession
from maillage.trainings.registration import register_people, register_person

from ..factories import OrganisationFactory, RoleFactory
from .factories import ModuleFactory, RegistrationFactory, SessionFactory

pytestmark = pytest.mark.django_db

R = Registration.Status


def text(response) -> str:
    return html.unescape(response.content.decode())


def staff_data(people, *, organisation, rows: int = 5) -> dict:
    data = {
        "organisation": organisation.pk,
        "commune": "",
        "personne-TOTAL_FORMS": rows,
        "personne-INITIAL_FORMS": 0,
        "personne-MIN_NUM_FORMS": 0,
        "personne-MAX_NUM_FORMS": 50,
    }
    for index in range(rows):
        first, last, email, function = people[index] if index < len(people) else ("",) * 4
        data.update(
            {
                f"personne-{index}-first_name": first,
                f"personne-{index}-last_name": last,
                f"personne-{index}-email": email,
                f"personne-{index}-function": function,
            }
        )
    return data


TWO_STAFF = [
    ("Sophie", "Martin", "sophie.martin@example.org", "Agente d'accueil"),
    ("Karim", "Benali", "karim.benali@example.org", "Éducateur"),
]


# Permissions


@pytest.mark.parametrize(
    "name", ["trainings:module_list", "trainings:session_add", "trainings:module_add"]
)
def test_a_professional_cannot_manage_trainings(login, professional, name):
    assert login(professional).get(reverse(name)).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login(client, session):
    response = client.get(reverse("trainings:session_manage", args=[session.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_another_territorys_coordinator_does_not_see_the_session(login, other_coordinator, session):
    url = reverse("trainings:session_manage", args=[session.pk])

    assert login(other_coordinator).get(url).status_code == 404


def test_a_trainer_sees_their_session_and_its_registrants_only(login, trainer, module, person):
    theirs = SessionFactory(module=module)
    theirs.trainers.add(trainer)
    other = SessionFactory(module=module)
    register_person(session=theirs, person=person(1), by=None, notify_people=False)
    client = login(trainer)

    page = text(client.get(reverse("trainings:session_manage", args=[theirs.pk])))
    assert "NUMÉRO 1 Agent" in page
    assert "Annuler la session" not in page
    assert client.get(reverse("trainings:session_manage", args=[other.pk])).status_code == 404
    assert client.get(reverse("trainings:session_edit", args=[theirs.pk])).status_code == 403


def test_a_referent_cannot_cancel_another_organisations_registration(
    login, other_referent, session, person
):
    registration = register_person(session=session, person=person(1), by=None, notify_people=False)

    response = login(other_referent).post(
        reverse("trainings:registration_cancel", args=[registration.pk])
    )

    assert response.status_code == 404
    registration.refresh_from_db()
    assert registration.status == R.CONFIRMED


# Registration


def test_a_referent_registers_two_staff_members_at_once(
    login, referent, organisation, session, mailoutbox, committed
):
    client = login(referent)
    url = reverse("trainings:register_staff", args=[session.pk])
    assert "Inscrire des membres de mon équipe" in text(client.get(url))

    with committed():
        response = client.post(url, staff_data(TWO_STAFF, organisation=organisation))

    assert response.status_code == 302
    assert response["Location"] == reverse("trainings:workspace")
    registrations = session.registrations.order_by("last_name")
    assert [(r.full_name, r.organisation, r.registered_by, r.user) for r in registrations] == [
        ("Karim Benali", organisation, referent, None),
        ("Sophie Martin", organisation, referent, None),
    ]
    assert sorted(m.to[0] for m in mailoutbox) == [
        "karim.benali@example.org",
        "sophie.martin@example.org",
    ]
    home = text(client.get(reverse("trainings:workspace")))
    assert "Sophie Martin" in home and "Karim Benali" in home
    assert "2 personnes inscrites. Chacune reçoit un courriel." in home


def test_a_referent_cannot_register_staff_for_another_organisation(
    login, referent, other_organisation, session
):
    response = login(referent).post(
        reverse("trainings:register_staff", args=[session.pk]),
        staff_data(TWO_STAFF, organisation=other_organisation),
    )

    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in text(response)
    assert not session.registrations.exists()


def test_a_professional_cannot_register_staff(login, professional, session):
    url = reverse("trainings:register_staff", args=[session.pk])

    assert login(professional).get(url).status_code == 403


def test_registering_someone_already_registered_shows_a_french_message(
    login, referent, organisation, session, person
):
    register_person(
        session=session,
        person=person(1, email="sophie.martin@example.org"),
        by=None,
        notify_people=False,
    )

    response = login(referent).post(
        reverse("trainings:register_staff", args=[session.pk]),
        staff_data(TWO_STAFF, organisation=organisation),
    )

    page = text(response)
    assert "Le formulaire contient des erreurs ; personne n'a été inscrit." in page
    assert "Déjà inscrit·e à cette session : Agent Numéro 1 (sophie.martin@example.org)." in page
    assert session.registrations.count() == 1


def test_the_same_email_twice_in_the_staff_list_is_refused(login, referent, organisation, session):
    people = [*TWO_STAFF, ("Sophie", "Martin", "Sophie.Martin@example.org", "Agente")]

    response = login(referent).post(
        reverse("trainings:register_staff", args=[session.pk]),
        staff_data(people, organisation=organisation),
    )

    assert "L'adresse sophie.martin@example.org figure deux fois dans la liste." in text(response)
    assert not session.registrations.exists()


def test_a_professional_registers_then_cancels(
    login, professional, other_organisation, session, mailoutbox, committed
):
    client = login(professional)
    url = reverse("trainings:register_self", args=[session.pk])

    with committed():
        response = client.post(
            url,
            {
                "first_name": "Paul",
                "last_name": "Professionnel",
                "organisation": other_organisation.pk,
                "function": "Juriste",
                "commune": "",
            },
        )

    assert response.status_code == 302
    registration = session.registrations.get()
    assert (registration.user, registration.email, registration.status) == (
        professional,
        "professionnel@example.org",
        R.CONFIRMED,
    )
    home = text(client.get(reverse("trainings:workspace")))
    assert "Vous êtes inscrit·e." in home
    assert "Paul Professionnel" in home

    cancel_url = reverse("trainings:registration_cancel", args=[registration.pk])
    assert "Annuler cette inscription ?" in text(client.get(cancel_url))
    with committed():
        response = client.post(cancel_url, {"next": reverse("trainings:workspace")})

    assert response["Location"] == reverse("trainings:workspace")
    registration.refresh_from_db()
    assert registration.status == R.CANCELLED
    assert registration.cancelled_by == professional
    assert [m.subject.split(" :")[0] for m in mailoutbox] == [
        "[Maillage] Inscription confirmée",
        "[Maillage] Inscription annulée",
    ]


def test_registration_after_the_deadline_is_refused_in_the_page(login, professional, module):
    session = SessionFactory(
        module=module, registration_deadline=timezone.localdate() - timedelta(days=1)
    )

    response = login(professional).post(
        reverse("trainings:register_self", args=[session.pk]),
        {"first_name": "P", "last_name": "P", "organisation": "", "function": "x"},
    )

    assert "La date limite d'inscription" in text(response)
    assert not session.registrations.exists()


# The coordination


def test_the_coordinator_creates_a_module_with_a_slug_from_its_title(login, coordinator, territory):
    response = login(coordinator).post(
        reverse("trainings:module_add"),
        {
            "territory": territory.pk,
            "title": "Enfants exposés aux violences conjugales",
            "slug": "",
            "objectives": "Repérer l'enfant co-victime.",
            "duration_hours": "3.5",
            "audience": "Professionnels de l'enfance",
            "min_registrants": 6,
            "default_capacity": 15,
            "is_published": "on",
        },
    )

    assert response.status_code == 302
    assert Module.objects.get().slug == "enfants-exposes-aux-violences-conjugales"


def test_the_coordinator_creates_a_session_of_two_half_days(login, coordinator, module, trainer):
    day = (timezone.localdate() + timedelta(days=30)).isoformat()
    response = login(coordinator).post(
        reverse("trainings:session_add"),
        {
            "module": module.pk,
            "capacity": "",
            "registration_deadline": "",
            "place_name": "Hôtel de ville",
            "address": "Boulevard de la Résistance",
            "commune": "",
            "remote_url": "https://visio.example.org/x",
            "practical_info": "",
            "trainers": [trainer.pk],
            "demi-TOTAL_FORMS": 2,
            "demi-INITIAL_FORMS": 0,
            "demi-MIN_NUM_FORMS": 0,
            "demi-MAX_NUM_FORMS": 1000,
            "demi-0-date": day,
            "demi-0-start": "09:00",
            "demi-0-end": "12:30",
            "demi-1-date": day,
            "demi-1-start": "13:30",
            "demi-1-end": "17:00",
        },
    )

    session = TrainingSession.objects.get()
    assert response["Location"] == reverse("trainings:session_manage", args=[session.pk])
    assert session.capacity == module.default_capacity
    assert session.status == TrainingSession.Status.PLANNED
    assert [str(slot) for slot in session.slot_list] == [
        f"{session.slot_list[0].date:%d/%m/%Y} 09:00-12:30",
        f"{session.slot_list[0].date:%d/%m/%Y} 13:30-17:00",
    ]
    assert list(session.trainers.all()) == [trainer]


def test_a_session_needs_a_place_or_a_link_and_a_half_day(login, coordinator, module):
    response = login(coordinator).post(
        reverse("trainings:session_add"),
        {
            "module": module.pk,
            "capacity": 10,
            "demi-TOTAL_FORMS": 1,
            "demi-INITIAL_FORMS": 0,
            "demi-MIN_NUM_FORMS": 0,
            "demi-MAX_NUM_FORMS": 1000,
        },
    )

    page = text(response)
    assert "Indiquez le lieu (adresse et commune) ou le lien de visioconférence." in page
    assert "Indiquez au moins une demi-journée." in page
    assert not TrainingSession.objects.exists()


def test_the_coordinator_follows_a_session_through_its_statuses(
    login, coordinator, module, person, mailoutbox, committed
):
    session = SessionFactory(module=module, status=TrainingSession.Status.PLANNED, capacity=2)
    client = login(coordinator)
    transition = reverse("trainings:session_transition", args=[session.pk])

    client.post(transition, {"action": "open"})
    session.refresh_from_db()
    assert session.status == TrainingSession.Status.OPEN

    response = client.post(transition, {"action": "confirm"}, follow=True)
    assert "Il faut au moins 2 inscrits pour confirmer la session" in text(response)

    register_people(
        session=session, people=[person(1), person(2), person(3)], by=None, notify_people=False
    )
    client.post(transition, {"action": "confirm"})
    session.refresh_from_db()
    assert (session.status, bool(session.confirmed_at)) == (TrainingSession.Status.FULL, True)

    page = text(client.get(reverse("trainings:session_manage", args=[session.pk])))
    assert "2 personnes inscrites" in page
    assert "Liste d'attente : 1 personne" in page

    with committed():
        response = client.post(
            reverse("trainings:session_cancel", args=[session.pk]), {"reason": "Reportée"}
        )
    session.refresh_from_db()
    assert session.status == TrainingSession.Status.CANCELLED
    assert len(mailoutbox) == 3


def test_the_coordinator_cancels_a_registration_and_the_seat_is_offered(
    login, coordinator, module, person, mailoutbox, committed
):
    session = SessionFactory(module=module, capacity=1)
    first, second = register_people(
        session=session, people=[person(1), person(2)], by=None, notify_people=False
    )
    manage = reverse("trainings:session_manage", args=[session.pk])

    with committed():
        login(coordinator).post(
            reverse("trainings:registration_cancel", args=[first.pk]), {"next": manage}
        )

    second.refresh_from_db()
    assert second.status == R.OFFERED
    assert sorted(m.to[0] for m in mailoutbox) == ["agent1@example.org", "agent2@example.org"]


def test_the_session_list_searches_filters_and_counts_in_a_few_queries(
    login, coordinator, module, django_assert_max_num_queries
):
    for _ in range(6):
        session = SessionFactory(module=module)
        RegistrationFactory(session=session)
    other = ModuleFactory(territory=module.territory, title="Milieu festif")
    SessionFactory(module=other)
    client = login(coordinator)

    with django_assert_max_num_queries(12):
        page = text(client.get(reverse("trainings:session_list"), {"q": "festif"}))

    assert "1 session" in page
    assert "Milieu festif" in page
    page = text(client.get(reverse("trainings:session_list")))
    assert "7 sessions" in page
    assert "1 / 12" in page


def test_the_module_list_counts_in_a_few_queries(
    login, coordinator, territory, django_assert_max_num_queries
):
    for number in range(30):
        ModuleFactory(territory=territory, title=f"Module {number:02d}")
    ModuleFactory(title="Module d'un autre territoire")
    client = login(coordinator)

    with django_assert_max_num_queries(12):
        page = text(client.get(reverse("trainings:module_list")))

    assert "30 modules" in page
    assert "Page 1 sur 2" in page
    assert "autre territoire" not in page


def test_the_workspace_home_lists_in_a_few_queries(
    login, referent, organisation, module, django_assert_max_num_queries
):
    for _ in range(5):
        RegistrationFactory(session=SessionFactory(module=module), organisation=organisation)
    client = login(referent)

    with django_assert_max_num_queries(16):
        page = text(client.get(reverse("trainings:workspace")))

    assert page.count("Annuler<span") == 5


def test_a_structure_outside_the_referents_own_is_not_offered(login, referent, session):
    OrganisationFactory(territory=session.module.territory, name="Autre structure")
    RoleFactory(user=referent, kind="professional", organisation=OrganisationFactory())

    page = text(login(referent).get(reverse("trainings:register_staff", args=[session.pk])))

    assert "Solidarité Femmes 49" in page
    assert "Autre structure" not in page


def test_the_capacity_cannot_drop_below_the_people_registered(login, coordinator, module, person):
    session = SessionFactory(module=module, capacity=3)
    register_people(
        session=session, people=[person(1), person(2), person(3)], by=None, notify_people=False
    )
    slot = session.slot_list[0]
    data = {
        "module": module.pk,
        "capacity": 2,
        "place_name": session.place_name,
        "address": session.address,
        "commune": session.commune_id,
        "demi-TOTAL_FORMS": 1,
        "demi-INITIAL_FORMS": 1,
        "demi-MIN_NUM_FORMS": 0,
        "demi-MAX_NUM_FORMS": 1000,
        "demi-0-id": slot.pk,
        "demi-0-date": slot.date.isoformat(),
        "demi-0-start": "09:00",
        "demi-0-end": "12:30",
    }

    response = login(coordinator).post(reverse("trainings:session_edit", args=[session.pk]), data)

    assert "3 personnes sont déjà inscrites" in text(response)
    session.refresh_from_db()
    assert session.capacity == 3
