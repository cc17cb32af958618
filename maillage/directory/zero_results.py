"""What the coordination learns from public searches that found nothing: counts of known words,
never what was typed.

No free text from the public is ever stored. When a public search finds nothing, each word of
the query that belongs to a fixed vocabulary — the words of the taxonomy's labels (types of
violence, types of help, publics) and the short list of the domain's words below — adds one to
the count of (territory, month, word); every other word (a name, a phone number, an address, a
street…) is dropped without being written anywhere. Words are compared as the search compares
them (text.tokens: lower case, no accents, French stem), and what is stored is the stem.

Writes are bounded twice: the rows by the vocabulary (a few hundred words per territory and
month, whatever robots type), and each client's counted searches by a per-client limit (a keyed
hash of the address in the cache, for the hour only: see maillage.core.ratelimit), so that one
client cannot inflate the figures nor turn the search into a stream of writes. Counts older
than RETENTION_MONTHS are deleted by the recording itself.
"""

from __future__ import annotations

import re
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from maillage.core.models import Commune, Territory
from maillage.core.ratelimit import within_limit
from maillage.core.territories import current_territory

from .feedback import ZeroResultTermCount
from .models import Term
from .text import tokens

# The domain's words a person may look for that the taxonomy's labels do not all hold (kept as
# data here; the taxonomy's own labels, edited by an administrator, are added to them).
DOMAIN_WORDS = (
    # Violence
    "violence",
    "violences",
    "conjugale",
    "sexuelle",
    "sexiste",
    "viol",
    "agression",
    "harcèlement",
    "cyberharcèlement",
    "inceste",
    "emprise",
    "menaces",
    "coups",
    "excision",
    "mutilation",
    "prostitution",
    "proxénétisme",
    "traite",
    "féminicide",
    "chantage",
    # Help
    "écoute",
    "accueil",
    "hébergement",
    "logement",
    "abri",
    "urgence",
    "refuge",
    "foyer",
    "nuit",
    "week",
    "permanence",
    "psychologue",
    "psychiatre",
    "thérapie",
    "médecin",
    "hôpital",
    "gynécologue",
    "contraception",
    "dépistage",
    "plainte",
    "police",
    "gendarmerie",
    "commissariat",
    "avocat",
    "juriste",
    "droits",
    "divorce",
    "séparation",
    "garde",
    "pension",
    "ordonnance",
    "bracelet",
    "interprète",
    "traduction",
    "association",
    "assistante",
    "sociale",
    "allocation",
    "argent",
    "transport",
    "animaux",
    "médiation",
    "gratuit",
    "anonyme",
    # Publics
    "femmes",
    "hommes",
    "enfants",
    "mineurs",
    "adolescents",
    "jeunes",
    "étudiantes",
    "seniors",
    "handicap",
    "lgbt",
    "lesbienne",
    "gay",
    "trans",
    "migrantes",
    "étrangères",
    "réfugiées",
    "témoins",
    "entourage",
    "parents",
)
# The taxonomy's vocabularies whose labels are counted (languages are filters, not needs).
COUNTED_VOCABULARIES = (Term.Vocabulary.VIOLENCE, Term.Vocabulary.HELP, Term.Vocabulary.PUBLIC)
MIN_STEM_LENGTH = 3
RETENTION_MONTHS = 13  # the month under way and the twelve before it
# Counted searches per client and hour; past it, searches still answer, uncounted.
CLIENT_LIMIT = 30
CLIENT_WINDOW_SECONDS = 3600
LETTERS = re.compile(r"[^\W\d_]+")


def vocabulary() -> dict[str, str]:
    """The stems that may be counted, each with a word that shows it (« heberg » →
    « hébergement »): the domain's words, then the words of the active taxonomy labels."""
    labels = Term.objects.filter(is_active=True, vocabulary__in=COUNTED_VOCABULARIES)
    texts = [*DOMAIN_WORDS]
    for label, public_label in labels.values_list("label", "public_label"):
        texts += [label, public_label]
    words: dict[str, str] = {}
    for text in texts:
        for word in LETTERS.findall(text.lower()):
            for stem in tokens(word):
                if len(stem) >= MIN_STEM_LENGTH and stem.isalpha():
                    words.setdefault(stem, word)
    return words


def counted_terms(text: str, known: dict[str, str] | None = None) -> list[str]:
    """The stems of the query that belong to the vocabulary, once each, in order; nothing else
    of the query leaves this function."""
    known = vocabulary() if known is None else known
    return [stem for stem in dict.fromkeys(tokens(text)) if stem in known]


def territory_of_search(commune: Commune | None) -> Territory | None:
    """The territory a search is counted for: the one holding the commune searched around,
    else the territory of this instance's public pages."""
    if commune is not None:
        territory = Territory.objects.filter(communes=commune).order_by("pk").first()
        if territory is not None:
            return territory
    return current_territory()


def first_month_kept(today: date | None = None) -> date:
    month = (today or timezone.localdate()).replace(day=1)
    index = month.year * 12 + month.month - 1 - (RETENTION_MONTHS - 1)
    return date(index // 12, index % 12 + 1, 1)


def record_zero_result(
    *, text: str, commune: Commune | None, client: str, on: date | None = None
) -> list[str]:
    """Count the vocabulary's words of a public search that found nothing; return the stems
    counted (none when the query holds no known word, when the client passed its limit or when
    there is no territory). Counts older than RETENTION_MONTHS go at the same time."""
    terms = counted_terms(text)
    if not terms:
        return []
    if not within_limit(
        "zero-results", client, limit=CLIENT_LIMIT, window_seconds=CLIENT_WINDOW_SECONDS
    ):
        return []
    territory = territory_of_search(commune)
    if territory is None:
        return []
    today = on or timezone.localdate()
    month = today.replace(day=1)
    with transaction.atomic():
        ZeroResultTermCount.objects.filter(month__lt=first_month_kept(today)).delete()
        for term in terms:
            _add_one(territory, month, term)
    return terms


def _add_one(territory: Territory, month: date, term: str) -> None:
    rows = ZeroResultTermCount.objects.filter(territory=territory, month=month, term=term)
    if rows.update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            ZeroResultTermCount.objects.create(territory=territory, month=month, term=term, count=1)
    except IntegrityError:  # another request created the row in between
        rows.update(count=F("count") + 1)


def top_terms(territory: Territory, month: date, limit: int = 50) -> QuerySet:
    """The most counted words of a territory in a month."""
    return ZeroResultTermCount.objects.filter(territory=territory, month=month).order_by(
        "-count", "term"
    )[:limit]
