from datetime import date, time

import factory

from maillage.directory.models import (
    OpeningException,
    OpeningSlot,
    Place,
    Service,
    ServicePhone,
    Term,
)
from maillage.directory.search import reindex
from maillage.directory.taxonomy import load_taxonomy

from ..factories import CommuneFactory, OrganisationFactory


def term(vocabulary: str, code: str) -> Term:
    if not Term.objects.exists():  # a transactional test flushed the data migration's terms
        load_taxonomy(Term)
    return Term.objects.get(vocabulary=vocabulary, code=code)


class ServiceFactory(factory.django.DjangoModelFactory):
    """A published public service; `help`, `violence`, `publics` take term codes."""

    class Meta:
        model = Service
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Service {n}")
    status = Service.Status.PUBLISHED

    @factory.post_generation
    def terms(self, create, extracted, **kwargs):
        if not create:
            return
        for relation, vocabulary in (
            ("help", "help"),
            ("violence", "violence"),
            ("publics", "public"),
            ("languages", "language"),
        ):
            codes = kwargs.get(relation) or []
            target = {"help": "help_types", "violence": "violence_types"}.get(relation, relation)
            getattr(self, target).set([term(vocabulary, code) for code in codes])
        reindex([self])


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place

    service = factory.SubFactory(ServiceFactory)
    address = "1 place du Ralliement"
    postal_code = "49000"
    commune = factory.SubFactory(CommuneFactory, insee_code="49007", name="Angers")
    latitude = 47.4712
    longitude = -0.5518


class PhoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServicePhone

    service = factory.SubFactory(ServiceFactory)
    number = "02 41 00 00 00"


class SlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpeningSlot

    service = factory.SubFactory(ServiceFactory)
    weekday = 0
    opens = "09:00"
    closes = "12:00"


class ExceptionFactory(factory.django.DjangoModelFactory):
    """Special hours on a date; opens=None, closes=None for closed all day."""

    class Meta:
        model = OpeningException

    service = factory.SubFactory(ServiceFactory)
    on = date(2026, 12, 24)
    opens = time(9)
    closes = time(12)
