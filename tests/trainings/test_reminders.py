"""Reminders 7 days and 1 day before, to the person and their referents, sent once."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from maillage.trainings.models import Reminder
from maillage.trainings.reminders import send_reminders

from ..factories import RoleFactory
from .factories import RegistrationFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_referent(staff_organisation):
    return RoleFactory(
        user__email="referente.ville@example.org", kind="referent", organisation=staff_organisation
    ).user


def registered(session, organisation, number: int, *, days_ago: int = 30):
    return RegistrationFactory(
        session=session,
        organisation=organisation,
        email=f"agent{number}@example.org",
        first_name="Agent",
        last_name=f"Numéro {number}",
        confirmed_at=timezone.now() - timedelta(days=days_ago),
    )


def run(committed) -> str:
    out = io.StringIO()
    with committed():
        call_command("training-reminders", stdout=out)
    return out.getvalue()


def test_seven_days_before_the_person_and_the_referent_are_reminded_once(
    module, staff_organisation, staff_referent, mailoutbox, committed
):
    session = SessionFactory(module=module, slots__days_ahead=7)
    first = registered(session, staff_organisation, 1)
    registered(session, staff_organisation, 2)

    assert run(committed) == "2 rappel(s) envoyé(s).\n"
    assert run(committed) == "0 rappel(s) envoyé(s).\n"

    to = sorted(message.to[0] for message in mailoutbox)
    assert to == ["agent1@example.org", "agent2@example.org", "referente.ville@example.org"]
    person = next(m for m in mailoutbox if m.to == ["agent1@example.org"])
    assert "commence dans 7 jours" in person.body
    assert first.access_url() in person.body
    digest = next(m for m in mailoutbox if m.to == ["referente.ville@example.org"])
    assert "Agent Numéro 1, Agent d'accueil" in digest.body
    assert "Agent Numéro 2, Agent d'accueil" in digest.body
    assert "dans 7 jours" in digest.body
    assert Reminder.objects.filter(days_before=7).count() == 2


def test_the_day_before_comes_a_second_reminder(module, staff_organisation, mailoutbox, committed):
    session = SessionFactory(module=module, slots__days_ahead=7)
    registration = registered(session, staff_organisation, 1)
    today = timezone.localdate()
    with committed():
        send_reminders(today=today)

    with committed():
        assert send_reminders(today=today + timedelta(days=6)) == 1
        assert send_reminders(today=today + timedelta(days=6)) == 0

    assert [m.to for m in mailoutbox] == [["agent1@example.org"], ["agent1@example.org"]]
    assert "commence demain" in mailoutbox[1].body
    assert set(registration.reminders.values_list("days_before", flat=True)) == {1, 7}


def test_no_reminder_too_early_nor_for_the_waiting_list_nor_a_cancelled_session(
    module, staff_organisation, mailoutbox, committed
):
    far = SessionFactory(module=module, slots__days_ahead=12)
    registered(far, staff_organisation, 1)
    near = SessionFactory(module=module, slots__days_ahead=5)
    RegistrationFactory(session=near, organisation=staff_organisation, status="waiting")
    cancelled = SessionFactory(module=module, slots__days_ahead=5, status="cancelled")
    registered(cancelled, staff_organisation, 3)

    with committed():
        assert send_reminders() == 0

    assert mailoutbox == []


def test_someone_registered_within_the_week_gets_no_seven_day_reminder(
    module, staff_organisation, mailoutbox, committed
):
    session = SessionFactory(module=module, slots__days_ahead=5)
    registered(session, staff_organisation, 1, days_ago=1)
    registered(session, staff_organisation, 2, days_ago=20)

    with committed():
        assert send_reminders() == 1

    assert [m.to for m in mailoutbox] == [["agent2@example.org"]]
