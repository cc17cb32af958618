from datetime import date, time

import pytest

from maillage.core.models import Organisation
from maillage.trainings.models import Attendance

from ..factories import OrganisationFactory, PriorityFactory
from ..trainings.factories import ModuleFactory, RegistrationFactory, SessionFactory


@pytest.fixture
def priorities(contract):
    return [
        PriorityFactory(contract=contract, code=code, position=position)
        for position, code in enumerate(["FORMER", "PRÉVENIR", "FÉDÉRER"])
    ]


@pytest.fixture
def module(territory):
    return ModuleFactory(territory=territory, slug="primo-accueil", title="Primo-accueil")


@pytest.fixture
def held_session(module):
    """A session held on 3 March 2025 (two half-days), marked held."""

    def _held(day=date(2025, 3, 3), module=module):
        session = SessionFactory(
            module=module,
            status="held",
            slots=[(day, time(9), time(12, 30)), (day, time(13, 30), time(17))],
        )
        return session

    return _held


@pytest.fixture
def attend(territory):
    """attend(session, organisation=None, kind=...) → a registration present at every half-day."""

    def _attend(session, organisation=None, *, kind=Organisation.Kind.ASSOCIATION):
        organisation = organisation or OrganisationFactory(territory=territory, kind=kind)
        registration = RegistrationFactory(session=session, organisation=organisation)
        for slot in session.slots.all():
            Attendance.objects.create(registration=registration, slot=slot, status="present")
        return registration

    return _attend
