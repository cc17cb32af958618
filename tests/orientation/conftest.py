"""Fixtures of the orientation guide: the default tree published for the test territory, the
national numbers and the taxonomy (a transactional test flushes what migrations loaded)."""

import pytest
from django.apps import apps

from maillage.directory.models import Term
from maillage.directory.taxonomy import load_taxonomy
from maillage.orientation.default_tree import load_national_numbers
from maillage.orientation.models import NationalNumber
from maillage.orientation.services import create_default_tree

from ..directory.factories import PhoneFactory, PlaceFactory, ServiceFactory
from ..factories import CommuneFactory, OrganisationFactory


def reference_data() -> None:
    """The taxonomy and the national numbers, as the data migrations load them."""
    if not Term.objects.exists():
        load_taxonomy(Term)
    if not NationalNumber.objects.exists():
        load_national_numbers(NationalNumber)


def row_counts() -> dict[str, int]:
    """The number of rows of every table (models, history tables, many-to-many tables)."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
    }


@pytest.fixture
def angers(territory):
    commune = CommuneFactory(insee_code="49007", name="Angers", postal_codes=["49000", "49100"])
    territory.communes.add(commune)
    return commune


@pytest.fixture
def trelaze(territory):
    commune = CommuneFactory(insee_code="49353", name="Trélazé", postal_codes=["49800"])
    territory.communes.add(commune)
    return commune


@pytest.fixture
def tree(territory, angers):
    reference_data()
    return create_default_tree(territory)


@pytest.fixture
def local_services(territory, angers):
    return make_local_services(territory, angers)


def make_local_services(territory, angers) -> dict:
    """A small directory: listening, shelter, a perpetrator programme, minors, national lines."""

    def service(name, *, organisation, place=True, phones=(), **kwargs):
        found = ServiceFactory(
            name=name,
            organisation=OrganisationFactory(territory=territory, name=organisation),
            **kwargs,
        )
        if place:
            PlaceFactory(service=found, commune=angers)
        for number, visibility in phones:
            PhoneFactory(service=found, number=number, visibility=visibility)
        return found

    return {
        "listening": service(
            "Accueil de jour et écoute", organisation="Solidarité Femmes 49",
            phones=[("02 41 00 00 01", "public"), ("02 41 00 00 02", "professionals")],
            terms__help=["accueil-de-jour", "ecoute"], terms__violence=["conjugales"],
            terms__publics=["victimes", "femmes"],
        ),
        "shelter": service(
            "Hébergement d'urgence 49", organisation="SIAO 49", urgent_response=True,
            terms__help=["hebergement-urgence"], terms__violence=["toutes"],
        ),
        "victims": service(
            "Aide aux victimes d'infractions", organisation="France Victimes 49",
            terms__help=["aide-aux-victimes", "information-juridique"],
            terms__violence=["toutes"], terms__publics=["victimes"],
        ),
        "cpca": service(
            "Centre de prise en charge des auteurs", organisation="Médiations 49",
            phones=[("02 41 00 00 09", "public")],
            terms__help=["auteurs", "groupes-de-parole"], terms__publics=["auteurs"],
        ),
        "authors_line": service(
            "Écoute des auteurs de violences", organisation="FNACAV", place=False,
            coverage="national", phones=[("08 019 019 11", "public")],
            terms__help=["auteurs", "ecoute"], terms__publics=["auteurs"],
        ),
        "youth": service(
            "Planning familial", organisation="Planning familial 49", minors_accepted=True,
            terms__help=["sante-sexuelle", "ecoute"], terms__publics=["mineurs", "jeunes"],
        ),
    }  # fmt: skip
