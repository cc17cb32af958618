"""The Angers demo: territory, both contracts, the 25 signatories of 2024 and one user per role.

Idempotent: running it again updates the same records. Names come from the press release of
27 September 2024 and from shared/domain.md §7; other partners are plausible ones of that kind.
Every figure shown from demo data carries an on-screen notice that it must be checked.
"""

from dataclasses import dataclass
from datetime import date

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.db import transaction

from .communes import attach_epci_communes, load_communes
from .models import Commune, Contract, Organisation, Priority, Role, Signature, Territory, User

K = Organisation.Kind
ANGERS = "49007"

# name, acronym, kind, commune, signatory's title, new in 2024, website
SIGNATORIES_2024 = [
    (
        "Préfecture de Maine-et-Loire",
        "",
        K.STATE,
        ANGERS,
        "Le préfet de Maine-et-Loire",
        False,
        "https://www.maine-et-loire.gouv.fr",
    ),
    (
        "Parquet du tribunal judiciaire d'Angers",
        "",
        K.JUSTICE,
        ANGERS,
        "Le procureur de la République",
        False,
        "",
    ),
    (
        "Angers Loire Métropole",
        "ALM",
        K.LOCAL_AUTHORITY,
        ANGERS,
        "Le président de la communauté urbaine",
        False,
        "https://www.angersloiremetropole.fr",
    ),
    (
        "Ville d'Angers",
        "",
        K.LOCAL_AUTHORITY,
        ANGERS,
        "Le maire d'Angers",
        False,
        "https://www.angers.fr",
    ),
    (
        "Département de Maine-et-Loire",
        "",
        K.LOCAL_AUTHORITY,
        ANGERS,
        "La présidente du conseil départemental",
        False,
        "",
    ),
    (
        "Direction départementale de la sécurité publique de Maine-et-Loire",
        "DDSP 49",
        K.POLICE,
        ANGERS,
        "Le directeur départemental",
        False,
        "",
    ),
    (
        "Groupement de gendarmerie départementale de Maine-et-Loire",
        "",
        K.POLICE,
        ANGERS,
        "Le commandant du groupement",
        False,
        "",
    ),
    (
        "Services départementaux de l'Éducation nationale de Maine-et-Loire",
        "DSDEN 49",
        K.EDUCATION,
        ANGERS,
        "L'inspectrice d'académie",
        False,
        "",
    ),
    (
        "Université d'Angers",
        "",
        K.EDUCATION,
        ANGERS,
        "Le président de l'université",
        True,
        "https://www.univ-angers.fr",
    ),
    (
        "Caisse d'allocations familiales de Maine-et-Loire",
        "CAF 49",
        K.SOCIAL_PROTECTION,
        ANGERS,
        "Le directeur",
        True,
        "https://www.caf.fr",
    ),
    (
        "Agence régionale de santé Pays de la Loire, délégation de Maine-et-Loire",
        "ARS",
        K.HEALTH,
        ANGERS,
        "La déléguée départementale",
        False,
        "",
    ),
    (
        "Centre hospitalier universitaire d'Angers",
        "CHU",
        K.HEALTH,
        ANGERS,
        "La directrice générale",
        False,
        "https://www.chu-angers.fr",
    ),
    ("Clinique de l'Anjou", "", K.HEALTH, ANGERS, "Le directeur", True, ""),
    ("Maison Olympe", "", K.ASSOCIATION, ANGERS, "La présidente", True, ""),
    (
        "Conseil départemental de l'accès au droit de Maine-et-Loire",
        "CDAD 49",
        K.JUSTICE,
        ANGERS,
        "La présidente du tribunal judiciaire",
        True,
        "",
    ),
    (
        "Association française des centres de consultation conjugale 49",
        "AFCCC 49",
        K.ASSOCIATION,
        ANGERS,
        "La présidente",
        True,
        "",
    ),
    ("Solidarité Femmes 49", "", K.ASSOCIATION, ANGERS, "La présidente", False, ""),
    ("France Victimes 49", "", K.ASSOCIATION, ANGERS, "Le président", False, ""),
    (
        "Centre d'information sur les droits des femmes et des familles de Maine-et-Loire",
        "CIDFF 49",
        K.ASSOCIATION,
        ANGERS,
        "La présidente",
        False,
        "",
    ),
    ("Planning familial 49", "", K.ASSOCIATION, ANGERS, "La coprésidente", False, ""),
    ("Médiations 49", "", K.ASSOCIATION, ANGERS, "Le président", False, ""),
    (
        "Association d'aide aux victimes d'abus sexuels",
        "AAVAS",
        K.ASSOCIATION,
        ANGERS,
        "La présidente",
        False,
        "",
    ),
    (
        "Service d'incendie et de secours de Maine-et-Loire",
        "SDIS 49",
        K.OTHER,
        "49015",
        "Le directeur départemental",
        False,
        "",
    ),
    ("Angers Loire Habitat", "", K.OTHER, ANGERS, "Le directeur général", False, ""),
    ("Réseau de transport Irigo", "", K.COMPANY, "49353", "Le directeur", False, ""),
]

PRIORITIES_2024 = [
    ("FORMER", "Former l'ensemble des acteurs avec une offre commune et adaptée",
     "Faciliter le repérage, l'accueil et l'orientation des victimes."),
    ("PRÉVENIR", "Prévenir les violences par une communication ciblée",
     "Mobiliser le plus largement possible : population globale, publics à risques, professionnels."),
    ("FÉDÉRER", "Fédérer et mobiliser les partenaires autour de nouveaux projets",
     "Favoriser la mobilisation et l'engagement de tous les acteurs concernés afin de répondre "
     "aux besoins identifiés sur le territoire."),
]  # fmt: skip

