"""Encrypt the second-factor secrets stored in clear before maillage.core.mfa existed (TOTP keys,
recovery-code seeds), with the key of MFA_ENCRYPTION_KEYS or the one derived from SECRET_KEY.
Going back decrypts them, for the code of before."""

from django.db import migrations

from maillage.core.mfa import decrypt_secret, encrypt_secret, is_encrypted, transform_data


def encrypt_clear_secrets(apps, schema_editor) -> None:
    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.order_by("pk"):
        data = transform_data(
            authenticator.data or {},
            lambda value: value if is_encrypted(value) else encrypt_secret(value),
        )
        if data != authenticator.data:
            authenticator.data = data
            authenticator.save(update_fields=["data"])


def decrypt_secrets(apps, schema_editor) -> None:
    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.order_by("pk"):
        data = transform_data(authenticator.data or {}, decrypt_secret)
        if data != authenticator.data:
            authenticator.data = data
            authenticator.save(update_fields=["data"])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0007_single_line_names"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(encrypt_clear_secrets, decrypt_secrets)]
