"""Acceptance on the Angers demo: the public agenda lists the November events of the « Mois
pour agir » and its iCal feed parses with icalendar; the figures of the yearly review."""

from datetime import date

import pytest
from django.urls import reverse
from icalendar import Calendar

from maillage.core.models import Territory
from maillage.prevention.events import events_summary
from maillage.prevention.models import AwarenessEvent
from maillage.prevention.reuse import reuse_summary

pytestmark = pytest.mark.django_db


def test_the_agenda_lists_the_november_events_and_its_feed_parses(client, demo):
    november = AwarenessEvent.objects.in_agenda().filter(starts_at__year=2026, starts_at__month=11)
    assert 18 <= november.count() <= 24
    response = client.get(reverse("prevention:agenda"), {"mois": "2026-11"})
    html = response.content.decode()
    assert not response.cookies
    assert html.count("data-event") == november.count()
    for event in november:
        assert event.get_absolute_url() in html
    assert "Marche contre les violences faites aux femmes" in html
    assert "Annulé" in html

    response = client.get(reverse("prevention:agenda_ical"), {"mois": "2026-11"})
    calendar = Calendar.from_ical(response.content)
    summaries = [str(event["summary"]) for event in calendar.walk("VEVENT")]
    assert sorted(summaries) == sorted(event.title for event in november)
    feed = Calendar.from_ical(client.get(reverse("prevention:agenda_ical")).content)
    assert len(feed.walk("VEVENT")) >= november.count()

    territory = Territory.objects.get(slug="angers-loire-metropole")
    summary = events_summary(territory, date(2026, 11, 1), date(2026, 11, 30))
    assert summary["organisers"] == 22
    assert summary["events"] >= 18
    assert summary["attendance"] > 2000
    assert all(row["attendance"] is not None for row in summary["rows"])
    last_year = events_summary(territory, date(2025, 11, 1), date(2025, 11, 30))
    assert last_year["events"] >= 3 and last_year["attendance"] > 0

    reuse = reuse_summary(territory, date(2026, 1, 1), date(2026, 12, 31))
    assert 4 <= reuse["declarations"] <= 6
    assert reuse["new_actors"] >= 2
