from datetime import date, datetime, timedelta

import factory
from django.utils import timezone

from maillage.prevention.models import Audience, AwarenessEvent, MaterialReuse

from ..factories import OrganisationFactory
from .factories import MaterialFactory


def local(year: int, month: int, day: int, hour: int = 18, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=timezone.get_current_timezone())


class AwarenessEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AwarenessEvent
        skip_postgeneration_save = True

    organiser = factory.SubFactory(OrganisationFactory)
    territory = factory.SelfAttribute("organiser.territory")
    title = factory.Sequence(lambda n: f"Action {n}")
    kind = AwarenessEvent.Kind.STAND
    audience = Audience.GENERAL_PUBLIC
    place_name = "Place du Ralliement"
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda event: event.starts_at + timedelta(hours=2))
    status = AwarenessEvent.Status.PUBLISHED

    class Params:
        draft = factory.Trait(status=AwarenessEvent.Status.DRAFT)
        cancelled = factory.Trait(status=AwarenessEvent.Status.CANCELLED)
        past = factory.Trait(
            starts_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=3))
        )

    @factory.post_generation
    def partners(self, create, extracted, **kwargs):
        if create and extracted:
            self.partners.set(extracted)


class MaterialReuseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MaterialReuse

    material = factory.SubFactory(MaterialFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    channel = MaterialReuse.Channel.DISPLAY
    reused_on = date(2026, 10, 1)
