"""The coordination's work on campaigns and materials: review states, files of a material
(main file and variants for print, web and source, checked by content, images re-encoded),
the preview image built from them, the stock with its restocks and the low-stock alert, and
what the library shows to whom."""

from __future__ import annotations

import io
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q, QuerySet
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from maillage.core.models import Role, User
from maillage.core.tasks import deliver
from maillage.core.uploads import JPEG, PDF, PNG, CheckedUpload, check_upload, reencode_image

from .models import Language, Material, MaterialVariant

logger = logging.getLogger(__name__)
RS = Material.ReviewState
Purpose = MaterialVariant.Purpose

MB = 1024 * 1024
# A web file stays light; a print file (with bleed) or a source file may weigh more.
MAX_VARIANT_SIZE = {Purpose.WEB: 10 * MB, Purpose.PRINT: 50 * MB, Purpose.SOURCE: 50 * MB}
MAX_RESTOCK = 1_000_000
PREVIEW_WIDTH = 600
PREVIEW_MAX_HEIGHT = 1200


class MaterialError(Exception):
    """A change of a material cannot go on; the message says why, in French."""


# Review states


TRANSITIONS: dict[str, tuple[str, ...]] = {
    RS.DRAFT: (RS.VALIDATED,),
    RS.VALIDATED: (RS.ARCHIVED,),
    RS.ARCHIVED: (RS.VALIDATED,),
}


def allowed_transitions(material: Material) -> tuple[str, ...]:
    return TRANSITIONS.get(material.review_state, ())


def has_content(material: Material) -> bool:
    """A file to download or print, or (for a video) the page where it is published."""
    if material.file or material.external_url:
        return True
    return material.variants.exists()


def validation_problems(material: Material) -> list[str]:
    """Why the material cannot be validated yet (empty: it can)."""
    problems = []
    if not has_content(material):
        if material.kind == Material.Kind.VIDEO:
            problems.append(_("Ajoutez le lien de la page où la vidéo est publiée, ou un fichier."))
        else:
            problems.append(
                _("Déposez au moins un fichier (fichier principal ou variante) ou un lien externe.")
            )
    if not material.licence.strip():
        problems.append(_("Indiquez la licence et les conditions de réutilisation du support."))
    return problems


def change_review_state(*, material: Material, to: str, by: User | None) -> Material:
    """Draft → validated → archived, and archived → validated again; validating needs the
    material complete (see `validation_problems`)."""
    with transaction.atomic():
        locked = Material.objects.select_for_update().get(pk=material.pk)
        if to not in TRANSITIONS.get(locked.review_state, ()):
            raise MaterialError(
                _("Un support « %(current)s » ne peut pas passer à l'état « %(target)s ».")
                % {"current": locked.get_review_state_display(), "target": RS(to).label}
            )
        if to == RS.VALIDATED:
            problems = validation_problems(locked)
            if problems:
                raise MaterialError(
                    " ".join([_("Ce support ne peut pas encore être validé."), *problems])
                )
        locked.review_state = to
        locked._history_user = by
        locked._change_reason = _("État : %(state)s") % {"state": RS(to).label}
        locked.save(update_fields=["review_state"])
    material.review_state = locked.review_state
    return locked


# Files, variants and preview


def _store(field, content: bytes, name: str) -> None:
    field.save(name, ContentFile(content), save=False)


def _delete_later(storage, name: str) -> None:
    """Delete a replaced file once the new row is committed (never before: nothing lost)."""
    if name:
        transaction.on_commit(partial(storage.delete, name))


def check_main_file(upload: UploadedFile) -> CheckedUpload:
    """A material's main file, checked before anything is written: PDF, PNG or JPEG by
    content, 10 MB at most, images re-encoded without their metadata."""
    return reencode_image(
        check_upload(
            upload,
            max_size=MAX_VARIANT_SIZE[Purpose.WEB],
            type_hint=_("Déposez le support en PDF, ou en image PNG ou JPEG."),
        )
    )


def store_main_file(*, material: Material, checked: CheckedUpload, by: User | None) -> Material:
    """Store a checked main file (replacing the previous one); the preview follows."""
    with transaction.atomic():
        old_name = material.file.name
        material.content_type = checked.content_type
        _store(material.file, checked.content, "support")
        material._history_user = by
        material.save()
        _delete_later(material.file.storage, old_name)
        refresh_preview(material)
    return material


def attach_main_file(*, material: Material, upload: UploadedFile, by: User | None) -> Material:
    return store_main_file(material=material, checked=check_main_file(upload), by=by)


