"""The second factor's secrets (TOTP keys, recovery-code seeds) encrypted at rest.

allauth stores them in `Authenticator.data` and hands each one to the MFA adapter's `encrypt()`
before saving it and to `decrypt()` before using it. They are encrypted here with Fernet
(AES-128-CBC and HMAC-SHA256, from `cryptography`) under the keys of `MFA_ENCRYPTION_KEYS`
(comma-separated Fernet keys): the first encrypts, every one decrypts, so a key can be rotated
(put the new key first, run `maillage mfa-reencrypt`, then drop the old one). Without that
variable the key is derived from `SECRET_KEY` with HKDF (and the keys of
`SECRET_KEY_FALLBACKS` still decrypt): a database copied without the key, a backup or an admin
page no longer gives anyone's second factor away.

An encrypted value reads `fernet:<token>`; a value without that prefix is a secret stored in
clear before encryption was turned on: it is still read (the login keeps working while an
instance upgrades), and the data migration or `maillage mfa-reencrypt` encrypts it.
"""

from __future__ import annotations

import base64
import logging
import os
from collections.abc import Iterable

from allauth.mfa.adapter import DefaultMFAAdapter
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

PREFIX = "fernet:"
logger = logging.getLogger(__name__)
# The secrets allauth passes through encrypt(): the TOTP key, the recovery codes' seed, and
# recovery codes imported from another system.
SECRET_FIELDS = ("secret", "seed")
SECRET_LISTS = ("migrated_codes",)


class SecretUnreadable(Exception):
    """A stored secret cannot be decrypted with any configured key (a key was dropped before
    `maillage mfa-reencrypt` ran, or SECRET_KEY changed without MFA_ENCRYPTION_KEYS)."""


def derived_key(secret_key: str) -> bytes:
    """A Fernet key derived from Django's SECRET_KEY (HKDF-SHA256, salt and purpose fixed)."""
    hkdf = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=b"maillage.core.mfa",
        info=b"second factor secrets at rest",
    )
    return base64.urlsafe_b64encode(hkdf.derive(secret_key.encode()))


def encryption_keys() -> list[bytes]:
    """MFA_ENCRYPTION_KEYS, else keys derived from SECRET_KEY and its fallbacks; first one
    encrypts."""
    configured = [key.strip() for key in getattr(settings, "MFA_ENCRYPTION_KEYS", [])]
    if any(configured):
        return [key.encode() for key in configured if key]
    return [
        derived_key(secret)
        for secret in [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    ]


def fernet() -> MultiFernet:
    fernets = []
    for number, key in enumerate(encryption_keys(), start=1):
        try:
            fernets.append(Fernet(key))
        except ValueError as error:
            raise ImproperlyConfigured(
                f"MFA_ENCRYPTION_KEYS: key number {number} is not a Fernet key (32 bytes in "
                "URL-safe base64; make one with `python -c 'from cryptography.fernet import "
                "Fernet; print(Fernet.generate_key().decode())'`)."
            ) from error
    return MultiFernet(fernets)


def is_encrypted(value: str) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX)


def encrypt_secret(text: str) -> str:
    return PREFIX + fernet().encrypt(text.encode()).decode("ascii")


def decrypt_secret(value: str) -> str:
    if not is_encrypted(value):
        return value  # stored in clear before encryption was turned on
    try:
        return fernet().decrypt(value.removeprefix(PREFIX).encode("ascii")).decode()
    except InvalidToken:
        raise SecretUnreadable(
            "A second-factor secret cannot be decrypted with the configured keys "
            "(MFA_ENCRYPTION_KEYS, or SECRET_KEY when it is unset)."
        ) from None


def reencrypt_secret(value: str) -> str:
    """`value` encrypted under the first key, whether it was in clear or under another key."""
    if not is_encrypted(value):
        return encrypt_secret(value)
    try:
        token = fernet().rotate(value.removeprefix(PREFIX).encode("ascii"))
    except InvalidToken:
        raise SecretUnreadable(
            "A second-factor secret cannot be decrypted with the configured keys."
        ) from None
    return PREFIX + token.decode("ascii")


def transform_data(data: dict, transform) -> dict:
    """A copy of an authenticator's `data` with `transform` applied to each secret in it."""
    data = dict(data)
    for field in SECRET_FIELDS:
        if isinstance(data.get(field), str):
            data[field] = transform(data[field])
    for field in SECRET_LISTS:
        if isinstance(data.get(field), list):
            data[field] = [transform(value) for value in data[field]]
    return data


def secrets_in_clear(data: dict) -> list[str]:
    values = [data.get(field) for field in SECRET_FIELDS]
    for field in SECRET_LISTS:
        values.extend(data.get(field) or [])
    return [value for value in values if isinstance(value, str) and not is_encrypted(value)]


def reencrypt_authenticators(
    authenticators: Iterable, *, drop_unreadable: bool = False
) -> tuple[int, int]:
    """Encrypt every secret of these authenticators under the first key (those in clear too).
    One whose secret no key opens raises SecretUnreadable, or with `drop_unreadable` is deleted
    (its owner enrols again). Returns (re-encrypted, deleted). The caller holds the
    transaction."""
    saved = deleted = 0
    for authenticator in authenticators:
        try:
            data = transform_data(authenticator.data or {}, reencrypt_secret)
        except SecretUnreadable:
            if not drop_unreadable:
                raise
            authenticator.delete()
            deleted += 1
            continue
        if data != authenticator.data:
            authenticator.data = data
            authenticator.save(update_fields=["data"])
            saved += 1
    return saved, deleted


@checks.register(checks.Tags.security)
def check_encryption_keys(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """A malformed MFA_ENCRYPTION_KEYS fails `maillage check` (and the start of the server),
    not the first login with a second factor."""
    try:
        fernet()
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="maillage.E001")]
    return []


class MFAAdapter(DefaultMFAAdapter):
    """allauth's MFA adapter (settings.MFA_ADAPTER), with the secrets encrypted at rest."""

    def encrypt(self, text: str) -> str:
        return encrypt_secret(text)

    def decrypt(self, encrypted_text: str) -> str:
        try:
            return decrypt_secret(encrypted_text)
        except SecretUnreadable:
            # A key was lost (SECRET_KEY changed without MFA_ENCRYPTION_KEYS, say): the code
            # typed is refused like a wrong one, instead of an error 500 at every login, and the
            # administrators are told what to do.
            logger.error(
                "A second-factor secret cannot be decrypted with the configured keys: its code "
                "is refused. Put the old key back (MFA_ENCRYPTION_KEYS or SECRET_KEY_FALLBACKS) "
                "and run `maillage mfa-reencrypt`, or `maillage mfa-reencrypt "
                "--drop-unreadable` so that the account enrols again."
            )
            return base64.b32encode(os.urandom(20)).decode("ascii")  # matches no code
