"""Exceptional hours: a date with its own hours (or closed all day) replaces the regular hours
of that date; a closure still wins. The Python rule (Service.is_open_at), the SQL one
(search.open_at) and the open-now search agree."""

import html
from datetime import UTC, date, datetime, time

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from maillage.directory.feedback import ChangeRequest
from maillage.directory.models import PARIS, Closure, OpeningException, Service
from maillage.directory.moderation import apply_data, service_data
from maillage.directory.search import Query, open_at, services_for

from .factories import ExceptionFactory, PlaceFactory, ServiceFactory, SlotFactory
from .test_moderation import post_data

pytestmark = pytest.mark.django_db

CHRISTMAS_EVE = date(2026, 12, 24)  # a Thursday
THURSDAY = 3


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS)


@pytest.fixture
def services():
    """A handful of services covering every case of the rule."""
    weekly = ServiceFactory(name="Semaine")
    for weekday in range(5):
        SlotFactory(service=weekly, weekday=weekday, opens=time(9), closes=time(17))

    eve = ServiceFactory(name="Veille de Noël")
    SlotFactory(service=eve, weekday=THURSDAY, opens=time(9), closes=time(17))
    ExceptionFactory(service=eve, on=CHRISTMAS_EVE, opens=time(9), closes=time(12))
    ExceptionFactory(service=eve, on=CHRISTMAS_EVE, opens=time(14), closes=time(15))

    holiday = ServiceFactory(name="Jour de l'an fermé")
    SlotFactory(service=holiday, weekday=4, opens=time(9), closes=time(17))  # 1 Jan 2027: Fri
    ExceptionFactory(service=holiday, on=date(2027, 1, 1), opens=None, closes=None)

    closed = ServiceFactory(name="Fermeture")
    SlotFactory(service=closed, weekday=THURSDAY, opens=time(9), closes=time(17))
    ExceptionFactory(service=closed, on=CHRISTMAS_EVE, opens=time(9), closes=time(12))
    Closure.objects.create(service=closed, starts_on=date(2026, 12, 23), ends_on=date(2027, 1, 2))

    always = ServiceFactory(name="Toujours", is_24_7=True)
    ExceptionFactory(service=always, on=date(2026, 12, 25), opens=None, closes=None)

    always_short = ServiceFactory(name="Toujours sauf le 24 après-midi", is_24_7=True)
    ExceptionFactory(service=always_short, on=CHRISTMAS_EVE, opens=time(8), closes=time(13))

    always_closed = ServiceFactory(name="Toujours mais en travaux", is_24_7=True)
    Closure.objects.create(
        service=always_closed, starts_on=date(2026, 12, 24), ends_on=date(2026, 12, 24)
    )

    no_hours = ServiceFactory(name="Sans horaires habituels")
    ExceptionFactory(service=no_hours, on=CHRISTMAS_EVE, opens=time(10), closes=time(11))

    ServiceFactory(name="Sans horaires")
    return {s.name: s for s in Service.objects.all()}


MOMENTS = [
    at(CHRISTMAS_EVE, 8, 59),
    at(CHRISTMAS_EVE, 9),
    at(CHRISTMAS_EVE, 10, 30),
    at(CHRISTMAS_EVE, 12),  # closing time: closed
    at(CHRISTMAS_EVE, 14, 30),
    at(CHRISTMAS_EVE, 16),
    at(date(2026, 12, 17), 14),  # the Thursday before: the weekly hours
    at(date(2026, 12, 25), 10),
    at(date(2026, 12, 26), 3),
    at(date(2027, 1, 1), 10),
    datetime(2026, 12, 24, 23, 30, tzinfo=UTC),  # already the 25th in Paris
    datetime(2026, 12, 24, 8, 30, tzinfo=UTC),  # 9:30 in Paris
]


def open_in_python(moment: datetime) -> set[str]:
    services = Service.objects.prefetch_related("opening_slots", "closures", "opening_exceptions")
    return {s.name for s in services if s.is_open_at(moment) is True}


