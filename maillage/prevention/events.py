"""The workflows of awareness events: a partner creates its action (organiser, partners,
campaign and materials of its territory), submits it to the coordination of its territory,
which accepts it (it is published on the public agenda) or refuses it with a reason; the event
may be cancelled, and its attendance entered once it has started; `events_summary` sums them up
for the indicators and the yearly review.

The public agenda never shows a text the coordination has not accepted (services of the
directory are moderated the same way, directory/moderation.py):

- a coordinator's (or an administrator's) own events and edits are published at once;
- a referent's event is *submitted* (status « En attente de validation », off the agenda); the
  coordinators are told by email; accepted, it is published; refused, it goes back to draft
  with the reason, and the referent is told by email either way;
- a referent's edit of an event already on the agenda (published or cancelled) does not touch
  it: the change waits aside (`proposed_changes`, the event as its author saw it and as they
  want it) while the agenda keeps the accepted version, and is applied once accepted. So a
  correction does not take the event off the agenda (nor off the calendars that subscribed to
  the feed) while it waits, and a refused change leaves the accepted event as it was.

Everything is validated before anything is written, in one transaction; the messages are
French. The views, the demo and the evaluation app all go through these functions.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from maillage.core.models import Commune, Organisation, Role, Territory, User
from maillage.core.tasks import enqueue_email

from .materials import coordinators_emails, site_url
from .models import Audience, AwarenessEvent, Campaign, Material

E = AwarenessEvent
EVENT_FIELDS = (
    "title",
    "kind",
    "audience",
    "description",
    "is_open_to_public",
    "place_name",
    "address",
    "commune",
    "starts_at",
    "ends_at",
    "campaign",
)


class EventError(Exception):
    """An event cannot be saved or change state; the message says why, in French.

    `field` names the form field at fault, when there is one."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def _check(
    *,
    organiser: Organisation,
    title: str,
    kind: str,
    audience: str,
    place_name: str,
    starts_at: datetime,
    ends_at: datetime,
    commune: Commune | None,
    campaign: Campaign | None,
    partners: list[Organisation],
    materials: list[Material],
    **_descriptive,
) -> None:
    """Everything an event must satisfy, checked before anything is written."""
    if not title.strip():
        raise EventError(_("Donnez un titre à l'action."), field="title")
    if kind not in E.Kind.values:
        raise EventError(_("Choisissez le type d'action."), field="kind")
    if audience not in Audience.values:
        raise EventError(_("Choisissez le public de l'action."), field="audience")
    if not place_name.strip():
        raise EventError(_("Indiquez le lieu de l'action."), field="place_name")
    if starts_at is None or ends_at is None:
        raise EventError(_("Indiquez le début et la fin de l'action."), field="starts_at")
    if ends_at <= starts_at:
        raise EventError(_("La fin de l'action doit suivre son début."), field="ends_at")
    territory_id = organiser.territory_id
    if commune is not None and not _commune_in_territory(commune, territory_id):
        raise EventError(_("Cette commune n'est pas sur le territoire."), field="commune")
    if campaign is not None and campaign.territory_id != territory_id:
        raise EventError(
            _("Cette campagne n'est pas une campagne du territoire."), field="campaign"
        )
    if any(partner.territory_id != territory_id for partner in partners):
        raise EventError(
            _("Les structures partenaires doivent être du même territoire."), field="partners"
        )
    for material in materials:
        if material.campaign.territory_id != territory_id:
            raise EventError(
                _("Le support « %(title)s » n'est pas un support du territoire.")
                % {"title": material.title},
                field="materials",
            )
        if material.review_state != Material.ReviewState.VALIDATED:
            raise EventError(
                _("Le support « %(title)s » n'est pas validé.") % {"title": material.title},
                field="materials",
            )


def _commune_in_territory(commune: Commune, territory_id: int) -> bool:
    """A commune of the territory (any commune when the territory lists none)."""
    communes = Territory.communes.through.objects.filter(territory_id=territory_id)
    return not communes.exists() or communes.filter(commune_id=commune.pk).exists()


