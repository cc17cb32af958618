"""The iCal feeds parse with the icalendar package and carry the half-days in Paris time."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from maillage.trainings.registration import cancel_registration, register_person

from .factories import SessionFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
SUMMER_DAY = date(2031, 6, 17)  # CEST, UTC+2
WINTER_DAY = date(2031, 12, 2)  # CET, UTC+1


@pytest.fixture
def two_day_session(module):
    """A morning in June and an afternoon in December, with a confidential address."""
    return SessionFactory(
        module=module,
        address_for_registrants_only=True,
        remote_url="",
        slots=[(SUMMER_DAY, time(9), time(12, 30)), (WINTER_DAY, time(13, 30), time(17))],
    )


def events(content: bytes) -> list:
    calendar = Calendar.from_ical(content)
    return sorted(calendar.walk("VEVENT"), key=lambda event: event.start)


def test_the_session_feed_carries_each_half_day_in_paris_time(client, two_day_session):
    response = client.get(reverse("trainings:session_ics", args=[two_day_session.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert not response.cookies
    calendar = Calendar.from_ical(response.content)
    assert calendar["X-WR-TIMEZONE"] == "Europe/Paris"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    summer, winter = events(response.content)
    assert summer.start == datetime(2031, 6, 17, 9, 0, tzinfo=PARIS)
    assert summer.end == datetime(2031, 6, 17, 12, 30, tzinfo=PARIS)
    assert summer.start.utcoffset() == timedelta(hours=2)
    assert winter.start == datetime(2031, 12, 2, 13, 30, tzinfo=PARIS)
    assert winter.end == datetime(2031, 12, 2, 17, 0, tzinfo=PARIS)
    assert winter.start.utcoffset() == timedelta(hours=1)
    assert str(summer["SUMMARY"]) == two_day_session.module.title
    assert summer["DTSTART"].params["TZID"] == "Europe/Paris"
    assert summer["UID"] != winter["UID"]
    assert str(summer["STATUS"]) == "TENTATIVE"  # open, not yet confirmed


def test_the_public_feed_never_gives_a_confidential_address(client, two_day_session):
    response = client.get(reverse("trainings:session_ics", args=[two_day_session.pk]))

    summer, _winter = events(response.content)
    assert str(summer["LOCATION"]) == "Angers"
    assert b"rue des Lices" not in response.content


def test_the_person_feed_lists_their_sessions_with_the_full_place(
    client, two_day_session, module, person
):
    other = SessionFactory(module=module, slots__days_ahead=60)
    registration = register_person(
        session=two_day_session, person=person(1), by=None, notify_people=False
    )
    left = register_person(session=other, person=person(1), by=None, notify_people=False)
    cancel_registration(registration=left, by=None, notify_person=False)

    response = client.get(registration.trainee.calendar_url())

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert not response.cookies
    summer, winter = events(response.content)  # the cancelled session is gone
    assert summer.start == datetime(2031, 6, 17, 9, 0, tzinfo=PARIS)
    assert winter.end == datetime(2031, 12, 2, 17, 0, tzinfo=PARIS)
    assert "12 rue des Lices" in str(summer["LOCATION"])


def test_a_made_up_feed_token_answers_404(client):
    response = client.get(reverse("trainings:person_calendar", args=["pas-un-jeton"]))

    assert response.status_code == 404


def test_the_feed_of_a_cancelled_session_marks_its_events_cancelled(client, two_day_session):
    from maillage.trainings.services import cancel_session

    cancel_session(session=two_day_session, by=None, reason="Reportée")

    response = client.get(reverse("trainings:session_ics", args=[two_day_session.pk]))

    assert {str(event["STATUS"]) for event in events(response.content)} == {"CANCELLED"}


def test_the_attached_calendar_gives_the_video_link_to_the_registrant(module, person):
    from maillage.trainings.ical import registration_calendar

    session = SessionFactory(module=module, remote_url="https://visio.example.org/salle")
    registration = register_person(session=session, person=person(1), by=None, notify_people=False)

    event = events(registration_calendar(registration))[0]

    assert "https://visio.example.org/salle" in str(event["DESCRIPTION"])
    assert "à distance" in str(event["LOCATION"])