def open_in_sql(moment: datetime) -> set[str]:
    return set(Service.objects.filter(open_at(moment)).values_list("name", flat=True))


@pytest.mark.parametrize("moment", MOMENTS, ids=lambda m: m.isoformat())
def test_the_sql_filter_and_the_python_rule_agree(services, moment):
    assert open_in_sql(moment) == open_in_python(moment)


def test_special_hours_replace_the_weekly_slots_that_day(services):
    eve = services["Veille de Noël"]
    assert eve.is_open_at(at(CHRISTMAS_EVE, 10)) is True
    assert eve.is_open_at(at(CHRISTMAS_EVE, 12, 30)) is False  # the weekly slot would be open
    assert eve.is_open_at(at(CHRISTMAS_EVE, 14, 30)) is True  # split hours
    assert eve.is_open_at(at(CHRISTMAS_EVE, 16)) is False  # the weekly slot would be open
    assert eve.is_open_at(at(date(2026, 12, 17), 16)) is True  # another Thursday


def test_a_day_closed_all_day_is_closed(services):
    assert services["Jour de l'an fermé"].is_open_at(at(date(2027, 1, 1), 10)) is False
    assert services["Jour de l'an fermé"].is_open_at(at(date(2027, 1, 8), 10)) is True


def test_a_closure_still_wins(services):
    assert services["Fermeture"].is_open_at(at(CHRISTMAS_EVE, 10)) is False
    assert services["Toujours mais en travaux"].is_open_at(at(CHRISTMAS_EVE, 10)) is False
    assert services["Toujours mais en travaux"].is_open_at(at(date(2026, 12, 25), 10)) is True


def test_a_24_7_service_follows_its_exceptions(services):
    always = services["Toujours"]
    assert always.is_open_at(at(date(2026, 12, 25), 10)) is False
    assert always.is_open_at(at(date(2026, 12, 26), 3)) is True
    short = services["Toujours sauf le 24 après-midi"]
    assert short.is_open_at(at(CHRISTMAS_EVE, 10)) is True
    assert short.is_open_at(at(CHRISTMAS_EVE, 14)) is False
    assert short.is_open_at(at(date(2026, 12, 23), 23)) is True


def test_exceptions_give_hours_to_a_service_without_regular_ones(services):
    no_hours = services["Sans horaires habituels"]
    assert no_hours.is_open_at(at(CHRISTMAS_EVE, 10, 30)) is True
    assert no_hours.is_open_at(at(CHRISTMAS_EVE, 11)) is False
    assert no_hours.is_open_at(at(date(2026, 12, 17), 10, 30)) is None
    assert services["Sans horaires"].is_open_at(at(CHRISTMAS_EVE, 10, 30)) is None


def test_the_open_now_search_follows_the_exceptions(services):
    def open_now(moment):
        return {s.name for s in services_for(Query(open_now=True), now=moment)}

    assert open_now(at(CHRISTMAS_EVE, 10, 30)) == {
        "Semaine",
        "Veille de Noël",
        "Toujours",
        "Toujours sauf le 24 après-midi",
        "Sans horaires habituels",
    }
    assert open_now(at(CHRISTMAS_EVE, 16)) == {"Semaine", "Toujours"}
    assert open_now(at(date(2026, 12, 25), 10)) == {  # a Friday
        "Semaine",
        "Jour de l'an fermé",
        "Toujours sauf le 24 après-midi",
        "Toujours mais en travaux",
    }
    assert open_now(at(date(2027, 1, 1), 10)) == {
        "Semaine",
        "Toujours",
        "Toujours sauf le 24 après-midi",
        "Toujours mais en travaux",
    }


# The model's rules


