"""The "fiche réflexe" of a commune: one printed page for a professional facing a person.

It holds the national numbers, the commune's key local contacts from the live directory (the
nearest service for each key type of help, professional lines included since only logged-in
professionals may print it), and the reflexes of the professional posture (domain.md §5.1).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from maillage.core.models import Commune, Territory
from maillage.directory.models import Service, ServicePhone, Term
from maillage.directory.pdf import render_pdf
from maillage.directory.search import Query, services_for
from maillage.directory.services import phones_for

from .contacts import CANDIDATES, digits, national_numbers, nearness, only_a_number_shown
from .models import NationalNumber

NUMBERS = ["17", "112", "114", "15", "115", "3919", "119", "116006", "cfcv", "auteurs"]
# The key types of help, in the sheet's order (one contact each).
KEY_HELPS = [
    "ecoute",
    "accueil-de-jour",
    "hebergement-urgence",
    "aide-aux-victimes",
    "information-juridique",
    "plainte",
    "medecine-legale",
    "soins",
    "auteurs",
]


@dataclass
class KeyContact:
    help: Term
    service: Service
    phones: list[ServicePhone]


def rows(services: QuerySet[Service]) -> QuerySet[Service]:
    return services.select_related("organisation").prefetch_related("places__commune", "phones")


def key_contacts(commune: Commune, *, user, territory: Territory) -> list[KeyContact]:
    """The nearest service of each key type of help for this commune, each service once."""
    numbers = national_numbers(NUMBERS)
    shown = {digits(n.number) for n in numbers if n.number}
    area = set(territory.communes.values_list("pk", flat=True))
    terms = {t.code: t for t in Term.objects.filter(vocabulary=Term.Vocabulary.HELP)}
    contacts: list[KeyContact] = []
    used: set = set()
    for code in KEY_HELPS:
        if code not in terms:
            continue
        found = services_for(Query(commune=commune, help=[code]), user=user, rows=rows)
        candidates = [
            s for s in found[:CANDIDATES] if s.pk not in used and not only_a_number_shown(s, shown)
        ]
        candidates.sort(key=lambda s: (nearness(s, commune, area), s.name.casefold()))
        if candidates:
            service = candidates[0]
            used.add(service.pk)
            contacts.append(
                KeyContact(terms[code], service, phones_for(service, professional=True))
            )
    return contacts


def sheet_title(commune: Commune) -> str:
    """Discreet: no word like "violence" in a title a browser or a printer shows."""
    return _("Fiche réflexe — %(commune)s") % {"commune": commune.name}


def reflex_numbers() -> str:
    """The national numbers as the sheet prints them (not followed by the directory's token):
    part of its cache key."""
    rows = NationalNumber.objects.filter(code__in=NUMBERS, is_active=True).order_by("code")
    return repr(list(rows.values_list("code", "number", "name", "hours", "channel", "url")))


def render_reflex_sheet(commune: Commune, *, user, territory: Territory) -> bytes:
    return render_pdf(
        "orientation/reflex_sheet.html",
        {
            "commune": commune,
            "numbers": national_numbers(NUMBERS),
            "contacts": key_contacts(commune, user=user, territory=territory),
        },
        title=sheet_title(commune),
    )
