"""The public agenda as an iCalendar feed (RFC 5545), built with the `icalendar` package:
one VEVENT per published or cancelled event (STATUS:CANCELLED), in Europe/Paris time.

It says what the public agenda says, nothing more. UIDs are stable (one per event), so a
calendar that subscribed updates an event when it moves and marks it cancelled.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from maillage.trainings.ical import TZID, paris_timezone

from .models import AwarenessEvent

PRODID = "-//Maillage//Agenda de prévention//FR"


def event_uid(event: AwarenessEvent, host: str) -> str:
    return f"maillage-action-{event.pk}@{host or 'maillage'}"


def event_component(event: AwarenessEvent, *, base: str, host: str, stamp: datetime) -> Event:
    url = base + event.get_absolute_url()
    component = Event()
    component.add("uid", event_uid(event, host))
    component.add("dtstamp", stamp)
    component.add("last-modified", event.updated_at.astimezone(UTC))
    component.add("dtstart", timezone.localtime(event.starts_at))
    component.add("dtend", timezone.localtime(event.ends_at))
    component.add("summary", event.title)
    place = ", ".join(
        part for part in [event.place_name, event.address, str(event.commune or "")] if part
    )
    component.add("location", place)
    lines = [
        _("%(kind)s — public : %(audience)s")
        % {"kind": event.get_kind_display(), "audience": event.get_audience_display()},
        _("Organisé par %(organiser)s") % {"organiser": event.organiser.name},
    ]
    if not event.is_open_to_public:
        lines.append(_("Action réservée (non ouverte à tous)."))
    if event.description:
        lines.append(event.description)
    lines.append(url)
    component.add("description", "\n\n".join(lines))
    component.add("url", url)
    component.add(
        "status",
        "CANCELLED" if event.status == AwarenessEvent.Status.CANCELLED else "CONFIRMED",
    )
    return component


def agenda_calendar(events: Iterable[AwarenessEvent], *, base: str, host: str) -> bytes:
    """The feed of the given events (the view chooses and filters them)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _("Agenda de la prévention des violences sexistes et sexuelles"))
    calendar.add("x-wr-timezone", TZID)
    calendar.add_component(paris_timezone())
    stamp = datetime.now(UTC)
    for event in events:
        calendar.add_component(event_component(event, base=base, host=host, stamp=stamp))
    return calendar.to_ical()
