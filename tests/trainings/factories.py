from datetime import time, timedelta

import factory
from django.utils import timezone

from maillage.trainings.models import (
    Module,
    Registration,
    Trainee,
    TrainingSession,
    TrainingSlot,
    normalise_email,
)

from ..factories import CommuneFactory, OrganisationFactory, TerritoryFactory


class ModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Module

    territory = factory.SubFactory(TerritoryFactory)
    title = factory.Sequence(lambda n: f"Module {n}")
    slug = factory.Sequence(lambda n: f"module-{n}")
    objectives = "Repérer, accueillir, orienter."
    duration_hours = 7
    audience = "Professionnels de l'accueil."
    min_registrants = 2
    default_capacity = 12


class SessionFactory(factory.django.DjangoModelFactory):
    """An open session in Angers with one full day (two half-days) in 20 days.

    `slots__days_ahead=3` moves the day; `slots=[(date, start, end), ...]` replaces it.
    """

    class Meta:
        model = TrainingSession
        skip_postgeneration_save = True

    module = factory.SubFactory(ModuleFactory)
    status = TrainingSession.Status.OPEN
    capacity = 12
    place_name = "Maison des solidarités"
    address = "12 rue des Lices"
    commune = factory.SubFactory(CommuneFactory, insee_code="49007", name="Angers")

    @factory.post_generation
    def slots(self, create, extracted, days_ahead=20, **kwargs):
        if not create:
            return
        if extracted is None:
            day = timezone.localdate() + timedelta(days=days_ahead)
            extracted = [(day, time(9), time(12, 30)), (day, time(13, 30), time(17))]
        for date, start, end in extracted:
            TrainingSlot.objects.create(session=self, date=date, start=start, end=end)


class TraineeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Trainee
        django_get_or_create = ["email_key"]

    email_key = factory.Sequence(lambda n: f"stagiaire{n}@example.org")


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A confirmed registration written directly (no email, no seat check): for fixtures."""

    class Meta:
        model = Registration

    session = factory.SubFactory(SessionFactory)
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Stagiaire{n}")
    email = factory.Sequence(lambda n: f"stagiaire{n}@example.org")
    email_key = factory.LazyAttribute(lambda r: normalise_email(r.email))
    trainee = factory.LazyAttribute(lambda r: TraineeFactory(email_key=r.email_key))
    function = "Agent d'accueil"
    organisation = factory.SubFactory(
        OrganisationFactory, territory=factory.SelfAttribute("..session.module.territory")
    )
    status = Registration.Status.CONFIRMED
    confirmed_at = factory.LazyFunction(timezone.now)
