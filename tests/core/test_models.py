from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from maillage.core.models import Contract, Role, normalise_phone, validate_french_phone

from ..factories import ContractFactory, OrganisationFactory, UserFactory


@pytest.mark.parametrize(
    "number", ["02 41 05 40 00", "0241054000", "+33 2 41 05 40 00", "3919", "115", "116 006"]
)
def test_french_numbers_are_accepted(number):
    validate_french_phone(number)


@pytest.mark.parametrize("number", ["12", "02 41", "+44 20 7946 0958", "appelez-nous"])
def test_other_numbers_are_refused(number):
    with pytest.raises(ValidationError, match="Saisissez un numéro français"):
        validate_french_phone(number)


def test_phone_numbers_are_written_the_french_way():
    assert normalise_phone("+33241054000") == "02 41 05 40 00"
    assert normalise_phone("02.41.05.40.00") == "02 41 05 40 00"
    assert normalise_phone("3919") == "3919"


@pytest.mark.django_db
def test_a_contract_cannot_end_before_it_starts(territory):
    contract = Contract(
        territory=territory, title="Contrat", start_date=date(2026, 1, 1), end_date=date(2025, 1, 1)
    )
    with pytest.raises(ValidationError, match="La fin du contrat doit suivre son début"):
        contract.full_clean()
    with pytest.raises(IntegrityError):
        contract.save()


@pytest.mark.django_db
def test_a_role_is_scoped_to_a_territory_or_an_organisation(territory):
    user = UserFactory()
    organisation = OrganisationFactory(territory=territory)
    with pytest.raises(ValidationError):
        Role(user=user, kind=Role.Kind.COORDINATOR, organisation=organisation).full_clean()
    with pytest.raises(IntegrityError):
        Role.objects.create(user=user, kind=Role.Kind.REFERENT, territory=territory)


@pytest.mark.django_db
def test_only_coordinators_and_administrators_need_a_second_factor(territory):
    referent = UserFactory()
    Role.objects.create(user=referent, kind=Role.Kind.REFERENT, organisation=OrganisationFactory())
    coordinator = UserFactory()
    Role.objects.create(user=coordinator, kind=Role.Kind.COORDINATOR, territory=territory)
    assert not referent.requires_second_factor
    assert coordinator.requires_second_factor
    assert UserFactory(is_superuser=True).requires_second_factor


@pytest.mark.django_db
def test_current_contract_is_the_latest(territory):
    ContractFactory(territory=territory, start_date=date(2020, 11, 25), end_date=date(2023, 12, 31))
    latest = ContractFactory(territory=territory)
    assert territory.current_contract() == latest


@pytest.mark.django_db
def test_theme_colours_must_stay_readable_on_white():
    from maillage.core.models import Territory

    territory = Territory(
        name="Test", slug="test", primary_colour="#ffcc00", accent_colour="#0b6e4f"
    )
    with pytest.raises(ValidationError, match="ne contraste pas assez"):
        territory.full_clean(exclude=["communes"])
    territory.primary_colour = "#5b2a86"
    territory.full_clean(exclude=["communes"])
