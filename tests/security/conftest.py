"""The world of the access matrix: two territories, X and Y, and in each of them one object of
every kind. In X, organisation A (where the professional, the referent and the trainer work)
and organisation B (another partner of the same contract); in Y, organisation C.

Users: anonymous, a newcomer (signed up, no role yet), professional, referent and trainer of
A, coordinator of X, administrator."""

from dataclasses import dataclass, field
from datetime import date, time, timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from maillage.core.models import MembershipRequest, Organisation, Role
from maillage.directory.feedback import ChangeRequest, ErrorReport
from maillage.directory.freshness import make_token
from maillage.directory.models import ImportJob
from maillage.network.models import Attachment
from maillage.orientation.services import create_default_tree
from maillage.trainings.charter import CharterApplication
from maillage.trainings.models import Certificate, EvaluationInvitation, SignedSheet

from ..conftest import enrol_second_factor
from ..directory.factories import ServiceFactory
from ..evaluation.factories import IndicatorFactory
from ..factories import (
    CommuneFactory,
    ContractFactory,
    OrganisationFactory,
    PriorityFactory,
    RoleFactory,
    SignatureFactory,
    TerritoryFactory,
    UserFactory,
)
from ..network.factories import (
    ActionSheetFactory,
    DecisionFactory,
    MeetingFactory,
    MilestoneFactory,
    WorkingGroupFactory,
)
from ..network.survey_factories import InvitationFactory, QuestionFactory, SurveyFactory
from ..orientation.conftest import reference_data
from ..prevention.event_factories import AwarenessEventFactory, MaterialReuseFactory
from ..prevention.factories import (
    CampaignFactory,
    MaterialFactory,
    MaterialVariantFactory,
    PrintOrderFactory,
)
from ..trainings.factories import ModuleFactory, RegistrationFactory, SessionFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class Scope:
    """The objects of one territory (X or Y) or one organisation (A, B or C)."""

    name: str
    objects: dict = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.objects[name]
        except KeyError:
            raise AttributeError(name) from None


@dataclass
class World:
    scopes: dict
    users: dict

    def __getitem__(self, name: str) -> Scope:
        return self.scopes[name]


def build_territory(name: str, slug: str, insee: str) -> Scope:
    territory = TerritoryFactory(name=name, slug=slug)
    commune = CommuneFactory(insee_code=insee, name=f"Commune {name}")
    territory.communes.add(commune)
    contract = ContractFactory(territory=territory)
    priority = PriorityFactory(contract=contract, code="FORMER")
    campaign = CampaignFactory(territory=territory)
    material = MaterialFactory(campaign=campaign)
    reference_data()
    tree = create_default_tree(territory)
    sheet = ActionSheetFactory(priority=priority)
    meeting = MeetingFactory(contract=contract)
    survey = SurveyFactory(contract=contract)
    module = ModuleFactory(territory=territory)
    session = SessionFactory(module=module, commune=commune)
    day = timezone.localdate() - timedelta(days=7)
    past_session = SessionFactory(
        module=module, status="confirmed", slots=[(day, time(9), time(12, 30))]
    )
    return Scope(
        slug,
        {
            "territory": territory,
            "commune": commune,
            "contract": contract,
            "priority": priority,
            "campaign": campaign,
            "material": material,
            "variant": MaterialVariantFactory(material=material),
            "tree": tree,
            "node": tree.start,
            "sheet": sheet,
            "milestone": MilestoneFactory(sheet=sheet),
            "attachment": Attachment.objects.create(
                sheet=sheet,
                title="Compte rendu",
                file=ContentFile(PDF, name="compte-rendu.pdf"),
                content_type="application/pdf",
                size=len(PDF),
            ),
            "meeting": meeting,
            "decision": DecisionFactory(meeting=meeting),
            "group": WorkingGroupFactory(contract=contract),
            "survey": survey,
            "question": QuestionFactory(survey=survey),
            "indicator": IndicatorFactory(contract=contract),
            "module": module,
            "session": session,
            "past_session": past_session,
            "slot": session.slots.first(),
            "import_job": ImportJob.objects.create(
                territory=territory, file=ContentFile(b"[]", name="import.json"), format="json"
            ),
        },
    )


