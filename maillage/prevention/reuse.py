"""Reuse declarations: an organisation says which material of the contract it reused (printed
by itself, displayed, put online…); `reuse_summary` counts them for the yearly review, and
the new local actors among them (organisations that signed no contract of the territory)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.core.models import Organisation, Signature, Territory, User

from .models import Material, MaterialReuse

MAX_COPIES = 1_000_000


class ReuseError(Exception):
    """A declaration cannot be recorded; the message says why, in French."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def declare_reuse(
    *,
    material: Material,
    organisation: Organisation,
    channel: str,
    reused_on: date,
    by: User | None,
    copies: int | None = None,
    description: str = "",
    today: date | None = None,
) -> MaterialReuse:
    """Record that `organisation` reused `material` (validated, of its territory)."""
    if material.review_state != Material.ReviewState.VALIDATED:
        raise ReuseError(_("Ce support n'est pas validé : il ne peut pas être réutilisé."))
    if material.campaign.territory_id != organisation.territory_id:
        raise ReuseError(
            _("Ce support n'est pas un support du territoire de cette structure."),
            field="material",
        )
    if channel not in MaterialReuse.Channel.values:
        raise ReuseError(_("Choisissez l'usage qui a été fait du support."), field="channel")
    if reused_on is None:
        raise ReuseError(_("Indiquez la date de la réutilisation."), field="reused_on")
    if reused_on > (today or timezone.localdate()):
        raise ReuseError(
            _("La date de la réutilisation ne peut pas être dans le futur."), field="reused_on"
        )
    if copies is not None and not 1 <= copies <= MAX_COPIES:
        raise ReuseError(
            _("Indiquez un nombre d'exemplaires d'au moins 1, ou laissez le champ vide."),
            field="copies",
        )
    with transaction.atomic():
        return MaterialReuse.objects.create(
            material=material,
            organisation=organisation,
            channel=channel,
            reused_on=reused_on,
            copies=copies,
            description=description.strip(),
            declared_by=by,
        )


def delete_reuse(*, reuse: MaterialReuse, by: User | None) -> None:
    """Withdraw a declaration (its history keeps the trace)."""
    with transaction.atomic():
        reuse.delete()


def with_new_actor_flag(queryset: QuerySet[MaterialReuse]) -> QuerySet[MaterialReuse]:
    """Annotate `is_signatory`: the declaring organisation signed a contract of its territory
    (when it did not, it is a new local actor)."""
    signatures = Signature.objects.filter(
        organisation=OuterRef("organisation"),
        contract__territory_id=OuterRef("organisation__territory_id"),
    )
    return queryset.annotate(is_signatory=Exists(signatures))


def reuses_in(territory: Territory, start: date, end: date) -> QuerySet[MaterialReuse]:
    return MaterialReuse.objects.filter(
        organisation__territory=territory, reused_on__gte=start, reused_on__lte=end
    )


def reuse_summary(territory: Territory, start: date, end: date) -> dict:
    """The reuse declarations of a period (`reused_on` from `start` to `end`, both included),
    for the yearly review. Returns::

        {"declarations": int, "organisations": int, "new_actors": int,
         "rows": [{"pk", "material", "material_kind", "organisation", "is_new_actor",
                   "channel", "channel_label", "reused_on", "copies", "description"}, …]}

    `new_actors` counts the distinct organisations that declared a reuse and are signatories
    of no contract of the territory."""
    reuses = list(
        with_new_actor_flag(reuses_in(territory, start, end))
        .select_related("material", "organisation")
        .order_by("reused_on", "pk")
    )
    organisations = {reuse.organisation_id for reuse in reuses}
    new_actors = {reuse.organisation_id for reuse in reuses if not reuse.is_signatory}
    return {
        "declarations": len(reuses),
        "organisations": len(organisations),
        "new_actors": len(new_actors),
        "rows": [
            {
                "pk": reuse.pk,
                "material": reuse.material.title,
                "material_kind": str(reuse.material.get_kind_display()),
                "organisation": reuse.organisation.name,
                "is_new_actor": not reuse.is_signatory,
                "channel": reuse.channel,
                "channel_label": str(reuse.get_channel_display()),
                "reused_on": reuse.reused_on,
                "copies": reuse.copies,
                "description": reuse.description,
            }
            for reuse in reuses
        ],
    }
