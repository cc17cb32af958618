"""Training statistics are computed from the records: sessions held, people trained (distinct
people who attended), structures reached, venues and venue staff — on the page, in the CSV and
XLSX exports and from the command line, all through one function."""

import json
from datetime import date, time, timedelta
from io import BytesIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from maillage.core.models import Organisation
from maillage.trainings.models import Attendance, TrainingSession
from maillage.trainings.statistics import KEYS, compute_statistics

from ..factories import OrganisationFactory
from .factories import RegistrationFactory, SessionFactory

A = Attendance.Status
PAST = date(2024, 3, 14)
FULL_DAY = [(PAST, time(9), time(12, 30)), (PAST, time(13, 30), time(17))]


def attend(registration, *statuses):
    for slot, status in zip(registration.session.slot_list, statuses, strict=True):
        Attendance.objects.create(registration=registration, slot=slot, status=status)


@pytest.fixture
def held(module):
    return SessionFactory(module=module, status=TrainingSession.Status.HELD, slots=FULL_DAY)


@pytest.fixture
def bar(territory):
    return OrganisationFactory(
        territory=territory, name="Le Comptoir", kind=Organisation.Kind.NIGHTLIFE
    )


def test_people_trained_count_distinct_people_who_attended_a_half_day(
    held, module, staff_organisation, organisation
):
    late = RegistrationFactory(session=held, organisation=staff_organisation)
    attend(late, A.LATE, A.EXCUSED)
    absent = RegistrationFactory(session=held, organisation=organisation)
    attend(absent, A.ABSENT, A.EXCUSED)
    # The same person again, in another held session: still one person.
    again = SessionFactory(
        module=module,
        status=TrainingSession.Status.HELD,
        slots=[(PAST + timedelta(days=7), time(9), time(12))],
    )
    twice = RegistrationFactory(
        session=again, email=late.email, trainee=late.trainee, organisation=staff_organisation
    )
    attend(twice, A.PRESENT)

    totals = compute_statistics().totals
    assert totals.as_dict() == {
        "sessions_held": 2,
        "people_trained": 1,
        "structures_reached": 1,
        "venues_trained": 0,
        "venue_staff_trained": 0,
    }


def test_a_past_session_with_attendance_counts_as_held_a_cancelled_one_never(module):
    forgot_to_close = SessionFactory(module=module, slots=FULL_DAY)  # still "open"
    attend(RegistrationFactory(session=forgot_to_close), A.PRESENT, A.PRESENT)
    cancelled = SessionFactory(
        module=module, status=TrainingSession.Status.CANCELLED, slots=FULL_DAY
    )
    attend(RegistrationFactory(session=cancelled), A.PRESENT, A.PRESENT)
    SessionFactory(module=module, slots=FULL_DAY)  # past, nobody marked: not held

    totals = compute_statistics().totals
    assert totals.sessions_held == 1
    assert totals.people_trained == 1


def test_venue_staff_are_registrations_whose_organisation_is_a_nightlife_venue(held, bar):
    for _ in range(3):
        attend(RegistrationFactory(session=held, organisation=bar), A.PRESENT, A.PRESENT)
    attend(RegistrationFactory(session=held), A.PRESENT, A.ABSENT)

    statistics = compute_statistics()
    assert statistics.totals.venues_trained == 1
    assert statistics.totals.venue_staff_trained == 3
    assert statistics.totals.people_trained == 4
    assert [(row.label, row.venue_staff_trained) for row in statistics.by_venue] == [
        ("Le Comptoir", 3)
    ]
    kinds = {row.label: row.people_trained for row in statistics.by_kind}
    assert kinds["Établissement de nuit"] == 3


def test_filters_by_module_period_and_territory(held, module, territory, other_territory):
    attend(RegistrationFactory(session=held), A.PRESENT, A.PRESENT)
    elsewhere = SessionFactory(
        module__territory=other_territory, status=TrainingSession.Status.HELD, slots=FULL_DAY
    )
    attend(RegistrationFactory(session=elsewhere), A.PRESENT, A.PRESENT)

    assert compute_statistics().totals.people_trained == 2
    assert compute_statistics(territory=territory).totals.people_trained == 1
    assert compute_statistics(module=module).totals.sessions_held == 1
    assert compute_statistics(date_from=PAST + timedelta(days=1)).totals.as_dict() == dict.fromkeys(
        KEYS, 0
    )
    assert compute_statistics(date_from=PAST, date_to=PAST).totals.people_trained == 2
    by_year = compute_statistics(territory=territory).by_year
    assert [(row.label, row.sessions_held, row.people_trained) for row in by_year] == [
        ("2024", 1, 1)
    ]


def test_the_command_prints_the_figures_as_json(held, territory, module, capsys):
    attend(RegistrationFactory(session=held), A.PRESENT, A.PRESENT)
    call_command(
        "training-stats",
        "--territory",
        territory.slug,
        "--module",
        module.slug,
        "--from",
        "2024-01-01",
        "--to",
        "2024-12-31",
        "--json",
    )
    output = json.loads(capsys.readouterr().out)
    assert {key: output[key] for key in KEYS} == {
        "sessions_held": 1,
        "people_trained": 1,
        "structures_reached": 1,
        "venues_trained": 0,
        "venue_staff_trained": 0,
    }
    call_command("training-stats")
    assert "Personnes formées" in capsys.readouterr().out


def test_the_page_shows_the_figures_to_the_coordinator_only(
    held, login, coordinator, referent, django_assert_max_num_queries
):
    attend(RegistrationFactory(session=held), A.PRESENT, A.PRESENT)
    url = reverse("trainings:statistics")
    assert login(referent).get(url).status_code == 403
    client = login(coordinator)
    with django_assert_max_num_queries(15):
        response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-figure="people_trained">1<' in html
    assert 'data-figure="sessions_held">1<' in html
    assert "<svg" in html


def test_exports_escape_formulas(held, login, coordinator, territory):
    evil = OrganisationFactory(
        territory=territory, name='=HYPERLINK("http://x")', kind=Organisation.Kind.NIGHTLIFE
    )
    attend(RegistrationFactory(session=held, organisation=evil), A.PRESENT, A.PRESENT)
    client = login(coordinator)

    csv_text = client.get(reverse("trainings:statistics_csv")).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text
    assert ";=HYPERLINK" not in csv_text

    response = client.get(reverse("trainings:statistics_xlsx"))
    sheet = load_workbook(BytesIO(response.content)).active
    labels = [row[1] for row in sheet.iter_rows(values_only=True)]
    assert '\'=HYPERLINK("http://x")' in labels
    assert not any(isinstance(label, str) and label.startswith("=") for label in labels)
