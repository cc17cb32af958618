"""Prevention demo for Angers: the guide "Agir contre les violences sexistes et sexuelles",
5000 copies delivered to partners, and the posters and leaflets "auteur, victime et témoin".

Built through the same service functions as the application (order, approval against the
stock, delivery). Idempotent: a campaign is found again by its title, a material by its
campaign and title, and the orders of the guide are placed only once.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from maillage.core.models import Organisation, Territory

from .demo_events import load_demo_events
from .models import Audience, Campaign, Material
from .services import approve_print_order, record_delivery, request_print_order

K = Material.Kind
GUIDE_TITLE = "Agir contre les violences sexistes et sexuelles"
GUIDE_PRINT_RUN = 5500
LICENCE = "Réutilisable par tout acteur local du contrat, logo du contrat exigé, sans modification."
# organisation, copies, delivered on: 5000 copies in all.
GUIDE_DELIVERIES = [
    ("Ville d'Angers", 1500, date(2024, 11, 18)),
    ("Département de Maine-et-Loire", 1000, date(2024, 11, 20)),
    ("Université d'Angers", 800, date(2025, 1, 15)),
    ("Caisse d'allocations familiales de Maine-et-Loire", 700, date(2025, 2, 10)),
    ("Services départementaux de l'Éducation nationale de Maine-et-Loire", 600, date(2025, 3, 3)),
    ("Angers Loire Métropole", 400, date(2025, 3, 24)),
]
SERIES = [
    (
        "auteur",
        Audience.AUTHORS,
        "Vous êtes auteur de violences ? Des professionnels vous aident à arrêter.",
    ),
    (
        "victime",
        Audience.VICTIMS,
        "Vous êtes victime ? Vous n'êtes pas seule : des professionnels vous écoutent.",
    ),
    (
        "témoin",
        Audience.WITNESSES,
        "Vous êtes témoin ? Ne restez pas silencieux : voici comment agir.",
    ),
]


def _material(campaign: Campaign, title: str, **fields) -> Material:
    material, _created = Material.objects.update_or_create(
        campaign=campaign,
        title=title,
        defaults={
            "review_state": Material.ReviewState.VALIDATED,
            "is_public": True,
            "licence": LICENCE,
            "credits": "Angers Loire Métropole — contrat local VSS",
            **fields,
        },
    )
    return material


@transaction.atomic
def load_demo_data() -> list:
    territory = Territory.objects.get(slug="angers-loire-metropole")
    organisations = {o.name: o for o in Organisation.objects.in_territory(territory)}
    contract = territory.current_contract()
    prevent = contract.priorities.filter(code="PRÉVENIR").first() if contract else None
    guide_campaign, _ = Campaign.objects.update_or_create(
        territory=territory,
        title="Agir contre les violences sexistes et sexuelles",
        defaults={
            "starts_on": date(2024, 9, 27),
            "audiences": [Audience.GENERAL_PUBLIC, Audience.PROFESSIONALS],
            "priority": prevent,
        },
    )
    guide_campaign.partners.set(organisations[name] for name, _n, _d in GUIDE_DELIVERIES)
    guide = _material(
        guide_campaign,
        GUIDE_TITLE,
        kind=K.GUIDE,
        audience=Audience.GENERAL_PUBLIC,
        description=(
            "Le guide du territoire : reconnaître les violences sexistes et sexuelles, les "
            "numéros utiles, les lieux d'écoute et d'accompagnement d'Angers Loire Métropole."
        ),
        shows_people_consent=False,
        consent_note="Aucune personne représentée (illustrations).",
        print_specs="A5 (148 x 210 mm), 48 pages, quadrichromie, papier recyclé 115 g, 3 mm de "
        "fond perdu.",
        legal_mentions="Imprimé sur papier recyclé par un imprimeur Imprim'Vert. Ne pas jeter sur "
        "la voie publique.",
        partner_logo_slot=True,
        partner_logo_note="Quatrième de couverture, cartouche de 40 x 20 mm en bas à droite.",
        # 500 copies left of 5,500: the coordination sees that a reprint is due.
        stock_alert_threshold=600,
    )
    if not guide.orders.exists():
        Material.objects.filter(pk=guide.pk).update(stock=GUIDE_PRINT_RUN)
        for name, copies, delivered_on in GUIDE_DELIVERIES:
            organisation = organisations[name]
            order = request_print_order(
                material=guide, organisation=organisation, quantity=copies, by=None
            )
            approve_print_order(order=order, by=None)
            record_delivery(order=order, delivered_on=delivered_on, by=None)

    series, _ = Campaign.objects.update_or_create(
        territory=territory,
        title="Auteur, victime et témoin",
        defaults={
            "starts_on": date(2021, 11, 25),
            "audiences": [Audience.AUTHORS, Audience.VICTIMS, Audience.WITNESSES],
            "priority": prevent,
        },
    )
    for word, audience, message in SERIES:
        for kind, label, stock in ((K.POSTER, "Affiche", 300), (K.LEAFLET, "Dépliant", 2000)):
            material = _material(
                series,
                f"{label} « {word} »",
                kind=kind,
                audience=audience,
                description=message,
                shows_people_consent=True,
                consent_note="Photographies de modèles ; autorisations signées conservées.",
                print_specs="A3 (297 x 420 mm), 3 mm de fond perdu"
                if kind == K.POSTER
                else "A5 recto verso, 3 mm de fond perdu",
                legal_mentions="Ne pas jeter sur la voie publique.",
                stock_alert_threshold=50 if kind == K.POSTER else 200,
            )
            if material.stock == 0 and not material.orders.exists():
                Material.objects.filter(pk=material.pk).update(stock=stock)
    load_demo_events()  # the Mois pour agir events and the reuse declarations (H1)
    return []
