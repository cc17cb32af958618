"""A partner's awareness event reaches the public agenda only once the coordination of its
territory accepted it: the referent submits it (the coordinators are told by email), a
coordinator of the territory accepts it (published) or refuses it with a reason (back to draft);
the referent is told by email of the decision. A partner's change to an event of the agenda
waits aside: the agenda keeps the accepted version until the change is accepted. The
coordination's own events publish at once."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from maillage.prevention.events import (
    EventError,
    accept_event,
    cancel_event,
    publish_event,
    refuse_event,
    review_version,
    update_event,
)
from maillage.prevention.models import AwarenessEvent

from .event_factories import AwarenessEventFactory

pytestmark = pytest.mark.django_db
E = AwarenessEvent


def form_data(organiser, **changes) -> dict:
    starts_at = timezone.localtime() + timedelta(days=5)
    return {
        "organiser": organiser.pk,
        "title": "Ciné-débat « Jusqu'à la garde »",
        "kind": "screening",
        "audience": "general_public",
        "is_open_to_public": "on",
        "description": "Projection suivie d'un débat.",
        "starts_at": starts_at.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (starts_at + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "place_name": "Cinéma Les 400 Coups",
        "address": "",
        "commune": "",
        "campaign": "",
    } | changes


def text(response) -> str:
    return html.unescape(response.content.decode())


def public_sees(client, event: AwarenessEvent, title: str) -> dict[str, bool]:
    """Whether the title shows on the agenda's month, the event's page and the iCal feed."""
    client.logout()
    month = timezone.localtime(event.starts_at).strftime("%Y-%m")
    page = client.get(event.get_absolute_url())
    feed = Calendar.from_ical(
        client.get(reverse("prevention:agenda_ical"), {"mois": month}).content
    )
    return {
        "agenda": title in text(client.get(reverse("prevention:agenda"), {"mois": month})),
        "page": page.status_code == 200 and title in text(page),
        "ical": title in [str(component["summary"]) for component in feed.walk("VEVENT")],
    }


NOWHERE = {"agenda": False, "page": False, "ical": False}
EVERYWHERE = {"agenda": True, "page": True, "ical": True}


def submit(client, organiser) -> AwarenessEvent:
    response = client.post(reverse("prevention:event_create"), form_data(organiser, publish="1"))
    assert response.status_code == 302
    return AwarenessEvent.objects.get()


def test_a_submitted_event_is_public_only_once_accepted(
    client,
    login,
    referent,
    coordinator,
    organisation,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        event = submit(login(referent), organisation)

    assert event.status == E.Status.SUBMITTED
    assert [message.to for message in mailoutbox] == [[coordinator.email]]
    assert "Action à valider" in mailoutbox[0].subject
    assert reverse("prevention:event_review", args=[event.pk]) in mailoutbox[0].body
    title = "Ciné-débat « Jusqu'à la garde »"
    assert public_sees(client, event, title) == NOWHERE

    coordination = login(coordinator)
    assert "1 action de partenaire à valider" in text(
        coordination.get(reverse("prevention:events"))
    )
    assert title in text(coordination.get(reverse("prevention:event_reviews")))
    review = reverse("prevention:event_review", args=[event.pk])
    page = text(coordination.get(review))
    assert "Cinéma Les 400 Coups" in page and "Accepter et publier" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = coordination.post(
            review, {"decision": "accept", "seen": review_version(event), "reason": ""}
        )

    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == E.Status.PUBLISHED
    assert mailoutbox[-1].to == [referent.email]
    assert "est publiée" in mailoutbox[-1].subject
    assert public_sees(client, event, title) == EVERYWHERE


def test_a_refusal_keeps_the_event_off_the_agenda_and_sends_the_reason(
    client,
    login,
    referent,
    coordinator,
    organisation,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    event = submit(login(referent), organisation)
    coordination = login(coordinator)
    review = reverse("prevention:event_review", args=[event.pk])

    response = coordination.post(review, {"decision": "refuse", "seen": review_version(event)})
    assert "Dites à la structure pourquoi" in text(response)  # a reason is required
    event.refresh_from_db()
    assert event.status == E.Status.SUBMITTED

    with django_capture_on_commit_callbacks(execute=True):
        coordination.post(
            review,
            {
                "decision": "refuse",
                "seen": review_version(event),
                "reason": "Le lieu est fermé ce jour-là : proposez une autre date.",
            },
        )

    event.refresh_from_db()
    assert event.status == E.Status.DRAFT
    assert event.review_comment == "Le lieu est fermé ce jour-là : proposez une autre date."
    assert mailoutbox[-1].to == [referent.email]
    assert "refusée" in mailoutbox[-1].subject
    assert "Le lieu est fermé ce jour-là" in mailoutbox[-1].body
    assert public_sees(client, event, event.title) == NOWHERE
    page = text(login(referent).get(reverse("prevention:event_edit", args=[event.pk])))
    assert "Le lieu est fermé ce jour-là" in page


def test_a_coordinator_of_another_territory_cannot_review(
    login, referent, other_coordinator, organisation
):
    event = submit(login(referent), organisation)
    client = login(other_coordinator)
    review = reverse("prevention:event_review", args=[event.pk])

    assert client.get(review).status_code == 404
    assert (
        client.post(review, {"decision": "accept", "seen": review_version(event)}).status_code
        == 404
    )
    assert event.title not in text(client.get(reverse("prevention:event_reviews")))
    with pytest.raises(EventError, match="Seule la coordination du territoire"):
        accept_event(event=event, by=other_coordinator)
    event.refresh_from_db()
    assert event.status == E.Status.SUBMITTED


def test_a_referent_cannot_review_their_own_event(login, referent, organisation):
    event = submit(login(referent), organisation)
    client = login(referent)
    review = reverse("prevention:event_review", args=[event.pk])
    assert client.get(review).status_code == 404
    assert (
        client.post(review, {"decision": "accept", "seen": review_version(event)}).status_code
        == 404
    )
    assert client.get(reverse("prevention:event_reviews")).status_code == 403
    assert client.post(reverse("prevention:event_publish", args=[event.pk])).status_code == 302
    event.refresh_from_db()
    assert event.status == E.Status.SUBMITTED


def test_the_coordinations_own_event_publishes_at_once(
    client, login, coordinator, organisation, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        event = submit(login(coordinator), organisation)
    assert event.status == E.Status.PUBLISHED
    assert mailoutbox == []
    assert public_sees(client, event, event.title) == EVERYWHERE


def test_a_partners_change_waits_while_the_agenda_keeps_the_accepted_version(
    client,
    login,
    referent,
    coordinator,
    organisation,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    event = AwarenessEventFactory(organiser=organisation, title="Stand au marché")
    partner = login(referent)
    edit = reverse("prevention:event_edit", args=[event.pk])
    data = form_data(organisation, title="Stand au marché — venez nombreux", kind="stand")
    data["starts_at"] = timezone.localtime(event.starts_at).strftime("%Y-%m-%dT%H:%M")
    data["ends_at"] = timezone.localtime(event.ends_at).strftime("%Y-%m-%dT%H:%M")

    with django_capture_on_commit_callbacks(execute=True):
        response = partner.post(edit, data)

    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "Stand au marché" and event.status == E.Status.PUBLISHED
    assert event.proposed_changes is not None
    assert [message.to for message in mailoutbox] == [[coordinator.email]]
    assert "Modification d'action à valider" in mailoutbox[0].subject
    assert public_sees(client, event, "Stand au marché") == EVERYWHERE
    assert public_sees(client, event, "Stand au marché — venez nombreux") == NOWHERE
    # The partner goes on with their proposal, not with the agenda's version.
    assert 'value="Stand au marché — venez nombreux"' in text(login(referent).get(edit))

    coordination = login(coordinator)
    review = reverse("prevention:event_review", args=[event.pk])
    page = text(coordination.get(review))
    assert "Stand au marché — venez nombreux" in page and "Dans l'agenda" in page
    with django_capture_on_commit_callbacks(execute=True):
        coordination.post(review, {"decision": "accept", "seen": review_version(event)})

    event.refresh_from_db()
    assert event.title == "Stand au marché — venez nombreux"
    assert event.description == "Projection suivie d'un débat."
    assert event.proposed_changes is None and event.status == E.Status.PUBLISHED
    assert "modification" in mailoutbox[-1].subject and "acceptée" in mailoutbox[-1].subject
    assert public_sees(client, event, "Stand au marché — venez nombreux") == EVERYWHERE


def test_a_refused_change_leaves_the_accepted_event_on_the_agenda(
    client, referent, coordinator, organisation, mailoutbox, django_capture_on_commit_callbacks
):
    event = AwarenessEventFactory(organiser=organisation, title="Marche du 25 novembre")
    update_event(event=event, by=referent, title="Marche du 25 novembre — texte non relu")
    with django_capture_on_commit_callbacks(execute=True):
        refuse_event(event=event, by=coordinator, reason="Titre trop long.")

    event.refresh_from_db()
    assert event.status == E.Status.PUBLISHED
    assert event.title == "Marche du 25 novembre"
    assert event.proposed_changes is None
    assert "Titre trop long." in mailoutbox[-1].body
    assert public_sees(client, event, "Marche du 25 novembre") == EVERYWHERE
    assert public_sees(client, event, "texte non relu") == NOWHERE


def test_a_partners_change_to_a_cancelled_event_waits_too(client, referent, organisation):
    event = AwarenessEventFactory(organiser=organisation, title="Stand annulé", cancelled=True)
    update_event(event=event, by=referent, description="Texte non relu")
    event.refresh_from_db()
    assert event.description == "" and event.proposed_changes is not None
    assert "Texte non relu" not in text(client.get(event.get_absolute_url()))


def test_the_coordinations_own_edit_applies_at_once(coordinator, organisation):
    event = AwarenessEventFactory(organiser=organisation, title="Stand")
    update_event(event=event, by=coordinator, title="Stand corrigé")
    event.refresh_from_db()
    assert event.title == "Stand corrigé" and event.proposed_changes is None


def test_a_decision_on_a_version_changed_since_is_refused(referent, coordinator, organisation):
    event = AwarenessEventFactory(organiser=organisation, draft=True)
    publish_event(event=event, by=referent)
    event.refresh_from_db()
    seen = review_version(event)
    update_event(event=event, by=referent, description="Ajouté après l'ouverture de la page")
    with pytest.raises(EventError, match="modifiée depuis que vous l'avez ouverte"):
        accept_event(event=event, by=coordinator, seen=seen)
    event.refresh_from_db()
    assert event.status == E.Status.SUBMITTED


def test_an_event_not_on_the_agenda_cannot_be_cancelled_onto_it(client, referent, organisation):
    """A cancelled event shows on the agenda: a never accepted one must not get there so."""
    event = AwarenessEventFactory(organiser=organisation, draft=True, title="Jamais relu")
    publish_event(event=event, by=referent)
    with pytest.raises(EventError, match="pas dans l'agenda"):
        cancel_event(event=event, by=referent)
    event.refresh_from_db()
    assert event.status == E.Status.SUBMITTED
    assert public_sees(client, event, "Jamais relu") == NOWHERE