def create_event(
    *,
    organiser: Organisation,
    by: User | None,
    title: str,
    kind: str,
    audience: str,
    place_name: str,
    starts_at: datetime,
    ends_at: datetime,
    description: str = "",
    is_open_to_public: bool = True,
    address: str = "",
    commune: Commune | None = None,
    campaign: Campaign | None = None,
    partners: Iterable[Organisation] = (),
    materials: Iterable[Material] = (),
) -> AwarenessEvent:
    """A new draft event of `organiser` (publish it with `publish_event`)."""
    partners = [p for p in partners if p.pk != organiser.pk]
    materials = list(materials)
    fields = {
        "title": title.strip(),
        "kind": kind,
        "audience": audience,
        "place_name": place_name.strip(),
        "starts_at": starts_at,
        "ends_at": ends_at,
        "description": description.strip(),
        "is_open_to_public": is_open_to_public,
        "address": address.strip(),
        "commune": commune,
        "campaign": campaign,
    }
    _check(organiser=organiser, partners=partners, materials=materials, **fields)
    with transaction.atomic():
        event = AwarenessEvent.objects.create(
            territory_id=organiser.territory_id, organiser=organiser, created_by=by, **fields
        )
        event.partners.set(partners)
        event.materials.set(materials)
    return event


def is_reviewer(user: User | None, territory_id: int) -> bool:
    """Whose word publishes an event of the territory at once: its coordination, an
    administrator, and the application itself (`by=None`: the demo, commands)."""
    if user is None or user.is_superuser:
        return True
    return user.roles.filter(kind=Role.Kind.COORDINATOR, territory_id=territory_id).exists()


def event_data(event: AwarenessEvent) -> dict:
    """The event as a flat, JSON-ready dict: what the agenda shows of it, and what a partner's
    change may touch (EVENT_FIELDS, the organiser, the partners and the materials)."""
    data = {name: getattr(event, name) for name in EVENT_FIELDS}
    data["commune"] = event.commune_id
    data["campaign"] = event.campaign_id
    data["starts_at"] = _instant(event.starts_at)
    data["ends_at"] = _instant(event.ends_at)
    data["organiser"] = event.organiser_id
    data["partners"] = sorted(event.partners.values_list("pk", flat=True))
    data["materials"] = sorted(event.materials.values_list("pk", flat=True))
    return data


def _instant(moment: datetime) -> str:
    """A moment written the same way whatever its time zone (UTC)."""
    return moment.astimezone(UTC).isoformat()


def _data_of(
    fields: dict, organiser: Organisation, partners: list[Organisation], materials: list[Material]
) -> dict:
    """The same shape as event_data() for the values of an edit."""
    data = {name: fields[name] for name in EVENT_FIELDS}
    data["commune"] = fields["commune"].pk if fields["commune"] else None
    data["campaign"] = fields["campaign"].pk if fields["campaign"] else None
    data["starts_at"] = _instant(fields["starts_at"])
    data["ends_at"] = _instant(fields["ends_at"])
    data["organiser"] = organiser.pk
    data["partners"] = sorted(p.pk for p in partners)
    data["materials"] = sorted(m.pk for m in materials)
    return data


def changed_keys(base: dict, proposed: dict) -> list[str]:
    return [key for key in proposed if base.get(key) != proposed[key]]


def proposed_event(event: AwarenessEvent) -> dict | None:
    """The values of the partner's change waiting for review, as update_event() takes them
    (objects read back from the database), or None."""
    if not event.proposed_changes:
        return None
    data = event.proposed_changes["proposed"]
    values = {name: data[name] for name in EVENT_FIELDS if name in data}
    values["starts_at"] = parse_datetime(data["starts_at"])
    values["ends_at"] = parse_datetime(data["ends_at"])
    values["commune"] = Commune.objects.filter(pk=data["commune"]).first()
    values["campaign"] = Campaign.objects.filter(pk=data["campaign"]).first()
    values["organiser"] = Organisation.objects.filter(pk=data["organiser"]).first()
    values["partners"] = list(Organisation.objects.filter(pk__in=data["partners"]))
    values["materials"] = list(Material.objects.filter(pk__in=data["materials"]))
    return values


