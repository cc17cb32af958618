"""Seats hold under concurrency: 50 people register at the same instant for 12 seats.

Each thread has its own database connection (Django opens one per thread), so the
registrations really race in PostgreSQL; the session row lock serialises them. SQLite's
in-memory test database cannot race like that (one shared-cache connection, table locks),
hence the skip: CI runs this file a second time on PostgreSQL.
"""

import threading
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django_tasks_db.models import DBTaskResult

from maillage.trainings.models import Registration, TrainingSession
from maillage.trainings.registration import (
    AlreadyRegistered,
    Person,
    cancel_registration,
    register_person,
)

from ..factories import OrganisationFactory
from .factories import ModuleFactory, SessionFactory

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL row locks: CI's second run"
    ),
    pytest.mark.django_db(transaction=True),
]

R = Registration.Status


def race(count: int, action) -> list[BaseException]:
    """Run action(n) for n in range(count), all threads released at the same instant."""
    barrier = threading.Barrier(count)
    errors: list[BaseException] = []

    def run(number: int) -> None:
        try:
            barrier.wait()
            action(number)
        except BaseException as error:  # reported to the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


@pytest.fixture
def worker_queue(settings):
    """Emails wait in the database queue for `db_worker`, as in production."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_fifty_simultaneous_registrations_for_twelve_seats(territory, worker_queue, mailoutbox):
    organisation = OrganisationFactory(territory=territory)
    session = SessionFactory(module=ModuleFactory(territory=territory), capacity=12)

    def register(number: int) -> None:
        person = Person("Agent", f"{number}", f"agent{number}@example.org", "Accueil", organisation)
        register_person(session=session, person=person, by=None)

    assert race(50, register) == []

    statuses = Counter(session.registrations.values_list("status", flat=True))
    assert statuses == {R.CONFIRMED: 12, R.WAITING: 38}
    assert session.registrations.values("email_key").distinct().count() == 50
    session.refresh_from_db()
    assert session.status == TrainingSession.Status.FULL
    kinds = Counter(task.args_kwargs["kwargs"]["kind"] for task in DBTaskResult.objects.all())
    assert kinds == {"confirmed": 12, "waiting": 38}

    # A cancellation offers the seat to the first in line, and the worker emails them.
    DBTaskResult.objects.all().delete()
    first_in_line = session.registrations.waiting_line().first()
    leaving = session.registrations.filter(status=R.CONFIRMED).order_by("pk").first()
    cancel_registration(registration=leaving, by=None)

    first_in_line.refresh_from_db()
    assert first_in_line.status == R.OFFERED
    assert session.registrations.filter(status=R.OFFERED).count() == 1
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    by_person = {message.to[0]: message for message in mailoutbox}
    assert set(by_person) == {leaving.email, first_in_line.email}
    assert by_person[first_in_line.email].subject.startswith("[Maillage] Une place s'est libérée")
    assert first_in_line.access_url() in by_person[first_in_line.email].body


def test_the_same_person_registering_twenty_times_at_once_is_registered_once(
    territory, worker_queue
):
    organisation = OrganisationFactory(territory=territory)
    session = SessionFactory(module=ModuleFactory(territory=territory), capacity=12)

    def register(number: int) -> None:
        email = "Meme.Personne@example.org" if number % 2 else "meme.personne@example.org"
        person = Person("Même", "Personne", email, "Accueil", organisation)
        register_person(session=session, person=person, by=None)

    errors = race(20, register)

    assert len(errors) == 19
    assert all(isinstance(error, AlreadyRegistered) for error in errors)
    assert session.registrations.count() == 1
