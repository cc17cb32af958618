"""The account is told by email of every change to its security: password, email addresses,
second factor. Each email is in French and says whom to warn when the change was not the
person's own."""

import pyotp
import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.urls import reverse

from maillage.core.models import Role

from ..factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "une phrase de passe toute neuve 2031"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def to(mailoutbox, address: str) -> list:
    return [message for message in mailoutbox if message.to == [address]]


def assert_notification(message, subject: str, *phrases: str) -> None:
    assert message.subject == f"[Maillage] {subject}"
    body = message.body
    assert body.startswith("Bonjour,")
    assert "Si vous en êtes l'auteur, vous n'avez rien à faire." in body
    assert "http://testserver/compte/password/reset/" in body
    for phrase in phrases:
        assert phrase in body, body


def reauthenticate(client) -> None:
    response = client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})
    assert response.status_code == 302


def test_a_password_change_is_notified(login, referent, coordinator, mailoutbox):
    client = login(referent)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": TEST_PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302

    [message] = to(mailoutbox, referent.email)
    assert len(mailoutbox) == 1
    assert_notification(
        message,
        "Votre mot de passe a été modifié",
        "Votre mot de passe a été modifié.",
        # Whom to warn: the coordination of the referent's territory, by name and address.
        "la coordination du territoire « Angers Loire Métropole » : coordination@example.org",
        "depuis l'adresse IP 127.0.0.1",
    )


def test_a_coordinator_is_told_to_warn_the_administrators(
    login, coordinator, administrator, mailoutbox
):
    client = login(coordinator)
    client.post(
        reverse("account_change_password"),
        {"oldpassword": TEST_PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    [message] = to(mailoutbox, coordinator.email)
    assert "l'administration de Maillage : admin@example.org" in message.body


def test_an_account_without_a_role_gets_no_address_but_a_direction(client, mailoutbox):
    user = UserFactory()
    client.force_login(user)
    client.post(
        reverse("account_change_password"),
        {"oldpassword": TEST_PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    [message] = to(mailoutbox, user.email)
    assert "Prévenez sans attendre la coordination du contrat local de votre territoire" in (
        message.body
    )
    assert "@example.org" not in message.body.replace(user.email, "")


def test_an_added_email_address_is_notified_to_the_account(login, referent, mailoutbox):
    client = login(referent)
    response = client.post(
        reverse("account_email"), {"email": "nouvelle@example.org", "action_add": ""}
    )
    assert response.status_code == 302

    # The new address gets its confirmation link; the account's address, the notification.
    assert len(to(mailoutbox, "nouvelle@example.org")) == 1
    [message] = to(mailoutbox, referent.email)
    assert_notification(
        message,
        "Une adresse a été ajoutée à votre compte",
        "L'adresse nouvelle@example.org a été ajoutée à votre compte.",
    )


def test_a_changed_email_address_is_notified_to_the_former_one(login, referent, mailoutbox):
    EmailAddress.objects.create(user=referent, email="autre@example.org", verified=True)
    client = login(referent)
    response = client.post(
        reverse("account_email"), {"email": "autre@example.org", "action_primary": ""}
    )
    assert response.status_code == 302

    [message] = to(mailoutbox, referent.email)
    assert len(mailoutbox) == 1
    assert_notification(
        message,
        "L'adresse de votre compte a changé",
        f"est passée de {referent.email} à autre@example.org",
    )


def test_a_removed_email_address_is_notified(login, referent, mailoutbox):
    EmailAddress.objects.create(user=referent, email="autre@example.org", verified=True)
    client = login(referent)
    client.post(reverse("account_email"), {"email": "autre@example.org", "action_remove": ""})

    [message] = to(mailoutbox, referent.email)
    assert len(mailoutbox) == 1
    assert_notification(
        message,
        "Une adresse a été retirée de votre compte",
        "L'adresse autre@example.org a été retirée de votre compte.",
    )


def test_an_activated_totp_is_notified(
    login, territory, mailoutbox, django_capture_on_commit_callbacks
):
    user = UserFactory()
    Role.objects.create(user=user, kind=Role.Kind.COORDINATOR, territory=territory)
    client = login(user)
    client.get(reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("mfa_activate_totp"), {"code": pyotp.TOTP(secret).now()})

    [message] = to(mailoutbox, user.email)
    assert len(mailoutbox) == 1
    assert_notification(
        message,
        "Double authentification activée",
        "La double authentification est activée",
    )


def test_a_deactivated_totp_is_notified(login, referent, mailoutbox):
    from ..conftest import enrol_second_factor

    enrol_second_factor(referent)
    client = login(referent)
    reauthenticate(client)

    response = client.post(reverse("mfa_deactivate_totp"))

    assert response.status_code == 302
    [message] = to(mailoutbox, referent.email)
    assert len(mailoutbox) == 1
    assert_notification(
        message,
        "Double authentification désactivée",
        "La double authentification a été désactivée",
    )


def test_regenerated_recovery_codes_are_notified(
    login, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    client = login(coordinator)
    reauthenticate(client)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mfa_generate_recovery_codes"))

    assert response.status_code == 302
    [message] = to(mailoutbox, coordinator.email)
    assert len(mailoutbox) == 1
    assert_notification(
        message,
        "Nouveaux codes de secours",
        "De nouveaux codes de secours ont été générés",
    )