def update_event(
    *,
    event: AwarenessEvent,
    by: User | None,
    organiser: Organisation | None = None,
    partners: Iterable[Organisation] | None = None,
    materials: Iterable[Material] | None = None,
    **changes,
) -> AwarenessEvent:
    """Change an event's description (any of EVENT_FIELDS, its organiser, partners or
    materials). The organiser stays in the event's territory.

    A referent's change to an event on the agenda (published or cancelled) is not applied: it
    waits for the coordination in `proposed_changes` (the coordinators are told by email), and
    the agenda keeps the accepted version; check `event.proposed_changes` afterwards."""
    unknown = set(changes) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(f"update_event() got unexpected fields: {sorted(unknown)}")
    organiser = organiser or event.organiser
    if organiser.territory_id != event.territory_id:
        raise EventError(
            _("La structure organisatrice doit être du territoire de l'action."), field="organiser"
        )
    fields = {name: getattr(event, name) for name in EVENT_FIELDS} | changes
    for name in ("title", "place_name", "description", "address"):
        fields[name] = (fields[name] or "").strip()
    partner_list = [
        p for p in (event.partners.all() if partners is None else partners) if p.pk != organiser.pk
    ]
    material_list = list(event.materials.all() if materials is None else materials)
    _check(organiser=organiser, partners=partner_list, materials=material_list, **fields)
    if (
        event.attendance is not None
        and fields["starts_at"] > timezone.now()
        and fields["starts_at"] != event.starts_at
    ):
        raise EventError(
            _(
                "Le bilan de cette action est saisi : "
                "elle ne peut plus être déplacée dans le futur."
            ),
            field="starts_at",
        )
    if event.status in (E.Status.PUBLISHED, E.Status.CANCELLED) and not is_reviewer(
        by, event.territory_id
    ):
        return _propose(event, by, _data_of(fields, organiser, partner_list, material_list))
    with transaction.atomic():
        for name, value in fields.items():
            setattr(event, name, value)
        event.organiser = organiser
        event.save()
        event.partners.set(partner_list)
        event.materials.set(material_list)
    return event


def _propose(event: AwarenessEvent, by: User | None, proposed: dict) -> AwarenessEvent:
    """Keep a referent's change of an event of the agenda for review (nothing of the event
    itself changes); a change back to the accepted version withdraws the pending one."""
    with transaction.atomic():
        locked = _lock(event)
        base = event_data(locked)
        if not changed_keys(base, proposed):
            locked.proposed_changes = None
        else:
            locked.proposed_changes = {"base": base, "proposed": proposed}
            locked.submitted_at = timezone.now()
            locked.submitted_by = by
            locked.review_comment = ""
        locked._history_user = by
        locked.save(
            update_fields=[
                "proposed_changes",
                "submitted_at",
                "submitted_by",
                "review_comment",
                "updated_at",
            ]
        )
        if locked.proposed_changes:
            _tell_coordinators(locked, change=True)
    event.proposed_changes = locked.proposed_changes
    event.updated_at = locked.updated_at
    return locked


def _lock(event: AwarenessEvent) -> AwarenessEvent:
    return AwarenessEvent.objects.select_for_update().get(pk=event.pk)


def publish_event(*, event: AwarenessEvent, by: User | None) -> AwarenessEvent:
    """Put a draft (or a cancelled event that takes place after all) on the public agenda.

    A referent's draft is not published: it is submitted to the coordination (status
    SUBMITTED, the coordinators told by email). A cancelled event was accepted before: it comes
    back at once. The coordination publishing a submitted event accepts it."""
    if event.status == E.Status.SUBMITTED and is_reviewer(by, event.territory_id):
        return accept_event(event=event, by=by)
    with transaction.atomic():
        locked = _lock(event)
        if locked.status == E.Status.PUBLISHED:
            raise EventError(_("Cette action est déjà publiée."))
        if locked.status == E.Status.SUBMITTED:
            raise EventError(_("Cette action attend déjà la validation de la coordination."))
        submitted = locked.status == E.Status.DRAFT and not is_reviewer(by, locked.territory_id)
        if submitted:
            locked.status = E.Status.SUBMITTED
            locked.submitted_at = timezone.now()
            locked.submitted_by = by
            locked.review_comment = ""
        else:
            locked.status = E.Status.PUBLISHED
        locked._history_user = by
        locked.save(
            update_fields=["status", "submitted_at", "submitted_by", "review_comment", "updated_at"]
        )
        if submitted:
            _tell_coordinators(locked, change=False)
    event.status = locked.status
    return locked


def _check_review(event: AwarenessEvent, by: User | None, seen: str | None) -> None:
    if not is_reviewer(by, event.territory_id):
        raise EventError(_("Seule la coordination du territoire valide les actions."))
    if event.status != E.Status.SUBMITTED and not event.proposed_changes:
        raise EventError(_("Cette action n'attend pas de validation."))
    if seen is not None and seen != review_version(event):
        raise EventError(
            _(
                "L'action a été modifiée depuis que vous l'avez ouverte : relisez-la avant de "
                "décider."
            )
        )


def review_version(event: AwarenessEvent) -> str:
    """What the review page was shown: a decision on an older version is refused."""
    return event.updated_at.isoformat()


