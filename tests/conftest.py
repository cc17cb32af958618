"""The same fixture users everywhere: coordinator, referent, other_referent, trainer,
professional, administrator, and the coordinator of another territory."""

import socket

import pyotp
import pytest
from aiosmtpd import controller as aiosmtpd_controller
from aiosmtpd import handlers as aiosmtpd_handlers
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import translation

from maillage.core.models import Role

from .factories import (
    ContractFactory,
    OrganisationFactory,
    RoleFactory,
    SignatureFactory,
    TerritoryFactory,
    UserFactory,
)
from .harness import (  # noqa: F401 (fixtures and hooks of the whole session)
    demo,
    demo_snapshot,
    django_db_setup,
    live_server,
    pytest_collection_modifyitems,
    pytest_runtest_setup,
    pytest_runtest_teardown,
    pytest_sessionstart,
)

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DP"


def enrol_second_factor(user) -> Authenticator:
    return TOTP.activate(user, TOTP_SECRET).instance


def totp_code() -> str:
    return pyotp.TOTP(TOTP_SECRET).now()


def login_with_second_factor(client, user):
    """Log `user` in with the test client as allauth does after the password and the TOTP code:
    the session records both methods (RequireSecondFactorMiddleware refuses a coordinator's or
    an administrator's session without the "mfa" one)."""
    from allauth.account.internal.flows.login import record_authentication
    from django.http import HttpRequest

    client.force_login(user)
    request = HttpRequest()
    request.session = client.session
    record_authentication(request, user, "password", email=user.email)
    totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    record_authentication(request, user, "mfa", id=totp.pk if totp else None, type="totp")
    request.session.save()
    return client


@pytest.fixture
def territory(db):
    return TerritoryFactory(name="Angers Loire Métropole", slug="angers-loire-metropole")


@pytest.fixture
def other_territory(db):
    return TerritoryFactory(name="Saumur Val de Loire", slug="saumur-val-de-loire")


@pytest.fixture
def contract(territory):
    return ContractFactory(territory=territory)


@pytest.fixture
def organisation(territory):
    return OrganisationFactory(territory=territory, name="Solidarité Femmes 49")


@pytest.fixture
def other_organisation(territory):
    return OrganisationFactory(territory=territory, name="CIDFF 49")


@pytest.fixture
def foreign_organisation(other_territory):
    return OrganisationFactory(territory=other_territory, name="Structure de Saumur")


@pytest.fixture
def signatures(contract, organisation, other_organisation):
    return [
        SignatureFactory(contract=contract, organisation=organisation),
        SignatureFactory(contract=contract, organisation=other_organisation, is_new=True),
    ]


@pytest.fixture
def coordinator(territory):
    user = UserFactory(email="coordination@example.org")
    Role.objects.create(user=user, kind=Role.Kind.COORDINATOR, territory=territory)
    enrol_second_factor(user)
    return user


@pytest.fixture
def other_coordinator(other_territory):
    user = UserFactory(email="coordination.saumur@example.org")
    Role.objects.create(user=user, kind=Role.Kind.COORDINATOR, territory=other_territory)
    enrol_second_factor(user)
    return user


@pytest.fixture
def administrator(db):
    user = UserFactory(email="admin@example.org", is_superuser=True, is_staff=True)
    enrol_second_factor(user)
    return user


@pytest.fixture
def referent(organisation):
    return RoleFactory(
        user__email="referente@example.org", kind=Role.Kind.REFERENT, organisation=organisation
    ).user


@pytest.fixture
def other_referent(other_organisation):
    return RoleFactory(
        user__email="referent.cidff@example.org",
        kind=Role.Kind.REFERENT,
        organisation=other_organisation,
    ).user


@pytest.fixture
def trainer(organisation):
    return RoleFactory(
        user__email="formatrice@example.org", kind=Role.Kind.TRAINER, organisation=organisation
    ).user


@pytest.fixture
def professional(other_organisation):
    return RoleFactory(
        user__email="professionnel@example.org",
        kind=Role.Kind.PROFESSIONAL,
        organisation=other_organisation,
    ).user


@pytest.fixture
def login(client):
    """Log a user in with the test client (the second factor counts as done)."""

    def _login(user):
        return login_with_second_factor(client, user)

    return _login


@pytest.fixture(autouse=True)
def french():
    """Each test starts in French: a request to /en/ leaves English active in the thread."""
    translation.activate("fr")
    yield
    translation.activate("fr")


# A real SMTP server (aiosmtpd) on a free local port, for the mail integration tests.
class Inbox(aiosmtpd_handlers.Message):
    def __init__(self) -> None:
        super().__init__()
        self.messages = []

    def handle_message(self, message) -> None:
        self.messages.append(message)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = aiosmtpd_controller.Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()
