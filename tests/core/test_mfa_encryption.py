"""The second factor's secrets are encrypted at rest (maillage.core.mfa): the database, its
backups and the admin never hold a TOTP key or a recovery-code seed in clear."""

import importlib
import io
import json

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from maillage.core import mfa
from maillage.core.models import Role

from ..conftest import TOTP_SECRET, enrol_second_factor, totp_code
from ..factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()


@pytest.fixture(autouse=True)
def fresh_cache():
    """Used TOTP codes and login attempts are counted in the cache."""
    cache.clear()
    yield
    cache.clear()


def stored(user, kind=Authenticator.Type.TOTP) -> dict:
    return Authenticator.objects.get(user=user, type=kind).data


def logs_in_with_totp(user) -> bool:
    client = Client()
    client.post(reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    cache.clear()  # the same code may serve again in the same test
    return client.get("/espace/").status_code == 200


def test_the_stored_totp_key_is_encrypted(coordinator):
    data = stored(coordinator)
    assert TOTP_SECRET not in json.dumps(data)
    assert data["secret"].startswith("fernet:")
    assert logs_in_with_totp(coordinator)


def test_enrolment_through_the_pages_stores_no_clear_secret(client, territory):
    user = UserFactory()
    Role.objects.create(user=user, kind=Role.Kind.COORDINATOR, territory=territory)
    client.post(reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD})
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    secret = client.session["mfa.totp.secret"]

    response = client.post(
        reverse("mfa_activate_totp"), {"code": pyotp.TOTP(secret).now()}, follow=True
    )

    assert response.status_code == 200
    totp, codes = stored(user), stored(user, Authenticator.Type.RECOVERY_CODES)
    assert secret not in json.dumps(totp)
    assert totp["secret"].startswith("fernet:")
    assert codes["seed"].startswith("fernet:")
    assert mfa.decrypt_secret(totp["secret"]) == secret


