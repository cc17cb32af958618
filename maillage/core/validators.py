"""One-line text: the names of people and organisations, and the titles that end up in an email
subject or header. A line break there would end the header and start another (header
injection); Python's email package refuses it, so the message would never leave."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# C0 controls (tab, line feed, carriage return...), DEL, C1 controls (next line U+0085...) and
# the Unicode line and paragraph separators.
CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
CONTROL_RUN = re.compile("\\s*[\x00-\x1f\x7f-\x9f\u2028\u2029]+\\s*")


def validate_single_line(value: str) -> None:
    """Refuse line breaks and other control characters in a one-line text."""
    if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
        raise ValidationError(
            _(
                "Écrivez ce texte sur une seule ligne, sans retour à la ligne, tabulation ni "
                "autre caractère de contrôle."
            ),
            code="control_characters",
        )


def single_line(text: str) -> str:
    """`text` on one line: each run of control characters becomes one space."""
    return CONTROL_RUN.sub(" ", str(text)).strip()


def refuse_control_characters(form: forms.BaseForm, *names: str) -> None:
    """Add `validate_single_line` to these fields of a form instance: for the model fields of
    apps whose models do not carry the validator themselves."""
    for name in names:
        validators = form.fields[name].validators
        if validate_single_line not in validators:
            validators.append(validate_single_line)
