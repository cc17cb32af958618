"""`maillage survey-reminders`: one reminder per address not answered, from N days before the
closing day; surveys past their closing day are closed."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from maillage.network.models import Invitation, Response, Survey
from maillage.network.survey_services import close_expired_surveys, send_survey_reminders

from .survey_factories import InvitationFactory, build_survey

TODAY = date.today()


@pytest.fixture
def survey(contract):
    """Closes in 5 days; reminders from 7 days before."""
    return build_survey(contract, open=True, closes_on=TODAY + timedelta(days=5), reminder_days=7)


@pytest.fixture
def invitations(survey, organisation, other_organisation):
    sent = timezone.now() - timedelta(days=10)
    return [
        InvitationFactory(
            survey=survey, organisation=organisation, email="a@example.org", sent_at=sent
        ),
        InvitationFactory(
            survey=survey, organisation=other_organisation, email="b@example.org", sent_at=sent
        ),
    ]


def test_reminders_go_once_to_those_who_have_not_answered(
    survey, invitations, organisation, django_capture_on_commit_callbacks, mailoutbox
):
    Response.objects.create(survey=survey, organisation=organisation)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_survey_reminders() == 1
    assert [m.to for m in mailoutbox] == [["b@example.org"]]
    assert "Rappel" in mailoutbox[0].subject
    assert f"/enquetes/{invitations[1].token}/" in mailoutbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        assert send_survey_reminders() == 0
    assert len(mailoutbox) == 1
    assert Invitation.objects.get(email="b@example.org").reminded_at is not None


def test_no_reminder_before_the_reminder_day(survey, invitations, mailoutbox):
    Survey.objects.filter(pk=survey.pk).update(closes_on=TODAY + timedelta(days=8))
    assert send_survey_reminders() == 0


def test_no_reminder_for_a_closed_survey(survey, invitations):
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.CLOSED)
    assert send_survey_reminders() == 0


def test_the_command_closes_expired_surveys_and_reminds(
    contract, survey, invitations, django_capture_on_commit_callbacks, mailoutbox, capsys
):
    expired = build_survey(contract, open=True, closes_on=TODAY - timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("survey-reminders")
    expired.refresh_from_db()
    assert expired.status == Survey.Status.CLOSED
    assert len(mailoutbox) == 2
    assert "1 enquête(s) close(s), 2 relance(s)" in capsys.readouterr().out
    assert close_expired_surveys() == 0
