"""Awareness events, the services: a partner creates its action (partners, campaign and
materials of its territory), publishes or cancels it, enters the attendance once it has
started; `events_summary` sums them up for the indicators."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from maillage.prevention.events import (
    EventError,
    cancel_event,
    create_event,
    events_summary,
    publish_event,
    record_attendance,
    update_event,
)
from maillage.prevention.models import Audience, AwarenessEvent

from ..factories import CommuneFactory, OrganisationFactory
from .event_factories import AwarenessEventFactory, local
from .factories import CampaignFactory, MaterialFactory

pytestmark = pytest.mark.django_db
E = AwarenessEvent


def new_event(organiser, **changes):
    starts_at = timezone.now() + timedelta(days=10)
    fields = {
        "organiser": organiser,
        "by": None,
        "title": "Stand au marché",
        "kind": E.Kind.STAND,
        "audience": Audience.GENERAL_PUBLIC,
        "place_name": "Place du Ralliement",
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=3),
    } | changes
    return create_event(**fields)


def test_an_event_is_created_as_a_draft_in_the_organisers_territory(
    organisation, other_organisation, referent, guide, campaign
):
    event = new_event(
        organisation,
        by=referent,
        partners=[other_organisation, organisation],
        materials=[guide],
        campaign=campaign,
    )
    assert event.status == E.Status.DRAFT
    assert event.territory == organisation.territory
    assert event.created_by == referent
    # The organiser is not its own partner.
    assert list(event.partners.all()) == [other_organisation]
    assert list(event.materials.all()) == [guide]
    assert event.history.filter(history_type="+").count() == 1


def test_the_end_must_follow_the_start(organisation):
    starts_at = timezone.now() + timedelta(days=2)
    with pytest.raises(EventError, match="La fin de l'action doit suivre son début") as error:
        new_event(organisation, starts_at=starts_at, ends_at=starts_at)
    assert error.value.field == "ends_at"
    assert not E.objects.exists()


def test_partners_campaign_and_materials_come_from_the_same_territory(
    organisation, foreign_organisation, other_territory
):
    with pytest.raises(EventError, match="même territoire"):
        new_event(organisation, partners=[foreign_organisation])
    with pytest.raises(EventError, match="campagne du territoire"):
        new_event(organisation, campaign=CampaignFactory(territory=other_territory))
    foreign_material = MaterialFactory(campaign__territory=other_territory)
    with pytest.raises(EventError, match="n'est pas un support du territoire"):
        new_event(organisation, materials=[foreign_material])
    assert not E.objects.exists()


def test_a_draft_material_cannot_be_linked(organisation, campaign):
    with pytest.raises(EventError, match="n'est pas validé"):
        new_event(organisation, materials=[MaterialFactory(campaign=campaign, draft=True)])


def test_the_commune_must_be_of_the_territory_when_it_lists_its_communes(organisation, territory):
    angers = CommuneFactory(insee_code="49007", name="Angers")
    saumur = CommuneFactory(insee_code="49328", name="Saumur")
    territory.communes.add(angers)
    assert new_event(organisation, commune=angers).commune == angers
    with pytest.raises(EventError, match="pas sur le territoire"):
        new_event(organisation, commune=saumur)


def test_publish_then_cancel(organisation):
    event = new_event(organisation)
    publish_event(event=event, by=None)
    assert E.objects.get().status == E.Status.PUBLISHED
    with pytest.raises(EventError, match="déjà publiée"):
        publish_event(event=event, by=None)
    cancel_event(event=event, by=None)
    assert E.objects.get().status == E.Status.CANCELLED
    assert list(E.objects.in_agenda()) == [event]
    with pytest.raises(EventError, match="déjà annulée"):
        cancel_event(event=event, by=None)


def test_attendance_only_once_the_event_has_started(organisation):
    event = new_event(organisation)
    publish_event(event=event, by=None)
    with pytest.raises(EventError, match="une fois l'action commencée"):
        record_attendance(event=event, attendance=40, by=None)
    assert E.objects.get().attendance is None
    record_attendance(
        event=event, attendance=40, note=" Bien ", by=None, now=event.starts_at + timedelta(hours=1)
    )
    event.refresh_from_db()
    assert (event.attendance, event.attendance_note) == (40, "Bien")


def test_attendance_of_a_draft_or_a_cancelled_event_is_refused(organisation):
    draft = AwarenessEventFactory(organiser=organisation, draft=True, past=True)
    with pytest.raises(EventError, match="Seule une action publiée"):
        record_attendance(event=draft, attendance=10, by=None)
    with pytest.raises(EventError, match="positif"):
        record_attendance(event=draft, attendance=-1, by=None)


def test_a_held_event_with_attendance_cannot_be_cancelled(organisation):
    event = AwarenessEventFactory(organiser=organisation, past=True)
    record_attendance(event=event, attendance=12, by=None)
    with pytest.raises(EventError, match="a eu lieu"):
        cancel_event(event=event, by=None)


def test_update_changes_the_fields_and_keeps_history(organisation, other_organisation):
    event = new_event(organisation)
    versions = event.history.count()
    update_event(event=event, by=None, title="Stand du 25 novembre", partners=[other_organisation])
    event.refresh_from_db()
    assert event.title == "Stand du 25 novembre"
    assert list(event.partners.all()) == [other_organisation]
    assert event.history.count() > versions
    assert event.history.first().title == "Stand du 25 novembre"
    with pytest.raises(EventError, match="suivre son début"):
        update_event(event=event, by=None, ends_at=event.starts_at - timedelta(hours=1))
    event.refresh_from_db()
    assert event.ends_at > event.starts_at


def test_the_organiser_stays_in_the_events_territory(organisation, foreign_organisation):
    event = new_event(organisation)
    with pytest.raises(EventError, match="territoire de l'action"):
        update_event(event=event, by=None, organiser=foreign_organisation)


def test_events_summary_counts_published_events_held_in_the_period(
    territory, organisation, other_organisation, other_territory
):
    third = OrganisationFactory(territory=territory, name="Planning familial 49")
    walk = AwarenessEventFactory(
        organiser=organisation,
        kind=E.Kind.WALK,
        starts_at=local(2025, 11, 25, 18),
        partners=[other_organisation, third],
    )
    stand = AwarenessEventFactory(
        organiser=other_organisation, kind=E.Kind.STAND, starts_at=local(2025, 11, 4, 10)
    )
    school = AwarenessEventFactory(
        organiser=organisation, kind=E.Kind.STAND, starts_at=local(2025, 11, 30, 23, 30)
    )
    for event, attendance in ((walk, 480), (stand, 85)):
        record_attendance(event=event, attendance=attendance, by=None)
    # Not counted: a cancelled one, a draft, one out of the period, one of another territory.
    AwarenessEventFactory(organiser=organisation, cancelled=True, starts_at=local(2025, 11, 5))
    AwarenessEventFactory(organiser=organisation, draft=True, starts_at=local(2025, 11, 6))
    AwarenessEventFactory(organiser=organisation, starts_at=local(2025, 12, 1, 0, 30))
    AwarenessEventFactory(organiser__territory=other_territory, starts_at=local(2025, 11, 6))

    summary = events_summary(territory, date(2025, 11, 1), date(2025, 11, 30))

    assert summary["events"] == 3
    assert summary["attendance"] == 565
    assert summary["organisers"] == 3
    assert summary["by_kind"] == [
        {"kind": "stand", "label": "Stand d'information", "events": 2, "attendance": 85},
        {"kind": "walk", "label": "Marche ou rassemblement", "events": 1, "attendance": 480},
    ]
    assert [row["pk"] for row in summary["rows"]] == [stand.pk, walk.pk, school.pk]
    walk_row = summary["rows"][1]
    assert walk_row["attendance"] == 480
    assert walk_row["organiser"] == organisation.name
    assert sorted(walk_row["partners"]) == sorted([other_organisation.name, third.name])
    assert walk_row["url"] == f"/agenda/{walk.pk}/"
    assert summary["rows"][2]["attendance"] is None


def test_events_summary_leaves_out_events_not_started_yet(territory, organisation):
    AwarenessEventFactory(organiser=organisation)  # next week
    today = timezone.localdate()
    summary = events_summary(territory, today, today + timedelta(days=30))
    assert summary == {"events": 0, "attendance": 0, "organisers": 0, "by_kind": [], "rows": []}
