"""Awareness events, the pages: the public agenda (no cookie, by month, filters), the event page,
the iCal feed, and the workspace (a referent manages their organisation's events only, the
coordination all the events of its territory, with filters, totals and exports)."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from openpyxl import load_workbook

from maillage.prevention.models import Audience, AwarenessEvent

from ..factories import CommuneFactory, OrganisationFactory
from .event_factories import AwarenessEventFactory, local
from .factories import MaterialFactory

pytestmark = pytest.mark.django_db
E = AwarenessEvent


@pytest.fixture
def november(organisation, other_organisation, campaign):
    angers = CommuneFactory(insee_code="49007", name="Angers")
    avrille = CommuneFactory(insee_code="49015", name="Avrillé")
    public_guide = MaterialFactory(campaign=campaign, title="Guide public")
    restricted = MaterialFactory(campaign=campaign, title="Kit réservé", is_public=False)
    walk = AwarenessEventFactory(
        organiser=organisation,
        title="Marche du 25 novembre",
        kind=E.Kind.WALK,
        commune=angers,
        starts_at=local(2026, 11, 25, 18),
        partners=[other_organisation],
    )
    walk.materials.set([public_guide, restricted])
    return {
        "walk": walk,
        "school": AwarenessEventFactory(
            organiser=other_organisation,
            title="Intervention au collège",
            kind=E.Kind.SCHOOL,
            audience=Audience.AT_RISK,
            is_open_to_public=False,
            commune=avrille,
            starts_at=local(2026, 11, 13, 9),
        ),
        "cancelled": AwarenessEventFactory(
            organiser=organisation,
            title="Stand au marché",
            cancelled=True,
            commune=angers,
            starts_at=local(2026, 11, 7, 9),
        ),
        "draft": AwarenessEventFactory(
            organiser=organisation,
            title="Brouillon secret",
            draft=True,
            starts_at=local(2026, 11, 8),
        ),
        "december": AwarenessEventFactory(
            organiser=organisation, title="Action de décembre", starts_at=local(2026, 12, 3)
        ),
        "angers": angers,
    }


# Public agenda


def test_the_agenda_lists_the_months_events_day_by_day_without_cookie(client, november):
    response = client.get("/agenda/?mois=2026-11")
    html = response.content.decode()
    assert response.status_code == 200
    assert not response.cookies
    assert "Set-Cookie" not in response.headers
    assert "csrfmiddlewaretoken" not in html
    assert html.count("data-event") == 3
    assert "Marche du 25 novembre" in html and "Intervention au collège" in html
    assert "Brouillon secret" not in html
    assert "Action de décembre" not in html
    # Days in order, the cancelled one marked, the reserved one said so.
    assert html.index("Stand au marché") < html.index("Intervention au collège")
    assert html.index("Intervention au collège") < html.index("Marche du 25 novembre")
    assert "Annulé" in html
    assert "réservé" in html
    assert 'id="day-2026-11-25"' in html
    assert "?mois=2026-10" in html and "?mois=2026-12" in html
    assert reverse("prevention:agenda_ical") in html


def test_the_agenda_defaults_to_the_current_month(client, organisation):
    AwarenessEventFactory(
        organiser=organisation, title="Action de ce mois", starts_at=timezone.now()
    )
    html = client.get(reverse("prevention:agenda")).content.decode()
    assert "Action de ce mois" in html


def test_the_agenda_filters_by_commune_audience_and_kind(client, november):
    html = client.get("/agenda/", {"mois": "2026-11", "commune": "49015"}).content.decode()
    assert html.count("data-event") == 1 and "Intervention au collège" in html
    html = client.get("/agenda/", {"mois": "2026-11", "kind": "walk"}).content.decode()
    assert html.count("data-event") == 1 and "Marche du 25 novembre" in html
    html = client.get("/agenda/", {"mois": "2026-11", "audience": "at_risk"}).content.decode()
    assert html.count("data-event") == 1 and "Intervention au collège" in html
    # The feed's link keeps the filters.
    assert f"{reverse('prevention:agenda_ical')}?audience=at_risk" in html


def test_the_event_page_links_public_materials_to_the_library(client, november):
    walk = november["walk"]
    response = client.get(walk.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert not response.cookies
    assert "Marche du 25 novembre" in html
    assert walk.organiser.name in html and "CIDFF 49" in html
    guide = walk.materials.get(title="Guide public")
    assert f'<a href="{guide.get_absolute_url()}">Guide public</a>' in html
    restricted = walk.materials.get(title="Kit réservé")
    assert "Kit réservé" in html
    assert restricted.get_absolute_url() not in html


def test_a_draft_event_has_no_public_page(client, november):
    assert client.get(november["draft"].get_absolute_url()).status_code == 404
    assert client.get(november["cancelled"].get_absolute_url()).status_code == 200


def test_the_ical_feed_parses_and_marks_cancelled_events(client, november):
    response = client.get(reverse("prevention:agenda_ical"), {"mois": "2026-11"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert not response.cookies
    calendar = Calendar.from_ical(response.content)
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"Marche du 25 novembre", "Intervention au collège", "Stand au marché"}
    walk = events["Marche du 25 novembre"]
    assert str(walk["uid"]) == f"maillage-action-{november['walk'].pk}@testserver"
    assert str(walk["status"]) == "CONFIRMED"
    assert str(events["Stand au marché"]["status"]) == "CANCELLED"
    assert walk.decoded("dtstart") == local(2026, 11, 25, 18)
    assert "Angers" in str(walk["location"])
    assert str(walk["url"]).endswith(november["walk"].get_absolute_url())
    assert "dtstamp" in walk
    assert "réservée" in str(events["Intervention au collège"]["description"])
    # Same UID on the next fetch: subscribed calendars update the event.
    again = Calendar.from_ical(client.get("/agenda.ics?mois=2026-11").content)
    assert {str(e["uid"]) for e in again.walk("VEVENT")} == {str(e["uid"]) for e in events.values()}


def test_the_ical_feed_takes_the_agendas_filters(client, november):
    feed = client.get("/agenda.ics", {"kind": "school", "mois": "2026-11"})  # any day's clock
    calendar = Calendar.from_ical(feed.content)
    assert [str(e["summary"]) for e in calendar.walk("VEVENT")] == ["Intervention au collège"]


# Workspace


def event_data(organiser, **changes):
    starts_at = timezone.localtime() + timedelta(days=5)
    return {
        "organiser": organiser.pk,
        "title": "Stand au forum des associations",
        "kind": "stand",
        "audience": "general_public",
        "is_open_to_public": "on",
        "description": "",
        "starts_at": starts_at.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (starts_at + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "place_name": "Parc des expositions",
        "address": "",
        "commune": "",
        "campaign": "",
    } | changes


def test_a_referent_creates_and_submits_an_event_of_their_organisation(
    login, referent, organisation, other_organisation
):
    client = login(referent)
    data = event_data(organisation, partners=[other_organisation.pk], publish="1")
    response = client.post(reverse("prevention:event_create"), data)
    event = AwarenessEvent.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("prevention:event_edit", args=[event.pk])
    assert event.status == E.Status.SUBMITTED  # published once the coordination accepts it
    assert event.submitted_by == referent
    assert event.organiser == organisation
    assert event.created_by == referent
    assert list(event.partners.all()) == [other_organisation]


def test_the_form_says_in_french_when_the_end_comes_before_the_start(login, referent, organisation):
    data = event_data(organisation)
    data["ends_at"] = data["starts_at"]
    response = login(referent).post(reverse("prevention:event_create"), data)
    assert response.status_code == 200
    assert "La fin de l&#x27;action doit suivre son début." in response.content.decode()
    assert not AwarenessEvent.objects.exists()


def test_a_referent_cannot_organise_for_another_organisation(
    login, referent, organisation, other_organisation
):
    response = login(referent).post(
        reverse("prevention:event_create"), event_data(other_organisation)
    )
    assert response.status_code == 200  # not a choice of the form
    assert not AwarenessEvent.objects.exists()


def test_a_referent_cannot_touch_another_organisations_event(login, referent, other_organisation):
    event = AwarenessEventFactory(organiser=other_organisation, draft=True)
    client = login(referent)
    for name in ("event_edit", "event_cancel", "event_attendance"):
        assert client.get(reverse(f"prevention:{name}", args=[event.pk])).status_code == 404
    assert client.post(reverse("prevention:event_publish", args=[event.pk])).status_code == 404
    assert AwarenessEvent.objects.get().status == E.Status.DRAFT


def test_the_coordinator_of_another_territory_gets_404(login, other_coordinator, organisation):
    event = AwarenessEventFactory(organiser=organisation)
    client = login(other_coordinator)
    assert client.get(reverse("prevention:event_edit", args=[event.pk])).status_code == 404
    html = client.get(reverse("prevention:events")).content.decode()
    assert event.title not in html


def test_someone_without_a_referent_or_coordinator_role_is_refused(login, professional):
    client = login(professional)
    assert client.get(reverse("prevention:events")).status_code == 403
    assert client.get(reverse("prevention:event_create")).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(reverse("prevention:events"))
    assert response.status_code == 302
    assert "/compte/login/" in response.url


def test_cancelling_asks_for_a_confirmation(login, referent, organisation):
    event = AwarenessEventFactory(organiser=organisation)
    client = login(referent)
    url = reverse("prevention:event_cancel", args=[event.pk])
    html = client.get(url).content.decode()
    assert "Annuler cette action ?" in html
    assert AwarenessEvent.objects.get().status == E.Status.PUBLISHED
    client.post(url)
    assert AwarenessEvent.objects.get().status == E.Status.CANCELLED


def test_attendance_is_entered_after_the_event(login, referent, organisation):
    upcoming = AwarenessEventFactory(organiser=organisation)
    past = AwarenessEventFactory(organiser=organisation, past=True)
    client = login(referent)
    response = client.post(
        reverse("prevention:event_attendance", args=[upcoming.pk]), {"attendance": "30"}
    )
    assert "une fois l&#x27;action commencée" in response.content.decode()
    assert AwarenessEvent.objects.get(pk=upcoming.pk).attendance is None
    response = client.post(
        reverse("prevention:event_attendance", args=[past.pk]),
        {"attendance": "30", "note": "Beaucoup de questions sur le 3919."},
    )
    assert response.status_code == 302
    past.refresh_from_db()
    assert past.attendance == 30
    assert past.attendance_note == "Beaucoup de questions sur le 3919."


def test_the_coordinator_lists_the_territorys_events_with_totals_and_filters(
    login, coordinator, organisation, other_organisation, foreign_organisation
):
    held = AwarenessEventFactory(organiser=organisation, title="Marche", past=True, attendance=200)
    AwarenessEventFactory(
        organiser=other_organisation, title="Projection", past=True, attendance=80
    )
    AwarenessEventFactory(organiser=other_organisation, title="Stand à venir")
    AwarenessEventFactory(organiser=organisation, title="Brouillon", draft=True)
    AwarenessEventFactory(organiser=foreign_organisation, title="Action de Saumur")
    client = login(coordinator)
    html = client.get(reverse("prevention:events")).content.decode()
    assert "4 actions" in html
    assert "Action de Saumur" not in html
    assert "<dd data-held>2</dd>" in html
    assert "<dd data-reached>280</dd>" in html
    html = client.get(reverse("prevention:events"), {"organiser": organisation.pk}).content.decode()
    assert "2 actions" in html and "<dd data-reached>200</dd>" in html
    html = client.get(reverse("prevention:events"), {"status": "draft"}).content.decode()
    assert "1 action" in html and "Brouillon" in html
    start = timezone.localdate() + timedelta(days=1)
    html = client.get(reverse("prevention:events"), {"start": start.isoformat()}).content.decode()
    assert "Stand à venir" in html and held.title not in html.split("<tbody>")[1]


def test_the_event_list_runs_a_fixed_number_of_queries(
    login, coordinator, organisation, django_assert_max_num_queries
):
    for _n in range(30):
        AwarenessEventFactory(organiser=organisation, partners=[OrganisationFactory()])
    client = login(coordinator)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("prevention:events"))
    assert response.status_code == 200


def test_the_exports_are_safe_from_formulas(login, coordinator, organisation, other_organisation):
    AwarenessEventFactory(
        organiser=organisation, title="=HYPERLINK(1)", partners=[other_organisation], past=True
    )
    client = login(coordinator)
    response = client.get(reverse("prevention:events_csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Titre"
    assert rows[1][0] == "'=HYPERLINK(1)"
    assert rows[1][10] == other_organisation.name
    response = client.get(reverse("prevention:events_xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A2"].value == "'=HYPERLINK(1)"


def test_the_referents_list_shows_only_their_organisations_events(
    login, referent, organisation, other_organisation
):
    AwarenessEventFactory(organiser=organisation, title="Notre stand")
    AwarenessEventFactory(organiser=other_organisation, title="Leur projection")
    html = login(referent).get(reverse("prevention:events")).content.decode()
    assert "Notre stand" in html and "Leur projection" not in html


def test_the_agenda_runs_a_fixed_number_of_queries(
    client, organisation, django_assert_max_num_queries
):
    for day in range(1, 29):
        AwarenessEventFactory(organiser=organisation, starts_at=local(2026, 11, day, 10))
    with django_assert_max_num_queries(8):
        html = client.get("/agenda/?mois=2026-11").content.decode()
    assert html.count("data-event") == 28


def test_the_coordinator_manages_the_events_of_the_territory(login, coordinator, organisation):
    event = AwarenessEventFactory(organiser=organisation, draft=True)
    client = login(coordinator)
    assert client.get(reverse("prevention:event_edit", args=[event.pk])).status_code == 200
    client.post(reverse("prevention:event_publish", args=[event.pk]))
    assert AwarenessEvent.objects.get().status == E.Status.PUBLISHED
    response = client.post(
        reverse("prevention:event_edit", args=[event.pk]),
        event_data(organisation, title="Stand corrigé"),
    )
    assert response.status_code == 302
    assert AwarenessEvent.objects.get().title == "Stand corrigé"
