"""Public searches that find nothing: no free text from the public is ever stored. Only the
vocabulary's words of such a search are counted, per territory and month; the coordination of a
territory sees its own counts only; counts older than 13 months go; one client cannot inflate
them past its limit."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from maillage.directory import zero_results
from maillage.directory.feedback import ZeroResultTermCount
from maillage.directory.zero_results import counted_terms, first_month_kept, record_zero_result

from ..factories import CommuneFactory

pytestmark = pytest.mark.django_db
URL = reverse("directory:search")
CALL_FOR_HELP = (
    "mon mari Pierre Dupontel me frappe appelez moi 0612345678 au 12 rue Lafayette, "
    "j'ai besoin d'un hébergement"
)
# What must never be written anywhere: the words and their stems as the search writes them.
TRACES = ("dupontel", "0612345678", "lafayette", "pierre", "pierr", "appelez", "frapp")


def every_text_value() -> list[str]:
    """Every text value of every column of every table of the database, lower-cased."""
    values = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 - names from the database
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        value = bytes(value).decode("latin-1")
                    if isinstance(value, str):
                        values.append(value.lower())
    return values


@pytest.fixture
def here(settings, territory):
    """The public pages are the territory's."""
    settings.DEFAULT_TERRITORY = territory.slug
    return territory


def test_a_call_for_help_leaves_no_trace_but_the_count_of_a_known_word(client, here):
    response = client.get(URL, {"q": CALL_FOR_HELP})

    assert "0 résultat" in response.text
    month = timezone.localdate().replace(day=1)
    assert list(ZeroResultTermCount.objects.values_list("territory", "month", "term", "count")) == [
        (here.pk, month, "heberg", 1)
    ]
    values = every_text_value()
    assert values  # the scan reads the tables (taxonomy, communes, cache…)
    for trace in TRACES:
        assert not [value for value in values if trace in value], trace


def test_only_the_vocabulary_is_counted():
    assert counted_terms("Pierre Dupontel 0612345678 rue Lafayette") == []
    assert counted_terms("Violences conjugales : hébergement d'urgence pour femmes, violences") == [
        "violenc",
        "conjugal",
        "heberg",
        "urgenc",
        "femm",
    ]
    # The taxonomy's labels are part of the vocabulary (« Lieu refuge », « Médecine légale »).
    assert counted_terms("médecine légale refuge") == ["medecin", "legal", "refug"]


def test_a_search_with_results_counts_nothing(client, here):
    from .factories import ServiceFactory

    ServiceFactory(name="Hébergement d'urgence")
    client.get(URL, {"q": "hébergement"})
    assert not ZeroResultTermCount.objects.exists()


def test_the_search_is_counted_in_the_territory_of_its_commune(client, here, other_territory):
    saumur = CommuneFactory(insee_code="49328", name="Saumur")
    other_territory.communes.add(saumur)

    client.get(URL, {"q": "permanence de nuit", "commune": "Saumur"})

    assert set(ZeroResultTermCount.objects.values_list("territory", "term")) == {
        (other_territory.pk, "permanent"),
        (other_territory.pk, "nuit"),
    }


def test_each_coordinator_sees_only_their_territorys_counts(
    login, coordinator, other_coordinator, here, other_territory
):
    month = timezone.localdate().replace(day=1)
    ZeroResultTermCount.objects.create(territory=here, month=month, term="gynecologu", count=7)
    ZeroResultTermCount.objects.create(
        territory=other_territory, month=month, term="interpret", count=3
    )

    own = login(coordinator).get(reverse("directory:zero_results")).content.decode()
    other = login(other_coordinator).get(reverse("directory:zero_results")).content.decode()

    assert "gynécologue" in own and "interprète" not in own
    assert "interprète" in other and "gynécologue" not in other
    assert "Ce qui a été tapé n'est jamais gardé" in own


def test_counts_older_than_thirteen_months_are_purged(here):
    today = date(2027, 3, 14)
    assert first_month_kept(today) == date(2026, 3, 1)
    create = ZeroResultTermCount.objects.create
    create(territory=here, month=date(2026, 2, 1), term="nuit", count=5)  # 13 months back
    create(territory=here, month=date(2026, 3, 1), term="nuit", count=4)  # 12 months back

    record_zero_result(text="avocat", commune=None, client="192.0.2.1", on=today)

    assert sorted(ZeroResultTermCount.objects.values_list("month", "term", "count")) == [
        (date(2026, 3, 1), "nuit", 4),
        (date(2027, 3, 1), "avocat", 1),
    ]


def test_one_client_cannot_inflate_the_counts(here, monkeypatch):
    monkeypatch.setattr(zero_results, "CLIENT_LIMIT", 3)
    for _ in range(5):
        record_zero_result(text="avocat", commune=None, client="192.0.2.1")
    record_zero_result(text="avocat", commune=None, client="198.51.100.7")

    assert ZeroResultTermCount.objects.get().count == 4


def test_a_month_boundary_starts_a_new_count(here):
    first = date(2026, 11, 30)
    record_zero_result(text="avocat", commune=None, client="a", on=first)
    record_zero_result(text="avocat", commune=None, client="a", on=first + timedelta(days=1))
    assert sorted(ZeroResultTermCount.objects.values_list("month", "count")) == [
        (date(2026, 11, 1), 1),
        (date(2026, 12, 1), 1),
    ]
