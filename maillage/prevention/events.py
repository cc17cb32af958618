"""The workflows of awareness events: a partner creates its action (organiser, partners,
campaign and materials of its territory), publishes it on the public agenda or cancels it,
then enters the attendance once it has started; `events_summary` sums them up for the
indicators and the yearly review.

Everything is validated before anything is written, in one transaction; the messages are
French. The views, the demo and the evaluation app all go through these functions.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.core.models import Commune, Organisation, Territory, User

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
    materials). The organiser stays in the event's territory."""
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
    with transaction.atomic():
        for name, value in fields.items():
            setattr(event, name, value)
        event.organiser = organiser
        event.save()
        event.partners.set(partner_list)
        event.materials.set(material_list)
    return event


def _lock(event: AwarenessEvent) -> AwarenessEvent:
    return AwarenessEvent.objects.select_for_update().get(pk=event.pk)


def publish_event(*, event: AwarenessEvent, by: User | None) -> AwarenessEvent:
    """Put a draft (or a cancelled event that takes place after all) on the public agenda."""
    with transaction.atomic():
        locked = _lock(event)
        if locked.status == E.Status.PUBLISHED:
            raise EventError(_("Cette action est déjà publiée."))
        locked.status = E.Status.PUBLISHED
        locked.save(update_fields=["status", "updated_at"])
    event.status = locked.status
    return locked


def cancel_event(*, event: AwarenessEvent, by: User | None) -> AwarenessEvent:
    """Cancel an event: it stays on the agenda, marked « Annulé », and counts for nothing."""
    with transaction.atomic():
        locked = _lock(event)
        if locked.status == E.Status.CANCELLED:
            raise EventError(_("Cette action est déjà annulée."))
        if locked.attendance is not None:
            raise EventError(_("Cette action a eu lieu : son bilan est saisi."))
        locked.status = E.Status.CANCELLED
        locked.save(update_fields=["status", "updated_at"])
    event.status = locked.status
    return locked


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
