"""The in-memory search index follows the database: edits, withdrawals, the day, the order."""

from datetime import date, timedelta
from unittest import mock

import pytest
from django.utils import timezone

from maillage.directory import index
from maillage.directory.models import Service
from maillage.directory.search import Query, services_for
from maillage.directory.text import fold

from .factories import ServiceFactory, term

pytestmark = pytest.mark.django_db


def names(query: Query, **kwargs) -> list[str]:
    return [s.name for s in services_for(query, **kwargs)]


def test_an_edit_is_found_at_the_next_search():
    service = ServiceFactory(name="Accueil de jour")
    assert names(Query(text="accueil")) == ["Accueil de jour"]
    service.name = "Permanence du soir"
    service.save()
    from maillage.directory.search import reindex

    reindex([service])
    assert names(Query(text="accueil")) == []
    assert names(Query(text="permanence")) == ["Permanence du soir"]


def test_a_withdrawn_service_leaves_the_results_at_once():
    service = ServiceFactory(name="Accueil de jour")
    assert services_for(Query(text="accueil")).count() == 1
    service.status = Service.Status.ARCHIVED
    service.save()
    assert services_for(Query(text="accueil")).count() == 0


def test_a_term_added_later_is_a_filter_and_a_facet():
    service = ServiceFactory(name="Accueil de jour")
    assert names(Query(help=["ecoute"])) == []
    service.help_types.add(term("help", "ecoute"))
    assert names(Query(help=["ecoute"])) == ["Accueil de jour"]
    assert services_for(Query()).facets()["aide"] == {"ecoute": 1}


def test_a_stale_index_never_shows_a_withdrawn_row(monkeypatch):
    """Above SYNC_LIMIT the previous index answers while a thread rebuilds: its counts may lag,
    but the rows are read from the database, so a withdrawn service is not shown."""
    kept = ServiceFactory(name="Accueil A")
    withdrawn = ServiceFactory(name="Accueil B")
    assert names(Query(text="accueil")) == ["Accueil A", "Accueil B"]
    rebuilds = []
    monkeypatch.setattr(index, "SYNC_LIMIT", 0)
    monkeypatch.setattr(index, "_rebuild_in_background", lambda *args: rebuilds.append(args))
    withdrawn.status = Service.Status.ARCHIVED
    withdrawn.save()
    results = services_for(Query(text="accueil"))
    assert rebuilds, "a rebuild was asked for"
    assert results.count() == 2  # the previous index
    assert [s.name for s in results] == [kept.name]


def test_a_suspension_ends_with_the_day():
    today = timezone.localdate()
    ServiceFactory(name="Suspendu", status=Service.Status.SUSPENDED, suspended_until=today)
    assert names(Query(text="suspendu")) == []
    tomorrow = today + timedelta(days=1)
    with mock.patch("django.utils.timezone.localdate", return_value=tomorrow):
        assert index.current().day == tomorrow
        assert names(Query(text="suspendu")) == ["Suspendu"]


def test_order_is_name_words_first_then_name_without_accents_or_case():
    for name in ("Zèbre accueil", "écoute accueil", "Accueil Écoute", "Dépannage", "eau"):
        ServiceFactory(name=name, summary="accueil écoute")
    assert names(Query(text="ecoute")) == [
        "Accueil Écoute",  # the word in the name
        "écoute accueil",
        "Dépannage",
        "eau",
        "Zèbre accueil",
    ]
    assert names(Query(text="accueil ecoute"))[:2] == ["Accueil Écoute", "écoute accueil"]


def test_pages_follow_each_other_across_relevance_tiers():
    for n in range(30):
        ServiceFactory(name=f"{'Écoute' if n % 3 == 0 else 'Permanence'} {n:02d}", summary="écoute")
    results = services_for(Query(text="ecoute"))
    everything = [s.name for s in results]
    assert len(everything) == results.count() == 30
    assert everything[:10] == [f"Écoute {n:02d}" for n in range(0, 30, 3)]
    rest = everything[10:]
    assert rest == sorted(rest, key=fold)
    assert [s.name for s in results[15:25]] == everything[15:25]


def test_facets_count_each_term_among_the_results():
    ServiceFactory(name="Un", terms__help=["ecoute"], terms__publics=["femmes"])
    ServiceFactory(name="Deux", terms__help=["ecoute", "plainte"])
    facets = services_for(Query(text="deux")).facets()
    assert facets["aide"] == {"ecoute": 1, "plainte": 1}
    assert facets["public"] == {}


def test_the_index_is_labelled_with_the_day_and_token():
    ServiceFactory(name="Un")
    current = index.current()
    assert current.token == index.read_token() is not None
    assert current.day == timezone.localdate()
    assert isinstance(current.day, date)
    assert index.current() is current  # nothing changed: the same index


def test_open_now_is_read_once_a_minute_and_refreshed_in_the_background(monkeypatch):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from .factories import SlotFactory

    slot = SlotFactory(weekday=0, opens="09:00", closes="12:00")  # Mondays
    monday = datetime(2026, 1, 12, 11, 58, tzinfo=ZoneInfo("Europe/Paris"))
    assert names(Query(open_now=True), now=monday) == [slot.service.name]
    current = index.current()
    assert list(current.open_cache) == [monday]
    # Large directory: the next minute answers with this one's set while a thread reads it.
    monkeypatch.setattr(index, "SYNC_LIMIT", 0)
    reads = []
    monkeypatch.setattr(current, "_read_open_in_background", reads.append)
    next_minute = monday + timedelta(minutes=1)
    assert names(Query(open_now=True), now=next_minute) == [slot.service.name]
    assert reads == [next_minute]
    # Two minutes later there is nothing recent at hand: read at once (12:00, closed).
    assert names(Query(open_now=True), now=monday + timedelta(minutes=2)) == []
