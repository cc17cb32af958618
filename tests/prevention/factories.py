from datetime import date

import factory

from maillage.prevention.models import Audience, Campaign, Material, PrintOrder

from ..factories import OrganisationFactory, TerritoryFactory


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    territory = factory.SubFactory(TerritoryFactory)
    title = factory.Sequence(lambda n: f"Campagne {n}")
    starts_on = date(2024, 11, 1)


class MaterialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Material

    campaign = factory.SubFactory(CampaignFactory)
    kind = Material.Kind.GUIDE
    title = factory.Sequence(lambda n: f"Support {n}")
    audience = Audience.GENERAL_PUBLIC
    review_state = Material.ReviewState.VALIDATED
    is_public = True
    stock = 1000

    class Params:
        draft = factory.Trait(review_state=Material.ReviewState.DRAFT)


class PrintOrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PrintOrder

    material = factory.SubFactory(MaterialFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    quantity = 100