def accept_event(
    *, event: AwarenessEvent, by: User | None, seen: str | None = None
) -> AwarenessEvent:
    """The coordination accepts a partner's event (published) or its change (applied to the
    event, which stays published or cancelled); the partner is told by email. `seen`: the
    review_version() the decision was taken on."""
    with transaction.atomic():
        locked = _lock(event)
        _check_review(locked, by, seen)
        if locked.status == E.Status.SUBMITTED:
            locked.status = E.Status.PUBLISHED
            change = False
        else:
            _apply_change(locked, by)
            change = True
        locked.proposed_changes = None
        locked.review_comment = ""
        locked._history_user = by
        locked.save()
        _tell_partner(locked, accepted=True, change=change)
    event.status, event.proposed_changes = locked.status, None
    return locked


def _apply_change(event: AwarenessEvent, by: User | None) -> None:
    """Apply what the partner changed (the keys that differ from the version they saw), on
    the event as it is now; checked again (a material may have been withdrawn meanwhile)."""
    base, proposed = event.proposed_changes["base"], event.proposed_changes["proposed"]
    keys = set(changed_keys(base, proposed))
    values = proposed_event(event)
    if values["organiser"] is None:
        raise EventError(_("La structure organisatrice proposée n'existe plus."))
    changes = {name: values[name] for name in EVENT_FIELDS if name in keys}
    update_event(
        event=event,
        by=by,
        organiser=values["organiser"] if "organiser" in keys else None,
        partners=values["partners"] if "partners" in keys else None,
        materials=values["materials"] if "materials" in keys else None,
        **changes,
    )


def refuse_event(
    *, event: AwarenessEvent, by: User | None, reason: str, seen: str | None = None
) -> AwarenessEvent:
    """The coordination refuses a partner's event (back to draft) or its change (dropped: the
    event stays as it was accepted), with a reason the partner gets by email."""
    reason = reason.strip()
    if not reason:
        raise EventError(_("Dites à la structure pourquoi l'action est refusée."), field="reason")
    with transaction.atomic():
        locked = _lock(event)
        _check_review(locked, by, seen)
        change = locked.status != E.Status.SUBMITTED
        if not change:
            locked.status = E.Status.DRAFT
        locked.proposed_changes = None
        locked.review_comment = reason
        locked._history_user = by
        locked.save(update_fields=["status", "proposed_changes", "review_comment", "updated_at"])
        _tell_partner(locked, accepted=False, change=change)
    event.status, event.proposed_changes = locked.status, None
    event.review_comment = reason
    return locked


def cancel_event(*, event: AwarenessEvent, by: User | None) -> AwarenessEvent:
    """Cancel an event of the agenda: it stays there, marked « Annulé », and counts for
    nothing. A draft or a submitted event is not on the agenda: there is nothing to cancel."""
    with transaction.atomic():
        locked = _lock(event)
        if locked.status == E.Status.CANCELLED:
            raise EventError(_("Cette action est déjà annulée."))
        if locked.status != E.Status.PUBLISHED:
            raise EventError(_("Cette action n'est pas dans l'agenda : il n'y a rien à annuler."))
        if locked.attendance is not None:
            raise EventError(_("Cette action a eu lieu : son bilan est saisi."))
        locked.status = E.Status.CANCELLED
        locked._history_user = by
        locked.save(update_fields=["status", "updated_at"])
    event.status = locked.status
    return locked


# Emails of the review (rendered now, sent once the transaction is committed)


def review_url(event: AwarenessEvent) -> str:
    return site_url() + reverse("prevention:event_review", args=[event.pk])


