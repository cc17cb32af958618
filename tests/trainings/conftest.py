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
