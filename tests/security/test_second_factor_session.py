"""The second factor of coordinators and administrators is checked on the session, not only on
the account (ASVS 5.0 V6.3): a session that did not pass it opens nothing, the admin has no
login of its own that a password alone would open, and a TOTP code serves once."""

import pyotp
import pytest
import time_machine
from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.login import record_authentication
from django.core.cache import cache
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from maillage.core.models import Role

from ..conftest import login_with_second_factor, totp_code
from ..factories import TEST_PASSWORD, UserFactory
from .test_csrf import walk_urls

pytestmark = pytest.mark.django_db

LOCKED = "Trop de tentatives de connexion échouées"
LOGGED_OUT = "reconnectez-vous avec votre mot de passe et le code de votre application"
# Reachable without a login whatever the session: static files and the health check.
EXEMPT = ("/static/", "/healthz")


@pytest.fixture(autouse=True)
def fresh_cache():
    """Login attempts and used TOTP codes are counted in the cache, which outlives a test."""
    cache.clear()
    yield
    cache.clear()


def login_with_password_only(client: Client, user) -> Client:
    """A session as Django's old admin login left it: the password, no second factor."""
    client.force_login(user)
    request = HttpRequest()
    request.session = client.session
    record_authentication(request, user, "password", email=user.email)
    request.session.save()
    return client


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


# A session without the second factor ----------------------------------------------------------


@pytest.mark.parametrize("role", ["coordinator", "administrator"])
def test_a_session_without_the_second_factor_is_refused_every_page(client, role, request):
    """Every URL of the URLconf (the workspace, the admin, the account pages...) logs out a
    session whose user has a TOTP key but did not give its code in this session."""
    user = request.getfixturevalue(role)
    login_url = reverse("account_login")
    paths = [path for path, _, _ in walk_urls() if not path.startswith(EXEMPT)]
    assert len(paths) > 400
    assert any(path.startswith("/admin/") for path in paths)
    for path in [*paths, "/espace/", "/admin/", "/admin/core/auditevent/"]:
        login_with_password_only(client, user)
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(login_url), path
        assert not signed_in(client), path


def test_the_person_is_told_why_in_french(client, coordinator):
    login_with_password_only(client, coordinator)
    response = client.get("/espace/", follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))
    assert LOGGED_OUT in response.content.decode()


def test_a_session_with_the_second_factor_is_let_in(client, coordinator, administrator):
    assert login_with_second_factor(client, coordinator).get("/espace/").status_code == 200
    assert login_with_second_factor(Client(), administrator).get("/admin/").status_code == 200


def test_the_real_login_records_the_second_factor(client, coordinator):
    client.post(reverse("account_login"), {"login": coordinator.email, "password": TEST_PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert client.get("/espace/").status_code == 200
    assert client.get("/espace/structures/").status_code == 200


def test_a_referent_needs_no_second_factor(client, referent):
    login_with_password_only(client, referent)
    assert client.get("/espace/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_activating_totp_in_the_session_counts_as_passing_it(client, territory):
    """A new coordinator logs in with the password, is sent to enrol, scans the key and types
    the code: that session goes on, with the second factor recorded. (Transactional: allauth
    announces the new factor once the transaction commits, within the request.)"""
    user = UserFactory()
    Role.objects.create(user=user, kind=Role.Kind.COORDINATOR, territory=territory)
    client.post(reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD})
    assert client.get("/espace/")["Location"] == reverse("mfa_activate_totp")
    client.get(reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]

    client.post(reverse("mfa_activate_totp"), {"code": pyotp.TOTP(secret).now()})

    assert client.get("/espace/").status_code == 200
    session_request = HttpRequest()
    session_request.session = client.session
    methods = [r["method"] for r in get_authentication_records(session_request, user)]
    assert methods == ["password", "mfa"]


# The admin's login ------------------------------------------------------------------------------


def test_the_admin_login_does_not_take_a_password_alone(client, administrator):
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": administrator.email, "password": TEST_PASSWORD, "next": "/admin/"},
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not signed_in(client)
    assert client.get("/admin/core/auditevent/").status_code == 302


def test_the_admin_login_sends_to_the_account_login(client):
    response = client.get("/admin/login/?next=/admin/core/user/")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?next=%2Fadmin%2Fcore%2Fuser%2F"


def test_the_admin_login_is_throttled_like_the_account_login(client, administrator):
    """Eleven wrong passwords then the right one used to open the admin (Django's admin login
    counted nothing)."""
    for _ in range(11):
        client.post("/admin/login/", {"username": administrator.email, "password": "faux"})
    response = client.post(
        "/admin/login/", {"username": administrator.email, "password": TEST_PASSWORD}
    )
    assert response.get("Location") != "/admin/"
    assert not signed_in(client)

    # Through the login it is sent to, five failures lock the account.
    for _ in range(5):
        client.post(reverse("account_login"), {"login": administrator.email, "password": "faux"})
    response = client.post(
        reverse("account_login"), {"login": administrator.email, "password": TEST_PASSWORD}
    )
    assert LOCKED in response.content.decode()
    assert not signed_in(client)


def test_a_signed_in_administrator_reaches_the_admin_and_others_are_refused(
    client, administrator, referent
):
    login_with_second_factor(client, administrator)
    assert client.get("/admin/login/?next=/admin/")["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    other = login_with_second_factor(Client(), referent)
    assert other.get("/admin/login/").status_code == 403
    assert other.get("/admin/")["Location"].startswith("/admin/login/")


# TOTP codes ------------------------------------------------------------------------------------


def test_a_totp_code_is_refused_the_second_time_within_its_window(coordinator):
    """allauth marks a code used in the cache for the whole window it is valid in (three 30 s
    steps with MFA_TOTP_TOLERANCE = 1); the cache shared by every worker makes that hold
    across the app servers too."""
    with time_machine.travel(timezone.now(), tick=False):
        code = totp_code()
        first, second = Client(), Client()
        for client in (first, second):
            client.post(
                reverse("account_login"), {"login": coordinator.email, "password": TEST_PASSWORD}
            )
        first.post(reverse("mfa_authenticate"), {"code": code})
        response = second.post(reverse("mfa_authenticate"), {"code": code})

        assert signed_in(first)
        assert not signed_in(second)
        assert response.status_code == 200
        assert "Code incorrect" in response.content.decode()
