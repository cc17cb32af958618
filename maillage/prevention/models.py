"""Prevention (prévenir): the campaigns of the contract, the library of their materials and the
print orders that say how many copies went to whom.

The instance rules live here; the workflows that touch several rows (an order approved
against the stock, a delivery recorded, a download counted) live in `services.py`.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from maillage.core.models import Commune, Organisation, Territory
from maillage.core.uploads import EXTENSIONS


class Audience(models.TextChoices):
    GENERAL_PUBLIC = "general_public", _("Grand public")
    AT_RISK = "at_risk", _("Publics exposés")
    PROFESSIONALS = "professionals", _("Professionnels")
    VICTIMS = "victims", _("Victimes")
    WITNESSES = "witnesses", _("Témoins")
    AUTHORS = "authors", _("Auteurs")


class Campaign(models.Model):
    """A communication campaign of the contract: its period, audiences and partners."""

    territory = models.ForeignKey(
        Territory,
        verbose_name=_("territoire"),
        on_delete=models.PROTECT,
        related_name="campaigns",
    )
    title = models.CharField(_("titre"), max_length=200)
    starts_on = models.DateField(_("début"))
    ends_on = models.DateField(_("fin"), null=True, blank=True)
    audiences = models.JSONField(
        _("publics"), default=list, blank=True, help_text=_("Codes des publics visés.")
    )
    partners = models.ManyToManyField(
        Organisation, verbose_name=_("partenaires"), blank=True, related_name="campaigns"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[partners])

    class Meta:
        verbose_name = _("campagne")
        verbose_name_plural = _("campagnes")
        ordering = ["-starts_on", "title"]

    def __str__(self) -> str:
        return self.title

    @property
    def audience_labels(self) -> list[str]:
        return [str(Audience(code).label) for code in self.audiences if code in Audience.values]


class MaterialQuerySet(models.QuerySet):
    def in_library(self) -> MaterialQuerySet:
        """What the public library shows: validated and public."""
        return self.filter(review_state=Material.ReviewState.VALIDATED, is_public=True)

    def search(self, text: str) -> MaterialQuerySet:
        text = text.strip()
        if not text:
            return self
        return self.filter(Q(title__icontains=text) | Q(description__icontains=text))


def material_file_name(instance: Material, filename: str) -> str:
    """A name nobody can guess, with the extension of the type found in the file."""
    extension = EXTENSIONS.get(instance.content_type, "")
    return f"prevention/supports/{secrets.token_hex(16)}{extension}"


class Material(models.Model):
    """A material of a campaign: poster, leaflet, guide… with its reuse conditions and stock."""

    class Kind(models.TextChoices):
        POSTER = "poster", _("Affiche")
        LEAFLET = "leaflet", _("Dépliant")
        GUIDE = "guide", _("Guide")
        STICKER = "sticker", _("Autocollant")
        VIDEO = "video", _("Vidéo")
        VISUAL = "visual", _("Visuel pour les réseaux sociaux")
        KIT = "kit", _("Kit")

    class ReviewState(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        VALIDATED = "validated", _("Validé")
        ARCHIVED = "archived", _("Archivé")

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campagne"), on_delete=models.PROTECT, related_name="materials"
    )
    kind = models.CharField(_("type de support"), max_length=20, choices=Kind)
    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    audience = models.CharField(_("public"), max_length=30, choices=Audience)
    licence = models.TextField(
        _("licence et conditions de réutilisation"),
        blank=True,
        help_text=_("Par exemple : réutilisable par tout acteur local, logo du contrat exigé."),
    )
    credits = models.CharField(_("crédits"), max_length=300, blank=True)
    shows_people_consent = models.BooleanField(
        _("consentement des personnes représentées recueilli"), default=False
    )
    consent_note = models.TextField(_("note sur le consentement"), blank=True)
    review_state = models.CharField(
        _("état de relecture"), max_length=20, choices=ReviewState, default=ReviewState.DRAFT
    )
    is_public = models.BooleanField(_("public"), default=False)
    file = models.FileField(_("fichier"), upload_to=material_file_name, max_length=200, blank=True)
    content_type = models.CharField(_("type de fichier"), max_length=30, blank=True)
    stock = models.PositiveIntegerField(_("stock (exemplaires)"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = MaterialQuerySet.as_manager()

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(condition=Q(stock__gte=0), name="material_stock_not_negative")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("prevention:material", args=[self.pk])

    @property
    def territory_id(self) -> int:
        return self.campaign.territory_id

    @property
    def is_in_library(self) -> bool:
        return self.review_state == self.ReviewState.VALIDATED and self.is_public

    @property
    def is_downloadable(self) -> bool:
        return self.is_in_library and bool(self.file)


class PrintOrderQuerySet(models.QuerySet):
    def delivered(self) -> PrintOrderQuerySet:
        return self.filter(status=PrintOrder.Status.DELIVERED)

    def in_territory(self, territory: Territory) -> PrintOrderQuerySet:
        return self.filter(material__campaign__territory=territory)


class PrintOrder(models.Model):
    """Printed copies of a material asked for by a partner organisation."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Demandée")
        APPROVED = "approved", _("Acceptée")
        REFUSED = "refused", _("Refusée")
        DELIVERED = "delivered", _("Livrée")

    material = models.ForeignKey(
        Material, verbose_name=_("support"), on_delete=models.PROTECT, related_name="orders"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("structure"),
        on_delete=models.PROTECT,
        related_name="print_orders",
    )
    quantity = models.PositiveIntegerField(_("quantité"))
    commune = models.ForeignKey(
        Commune,
        verbose_name=_("commune de diffusion"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    status = models.CharField(_("statut"), max_length=20, choices=Status, default=Status.REQUESTED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("demandée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("demandée le"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("décidée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    decision_comment = models.TextField(_("commentaire"), blank=True)
    delivered_on = models.DateField(_("livrée le"), null=True, blank=True)
    history = HistoricalRecords()

    objects = PrintOrderQuerySet.as_manager()

    class Meta:
        verbose_name = _("commande d'impression")
        verbose_name_plural = _("commandes d'impression")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="print_order_quantity_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.material} ({self.quantity}) — {self.organisation}"

    @property
    def territory_id(self) -> int:
        return self.organisation.territory_id


class DownloadCount(models.Model):
    """Downloads of a material by the logged-in members of an organisation, per month.

    Never per anonymous visitor: nothing is recorded about them."""

    material = models.ForeignKey(
        Material, verbose_name=_("support"), on_delete=models.CASCADE, related_name="downloads"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("structure"), on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField(_("mois"), help_text=_("Le premier jour du mois."))
    count = models.PositiveIntegerField(_("téléchargements"), default=0)

    class Meta:
        verbose_name = _("téléchargements du mois")
        verbose_name_plural = _("téléchargements par mois")
        constraints = [
            models.UniqueConstraint(
                fields=["material", "organisation", "month"], name="download_count_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.material} — {self.organisation} — {self.month:%Y-%m}: {self.count}"
