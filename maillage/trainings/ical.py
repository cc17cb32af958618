"""iCalendar feeds (RFC 5545), built with the `icalendar` package: one event per half-day,
in Europe/Paris time.

- A session's feed is public: it says what the public page says (the commune only when the
  address is for registrants, never the video link).
- A person's feed lists their registrations (confirmed, or a seat offered to them) with the
  full place and the link; its address carries a secret token, like a private calendar URL.

Event UIDs are stable (one per slot), so a calendar that subscribed updates its events when a
session moves, and drops them when a registration is cancelled.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

from .emails import site_url
from .models import Registration, Trainee, TrainingSession, TrainingSlot

PRODID = "-//Maillage//Formations//FR"
TZID = "Europe/Paris"
EVENT_STATUS = {
    TrainingSession.Status.PLANNED: "TENTATIVE",
    TrainingSession.Status.OPEN: "TENTATIVE",
    TrainingSession.Status.CONFIRMED: "CONFIRMED",
    TrainingSession.Status.FULL: "CONFIRMED",
    TrainingSession.Status.HELD: "CONFIRMED",
    TrainingSession.Status.CANCELLED: "CANCELLED",
}


def paris_timezone() -> Timezone:
    """Europe/Paris as a compact VTIMEZONE: the EU rule since 1996 (last Sundays of March and
    October), readable by every calendar for any date of a training."""
    zone = Timezone()
    zone.add("tzid", TZID)
    summer = TimezoneDaylight()
    summer.add("tzname", "CEST")
    summer.add("dtstart", datetime(1996, 3, 31, 2, 0))
    summer.add("tzoffsetfrom", timedelta(hours=1))
    summer.add("tzoffsetto", timedelta(hours=2))
    summer.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1SU"})
    winter = TimezoneStandard()
    winter.add("tzname", "CET")
    winter.add("dtstart", datetime(1996, 10, 27, 3, 0))
    winter.add("tzoffsetfrom", timedelta(hours=2))
    winter.add("tzoffsetto", timedelta(hours=1))
    winter.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1SU"})
    zone.add_component(summer)
    zone.add_component(winter)
    return zone


def new_calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", TZID)
    calendar.add_component(paris_timezone())
    return calendar


def slot_event(
    slot: TrainingSlot,
    session: TrainingSession,
    *,
    for_registrant: bool,
    status: str = "",
    stamp: datetime,
) -> Event:
    base = site_url()
    module = session.module
    event = Event()
    event.add("uid", f"maillage-formation-{slot.pk}@{urlsplit(base).hostname or 'maillage'}")
    event.add("dtstamp", stamp)
    event.add("dtstart", slot.starts_at)
    event.add("dtend", slot.ends_at)
    event.add("summary", module.title)
    place = session.full_place if for_registrant else session.public_place
    if session.is_remote:
        place = ", ".join(part for part in [place, _("à distance")] if part)
    if place:
        event.add("location", place)
    lines = [module.summary] if module.summary else []
    if for_registrant and session.remote_url:
        lines.append(_("Lien de connexion : %(url)s") % {"url": session.remote_url})
    if for_registrant and session.practical_info:
        lines.append(session.practical_info)
    lines.append(base + session.get_absolute_url())
    event.add("description", "\n\n".join(lines))
    event.add("url", base + session.get_absolute_url())
    event.add("status", status or EVENT_STATUS[session.status])
    return event


def _sessions(queryset):
    return queryset.select_related("module", "commune").prefetch_related("slots")


def session_calendar(session: TrainingSession) -> bytes:
    """The public feed of one session."""
    session = _sessions(TrainingSession.objects.filter(pk=session.pk)).get()
    calendar = new_calendar(session.module.title)
    stamp = datetime.now(UTC)
    for slot in session.slot_list:
        calendar.add_component(slot_event(slot, session, for_registrant=False, stamp=stamp))
    return calendar.to_ical()


def registration_calendar(registration: Registration) -> bytes:
    """The session as the registrant sees it (attached to the confirmation email)."""
    session = _sessions(TrainingSession.objects.filter(pk=registration.session_id)).get()
    calendar = new_calendar(session.module.title)
    stamp = datetime.now(UTC)
    for slot in session.slot_list:
        calendar.add_component(slot_event(slot, session, for_registrant=True, stamp=stamp))
    return calendar.to_ical()


def person_calendar(trainee: Trainee) -> bytes:
    """The private feed of one person: their confirmed registrations and the seats offered."""
    calendar = new_calendar(_("Mes formations"))
    stamp = datetime.now(UTC)
    registrations = trainee.registrations.filter(
        status__in=[Registration.Status.CONFIRMED, Registration.Status.OFFERED]
    ).select_related("session")
    sessions = {
        session.pk: session
        for session in _sessions(
            TrainingSession.objects.filter(pk__in=[r.session_id for r in registrations])
        )
    }
    for registration in registrations:
        session = sessions[registration.session_id]
        status = "TENTATIVE" if registration.status == Registration.Status.OFFERED else ""
        for slot in session.slot_list:
            calendar.add_component(
                slot_event(slot, session, for_registrant=True, status=status, stamp=stamp)
            )
    return calendar.to_ical()
