"""Each computed figure is counted from the records: change a record, the figure moves."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from maillage.core.models import Organisation
from maillage.evaluation.computations import COMPUTATIONS, compute
from maillage.evaluation.services import contract_period, indicator_value, year_period
from maillage.prevention.models import AwarenessEvent, Material, MaterialReuse, PrintOrder
from maillage.trainings.charter import CharterApplication, LabelDecision
from maillage.trainings.models import Attendance

from ..directory.factories import ServiceFactory
from ..factories import OrganisationFactory, SignatureFactory
from ..prevention.factories import MaterialFactory, PrintOrderFactory
from .factories import IndicatorFactory

START, END = date(2024, 9, 27), date(2026, 12, 31)
NIGHTLIFE = Organisation.Kind.NIGHTLIFE


def figure(key, contract, start=START, end=END, module=None):
    return compute(key, contract, start, end, module=module)


@pytest.mark.django_db
def test_the_registry_holds_every_figure_of_the_issue():
    assert {
        "sessions_held",
        "people_trained",
        "structures_reached",
        "venue_staff_trained",
        "venues_trained",
        "venues_labelled",
        "materials_distributed",
        "guides_distributed",
        "events_held",
        "events_attendance",
        "materials_reused",
        "directory_freshness",
        "signatories",
    } <= set(COMPUTATIONS)


def test_training_figures_move_with_sessions_and_attendance(contract, held_session, attend):
    assert figure("sessions_held", contract) == 0
    session = held_session()
    registration = attend(session)
    attend(session, registration.organisation)  # same structure, another person
    assert figure("sessions_held", contract) == 1
    assert figure("people_trained", contract) == 2
    assert figure("structures_reached", contract) == 1

    attend(session)  # a new structure
    assert figure("people_trained", contract) == 3
    assert figure("structures_reached", contract) == 2

    # Absent at every half-day: not trained.
    registration.attendances.update(status=Attendance.Status.ABSENT)
    assert figure("people_trained", contract) == 2

    # Outside the period: not counted, unless the indicator is cumulative.
    old = held_session(day=date(2022, 5, 5))
    attend(old)
    assert figure("sessions_held", contract) == 1
    assert figure("sessions_held", contract, start=None) == 2


def test_a_cancelled_session_counts_for_nothing(contract, held_session, attend):
    session = held_session()
    attend(session)
    session.status = "cancelled"
    session.save()
    assert figure("sessions_held", contract) == 0
    assert figure("people_trained", contract) == 0


def test_figures_can_be_limited_to_a_module(contract, module, held_session, attend):
    from ..trainings.factories import ModuleFactory

    other = ModuleFactory(territory=contract.territory)
    attend(held_session())
    attend(held_session(module=other))
    assert figure("sessions_held", contract) == 2
    assert figure("sessions_held", contract, module=module) == 1
    assert figure("people_trained", contract, module=module) == 1


def test_venue_figures_count_nightlife_staff_only(contract, held_session, attend, territory):
    session = held_session()
    bar = OrganisationFactory(territory=territory, kind=NIGHTLIFE)
    attend(session, bar)
    attend(session, bar)
    attend(session)  # an association
    assert figure("venue_staff_trained", contract) == 2
    assert figure("venues_trained", contract) == 1
    attend(session, kind=NIGHTLIFE)
    assert figure("venues_trained", contract) == 2
    assert figure("venue_staff_trained", contract) == 3


def test_venues_labelled_count_granted_labels_of_the_period(contract, territory):
    bar = OrganisationFactory(territory=territory, kind=NIGHTLIFE)
    application = CharterApplication.objects.create(venue=bar, year=2025, contact_name="Gérante")
    assert figure("venues_labelled", contract) == 0
    application.decision = LabelDecision.GRANTED
    application.decided_on = date(2025, 3, 1)
    application.save()
    assert figure("venues_labelled", contract) == 1
    assert figure("venues_labelled", contract, start=date(2026, 1, 1)) == 0


def test_distributed_copies_and_guides_move_with_deliveries(contract, territory):
    guide = MaterialFactory(campaign__territory=territory, kind=Material.Kind.GUIDE)
    poster = MaterialFactory(campaign=guide.campaign, kind=Material.Kind.POSTER)
    order = PrintOrderFactory(material=guide, organisation__territory=territory, quantity=500)
    assert figure("guides_distributed", contract) == 0
    PrintOrder.objects.filter(pk=order.pk).update(
        status=PrintOrder.Status.DELIVERED, delivered_on=date(2025, 2, 1)
    )
    PrintOrderFactory(
        material=poster,
        organisation=order.organisation,
        quantity=40,
        status=PrintOrder.Status.DELIVERED,
        delivered_on=date(2025, 2, 2),
    )
    assert figure("guides_distributed", contract) == 500
    assert figure("materials_distributed", contract) == 540


def test_events_and_reuses_move_with_their_records(contract, territory):
    organiser = OrganisationFactory(territory=territory)
    moment = timezone.make_aware(datetime(2025, 11, 6, 18))
    event = AwarenessEvent.objects.create(
        territory=territory,
        title="Stand",
        kind=AwarenessEvent.Kind.choices[0][0],
        audience="general_public",
        organiser=organiser,
        place_name="Place du Ralliement",
        starts_at=moment,
        ends_at=moment + timedelta(hours=2),
        status=AwarenessEvent.Status.PUBLISHED,
        attendance=120,
    )
    assert figure("events_held", contract) == 1
    assert figure("events_attendance", contract) == 120
    event.status = AwarenessEvent.Status.CANCELLED
    event.save()
    assert figure("events_held", contract) == 0

    material = MaterialFactory(campaign__territory=territory)
    assert figure("materials_reused", contract) == 0
    MaterialReuse.objects.create(
        material=material,
        organisation=organiser,
        channel=MaterialReuse.Channel.choices[0][0],
        reused_on=date(2025, 4, 1),
    )
    assert figure("materials_reused", contract) == 1


def test_directory_freshness_is_the_share_of_services_checked_recently(contract, territory):
    today = timezone.localdate()
    organisation = OrganisationFactory(territory=territory)
    fresh = ServiceFactory(organisation=organisation, last_verified_on=today)
    ServiceFactory(organisation=organisation, last_verified_on=today)
    assert figure("directory_freshness", contract, end=today) == 100
    fresh.last_verified_on = today - timedelta(days=800)
    fresh.save()
    assert figure("directory_freshness", contract, end=today) == 50


def test_signatories_move_with_signatures(contract, signatures):
    assert figure("signatories", contract) == 2
    assert figure("new_signatories", contract) == 1
    SignatureFactory(contract=contract, organisation__territory=contract.territory)
    assert figure("signatories", contract) == 3


def test_an_indicator_value_follows_its_source(contract, held_session, attend):
    computed = IndicatorFactory(contract=contract, computation="people_trained")
    attend(held_session())
    assert indicator_value(computed, contract_period(contract)) == 1
    assert indicator_value(computed, year_period(2026)) == 0

    entered = IndicatorFactory(contract=contract, entered=True)
    assert indicator_value(entered, contract_period(contract)) is None
    entered.values.create(period_start=date(2025, 1, 1), period_end=date(2025, 12, 31), value=7)
    entered.values.create(period_start=date(2024, 1, 1), period_end=date(2024, 12, 31), value=3)
    assert indicator_value(entered, contract_period(contract)) == Decimal(7)  # the latest
    assert indicator_value(entered, year_period(2024)) == Decimal(3)


def test_a_survey_indicator_asks_the_network_and_says_when_nothing_is_known(contract, monkeypatch):
    indicator = IndicatorFactory(contract=contract, survey=True)
    calls = []

    def fake(indicator, start, end):
        calls.append((indicator, start, end))
        return Decimal(100)

    from maillage.network import survey_services

    monkeypatch.setattr(survey_services, "survey_indicator_value", fake)
    assert indicator_value(indicator, contract_period(contract)) == Decimal(100)
    assert calls == [(indicator, START, END)]
    monkeypatch.delattr(survey_services, "survey_indicator_value")
    assert indicator_value(indicator, contract_period(contract)) is None


def test_progress_against_the_target(contract):
    indicator = IndicatorFactory(contract=contract, target=Decimal(200))
    assert indicator.progress(None) is None
    assert indicator.progress(100) == 50
    assert indicator.progress(250) == 100
    indicator.baseline = Decimal(100)
    assert indicator.progress(150) == 50