def build_organisation(name: str, territory_scope: Scope, *, kind=Organisation.Kind.ASSOCIATION):
    territory = territory_scope.territory
    organisation = OrganisationFactory(territory=territory, name=name, kind=kind)
    service = ServiceFactory(organisation=organisation)
    registration = RegistrationFactory(session=territory_scope.session, organisation=organisation)
    past_registration = RegistrationFactory(
        session=territory_scope.past_session, organisation=organisation
    )
    sheet = SignedSheet.objects.create(
        slot=territory_scope.past_session.slots.first(),
        file=ContentFile(PDF, name="emargement.pdf"),
        content_type="application/pdf",
        size=len(PDF),
    )
    return Scope(
        name,
        {
            "t": territory_scope,
            "organisation": organisation,
            "territory": territory,
            "service": service,
            "signature": SignatureFactory(
                contract=territory_scope.contract, organisation=organisation
            ),
            "report": ErrorReport.objects.create(service=service, kind=ErrorReport.Kind.PHONE),
            "change": ChangeRequest.objects.create(
                service=service, organisation=organisation, data={"base": {}, "proposed": {}}
            ),
            "order": PrintOrderFactory(
                material=territory_scope.material, organisation=organisation
            ),
            "reuse": MaterialReuseFactory(
                material=territory_scope.material, organisation=organisation
            ),
            "event": AwarenessEventFactory(organiser=organisation),
            "registration": registration,
            "past_registration": past_registration,
            "certificate": Certificate.objects.create(registration=past_registration),
            "evaluation": EvaluationInvitation.objects.create(registration=past_registration),
            "signed_sheet": sheet,
            "invitation": InvitationFactory(
                survey=SurveyFactory(contract=territory_scope.contract, open=True),
                organisation=organisation,
            ),
            "membership": MembershipRequest.objects.create(
                user=UserFactory(), organisation=organisation, kind=Role.Kind.PROFESSIONAL
            ),
            "application": CharterApplication.objects.create(
                venue=OrganisationFactory(
                    territory=territory,
                    name=f"Bar de {name}",
                    kind=Organisation.Kind.NIGHTLIFE,
                ),
                year=date.today().year,
                contact_name="Responsable",
            ),
        },
    )


def build_world() -> World:
    x = build_territory("Territoire X", "territoire-x", "49007")
    y = build_territory("Territoire Y", "territoire-y", "49328")
    a = build_organisation("Structure A", x)
    b = build_organisation("Structure B", x)
    c = build_organisation("Structure C", y)
    referent = RoleFactory(
        user__email="referente.a@example.org", kind=Role.Kind.REFERENT, organisation=a.organisation
    ).user
    trainer = RoleFactory(
        user__email="formatrice.a@example.org", kind=Role.Kind.TRAINER, organisation=a.organisation
    ).user
    for scope in (x,):
        scope.module.trainer_organisation = a.organisation
        scope.module.save()
        scope.session.trainers.add(trainer)
        scope.past_session.trainers.add(trainer)
    professional = RoleFactory(
        user__email="pro.a@example.org", kind=Role.Kind.PROFESSIONAL, organisation=a.organisation
    ).user
    coordinator = UserFactory(email="coordination.x@example.org")
    Role.objects.create(user=coordinator, kind=Role.Kind.COORDINATOR, territory=x.territory)
    enrol_second_factor(coordinator)
    administrator = UserFactory(email="admin@example.org", is_superuser=True, is_staff=True)
    enrol_second_factor(administrator)
    newcomer = UserFactory(email="nouveau@example.org")
    for scope in (a, b, c):
        scope.objects["freshness_token"] = make_token(scope.service, referent)
    return World(
        scopes={"X": x, "Y": y, "A": a, "B": b, "C": c},
        users={
            "anonymous": None,
            "newcomer": newcomer,
            "professional": professional,
            "referent": referent,
            "trainer": trainer,
            "coordinator": coordinator,
            "administrator": administrator,
        },
    )


@pytest.fixture
def world(db, settings, tmp_path) -> World:
    settings.MEDIA_ROOT = tmp_path
    return build_world()