def _send(*, subject: str, template: str, context: dict, to: list[str]) -> None:
    if not to:
        return
    message = EmailMessage(
        subject="[Maillage] " + " ".join(subject.split()),  # a title holds no line break here
        body=render_to_string(template, context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
    )
    transaction.on_commit(partial(enqueue_email, message))


def _tell_coordinators(event: AwarenessEvent, *, change: bool) -> None:
    subject = (
        _("Modification d'action à valider : « %(title)s »")
        if change
        else _("Action à valider : « %(title)s »")
    )
    _send(
        subject=subject % {"title": event.title},
        template="prevention/events/email/submitted.txt",
        context={"event": event, "change": change, "url": review_url(event)},
        to=coordinators_emails(event.territory_id),
    )


def _tell_partner(event: AwarenessEvent, *, accepted: bool, change: bool) -> None:
    """The referent who submitted (else the author of the event) learns the decision."""
    person = event.submitted_by or event.created_by
    if person is None or not person.is_active or not person.email:
        return
    if accepted:
        subject = (
            _("Votre modification de « %(title)s » est acceptée")
            if change
            else _("Votre action « %(title)s » est publiée dans l'agenda")
        )
    else:
        subject = (
            _("Votre modification de « %(title)s » est refusée")
            if change
            else _("Votre action « %(title)s » est refusée")
        )
    _send(
        subject=subject % {"title": event.title},
        template="prevention/events/email/decided.txt",
        context={
            "event": event,
            "accepted": accepted,
            "change": change,
            "url": site_url() + reverse("prevention:event_edit", args=[event.pk]),
            "agenda_url": site_url() + event.get_absolute_url(),
        },
        to=[person.email],
    )


def record_attendance(
    *,
    event: AwarenessEvent,
    attendance: int,
    by: User | None,
    note: str = "",
    now: datetime | None = None,
) -> AwarenessEvent:
    """Enter (or correct) how many people the action reached, once it has started."""
    now = now or timezone.now()
    if attendance is None or attendance < 0:
        raise EventError(
            _("Indiquez un nombre de participants positif ou nul."), field="attendance"
        )
    if attendance > 1_000_000:
        raise EventError(_("Ce nombre de participants semble erroné."), field="attendance")
    with transaction.atomic():
        locked = _lock(event)
        if locked.status != E.Status.PUBLISHED:
            raise EventError(_("Seule une action publiée, qui a eu lieu, a un bilan."))
        if locked.starts_at > now:
            raise EventError(
                _("Le nombre de participants se saisit une fois l'action commencée."),
                field="attendance",
            )
        locked.attendance = attendance
        locked.attendance_note = note.strip()
        locked.save(update_fields=["attendance", "attendance_note", "updated_at"])
    event.attendance, event.attendance_note = locked.attendance, locked.attendance_note
    return locked


# Figures for the indicators and the yearly review


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, the day after end 00:00) in the current time zone."""
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    )


def held_events(
    territory: Territory, start: date, end: date, *, now: datetime | None = None
) -> QuerySet[AwarenessEvent]:
    """Published events of the territory that started in the period (and by now)."""
    since, until = period_bounds(start, end)
    return AwarenessEvent.objects.published().filter(
        territory=territory,
        starts_at__gte=since,
        starts_at__lt=until,
        starts_at__lte=now or timezone.now(),
    )


def events_summary(territory: Territory, start: date, end: date) -> dict:
    """The awareness events of a period, for the indicators and the yearly review.

    Counts the published events that started between `start` and `end` (both included) and
    by now; cancelled events and drafts count for nothing. Returns::

        {"events": int, "attendance": int, "organisers": int,
         "by_kind": [{"kind", "label", "events", "attendance"}, …],
         "rows": [{"pk", "title", "kind", "kind_label", "starts_at", "ends_at", "organiser",
                   "partners", "place", "commune", "audience", "audience_label",
                   "is_open_to_public", "attendance", "url"}, …]}

    `organisers` counts the distinct organisations taking part (organisers and partners);
    `attendance` sums the attendance entered (an event without it counts 0, and its row says
    None)."""
    events = list(
        held_events(territory, start, end)
        .select_related("organiser", "commune")
        .prefetch_related("partners")
        .order_by("starts_at", "pk")
    )
    organisations: set[int] = set()
    by_kind: dict[str, dict] = {}
    rows = []
    for event in events:
        partners = list(event.partners.all())
        organisations.add(event.organiser_id)
        organisations.update(p.pk for p in partners)
        kind = by_kind.setdefault(
            event.kind,
            {
                "kind": event.kind,
                "label": str(E.Kind(event.kind).label),
                "events": 0,
                "attendance": 0,
            },
        )
        kind["events"] += 1
        kind["attendance"] += event.attendance or 0
        rows.append(
            {
                "pk": event.pk,
                "title": event.title,
                "kind": event.kind,
                "kind_label": str(E.Kind(event.kind).label),
                "starts_at": event.starts_at,
                "ends_at": event.ends_at,
                "organiser": event.organiser.name,
                "partners": [p.name for p in partners],
                "place": event.place_name,
                "commune": event.commune.name if event.commune else "",
                "audience": event.audience,
                "audience_label": str(Audience(event.audience).label),
                "is_open_to_public": event.is_open_to_public,
                "attendance": event.attendance,
                "url": event.get_absolute_url(),
            }
        )
    order = {value: index for index, value in enumerate(E.Kind.values)}
    return {
        "events": len(events),
        "attendance": sum(event.attendance or 0 for event in events),
        "organisers": len(organisations),
        "by_kind": sorted(by_kind.values(), key=lambda row: order[row["kind"]]),
        "rows": rows,
    }
