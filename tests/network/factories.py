"""Factories of the action plan and the meetings."""

from datetime import date, timedelta

import factory
from django.utils import timezone

from maillage.network.models import (
    ActionSheet,
    Decision,
    FollowUpNote,
    Meeting,
    Milestone,
    WorkingGroup,
)

from ..factories import ContractFactory, OrganisationFactory, PriorityFactory


class ActionSheetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionSheet
        skip_postgeneration_save = True

    priority = factory.SubFactory(PriorityFactory)
    title = factory.Sequence(lambda n: f"Action {n}")
    objectives = "Former les professionnels au premier accueil."
    pilot = factory.SubFactory(
        OrganisationFactory, territory=factory.SelfAttribute("..priority.contract.territory")
    )
    status = ActionSheet.Status.IN_PROGRESS
    progress = 40

    class Params:
        done = factory.Trait(status=ActionSheet.Status.DONE, progress=100)
        to_start = factory.Trait(status=ActionSheet.Status.TO_START, progress=0)


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    sheet = factory.SubFactory(ActionSheetFactory)
    title = factory.Sequence(lambda n: f"Jalon {n}")
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))

    class Params:
        overdue = factory.Trait(
            due_on=factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=3))
        )


class FollowUpNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUpNote

    sheet = factory.SubFactory(ActionSheetFactory)
    text = "Première réunion des partenaires tenue."


class WorkingGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingGroup

    contract = factory.SubFactory(ContractFactory)
    name = factory.Sequence(lambda n: f"Groupe {n}")


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    contract = factory.SubFactory(ContractFactory)
    kind = Meeting.Kind.COPIL
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    place = "Hôtel de communauté"
    status = Meeting.Status.PLANNED


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    meeting = factory.SubFactory(MeetingFactory)
    text = factory.Sequence(lambda n: f"Décision {n}")
    owner = factory.SubFactory(
        OrganisationFactory, territory=factory.SelfAttribute("..meeting.contract.territory")
    )
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))

    class Params:
        overdue = factory.Trait(
            due_on=factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=5))
        )
        done = factory.Trait(status=Decision.Status.DONE, done_on=date(2025, 1, 10))