def upload_variant(
    *,
    material: Material,
    purpose: str,
    language: str,
    upload: UploadedFile,
    bleed_mm: int | None = None,
    by: User | None,
) -> MaterialVariant:
    """Store (or replace) the file of a material for a purpose and a language."""
    if purpose not in Purpose.values:
        raise MaterialError(_("Choisissez l'usage du fichier : impression, web ou source."))
    if language not in Language.values:
        raise MaterialError(_("Choisissez la langue du fichier."))
    if bleed_mm is not None and purpose != Purpose.PRINT:
        raise MaterialError(_("Le fond perdu ne concerne que les fichiers pour l'impression."))
    max_size = MAX_VARIANT_SIZE[purpose]
    checked = reencode_image(
        check_upload(
            upload,
            max_size=max_size,
            size_hint=_("Limite pour un fichier « %(purpose)s » : %(size)d Mo.")
            % {"purpose": Purpose(purpose).label, "size": max_size // MB},
            type_hint=_("Déposez un PDF, ou une image PNG ou JPEG."),
        )
    )
    with transaction.atomic():
        variant = (
            MaterialVariant.objects.select_for_update()
            .filter(material=material, purpose=purpose, language=language)
            .first()
        ) or MaterialVariant(material=material, purpose=purpose, language=language)
        old_name = variant.file.name if variant.pk else ""
        variant.content_type = checked.content_type
        variant.size = len(checked.content)
        variant.bleed_mm = bleed_mm if purpose == Purpose.PRINT else None
        _store(variant.file, checked.content, "variante")
        variant._history_user = by
        variant.save()
        _delete_later(variant.file.storage, old_name)
        if purpose in (Purpose.WEB, Purpose.PRINT):
            refresh_preview(material)
    return variant


def delete_variant(*, variant: MaterialVariant, by: User | None) -> None:
    material = variant.material
    with transaction.atomic():
        name, storage = variant.file.name, variant.file.storage
        variant._history_user = by
        variant.delete()
        _delete_later(storage, name)
        refresh_preview(material)


def preview_source(material: Material) -> tuple[object, str] | None:
    """The file the preview is drawn from: the French web file, else the main file, else
    any web file, else a print file (French first)."""
    variants = sorted(
        material.variants.filter(purpose__in=[Purpose.WEB, Purpose.PRINT]),
        key=lambda v: (v.purpose != Purpose.WEB, v.language != Language.FRENCH, v.pk),
    )
    web_fr = [v for v in variants if v.purpose == Purpose.WEB and v.language == Language.FRENCH]
    if web_fr:
        return web_fr[0].file, web_fr[0].content_type
    if material.file and material.content_type in (PDF, PNG, JPEG):
        return material.file, material.content_type
    if variants:
        return variants[0].file, variants[0].content_type
    return None


def build_preview(content: bytes, content_type: str) -> bytes:
    """A PNG at most PREVIEW_WIDTH wide: the first page of a PDF, or the image reduced."""
    from PIL import Image

    if content_type == PDF:
        import pypdfium2

        document = pypdfium2.PdfDocument(content)
        try:
            if len(document) == 0:
                raise ValueError("empty PDF")
            page = document[0]
            width = page.get_width() or 1
            bitmap = page.render(scale=min(PREVIEW_WIDTH / width, 4))
            image = bitmap.to_pil()
            page.close()
        finally:
            document.close()
    elif content_type in (PNG, JPEG):
        image = Image.open(io.BytesIO(content))
        image.load()
    else:
        raise ValueError(f"no preview for {content_type}")
    image.thumbnail((PREVIEW_WIDTH, PREVIEW_MAX_HEIGHT))
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    output = io.BytesIO()
    image.save(output, format="PNG", optimize=True)
    return output.getvalue()


def refresh_preview(material: Material) -> bool:
    """Build the material's preview again from its files. A failure is logged and leaves the
    preview empty: the upload that asked for it is kept whatever happens here."""
    old_name = material.preview.name
    source = preview_source(material)
    content = None
    if source is not None:
        field, content_type = source
        try:
            with field.open("rb") as handle:
                content = build_preview(handle.read(), content_type)
        except Exception:
            logger.exception("Preview of material %s could not be built", material.pk)
    if content is None:
        material.preview = ""
    else:
        _store(material.preview, content, f"{secrets.token_hex(16)}.png")
    Material.objects.filter(pk=material.pk).update(preview=material.preview.name)
    if old_name and old_name != material.preview.name:
        _delete_later(material.preview.storage, old_name)
    return content is not None


# Stock


def restock(*, material: Material, quantity: int, by: User | None, note: str = "") -> Material:
    """Add printed copies to the stock; the material's history keeps who added how many."""
    if quantity <= 0:
        raise MaterialError(_("Indiquez un nombre d'exemplaires positif."))
    if quantity > MAX_RESTOCK:
        raise MaterialError(
            _("Au plus %(max)d exemplaires à la fois : vérifiez le nombre.") % {"max": MAX_RESTOCK}
        )
    reason = _("Réapprovisionnement : +%(quantity)d") % {"quantity": quantity}
    if note.strip():
        reason = f"{reason} ({note.strip()})"
    with transaction.atomic():
        locked = Material.objects.select_for_update().get(pk=material.pk)
        locked.stock += quantity
        locked._history_user = by
        locked._change_reason = reason[:100]
        locked.save(update_fields=["stock"])
    material.stock = locked.stock
    return locked


@dataclass(frozen=True)
class StockMove:
    at: datetime
    by: User | None
    change: int
    stock: int
    reason: str


def stock_history(material: Material, *, limit: int = 50) -> list[StockMove]:
    """Every change of the stock, most recent first, read from the material's history."""
    records = list(material.history.select_related("history_user").order_by("history_date"))
    moves = []
    previous = None
    for record in records:
        if previous is None or record.stock != previous:
            moves.append(
                StockMove(
                    at=record.history_date,
                    by=record.history_user,
                    change=record.stock - (previous or 0),
                    stock=record.stock,
                    reason=record.history_change_reason or "",
                )
            )
        previous = record.stock
    return moves[::-1][:limit]


def crossed_threshold(material: Material, *, before: int) -> bool:
    """The stock just fell to (or under) the alert threshold from above it."""
    threshold = material.stock_alert_threshold
    return threshold > 0 and before > threshold >= material.stock


def alert_low_stock_later(material: Material) -> None:
    """Once committed, the territory's coordinators get an email (through the task queue)."""
    transaction.on_commit(partial(send_low_stock_alert.enqueue, material_id=material.pk))


def coordinators_emails(territory_id: int) -> list[str]:
    return sorted(
        set(
            User.objects.filter(
                roles__kind=Role.Kind.COORDINATOR, roles__territory_id=territory_id, is_active=True
            ).values_list("email", flat=True)
        )
    )


def site_url() -> str:
    """The public address for links in emails (SITE_URL, else the first host)."""
    if settings.SITE_URL:
        return settings.SITE_URL.rstrip("/")
    hosts = [h for h in settings.ALLOWED_HOSTS if h and not h.startswith(".") and h != "*"]
    return f"https://{hosts[0]}" if hosts else "http://localhost:8000"


def low_stock_message(material: Material, to: list[str]) -> EmailMessage:
    context = {
        "material": material,
        "stock_url": site_url() + reverse("prevention:material_stock", args=[material.pk]),
        "orders_url": site_url() + reverse("prevention:orders"),
    }
    return EmailMessage(
        subject="[Maillage] "
        + _("Stock bas : %(title)s (%(stock)d exemplaires)")
        % {"title": material.title, "stock": material.stock},
        body=render_to_string("prevention/materials/email/low_stock.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
    )


@task
def send_low_stock_alert(*, material_id: int) -> bool:
    """Tell the coordinators that a material is low on stock; nothing when it was restocked
    in the meantime (the email would mislead)."""
    material = Material.objects.select_related("campaign").filter(pk=material_id).first()
    if material is None or not material.is_low_on_stock:
        return False
    to = coordinators_emails(material.campaign.territory_id)
    if not to:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        deliver(low_stock_message(material, to))
    return True


# The library


def library_for(user) -> QuerySet[Material]:
    """What the library shows to a visitor: validated public materials for everyone, plus
    the validated restricted ones of the territories where the user works (any role in an
    organisation of the territory, or coordinator); every validated one to an administrator."""
    public = Q(review_state=RS.VALIDATED, is_public=True)
    if not user.is_authenticated:
        return Material.objects.filter(public)
    if user.is_superuser:
        return Material.objects.for_partners()
    roles = user.roles.all()
    territory_ids = {
        territory_id
        for pair in roles.values_list("territory_id", "organisation__territory_id")
        for territory_id in pair
        if territory_id
    }
    return Material.objects.for_partners().filter(
        public | Q(campaign__territory_id__in=territory_ids)
    )