def test_hours_come_in_pairs_or_not_at_all():
    service = ServiceFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        OpeningException.objects.create(service=service, on=CHRISTMAS_EVE, opens=time(9))
    with pytest.raises(IntegrityError), transaction.atomic():
        OpeningException.objects.create(
            service=service, on=CHRISTMAS_EVE, opens=time(12), closes=time(9)
        )
    exception = OpeningException(service=service, on=CHRISTMAS_EVE, closes=time(12))
    with pytest.raises(ValidationError) as error:
        exception.full_clean()
    assert "aucune des deux si le service est fermé toute la journée" in str(error.value)


def test_a_day_closed_all_day_has_no_other_hours():
    service = ServiceFactory()
    ExceptionFactory(service=service, on=CHRISTMAS_EVE, opens=time(9), closes=time(12))
    closed = OpeningException(service=service, on=CHRISTMAS_EVE)
    with pytest.raises(ValidationError) as error:
        closed.full_clean()
    assert "24 décembre 2026 est indiqué fermé toute la journée" in str(error.value)
    overlapping = OpeningException(
        service=service, on=CHRISTMAS_EVE, opens=time(11), closes=time(13)
    )
    with pytest.raises(ValidationError) as error:
        overlapping.full_clean()
    assert "se chevauchent" in str(error.value)
    split = OpeningException(service=service, on=CHRISTMAS_EVE, opens=time(14), closes=time(16))
    split.full_clean()  # split hours are fine


# The public page


def test_the_service_page_lists_the_coming_exceptions(client, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: at(date(2026, 12, 1), 10))
    service = ServiceFactory(name="Accueil")
    SlotFactory(service=service, weekday=THURSDAY, opens=time(9), closes=time(17))
    ExceptionFactory(service=service, on=CHRISTMAS_EVE, opens=time(9), closes=time(12))
    ExceptionFactory(service=service, on=date(2026, 12, 31), opens=None, closes=None)
    ExceptionFactory(service=service, on=date(2026, 11, 12), opens=None, closes=None)  # past
    ExceptionFactory(service=service, on=date(2027, 3, 1), opens=None, closes=None)  # > 60 days

    page = html.unescape(client.get(service.get_absolute_url()).content.decode())

    assert "Horaires exceptionnels" in page
    assert "jeudi 24 décembre 2026, 9 h 00 \u2013 12 h 00" in page
    assert "jeudi 31 décembre 2026, fermé" in page
    assert "novembre" not in page
    assert "mars 2027" not in page


def test_a_24_7_service_closed_today_does_not_say_open(client, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: at(date(2026, 12, 25), 10))
    service = ServiceFactory(name="Ligne", is_24_7=True)
    ExceptionFactory(service=service, on=date(2026, 12, 25), opens=None, closes=None)

    page = html.unescape(client.get(service.get_absolute_url()).content.decode())

    assert "Fermé en ce moment" in page
    assert "Ouvert 24 h/24" not in page


# The workspace


@pytest.fixture
def service(organisation):
    service = ServiceFactory(organisation=organisation, name="Accueil de jour")
    PlaceFactory(service=service)
    SlotFactory(service=service, weekday=THURSDAY, opens=time(9), closes=time(17))
    return service


@pytest.fixture
def december(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: at(date(2026, 12, 1), 10))


def edit(client, service, **changes):
    record = service_data(service)
    record.update(changes)
    return client.post(reverse("directory:service_edit", args=[service.pk]), post_data(record))


def row(on: str, opens: str | None, closes: str | None, notice: str = "") -> dict:
    return {"on": on, "opens": opens, "closes": closes, "notice": notice}


def test_the_coordinator_adds_exceptional_hours(login, coordinator, service, december):
    response = edit(
        login(coordinator),
        service,
        exceptions=[
            row("2026-12-24", "09:00", "12:00", "Veille de Noël"),
            row("2026-12-24", "14:00", "16:00"),
            row("2027-01-01", None, None),
        ],
    )

    assert response.status_code == 302
    rows = [(e.on, e.opens, e.closes, e.notice) for e in service.opening_exceptions.all()]
    assert rows == [
        (CHRISTMAS_EVE, time(9), time(12), "Veille de Noël"),
        (CHRISTMAS_EVE, time(14), time(16), ""),
        (date(2027, 1, 1), None, None, ""),
    ]
    assert OpeningException.history.count() == 3
    assert service.is_open_at(at(CHRISTMAS_EVE, 13)) is False

    # The form shows them back, and an unchanged form changes nothing.
    client = login(coordinator)
    page = client.get(reverse("directory:service_edit", args=[service.pk])).content.decode()
    assert 'value="2026-12-24"' in page
    edit(client, service)
    assert OpeningException.history.count() == 3


