import pytest

from maillage.trainings.registration import Person

from ..factories import OrganisationFactory
from .factories import ModuleFactory, SessionFactory


@pytest.fixture
def module(territory, organisation):
    return ModuleFactory(
        territory=territory,
        title="Primo-accueil des victimes de violences sexistes et sexuelles",
        slug="primo-accueil",
        trainer_organisation=organisation,
    )


@pytest.fixture
def session(module):
    """Open, 12 seats, one full day in 20 days, in Angers."""
    return SessionFactory(module=module)


@pytest.fixture
def staff_organisation(territory):
    return OrganisationFactory(territory=territory, name="Ville d'Angers")


@pytest.fixture
def person(staff_organisation):
    """person(3) → a Person "Agent 3" of the Ville d'Angers, agent3@example.org."""

    def _person(number: int, *, organisation=None, email: str = "") -> Person:
        return Person(
            first_name="Agent",
            last_name=f"Numéro {number}",
            email=email or f"agent{number}@example.org",
            function="Agent d'accueil",
            organisation=organisation or staff_organisation,
        )

    return _person


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what a block leaves for after the commit (emails to the worker, run at once)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def past_session(module, trainer):
    """A confirmed session given by the trainer, one full day last Monday-ish (7 days ago):
    9h00-12h30 and 13h30-17h00, in Angers."""
    from datetime import time, timedelta

    from django.utils import timezone

    from maillage.trainings.models import TrainingSession

    day = timezone.localdate() - timedelta(days=7)
    session = SessionFactory(
        module=module,
        status=TrainingSession.Status.CONFIRMED,
        slots=[(day, time(9), time(12, 30)), (day, time(13, 30), time(17))],
    )
    session.trainers.add(trainer)
    return session
