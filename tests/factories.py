"""factory_boy factories shared by every test module."""

from datetime import date

import factory
from allauth.account.models import EmailAddress

from maillage.core.models import (
    Commune,
    Contract,
    Organisation,
    Priority,
    Role,
    Signature,
    Territory,
    User,
)

TEST_PASSWORD = "un-mot-de-passe-de-test"


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commune
        django_get_or_create = ["insee_code"]

    insee_code = factory.Sequence(lambda n: f"{49001 + n:05d}")
    name = factory.Sequence(lambda n: f"Commune {n}")
    department = "49"


class TerritoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Territory
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Territoire {n}")
    slug = factory.Sequence(lambda n: f"territoire-{n}")


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contract

    territory = factory.SubFactory(TerritoryFactory)
    title = "Contrat local contre les violences sexistes et sexuelles"
    start_date = date(2024, 9, 27)
    end_date = date(2026, 12, 31)
    signed_on = date(2024, 9, 27)


class PriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Priority

    contract = factory.SubFactory(ContractFactory)
    code = factory.Iterator(["FORMER", "PRÉVENIR", "FÉDÉRER"])
    title = factory.LazyAttribute(lambda p: f"{p.code.capitalize()} ensemble")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    territory = factory.SubFactory(TerritoryFactory)
    name = factory.Sequence(lambda n: f"Structure {n}")
    kind = Organisation.Kind.ASSOCIATION

    class Params:
        state = factory.Trait(kind=Organisation.Kind.STATE)
        health = factory.Trait(kind=Organisation.Kind.HEALTH)


class SignatureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Signature

    contract = factory.SubFactory(ContractFactory)
    organisation = factory.SubFactory(
        OrganisationFactory, territory=factory.SelfAttribute("..contract.territory")
    )
    signed_on = date(2024, 9, 27)
    is_new = False

    class Params:
        new = factory.Trait(is_new=True)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@example.org")
    first_name = "Dominique"
    last_name = factory.Sequence(lambda n: f"Test{n}")
    password = factory.django.Password(TEST_PASSWORD)

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    user = factory.SubFactory(UserFactory)
    kind = Role.Kind.PROFESSIONAL
    organisation = factory.SubFactory(OrganisationFactory)