def test_a_recovery_code_still_logs_in(coordinator):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    code = RecoveryCodes.activate(coordinator).get_unused_codes()[0]
    assert stored(coordinator, Authenticator.Type.RECOVERY_CODES)["seed"].startswith("fernet:")
    client = Client()
    client.post(reverse("account_login"), {"login": coordinator.email, "password": TEST_PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": code})
    assert client.get("/espace/").status_code == 200


def test_rotation_keeps_old_secrets_readable_and_the_command_reencrypts_them(
    settings, coordinator, administrator
):
    settings.MFA_ENCRYPTION_KEYS = [OLD_KEY]
    Authenticator.objects.all().delete()
    enrol_second_factor(coordinator)
    enrol_second_factor(administrator)
    before = stored(coordinator)["secret"]

    # A new key first: the secrets written under the old one still open.
    settings.MFA_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    assert logs_in_with_totp(coordinator)

    call_command("mfa-reencrypt", stdout=(output := io.StringIO()))
    assert "2 second(s) facteur(s)" in output.getvalue()
    after = stored(coordinator)["secret"]
    assert after != before

    # The old key dropped: everything was re-encrypted with the new one.
    settings.MFA_ENCRYPTION_KEYS = [NEW_KEY]
    assert mfa.decrypt_secret(after) == TOTP_SECRET
    assert logs_in_with_totp(coordinator)
    assert logs_in_with_totp(administrator)
    with pytest.raises(mfa.SecretUnreadable):
        mfa.decrypt_secret(before)


def test_a_secret_no_key_opens_refuses_the_code_without_an_error_500(settings, coordinator, caplog):
    settings.MFA_ENCRYPTION_KEYS = [OLD_KEY]
    Authenticator.objects.all().delete()
    enrol_second_factor(coordinator)
    settings.MFA_ENCRYPTION_KEYS = [NEW_KEY]  # the old key lost

    client = Client()
    client.post(reverse("account_login"), {"login": coordinator.email, "password": TEST_PASSWORD})
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert response.status_code == 200  # the form again, with its error
    assert client.get("/espace/").status_code != 200
    assert "mfa-reencrypt" in caplog.text


def test_the_command_refuses_when_a_key_is_missing_or_drops_what_it_cannot_read(
    settings, coordinator
):
    settings.MFA_ENCRYPTION_KEYS = [OLD_KEY]
    Authenticator.objects.all().delete()
    enrol_second_factor(coordinator)
    before = stored(coordinator)

    settings.MFA_ENCRYPTION_KEYS = [NEW_KEY]
    with pytest.raises(CommandError, match="aucune des clés configurées"):
        call_command("mfa-reencrypt")
    assert stored(coordinator) == before

    # The old key is lost for good: the unreadable factor is deleted, its owner enrols again.
    call_command("mfa-reencrypt", "--drop-unreadable", stdout=(output := io.StringIO()))
    assert "1 second(s) facteur(s) illisible(s) supprimé(s)" in output.getvalue()
    assert not Authenticator.objects.filter(user=coordinator).exists()
    client = Client()
    client.post(reverse("account_login"), {"login": coordinator.email, "password": TEST_PASSWORD})
    assert client.get("/espace/")["Location"] == reverse("mfa_activate_totp")


def test_secrets_still_in_clear_are_read_then_encrypted_by_the_command(coordinator):
    Authenticator.objects.filter(user=coordinator).update(data={"secret": TOTP_SECRET})
    assert logs_in_with_totp(coordinator)

    call_command("mfa-reencrypt", stdout=io.StringIO())

    assert stored(coordinator)["secret"].startswith("fernet:")
    assert logs_in_with_totp(coordinator)


def test_the_data_migration_encrypts_the_clear_secrets_of_an_instance(coordinator):
    migration = importlib.import_module(
        "maillage.core.migrations.0008_encrypt_second_factor_secrets"
    )
    Authenticator.objects.filter(user=coordinator).update(data={"secret": TOTP_SECRET})
    seed = "ab" * 40
    Authenticator.objects.create(
        user=coordinator, type="recovery_codes", data={"seed": seed, "used_mask": 3}
    )

    migration.encrypt_clear_secrets(apps, None)

    assert stored(coordinator)["secret"].startswith("fernet:")
    codes = stored(coordinator, "recovery_codes")
    assert codes["seed"].startswith("fernet:") and codes["used_mask"] == 3
    assert mfa.decrypt_secret(codes["seed"]) == seed
    assert logs_in_with_totp(coordinator)

    migration.decrypt_secrets(apps, None)  # going back
    assert stored(coordinator)["secret"] == TOTP_SECRET


def test_without_keys_the_key_comes_from_secret_key_and_its_fallbacks(settings):
    settings.MFA_ENCRYPTION_KEYS = []
    encrypted = mfa.encrypt_secret(TOTP_SECRET)
    old_secret_key = settings.SECRET_KEY

    settings.SECRET_KEY = "another-secret-key-after-rotation-0123456789-abcdefghijklmnop"
    with pytest.raises(mfa.SecretUnreadable):
        mfa.decrypt_secret(encrypted)
    settings.SECRET_KEY_FALLBACKS = [old_secret_key]
    assert mfa.decrypt_secret(encrypted) == TOTP_SECRET


def test_a_malformed_key_is_a_configuration_error(settings):
    assert mfa.check_encryption_keys() == []
    settings.MFA_ENCRYPTION_KEYS = [NEW_KEY, "not-a-fernet-key"]
    with pytest.raises(ImproperlyConfigured, match="MFA_ENCRYPTION_KEYS: key number 2"):
        mfa.encrypt_secret(TOTP_SECRET)
    [error] = mfa.check_encryption_keys()
    assert error.id == "maillage.E001"


def test_the_admin_page_of_an_authenticator_shows_no_secret(login, administrator, coordinator):
    client = login(administrator)
    authenticator = Authenticator.objects.get(user=coordinator, type="totp")
    Authenticator.objects.filter(pk=authenticator.pk).update(data={"secret": TOTP_SECRET})

    response = client.get(f"/admin/mfa/authenticator/{authenticator.pk}/change/")

    assert response.status_code == 200
    page = response.content.decode()
    assert str(coordinator) in page
    assert TOTP_SECRET not in page
    assert "fernet:" not in page
    assert 'name="data"' not in page
    assert client.get("/admin/mfa/authenticator/add/").status_code == 403
