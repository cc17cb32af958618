"""Cheap answers to the importer's most frequent questions, each falling back to the exact check.

At national scale (150,000 services a file) the generic validators cost about half of an import:
`email_validator`'s IDNA checks per character (pydantic's `EmailStr`), Django's `Field.clean()`
(to_python, validate, run_validators), and the search text's accent folding character by
character. Each function here answers "certainly valid" for the common shape of a value with one
regular expression or a length test, and leaves every other value to the exact check, so that
what is accepted, rejected and said stays the same.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Callable
from typing import Any

from django.core import validators
from django.db import models

from ..text import STOP_WORDS, WORD, _stemmer

# An e-mail address both email_validator (pydantic's EmailStr, without deliverability) and
# Django's EmailValidator accept: a dot-atom of plain ASCII characters, a domain of at least
# two ASCII labels (letters, digits, inner hyphens, never "--": IDNA's reserved shape), a
# top-level domain of letters only. Special-use domains (".local", ".test"…) are left to the
# exact check, as are the lengths beyond the usual limits.
_EMAIL = re.compile(
    r"[A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9]|-(?!-)){0,61}(?<!-)\.)+[A-Za-z]{2,63}"
)
_SPECIAL = ("arpa", "invalid", "local", "localhost", "onion", "test")
# A web address Django's URLValidator and pydantic's HttpUrl accept: http(s), an ASCII host
# name of at least two labels, a letter-only top-level domain, an optional path without spaces.
_URL = re.compile(r"https?://(?:[a-z0-9](?:[a-z0-9]|-(?!-)){0,61}(?<!-)\.)+[a-z]{2,63}(?:/[!-~]*)?")


def plain_email(value: str) -> bool:
    """True only if the address is certainly valid (False: ask the exact check)."""
    if len(value) > 254 or not _EMAIL.fullmatch(value):
        return False
    local, _at, domain = value.rpartition("@")
    if len(local) > 64 or len(domain) > 253:
        return False
    return domain.rsplit(".", 1)[-1].lower() not in _SPECIAL


def plain_url(value: str) -> bool:
    """True only if the web address is certainly valid for Django's URLValidator."""
    if len(value) > 200 or not _URL.fullmatch(value):
        return False
    host = value.split("/", 3)[2]
    return len(host) <= 253


# ---------------------------------------------------------------------------------------------
# Field.clean() without its machinery, for the common values


def fast_check(field_: models.Field) -> Callable[[Any], bool] | None:
    """A predicate telling that a value certainly passes `field_.clean(value, None)`, for the
    fields whose validation is a length, a range, an e-mail or a web address; None otherwise.
    Values it does not vouch for go through field.clean() (the same messages)."""
    if field_.choices or field_.is_relation:
        return None
    kinds = {type(v) for v in field_.validators}
    max_length = field_.max_length
    if type(field_) in (models.CharField, models.TextField) and kinds <= {
        validators.MaxLengthValidator
    }:
        if max_length is None:
            return lambda value: isinstance(value, str)
        return lambda value: isinstance(value, str) and len(value) <= max_length
    if type(field_) is models.EmailField and kinds <= {
        validators.EmailValidator,
        validators.MaxLengthValidator,
    }:
        if any(
            isinstance(v, validators.EmailValidator) and v != validators.validate_email
            for v in field_.validators
        ):
            return None
        limit = max_length or 254
        return lambda value: isinstance(value, str) and len(value) <= limit and plain_email(value)
    if type(field_) is models.URLField and kinds <= {
        validators.URLValidator,
        validators.MaxLengthValidator,
    }:
        if any(
            isinstance(v, validators.URLValidator) and v.schemes != validators.URLValidator.schemes
            for v in field_.validators
        ):
            return None
        limit = min(max_length or 200, 200)
        return lambda value: isinstance(value, str) and len(value) <= limit and plain_url(value)
    if type(field_) is models.FloatField and kinds <= {
        validators.MinValueValidator,
        validators.MaxValueValidator,
    }:
        low = [v.limit_value for v in field_.validators if type(v) is validators.MinValueValidator]
        high = [v.limit_value for v in field_.validators if type(v) is validators.MaxValueValidator]
        if any(callable(limit) for limit in (*low, *high)):
            return None
        low_value, high_value = (
            max(low, default=-sys.float_info.max),
            min(high, default=sys.float_info.max),
        )
        return lambda value: (
            type(value) is float and value == value and low_value <= value <= high_value
        )
    return None


# ---------------------------------------------------------------------------------------------
# text.normalise(), folding accents with one str.translate instead of a loop over characters


class _FoldTable(dict):
    """str.translate's table for fold(): combining marks dropped, œ → oe. Filled as characters
    are met (the whole of Unicode took a second to scan at every import), each looked up once."""

    def __missing__(self, code: int) -> str | int | None:
        char = chr(code)
        value = None if unicodedata.combining(char) else ("oe" if char == "œ" else code)
        self[code] = value
        return value


_FOLD = _FoldTable()


def _fold_table() -> dict[int, str | int | None]:
    return _FOLD


def fold(text: str) -> str:
    """text.fold(): lower case, NFKD, combining marks dropped, œ → oe."""
    lowered = text.lower()
    if lowered.isascii():
        return lowered  # NFKD leaves ASCII alone, and there is nothing to drop
    return unicodedata.normalize("NFKD", lowered).translate(_fold_table())


def normalise(text: str) -> str:
    """text.normalise(text), the same result (tests/directory/test_import.py compares them)."""
    words = [w for w in WORD.findall(fold(text)) if w not in STOP_WORDS]
    return " ".join(_stemmer().stemWords(words))
