from datetime import date
from decimal import Decimal

import factory

from maillage.evaluation.models import Indicator, IndicatorValue

from ..factories import ContractFactory


class IndicatorFactory(factory.django.DjangoModelFactory):
    """A computed indicator (people trained) by default; traits `entered` and `survey`."""

    class Meta:
        model = Indicator

    contract = factory.SubFactory(ContractFactory)
    code = factory.Sequence(lambda n: f"indicateur-{n}")
    title = factory.Sequence(lambda n: f"Indicateur {n}")
    unit = "personnes"
    source = Indicator.Source.COMPUTED
    computation = "people_trained"
    target = Decimal(200)

    class Params:
        entered = factory.Trait(source=Indicator.Source.ENTERED, computation="", unit="appels")
        survey = factory.Trait(source=Indicator.Source.SURVEY, computation="", unit="%")


class IndicatorValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorValue

    indicator = factory.SubFactory(IndicatorFactory, entered=True)
    period_start = date(2025, 1, 1)
    period_end = date(2025, 12, 31)
    value = Decimal(10)
