"""Registration rules: seats, waiting list, offers, duplicates, deadlines, emails."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from maillage.trainings.models import Registration, Trainee, TrainingSession
from maillage.trainings.registration import (
    AlreadyRegistered,
    CannotCancel,
    OfferUnavailable,
    RegistrationClosed,
    accept_offer,
    cancel_registration,
    expire_offers,
    register_people,
    register_person,
)
from maillage.trainings.services import cancel_session, confirm_session

from .factories import SessionFactory

pytestmark = pytest.mark.django_db

R = Registration.Status
S = TrainingSession.Status


def fill(session, person, count: int, *, start: int = 0) -> list[Registration]:
    return register_people(
        session=session,
        people=[person(start + n) for n in range(count)],
        by=None,
        notify_people=False,
    )


def test_a_professional_registers_and_gets_a_seat(session, person, professional):
    registration = register_person(session=session, person=person(1), by=professional)

    assert registration.status == R.CONFIRMED
    assert registration.confirmed_at is not None
    assert registration.email_key == "agent1@example.org"
    assert registration.commune is None  # the organisation has no commune in this test
    assert registration.registered_by == professional
    assert Trainee.objects.get().email_key == "agent1@example.org"
    session.refresh_from_db()
    assert session.seats_left == 11


def test_the_same_person_is_one_trainee_across_sessions(module, session, person):
    other = SessionFactory(module=module, slots__days_ahead=40)

    register_person(session=session, person=person(1), by=None, notify_people=False)
    register_person(
        session=other, person=person(1, email=" Agent1@Example.org "), by=None, notify_people=False
    )

    assert Trainee.objects.count() == 1
    assert Registration.objects.filter(trainee__email_key="agent1@example.org").count() == 2


def test_duplicate_registration_is_refused_with_a_french_message(session, person):
    register_person(session=session, person=person(1), by=None, notify_people=False)

    with pytest.raises(AlreadyRegistered) as refusal:
        register_person(session=session, person=person(2, email="AGENT1@example.org"), by=None)

    assert str(refusal.value) == (
        "Déjà inscrit·e à cette session : Agent Numéro 1 (agent1@example.org)."
    )
    assert session.registrations.count() == 1


def test_the_same_email_twice_in_one_list_is_refused_and_nothing_is_written(session, person):
    with pytest.raises(AlreadyRegistered, match="figure deux fois dans la liste"):
        register_people(session=session, people=[person(1), person(2), person(1)], by=None)

    assert not Registration.objects.exists()


def test_the_database_refuses_a_second_active_registration_of_the_same_person(session, person):
    from django.db import IntegrityError, transaction

    first = register_person(session=session, person=person(1), by=None, notify_people=False)
    copy = Registration(
        session=session,
        trainee=first.trainee,
        first_name="A",
        last_name="B",
        email="agent1@example.org",
        email_key="agent1@example.org",
        function="x",
        organisation=first.organisation,
        status=R.WAITING,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()


def test_someone_who_cancelled_may_register_again(session, person):
    first = register_person(session=session, person=person(1), by=None, notify_people=False)
    cancel_registration(registration=first, by=None, notify_person=False)

    again = register_person(session=session, person=person(1), by=None, notify_people=False)

    assert again.status == R.CONFIRMED
    assert session.registrations.count() == 2


def test_registration_after_the_deadline_is_refused(session, person):
    session.registration_deadline = timezone.localdate() - timedelta(days=1)
    session.save()

    with pytest.raises(RegistrationClosed) as refusal:
        register_person(session=session, person=person(1), by=None)

    deadline = session.registration_deadline.strftime("%d/%m/%Y")
    assert str(refusal.value) == f"La date limite d'inscription ({deadline}) est passée."
    assert not Registration.objects.exists()


def test_registration_on_the_deadline_day_is_accepted(session, person):
    session.registration_deadline = timezone.localdate()
    session.save()

    assert register_person(session=session, person=person(1), by=None, notify_people=False)


def test_registration_on_a_cancelled_session_is_refused(session, person):
    cancel_session(session=session, by=None, reason="Formatrice indisponible")

    with pytest.raises(RegistrationClosed, match=r"Cette session est annulée\."):
        register_person(session=session, person=person(1), by=None)


def test_registration_before_opening_or_after_the_start_is_refused(module, person):
    planned = SessionFactory(module=module, status=S.PLANNED)
    with pytest.raises(RegistrationClosed, match="pas encore ouvertes"):
        register_person(session=planned, person=person(1), by=None)

    started = SessionFactory(module=module, slots__days_ahead=-1)
    with pytest.raises(RegistrationClosed, match="a commencé"):
        register_person(session=started, person=person(1), by=None)


def test_when_seats_run_out_people_go_on_the_waiting_list_in_order(module, person):
    session = SessionFactory(module=module, capacity=3)

    registrations = fill(session, person, 5)

    assert [r.status for r in registrations] == [R.CONFIRMED] * 3 + [R.WAITING] * 2
    session.refresh_from_db()
    assert session.status == S.FULL
    assert [r.waiting_position() for r in registrations[3:]] == [1, 2]


def test_a_cancellation_offers_the_seat_to_the_first_in_line(module, person, mailoutbox, committed):
    session = SessionFactory(module=module, capacity=2)
    first, _second, third, fourth = fill(session, person, 4)

    with committed():
        cancel_registration(registration=first, by=None)

    third.refresh_from_db()
    fourth.refresh_from_db()
    assert third.status == R.OFFERED
    assert fourth.status == R.WAITING
    expected = timezone.now() + timedelta(hours=48)
    assert abs(third.offer_expires_at - expected) < timedelta(minutes=1)
    session.refresh_from_db()
    assert session.status == S.FULL  # the offered seat is held
    assert sorted(m.to[0] for m in mailoutbox) == ["agent0@example.org", "agent2@example.org"]
    offer = next(m for m in mailoutbox if m.to == ["agent2@example.org"])
    assert offer.subject.startswith("[Maillage] Une place s'est libérée")
    assert third.access_url() in offer.body


def test_the_offered_person_takes_the_seat_and_gets_the_confirmation(
    module, person, mailoutbox, committed
):
    session = SessionFactory(module=module, capacity=1)
    first, second = fill(session, person, 2)
    cancel_registration(registration=first, by=None, notify_person=False)
    second.refresh_from_db()

    with committed():
        accepted = accept_offer(registration=second)

    assert accepted.status == R.CONFIRMED
    assert accepted.offer_expires_at is None
    assert [m.to for m in mailoutbox] == [["agent1@example.org"]]
    assert mailoutbox[0].subject.startswith("[Maillage] Inscription confirmée")


def test_an_offer_not_taken_in_time_passes_to_the_next(module, person, mailoutbox, committed):
    session = SessionFactory(module=module, capacity=1)
    first, second, third = fill(session, person, 3)
    cancel_registration(registration=first, by=None, notify_person=False)
    second.refresh_from_db()

    with pytest.raises(OfferUnavailable, match="a expiré"):
        accept_offer(registration=second, now=second.offer_expires_at + timedelta(seconds=1))

    with committed():
        call_command("training-offers", stdout=io.StringIO())  # nothing due yet
    assert mailoutbox == []

    later = timezone.now() + timedelta(hours=49)
    with committed():
        assert expire_offers(now=later) == 1
        assert expire_offers(now=later) == 0  # idempotent

    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == R.EXPIRED
    assert third.status == R.OFFERED
    assert sorted(m.to[0] for m in mailoutbox) == ["agent1@example.org", "agent2@example.org"]


def test_an_offer_never_lasts_past_the_start_of_the_session(module, person):
    session = SessionFactory(module=module, capacity=1, slots__days_ahead=1)
    first, second = fill(session, person, 2)

    cancel_registration(registration=first, by=None, notify_person=False)

    second.refresh_from_db()
    assert second.offer_expires_at <= session.starts_at


def test_leaving_the_waiting_list_frees_no_seat(module, person):
    session = SessionFactory(module=module, capacity=1)
    _first, second, third = fill(session, person, 3)

    cancel_registration(registration=second, by=None, notify_person=False)

    third.refresh_from_db()
    assert third.status == R.WAITING
    assert third.waiting_position() == 1


def test_a_registration_cannot_be_cancelled_twice(session, person):
    registration = register_person(session=session, person=person(1), by=None)
    cancel_registration(registration=registration, by=None)

    with pytest.raises(CannotCancel, match="déjà annulée"):
        cancel_registration(registration=registration, by=None)


def test_more_capacity_offers_the_new_seats(module, person):
    from maillage.trainings.registration import refresh_seats

    session = SessionFactory(module=module, capacity=1)
    _first, second, third = fill(session, person, 3)
    session.capacity = 2
    session.save()

    refresh_seats(session)

    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.status, third.status) == (R.OFFERED, R.WAITING)


def test_the_confirmation_carries_the_convocation_and_the_session(
    session, person, mailoutbox, committed
):
    with committed():
        registration = register_person(session=session, person=person(1), by=None)

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["agent1@example.org"]
    assert message.subject == (
        "[Maillage] Inscription confirmée : "
        "Primo-accueil des victimes de violences sexistes et sexuelles"
    )
    names = [attachment[0] for attachment in message.attachments]
    assert names == [
        "convocation-primo-accueil-des-victimes-de-violences-sexistes-et-sexuelles.pdf",
        "primo-accueil-des-victimes-de-violences-sexistes-et-sexuelles.ics",
    ]
    assert message.attachments[0][1].startswith(b"%PDF")
    assert b"BEGIN:VCALENDAR" in message.attachments[1][1].encode()
    assert registration.access_url() in message.body
    assert registration.trainee.calendar_url() in message.body
    assert "12 rue des Lices" in message.body


def test_the_waiting_list_notice_gives_the_position(module, person, mailoutbox, committed):
    session = SessionFactory(module=module, capacity=1)
    with committed():
        fill(session, person, 1)
        register_person(session=session, person=person(7), by=None)

    assert mailoutbox[-1].to == ["agent7@example.org"]
    assert "en position 1" in mailoutbox[-1].body


def test_cancelling_a_session_cancels_every_registration_and_tells_each_person(
    module, person, mailoutbox, committed, coordinator
):
    session = SessionFactory(module=module, capacity=1)
    fill(session, person, 2)

    with committed():
        cancel_session(session=session, by=coordinator, reason="Formatrice indisponible")

    assert set(session.registrations.values_list("status", flat=True)) == {R.CANCELLED}
    assert len(mailoutbox) == 2
    assert all("Formatrice indisponible" in m.body for m in mailoutbox)


def test_a_session_is_confirmed_once_its_minimum_is_met(module, person):
    from maillage.trainings.models import InvalidTransition

    session = SessionFactory(module=module)  # minimum: 2
    fill(session, person, 1)
    with pytest.raises(InvalidTransition, match="au moins 2 inscrits"):
        confirm_session(session=session)

    fill(session, person, 1, start=10)
    confirmed = confirm_session(session=session)

    assert confirmed.status == S.CONFIRMED
    assert confirmed.confirmed_at is not None


def test_a_full_confirmed_session_reopens_as_confirmed_when_a_seat_frees(module, person):
    session = SessionFactory(module=module, capacity=2)
    first, _second = fill(session, person, 2)
    confirm_session(session=session)
    session.refresh_from_db()
    assert session.status == S.FULL

    cancel_registration(registration=first, by=None, notify_person=False)

    session.refresh_from_db()
    assert session.status == S.CONFIRMED


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite configuration only")
def test_on_sqlite_each_transaction_takes_the_write_lock_first():
    """SQLite ignores FOR UPDATE: seats hold because BEGIN IMMEDIATE lets one writer at a time
    read the seat count and write its registration (settings.py, `transaction_mode`)."""
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_an_email_that_no_longer_fits_is_not_sent(session, person, mailoutbox):
    from maillage.trainings.tasks import send_registration_email

    registration = register_person(session=session, person=person(1), by=None, notify_people=False)
    cancel_registration(registration=registration, by=None, notify_person=False)

    result = send_registration_email.enqueue(registration_id=registration.pk, kind="confirmed")

    assert result.return_value is False
    assert mailoutbox == []
