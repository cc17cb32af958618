"""Reminders to the pilots before each COPIL: 14 and 3 days before, once each."""

from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from maillage.network.emails import send_plan_reminders
from maillage.network.models import Meeting, PlanReminder

from ..factories import OrganisationFactory
from .factories import ActionSheetFactory, MeetingFactory

TODAY = timezone.localdate()


def on(day, hour=14):
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def copil(contract):
    return MeetingFactory(contract=contract, starts_at=on(TODAY + timedelta(days=14)))


@pytest.fixture
def sheets(priorities, organisation, other_organisation, referent, other_referent, territory):
    return [
        ActionSheetFactory(priority=priorities[0], pilot=organisation, title="Primo-accueil"),
        ActionSheetFactory(priority=priorities[1], pilot=organisation, title="Guide"),
        ActionSheetFactory(priority=priorities[2], pilot=other_organisation, title="Diagnostic"),
        # closed: nothing to update
        ActionSheetFactory(
            priority=priorities[2],
            pilot=OrganisationFactory(territory=territory, name="Fermée"),
            done=True,
        ),
    ]


def test_pilots_referents_are_reminded_14_days_before_a_copil_once(
    copil, sheets, referent, other_referent, committed
):
    with committed():
        assert send_plan_reminders(today=TODAY) == 2
    assert len(mail.outbox) == 2
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {referent.email, other_referent.email}
    message = by_recipient[referent.email]
    assert "mettez à jour vos fiches action" in message.subject
    assert "Primo-accueil" in message.body
    assert "Guide" in message.body
    assert "Diagnostic" not in message.body
    assert sheets[0].get_absolute_url() in message.body

    with committed():
        assert send_plan_reminders(today=TODAY) == 0
    assert len(mail.outbox) == 2
    assert PlanReminder.objects.filter(days_before=14).count() == 2


def test_a_second_reminder_three_days_before(copil, sheets, committed):
    with committed():
        send_plan_reminders(today=TODAY)
        assert send_plan_reminders(today=TODAY + timedelta(days=5)) == 0  # between the two
        assert send_plan_reminders(today=TODAY + timedelta(days=11)) == 2
        assert send_plan_reminders(today=TODAY + timedelta(days=12)) == 0
    assert len(mail.outbox) == 4
    assert PlanReminder.objects.filter(days_before=3).count() == 2


def test_no_reminder_for_a_cotech_a_held_or_a_cancelled_copil(contract, sheets, committed):
    day = on(TODAY + timedelta(days=14))
    MeetingFactory(contract=contract, kind=Meeting.Kind.COTECH, starts_at=day)
    MeetingFactory(contract=contract, starts_at=day, status=Meeting.Status.CANCELLED)
    with committed():
        assert send_plan_reminders(today=TODAY) == 0
    assert mail.outbox == []


def test_the_daily_command_sends_the_reminders(copil, sheets, committed, capsys):
    with committed():
        call_command("plan-reminders")
    assert "2 rappel(s) envoyé(s)." in capsys.readouterr().out
    assert len(mail.outbox) == 2


def test_a_pilot_without_referent_gets_nothing(copil, priorities, territory, committed):
    ActionSheetFactory(priority=priorities[0], pilot=OrganisationFactory(territory=territory))
    with committed():
        assert send_plan_reminders(today=TODAY) == 0
    assert not PlanReminder.objects.exists()
