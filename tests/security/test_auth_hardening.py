"""Authentication per OWASP ASVS 5.0 level 2: login throttling and lockout (V6.3), the second
factor of coordinators and administrators on every URL (V6.3), passwords (V6.2), sessions:
new key at login, inactivity and absolute timeouts, logout ending the session on the server
(V7)."""

import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from maillage.core import middleware
from maillage.core.models import Role

from ..conftest import totp_code
from ..factories import TEST_PASSWORD, UserFactory
from .test_csrf import walk_urls

pytestmark = pytest.mark.django_db

LOCKED = "Trop de tentatives de connexion échouées"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """allauth counts attempts in the cache, which outlives a test."""
    cache.clear()
    yield
    cache.clear()


def log_in(client: Client, email: str, password: str = TEST_PASSWORD, ip: str = "192.0.2.1"):
    return client.post(
        reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=ip
    )


def signed_in(client: Client) -> bool:
    return client.get("/espace/").status_code == 200


# Throttling and lockout ----------------------------------------------------------------------


def test_five_failures_lock_the_account_even_from_other_addresses(client, referent):
    for n in range(5):
        response = log_in(client, referent.email, "pas le bon mot de passe", ip=f"192.0.2.{n}")
        assert response.status_code == 200
        assert LOCKED not in response.content.decode()

    response = log_in(client, referent.email, ip="198.51.100.7")  # the right password
    assert response.status_code == 200
    assert LOCKED in response.content.decode()
    assert not signed_in(client)


def test_five_failures_from_one_address_lock_that_address_out(client):
    users = UserFactory.create_batch(6)
    for user in users[:5]:
        assert LOCKED not in log_in(client, user.email, "mauvais").content.decode()

    response = log_in(client, users[5].email)  # right password, same address
    assert LOCKED in response.content.decode()
    assert not signed_in(client)

    other = Client()
    assert log_in(other, users[5].email, ip="203.0.113.9").status_code == 302
    assert signed_in(other)


def test_a_success_before_the_limit_does_not_lock(client, referent):
    for _ in range(4):
        log_in(client, referent.email, "mauvais")
    assert log_in(client, referent.email).status_code == 302
    assert signed_in(client)


# Second factor ---------------------------------------------------------------------------------

SECOND_FACTOR_EXEMPT = ("/compte/", "/en/compte/", "/static/", "/healthz")


@pytest.mark.parametrize("role", ["coordinator", "administrator"])
def test_second_factor_is_required_on_every_url(client, territory, role):
    """Not enrolled yet: every URL of the URLconf but the account pages sends to enrolment."""
    if role == "coordinator":
        user = UserFactory()
        Role.objects.create(user=user, kind=Role.Kind.COORDINATOR, territory=territory)
    else:
        user = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(user)
    enrol = reverse("mfa_activate_totp")

    paths = [path for path, _, _ in walk_urls() if not path.startswith(SECOND_FACTOR_EXEMPT)]
    paths.append("/espace/nexiste-pas/")
    assert len(paths) > 400
    # The middleware ignores the method: POST is walked once, for the coordinator.
    methods = (client.get, client.post) if role == "coordinator" else (client.get,)
    for path in paths:
        for method in methods:
            response = method(path)
            assert (response.status_code, response.get("Location")) == (302, enrol), path
    assert client.get("/en/espace/")["Location"] == "/en" + enrol
    assert client.get(enrol).status_code == 200


def test_password_alone_does_not_sign_a_coordinator_in(client, coordinator):
    response = log_in(client, coordinator.email)
    assert response["Location"] == reverse("mfa_authenticate")
    for path in ("/espace/", "/admin/", "/espace/structures/"):
        assert client.get(path).status_code == 302, path
    client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert signed_in(client)


# Passwords -------------------------------------------------------------------------------------


def refusals(password: str, user=None) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as error:
        return [e.code for e in error.error_list]
    return []


def test_passwords_need_twelve_characters():
    assert refusals("k7!Lp2#qW9z") == ["password_too_short"]  # 11
    assert refusals("k7!Lp2#qW9zx") == []  # 12


def test_common_passwords_are_refused():
    assert "password_too_common" in refusals("password1234")
    assert "password_too_common" in refusals("qwerty123456")
    assert "password_too_common" in refusals("111111111111")


def test_passwords_close_to_the_account_are_refused():
    user = UserFactory.build(email="camille.fontaine@example.org", first_name="Camille")
    assert "password_too_similar" in refusals("camille.fontaine", user)


def test_no_composition_rule():
    """Digits only, letters only, spaces, accents, emoji: any composition is accepted."""
    for password in (
        "739104628351",
        "unephraseassezlongue",
        "une phrase avec des espaces",
        "éléphant à l'aube dorée",
        "🐘 éléphant violet 🌙",
    ):
        assert refusals(password) == [], password


def test_long_passwords_are_accepted_and_never_truncated(client):
    passphrase = "le chat de la voisine dort sur le toit rouge au soleil d'avril, "
    assert len(passphrase) >= 64
    long_one = passphrase * 4  # 256 characters
    user = UserFactory(email="longue@example.org")
    for password in (passphrase, long_one):
        assert refusals(password, user) == []
        user.set_password(password)
        user.save()
        assert user.check_password(password)
        assert not user.check_password(password[:-1])
    cache.clear()
    assert log_in(client, user.email, long_one).status_code == 302


def test_signup_explains_the_rules_in_french(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "nouvelle@example.org", "password1": "password", "password2": "password"},
    )
    content = response.content.decode()
    assert "au minimum 12 caractères" in content
    assert "trop courant" in content


# Sessions --------------------------------------------------------------------------------------


class Clock:
    """time.time() as the session middleware sees it, moved forward by the test."""

    def __init__(self, monkeypatch) -> None:
        self.now = time.time()
        monkeypatch.setattr(middleware.time, "time", lambda: self.now)

    def advance(self, minutes: float) -> None:
        self.now += minutes * 60


@pytest.fixture
def clock(monkeypatch) -> Clock:
    return Clock(monkeypatch)


def session_key(client: Client) -> str:
    return client.cookies["sessionid"].value


def test_login_gives_a_new_session_key(client, referent):
    session = client.session
    session["visited"] = True
    session.save()
    before = session.session_key
    log_in(client, referent.email)
    assert signed_in(client)
    assert session_key(client) != before
    assert not Session.objects.filter(session_key=before).exists()


def test_thirty_idle_minutes_end_the_session(client, referent, clock):
    log_in(client, referent.email)
    assert signed_in(client)
    key = session_key(client)
    clock.advance(29)
    assert signed_in(client)
    clock.advance(31)

    response = client.get("/espace/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "Votre session a expiré" in client.get(response["Location"]).content.decode()
    assert not Session.objects.filter(session_key=key).exists()
    assert not signed_in(client)


def test_an_active_session_ends_eight_hours_after_login(client, referent, clock):
    log_in(client, referent.email)
    for _ in range(23):  # a request every 20 minutes: never idle
        clock.advance(20)
        assert signed_in(client)
    clock.advance(20)  # 8 h 00
    assert signed_in(client)
    clock.advance(20)  # 8 h 20
    assert not signed_in(client)


def test_logout_ends_the_session_on_the_server(client, referent):
    log_in(client, referent.email)
    assert signed_in(client)
    stolen = session_key(client)

    client.post(reverse("account_logout"))

    assert not Session.objects.filter(session_key=stolen).exists()
    replay = Client()
    replay.cookies["sessionid"] = stolen
    assert replay.get("/espace/").status_code == 302
