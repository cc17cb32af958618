"""Registrants' personal data go after TRAININGS_RETENTION_YEARS (3 by default) after the
session's last half-day; every statistic stays exactly the same, and nothing personal is left,
history included."""

from datetime import date, time, timedelta

import pytest
from django.core.management import call_command
from django.db import connection

from maillage.trainings.anonymisation import (
    ANONYMISED_NAME,
    anonymise_registrations,
    anonymise_registrations_task,
    retention_cutoff,
)
from maillage.trainings.models import Attendance, Registration, Trainee, TrainingSession
from maillage.trainings.statistics import compute_statistics

from .factories import RegistrationFactory, SessionFactory

TODAY = date(2026, 11, 29)
OLD = date(2022, 5, 12)
RECENT = date(2025, 5, 15)


def held_session(module, day):
    return SessionFactory(
        module=module,
        status=TrainingSession.Status.HELD,
        slots=[(day, time(9), time(12, 30)), (day, time(13, 30), time(17))],
    )


def attend(registration, *statuses):
    for slot, status in zip(registration.session.slot_list, statuses, strict=True):
        Attendance.objects.create(registration=registration, slot=slot, status=status)


@pytest.fixture
def history(module, staff_organisation):
    old = held_session(module, OLD)
    recent = held_session(module, RECENT)
    gone = RegistrationFactory(
        session=old, first_name="Aline", last_name="Vernier", email="aline.vernier@example.org"
    )
    attend(gone, "present", "late")
    back_again = RegistrationFactory(
        session=old, first_name="Bruno", last_name="Quéré", email="bruno.quere@example.org"
    )
    attend(back_again, "present", "absent")
    # Bruno trained again recently: his recent registration keeps his data.
    RegistrationFactory(
        session=recent,
        first_name="Bruno",
        last_name="Quéré",
        email="bruno.quere@example.org",
        trainee=back_again.trainee,
        organisation=staff_organisation,
    )
    never = RegistrationFactory(
        session=old, first_name="Chantal", last_name="Ormeau", email="chantal.ormeau@example.org"
    )
    attend(never, "absent", "excused")
    # A change recorded in the history, with the personal data in it.
    gone.function = "Cheffe de service"
    gone.save()
    return {"old": old, "recent": recent}


def everything(**filters):
    return compute_statistics(today=TODAY, **filters).as_dict()


def personal_data_left(*needles: str) -> list[str]:
    """Every table and text column holding one of the needles (a crude but thorough search)."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            columns = [
                column.name
                for column in connection.introspection.get_table_description(cursor, table)
            ]
            for column in columns:
                for needle in needles:
                    cursor.execute(
                        f'SELECT COUNT(*) FROM "{table}" WHERE CAST("{column}" AS TEXT) LIKE %s',  # noqa: S608  (names from introspection)
                        [f"%{needle}%"],
                    )
                    if cursor.fetchone()[0]:
                        found.append(f"{table}.{column}: {needle}")
    return found


def test_retention_is_three_years_after_the_last_half_day_by_default(settings):
    assert retention_cutoff(TODAY) == date(2023, 11, 29)
    settings.TRAININGS_RETENTION_YEARS = 5
    assert retention_cutoff(TODAY) == date(2021, 11, 29)


def test_anonymisation_keeps_every_statistic_and_leaves_no_personal_data(history, module):
    before = [everything(), everything(module=module), everything(date_from=OLD, date_to=OLD)]

    assert anonymise_registrations(today=TODAY) == 3

    after = [everything(), everything(module=module), everything(date_from=OLD, date_to=OLD)]
    assert after == before
    old = Registration.objects.filter(session=history["old"])
    assert set(old.values_list("last_name", "first_name", "email", "email_key", "function")) == {
        (ANONYMISED_NAME, "", "", "", "")
    }
    assert old.filter(organisation=None).count() == 0
    assert Attendance.objects.filter(registration__in=old).count() == 6
    assert personal_data_left("Aline", "Vernier", "aline.vernier", "Chantal", "Ormeau") == []
    assert personal_data_left("Cheffe de service") == []
    # Bruno's recent registration and his person row keep his address.
    assert Registration.objects.filter(email="bruno.quere@example.org").count() == 1
    assert Trainee.objects.filter(email_key="bruno.quere@example.org").exists()
    assert Trainee.objects.filter(email_key=None).count() == 2


def test_anonymisation_is_idempotent(history):
    assert anonymise_registrations(today=TODAY) == 3
    snapshot = list(Registration.history.values_list("history_id", "last_name", "email"))
    assert anonymise_registrations(today=TODAY) == 0
    assert list(Registration.history.values_list("history_id", "last_name", "email")) == snapshot


def test_the_command_and_the_task_anonymise_what_is_past_retention(history, capsys):
    call_command("training-anonymise")
    assert "3 inscription(s) anonymisée(s)" in capsys.readouterr().out
    call_command("training-anonymise")
    assert "0 inscription(s)" in capsys.readouterr().out
    assert anonymise_registrations_task.enqueue().return_value == 0


@pytest.mark.django_db
def test_on_the_demo_data_the_anonymisation_task_changes_no_figure(demo):
    before = compute_statistics().as_dict()
    primo = compute_statistics(module=_primo()).as_dict()

    count = anonymise_registrations_task.enqueue().return_value
    assert count > 0
    assert (
        Registration.objects.exclude(email="")
        .filter(session__slots__date__lt=retention_cutoff() - timedelta(days=1))
        .count()
        == 0
    )

    assert compute_statistics().as_dict() == before
    assert compute_statistics(module=_primo()).as_dict() == primo


def _primo():
    from maillage.trainings.models import Module

    return Module.objects.get(slug="primo-accueil")