def test_a_referents_exceptions_wait_for_the_coordinator(
    login, referent, coordinator, service, december
):
    edit(login(referent), service, exceptions=[row("2026-12-24", "09:00", "12:00")])

    change = ChangeRequest.objects.get()
    assert not service.opening_exceptions.exists()
    page = html.unescape(
        login(coordinator).get(reverse("directory:change", args=[change.pk])).content.decode()
    )
    assert "Horaires exceptionnels" in page
    assert "24 décembre 2026 09:00-12:00" in page

    login(coordinator).post(reverse("directory:change", args=[change.pk]), {"decision": "approve"})

    assert [(e.on, e.opens) for e in service.opening_exceptions.all()] == [(CHRISTMAS_EVE, time(9))]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([row("2026-12-24", "09:00", "12:00"), row("2026-12-24", None, None)],
         "Le 24 décembre 2026 est indiqué fermé toute la journée : il ne peut pas avoir "
         "d'autres horaires exceptionnels ce jour-là."),
        ([row("2026-12-24", "09:00", "12:00"), row("2026-12-24", "11:00", "13:00")],
         "Les horaires exceptionnels du 24 décembre 2026 se chevauchent."),
        ([row("2026-12-24", "12:00", "09:00")], "L'heure de fermeture doit suivre l'ouverture."),
        ([row("2026-12-24", "09:00", None)], "Indiquez l'heure de fermeture."),
        ([row("2026-11-24", "09:00", "12:00")], "Cette date est passée"),
    ],
)  # fmt: skip
def test_bad_exceptional_hours_get_a_french_message_and_nothing_is_written(
    login, coordinator, service, december, rows, message
):
    before = OpeningException.history.count()

    response = edit(login(coordinator), service, name="Nouveau nom", exceptions=rows)

    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "rien n'a été enregistré" in page
    assert message in page
    service.refresh_from_db()
    assert service.name == "Accueil de jour"
    assert not OpeningException.objects.exists()
    assert OpeningException.history.count() == before
    assert not ChangeRequest.objects.exists()


def test_a_half_closed_day_needs_no_hours_or_no_box(login, coordinator, service, december):
    record = service_data(service)
    data = post_data({**record, "exceptions": [row("2026-12-24", "09:00", "12:00")]})
    data["exc-0-closed"] = "on"  # closed all day, and hours too

    response = login(coordinator).post(reverse("directory:service_edit", args=[service.pk]), data)

    assert "décochez « Fermé toute la journée »" in html.unescape(response.content.decode())
    assert not OpeningException.objects.exists()


def test_the_record_is_written_in_one_transaction(coordinator, service, december):
    data = {
        **service_data(service),
        "name": "Nouveau nom",
        "exceptions": [row("2026-12-24", "09:00", "12:00"), row("2026-12-24", None, None)],
    }

    with pytest.raises(ValidationError):
        apply_data(
            organisation=service.organisation,
            service=service,
            data=data,
            keys=["name", "exceptions"],
            by=coordinator,
        )

    service.refresh_from_db()
    assert service.name == "Accueil de jour"
    assert not OpeningException.objects.exists()


def test_an_edit_never_touches_past_exceptions(login, coordinator, service, december):
    ExceptionFactory(service=service, on=date(2026, 11, 11), opens=None, closes=None)
    ExceptionFactory(service=service, on=CHRISTMAS_EVE)

    edit(login(coordinator), service, exceptions=[])

    assert [e.on for e in service.opening_exceptions.all()] == [date(2026, 11, 11)]
