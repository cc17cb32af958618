"""Prevention (prévenir): the campaigns of the contract, the library of their materials and the
print orders that say how many copies went to whom.

The instance rules live here; the workflows that touch several rows (an order approved
against the stock, a delivery recorded, a download counted) live in `services.py`.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from maillage.core.models import Commune, Organisation, Priority, Territory
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
    description = models.TextField(_("description"), blank=True)
    priority = models.ForeignKey(
        Priority,
        verbose_name=_("priorité du contrat"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="campaigns",
    )
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

    def for_partners(self) -> MaterialQuerySet:
        """What partners see: every validated material, restricted ones included."""
        return self.filter(review_state=Material.ReviewState.VALIDATED)

    def low_stock(self) -> MaterialQuerySet:
        """Validated materials whose stock fell to their alert threshold (when one is set)."""
        return self.filter(
            review_state=Material.ReviewState.VALIDATED,
            stock_alert_threshold__gt=0,
            stock__lte=F("stock_alert_threshold"),
        )

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
    preview = models.FileField(
        _("aperçu"),
        upload_to="prevention/apercus/",
        max_length=200,
        blank=True,
        help_text=_("Image PNG générée à partir du fichier (première page d'un PDF)."),
    )
    external_url = models.URLField(
        _("lien externe"),
        blank=True,
        help_text=_("Pour une vidéo : la page où elle est publiée (jamais intégrée au site)."),
    )
    print_specs = models.TextField(
        _("caractéristiques d'impression"),
        blank=True,
        help_text=_("Format, papier, couleurs, fond perdu (par exemple A3, 3 mm de fond perdu)."),
    )
    legal_mentions = models.TextField(
        _("mentions légales d'impression"),
        blank=True,
        help_text=_("Par exemple : imprimeur, « Ne pas jeter sur la voie publique »."),
    )
    partner_logo_slot = models.BooleanField(
        _("emplacement pour le logo d'un partenaire"), default=False
    )
    partner_logo_note = models.CharField(
        _("emplacement du logo"),
        max_length=200,
        blank=True,
        help_text=_("Où et à quelle taille le partenaire place son logo."),
    )
    stock = models.PositiveIntegerField(_("stock (exemplaires)"), default=0)
    stock_alert_threshold = models.PositiveIntegerField(
        _("seuil d'alerte de stock"),
        default=0,
        help_text=_("Une alerte s'affiche quand le stock descend à ce seuil (0 : pas d'alerte)."),
    )
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

    @property
    def is_restricted(self) -> bool:
        """Validated but kept for partners: not in the public library."""
        return self.review_state == self.ReviewState.VALIDATED and not self.is_public

    @property
    def is_low_on_stock(self) -> bool:
        return self.stock_alert_threshold > 0 and self.stock <= self.stock_alert_threshold


def variant_file_name(instance: MaterialVariant, filename: str) -> str:
    extension = EXTENSIONS.get(instance.content_type, "")
    return f"prevention/variantes/{secrets.token_hex(16)}{extension}"


class Language(models.TextChoices):
    FRENCH = "fr", _("Français")
    ENGLISH = "en", _("Anglais")
    ARABIC = "ar", _("Arabe")
    SPANISH = "es", _("Espagnol")
    PORTUGUESE = "pt", _("Portugais")
    TURKISH = "tr", _("Turc")
    UKRAINIAN = "uk", _("Ukrainien")
    EASY_TO_READ = "fr-falc", _("Français facile à lire et à comprendre (FALC)")


class MaterialVariant(models.Model):
    """One file of a material: for print (with bleed), for the web, or the source, in a
    language."""

    class Purpose(models.TextChoices):
        PRINT = "print", _("Impression (avec fond perdu)")
        WEB = "web", _("Web")
        SOURCE = "source", _("Fichier source")

    material = models.ForeignKey(
        Material, verbose_name=_("support"), on_delete=models.CASCADE, related_name="variants"
    )
    purpose = models.CharField(_("usage"), max_length=10, choices=Purpose)
    language = models.CharField(
        _("langue"), max_length=10, choices=Language, default=Language.FRENCH
    )
    file = models.FileField(_("fichier"), upload_to=variant_file_name, max_length=200)
    content_type = models.CharField(_("type de fichier"), max_length=30)
    size = models.PositiveIntegerField(_("taille (octets)"), default=0)
    bleed_mm = models.PositiveSmallIntegerField(
        _("fond perdu (mm)"), null=True, blank=True, help_text=_("Pour l'impression.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("variante de support")
        verbose_name_plural = _("variantes de support")
        ordering = ["material", "purpose", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["material", "purpose", "language"],
                name="material_variant_unique",
                violation_error_message=_(
                    "Ce support a déjà un fichier pour cet usage dans cette langue."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.material} — {self.get_purpose_display()} ({self.get_language_display()})"

    @property
    def territory_id(self) -> int:
        return self.material.campaign.territory_id


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


class MaterialReuse(models.Model):
    """An organisation declares that it reused a material of the contract (shown in the
    yearly review)."""

    class Channel(models.TextChoices):
        PRINT = "print", _("Impression par la structure")
        DISPLAY = "display", _("Affichage dans nos locaux")
        WEB = "web", _("Site internet")
        SOCIAL = "social", _("Réseaux sociaux")
        EVENT = "event", _("Action ou événement")
        OTHER = "other", _("Autre")

    material = models.ForeignKey(
        Material, verbose_name=_("support"), on_delete=models.PROTECT, related_name="reuses"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("structure"),
        on_delete=models.PROTECT,
        related_name="material_reuses",
    )
    channel = models.CharField(_("usage"), max_length=20, choices=Channel)
    reused_on = models.DateField(_("date de la réutilisation"))
    copies = models.PositiveIntegerField(
        _("exemplaires imprimés par la structure"), null=True, blank=True
    )
    description = models.TextField(
        _("description"), blank=True, help_text=_("Comment le support a été réutilisé.")
    )
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("déclarée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    declared_at = models.DateTimeField(_("déclarée le"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("réutilisation de support")
        verbose_name_plural = _("réutilisations de supports")
        ordering = ["-reused_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.material} — {self.organisation} ({self.reused_on:%d/%m/%Y})"

    @property
    def territory_id(self) -> int:
        return self.organisation.territory_id


class AwarenessEventQuerySet(models.QuerySet):
    def published(self) -> AwarenessEventQuerySet:
        return self.filter(status=AwarenessEvent.Status.PUBLISHED)

    def in_agenda(self) -> AwarenessEventQuerySet:
        """What the public agenda shows: published and cancelled events (marked as such). An
        event is published only once its text was accepted by the coordination (or written by
        it); a partner's later change waits aside (`proposed_changes`) until accepted."""
        return self.filter(
            status__in=[AwarenessEvent.Status.PUBLISHED, AwarenessEvent.Status.CANCELLED]
        )

    def awaiting_review(self) -> AwarenessEventQuerySet:
        """Partners' events submitted for publication, and partners' changes to events of the
        agenda, waiting for the coordination of their territory."""
        return self.filter(
            Q(status=AwarenessEvent.Status.SUBMITTED) | Q(proposed_changes__isnull=False)
        )


