"""The workflows of prevention: upload a material's file (checked by content), order printed
copies, approve against the stock (row lock: the stock never goes negative; the coordinators
are told when it falls to its alert threshold), refuse, record the delivery, count a partner's
downloads and sum up the distribution."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.core.models import Commune, Organisation, Territory, User

from .materials import alert_low_stock_later, attach_main_file, crossed_threshold
from .models import DownloadCount, Material, PrintOrder

S = PrintOrder.Status
MAX_MATERIAL_SIZE = 10 * 1024 * 1024


class OrderError(Exception):
    """A print order cannot go on; the message says why, in French."""


class InsufficientStock(OrderError):
    pass


def attach_file(*, material: Material, upload: UploadedFile, by: User | None = None) -> Material:
    """Store the file of a material: a PDF, PNG or JPEG by its content, 10 MB at most, an
    image re-encoded without its metadata; the preview image follows (materials.py)."""
    return attach_main_file(material=material, upload=upload, by=by)


def request_print_order(
    *,
    material: Material,
    organisation: Organisation,
    quantity: int,
    by: User | None,
    commune: Commune | None = None,
) -> PrintOrder:
    if material.review_state != Material.ReviewState.VALIDATED:
        raise OrderError(_("Ce support n'est pas disponible à la commande."))
    if quantity <= 0:
        raise OrderError(_("Indiquez une quantité d'au moins un exemplaire."))
    if organisation.territory_id != material.campaign.territory_id:
        raise OrderError(_("Ce support n'est pas proposé sur le territoire de cette structure."))
    return PrintOrder.objects.create(
        material=material,
        organisation=organisation,
        quantity=quantity,
        commune=commune or organisation.commune,
        requested_by=by,
    )


def _lock(order: PrintOrder, expected: str) -> PrintOrder:
    locked = PrintOrder.objects.select_for_update().get(pk=order.pk)
    if locked.status != expected:
        raise OrderError(
            _("Cette commande a déjà été traitée (%(status)s).")
            % {"status": locked.get_status_display()}
        )
    return locked


def approve_print_order(*, order: PrintOrder, by: User | None) -> PrintOrder:
    """Accept the order and take its copies from the stock, or refuse when it falls short."""
    with transaction.atomic():
        # Lock the material first: concurrent approvals of the same material wait here.
        material = Material.objects.select_for_update().get(pk=order.material_id)
        locked = _lock(order, S.REQUESTED)
        if material.stock < locked.quantity:
            raise InsufficientStock(
                _(
                    "Stock insuffisant : %(quantity)d exemplaires demandés, %(stock)d en stock. "
                    "Réapprovisionnez le support ou refusez la commande."
                )
                % {"quantity": locked.quantity, "stock": material.stock}
            )
        before = material.stock
        material.stock -= locked.quantity
        material.save(update_fields=["stock"])
        if crossed_threshold(material, before=before):
            alert_low_stock_later(material)
        locked.status = S.APPROVED
        locked.decided_by = by
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "decided_by", "decided_at"])
    return locked


def refuse_print_order(*, order: PrintOrder, by: User | None, comment: str) -> PrintOrder:
    if not comment.strip():
        raise OrderError(_("Dites en un commentaire pourquoi la commande est refusée."))
    with transaction.atomic():
        locked = _lock(order, S.REQUESTED)
        locked.status = S.REFUSED
        locked.decided_by = by
        locked.decided_at = timezone.now()
        locked.decision_comment = comment.strip()
        locked.save(update_fields=["status", "decided_by", "decided_at", "decision_comment"])
    return locked


def record_delivery(*, order: PrintOrder, delivered_on: date, by: User | None) -> PrintOrder:
    if delivered_on > timezone.localdate():
        raise OrderError(_("La date de livraison ne peut pas être dans le futur."))
    with transaction.atomic():
        locked = _lock(order, S.APPROVED)
        locked.status = S.DELIVERED
        locked.delivered_on = delivered_on
        locked.save(update_fields=["status", "delivered_on"])
    return locked


def count_download(*, material: Material, user: User) -> int:
    """Add one download for each organisation of a logged-in partner in the material's
    territory; nothing for anonymous visitors. Returns how many organisations were counted."""
    if not user.is_authenticated:
        return 0
    organisations = Organisation.objects.filter(
        roles__user=user, territory_id=material.campaign.territory_id
    ).distinct()
    month = timezone.localdate().replace(day=1)
    counted = 0
    for organisation in organisations:
        with transaction.atomic():
            row, _created = DownloadCount.objects.get_or_create(
                material=material, organisation=organisation, month=month
            )
            DownloadCount.objects.filter(pk=row.pk).update(count=F("count") + 1)
        counted += 1
    return counted


@dataclass(frozen=True)
class Distribution:
    total: int
    by_material: list[dict]
    by_organisation: list[dict]
    by_commune: list[dict]


def distribution(
    *,
    territory: Territory,
    start: date | None = None,
    end: date | None = None,
    material: Material | None = None,
) -> Distribution:
    """Copies delivered in a territory, over a period, summed from the deliveries."""
    orders: QuerySet[PrintOrder] = PrintOrder.objects.delivered().in_territory(territory)
    if start:
        orders = orders.filter(delivered_on__gte=start)
    if end:
        orders = orders.filter(delivered_on__lte=end)
    if material:
        orders = orders.filter(material=material)
    copies = Sum("quantity")
    return Distribution(
        total=orders.aggregate(total=copies)["total"] or 0,
        by_material=list(
            orders.values("material__title", "material__kind")
            .annotate(copies=copies)
            .order_by("-copies", "material__title")
        ),
        by_organisation=list(
            orders.values("organisation__name").annotate(copies=copies).order_by("-copies")
        ),
        by_commune=list(orders.values("commune__name").annotate(copies=copies).order_by("-copies")),
    )
