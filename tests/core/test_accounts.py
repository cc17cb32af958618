import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from maillage.core.models import Role

from ..conftest import totp_code
from ..factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def log_in(client, email, password=TEST_PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_coordinator_without_second_factor_is_sent_to_enrolment(client, territory):
    user = UserFactory()
    Role.objects.create(user=user, kind=Role.Kind.COORDINATOR, territory=territory)
    log_in(client, user.email)

    for url in ["/espace/", "/espace/structures/", "/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("mfa_activate_totp")
    assert client.get(reverse("mfa_activate_totp")).status_code == 200


def test_administrator_without_second_factor_cannot_open_the_admin(client):
    user = UserFactory(is_superuser=True, is_staff=True)
    log_in(client, user.email)
    response = client.get("/admin/")
    assert response["Location"] == reverse("mfa_activate_totp")


def test_coordinator_logs_in_with_password_then_totp_code(client, coordinator):
    response = log_in(client, coordinator.email)
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get("/espace/").status_code == 302  # not logged in yet

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code()})

    assert response.status_code == 302
    assert client.get("/espace/").status_code == 200


def test_wrong_totp_code_is_refused_in_french(client, coordinator):
    log_in(client, coordinator.email)
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert response.status_code == 200
    assert "Code incorrect" in response.content.decode()
    assert client.get("/espace/").status_code == 302


def test_referent_does_not_need_a_second_factor(client, referent):
    response = log_in(client, referent.email)
    assert response.status_code == 302
    assert client.get("/espace/").status_code == 200
    assert not Authenticator.objects.filter(user=referent).exists()


def test_login_attempts_are_throttled(client, referent):
    for _ in range(5):
        response = log_in(client, referent.email, "mauvais mot de passe")
        assert response.status_code == 200
    response = log_in(client, referent.email, TEST_PASSWORD)
    assert "Trop de tentatives de connexion" in response.content.decode()
    assert client.get("/espace/").status_code == 302


def test_passwords_follow_the_length_and_common_password_rules(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "nouvelle@example.org", "password1": "motdepasse", "password2": "motdepasse"},
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "au minimum 12 caractères" in content
    assert "trop courant" in content