class AwarenessEvent(models.Model):
    """A prevention action or event of a partner: stand, screening, school session…"""

    class Kind(models.TextChoices):
        STAND = "stand", _("Stand d'information")
        SCREENING = "screening", _("Projection-débat")
        SCHOOL = "school", _("Intervention en milieu scolaire")
        CONFERENCE = "conference", _("Conférence")
        WORKSHOP = "workshop", _("Atelier")
        EXHIBITION = "exhibition", _("Exposition")
        THEATRE = "theatre", _("Théâtre-forum ou spectacle")
        WALK = "walk", _("Marche ou rassemblement")
        OTHER = "other", _("Autre action")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        SUBMITTED = "submitted", _("En attente de validation")
        PUBLISHED = "published", _("Publié")
        CANCELLED = "cancelled", _("Annulé")

    territory = models.ForeignKey(
        Territory, verbose_name=_("territoire"), on_delete=models.PROTECT, related_name="events"
    )
    title = models.CharField(_("titre"), max_length=200)
    kind = models.CharField(_("type d'action"), max_length=20, choices=Kind)
    description = models.TextField(_("description"), blank=True)
    audience = models.CharField(_("public"), max_length=30, choices=Audience)
    is_open_to_public = models.BooleanField(
        _("ouvert à tous"),
        default=True,
        help_text=_("Décochez pour une action réservée (une classe, un service…)."),
    )
    organiser = models.ForeignKey(
        Organisation,
        verbose_name=_("structure organisatrice"),
        on_delete=models.PROTECT,
        related_name="organised_events",
    )
    partners = models.ManyToManyField(
        Organisation, verbose_name=_("structures partenaires"), blank=True, related_name="+"
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campagne"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
    )
    materials = models.ManyToManyField(
        Material, verbose_name=_("supports utilisés"), blank=True, related_name="events"
    )
    place_name = models.CharField(_("lieu"), max_length=200)
    address = models.CharField(_("adresse"), max_length=300, blank=True)
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.PROTECT, null=True, blank=True
    )
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    status = models.CharField(_("statut"), max_length=20, choices=Status, default=Status.DRAFT)
    attendance = models.PositiveIntegerField(
        _("participants"),
        null=True,
        blank=True,
        help_text=_("Nombre de personnes touchées, saisi après l'action."),
    )
    attendance_note = models.TextField(_("bilan de l'action"), blank=True)
    # Review by the coordination of the territory (events.py): a partner's event is submitted,
    # then accepted (published) or refused with a reason; a partner's change to an event of
    # the agenda waits here, {"base": the event as its author saw it, "proposed": as they want
    # it} (events.event_data), while the agenda keeps showing the accepted version.
    proposed_changes = models.JSONField(_("modifications proposées"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("soumis le"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("soumis par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    review_comment = models.TextField(
        _("motif du refus"),
        blank=True,
        help_text=_("Le motif du dernier refus de la coordination."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("créé par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(m2m_fields=[partners, materials])

    objects = AwarenessEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("action de sensibilisation")
        verbose_name_plural = _("actions de sensibilisation")
        ordering = ["starts_at", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=F("starts_at")),
                name="awareness_event_ends_after_start",
                violation_error_message=_("La fin de l'action doit suivre son début."),
            )
        ]
        indexes = [models.Index(fields=["territory", "status", "starts_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("prevention:event", args=[self.pk])