PRIORITIES_2020 = [
    ("1", "Une offre de formation commune", "Repérage, accueil, information et orientation."),
    ("2", "Développer le repérage sur tout le territoire", ""),
    ("3", "Échanger sur les situations entre professionnels",
     "Complexité, continuité des parcours, urgence, anonymat et confidentialité."),
    ("4", "Prévenir par une communication ciblée",
     "Grand public, publics à risques, professionnels, protagonistes."),
    ("5", "Élargir l'accompagnement des victimes, notamment des enfants, et des auteurs", ""),
]  # fmt: skip

DEMO_PASSWORD = "maillage-demo-2024"
# Base32 (letters A-Z and digits 2-7 only), 32 characters; shown to the demo user on purpose.
DEMO_TOTP_SECRET = "MAILLAGEDEMOANGERSCONTRATLOCALAA"


@dataclass
class DemoLogin:
    role: str
    email: str
    organisation: str
    totp_secret: str = ""


def _organisation(territory: Territory, row: tuple) -> Organisation:
    name, acronym, kind, commune, _title, _new, website = row
    organisation, _ = Organisation.objects.update_or_create(
        territory=territory,
        name=name,
        defaults={
            "acronym": acronym,
            "kind": kind,
            "commune": Commune.objects.get(pk=commune),
            "website": website,
        },
    )
    return organisation


def _contract(territory, title, start, end, signed_on, priorities) -> Contract:
    contract, _ = Contract.objects.update_or_create(
        territory=territory,
        start_date=start,
        defaults={"title": title, "end_date": end, "signed_on": signed_on},
    )
    for position, (code, ptitle, description) in enumerate(priorities):
        Priority.objects.update_or_create(
            contract=contract,
            code=code,
            defaults={"title": ptitle, "description": description, "position": position},
        )
    return contract


def _user(email: str, first_name: str, last_name: str, *, superuser: bool = False) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, DEMO_PASSWORD)
    user.first_name, user.last_name = first_name, last_name
    user.is_superuser = user.is_staff = superuser
    user.set_password(DEMO_PASSWORD)
    user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def _second_factor(user: User) -> None:
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)
        RecoveryCodes.activate(user)


@transaction.atomic
def load_demo_data() -> list[DemoLogin]:
    load_communes()
    territory, _ = Territory.objects.update_or_create(
        slug="angers-loire-metropole",
        defaults={
            "name": "Angers Loire Métropole",
            "display_name": "Angers Loire Métropole",
            "epci_siren": "244900015",
        },
    )
    attach_epci_communes(territory)
    organisations = {row[0]: _organisation(territory, row) for row in SIGNATORIES_2024}

    title = (
        "Contrat local de mobilisation et de coordination de lutte contre les violences "
        "sexistes et sexuelles"
    )
    first = _contract(
        territory,
        title,
        date(2020, 11, 25),
        date(2023, 12, 31),
        date(2020, 11, 25),
        PRIORITIES_2020,
    )
    second = _contract(
        territory, title, date(2024, 9, 27), date(2026, 12, 31), date(2024, 9, 27), PRIORITIES_2024
    )
    for row in SIGNATORIES_2024:
        name, _acronym, _kind, _commune, signatory_title, is_new, _website = row
        Signature.objects.update_or_create(
            contract=second,
            organisation=organisations[name],
            defaults={
                "signatory_title": signatory_title,
                "is_new": is_new,
                "signed_on": second.signed_on,
            },
        )
        if not is_new:
            Signature.objects.update_or_create(
                contract=first,
                organisation=organisations[name],
                defaults={"signatory_title": signatory_title, "signed_on": first.signed_on},
            )

    admin = _user("admin@demo.maillage.fr", "Alex", "Administrateur", superuser=True)
    coordinator = _user("coordination@demo.maillage.fr", "Camille", "Coordinatrice")
    Role.objects.get_or_create(user=coordinator, kind=Role.Kind.COORDINATOR, territory=territory)
    people = [
        ("referente@demo.maillage.fr", "Rania", "Référente", Role.Kind.REFERENT, "Solidarité Femmes 49"),
        ("referent.cidff@demo.maillage.fr", "Rémi", "Référent", Role.Kind.REFERENT,
         "Centre d'information sur les droits des femmes et des familles de Maine-et-Loire"),
        ("formatrice@demo.maillage.fr", "Fatou", "Formatrice", Role.Kind.TRAINER, "France Victimes 49"),
        ("professionnel@demo.maillage.fr", "Paul", "Professionnel", Role.Kind.PROFESSIONAL, "Ville d'Angers"),
    ]  # fmt: skip
    logins = [
        DemoLogin("administrateur", admin.email, "—", DEMO_TOTP_SECRET),
        DemoLogin("coordination", coordinator.email, territory.name, DEMO_TOTP_SECRET),
    ]
    for email, first_name, last_name, kind, organisation_name in people:
        user = _user(email, first_name, last_name)
        organisation = organisations[organisation_name]
        Role.objects.get_or_create(user=user, kind=kind, organisation=organisation)
        logins.append(DemoLogin(Role.Kind(kind).label, email, organisation.name))
    for user in (admin, coordinator):
        _second_factor(user)
    return logins
