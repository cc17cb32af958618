"""The importer's shortcuts (exchange/fastcheck.py) never accept what the exact checks refuse,
and the search text they compute is text.normalise()'s."""

import pydantic
import pytest
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from pydantic.networks import validate_email as pydantic_email

from maillage.core.models import Organisation
from maillage.directory import text
from maillage.directory.exchange import fastcheck
from maillage.directory.exchange.importer import _field_errors, _model
from maillage.directory.models import Place, Service

EMAILS = [
    "contact@example.org",
    "service-12@asso.example.fr",
    "prenom.nom+tag@sous.domaine.fr",
    "A_B@Example.ORG",
    "x@a.local",  # special-use domains: refused by email_validator
    "x@a.test",
    "x@localhost",
    "x@a.onion",
    "x@a--b.fr",
    "x@-a.fr",
    "x@a-.fr",
    "x.@a.fr",
    ".x@a.fr",
    "x..y@a.fr",
    "x@a.f",
    "x@a.123",
    "x@a",
    "x y@a.fr",
    "é@a.fr",
    "x@é.fr",
    "Jean <jean@a.fr>",
    " jean@a.fr",
    "x@" + "a" * 64 + ".fr",
    "x" * 65 + "@a.fr",
    "x@" + ".".join(["a" * 60] * 5) + ".fr",
]
URLS = [
    "https://example.org",
    "http://service-1.example.org/page?x=1#ancre",
    "https://a.fr/",
    "https://a--b.fr",
    "https://-a.fr",
    "https://a.f",
    "https://a.123",
    "https://localhost",
    "ftp://a.fr",
    "https://a.fr/x y",
    "https://a.fr:8080/x",
    "https://é.fr",
    "https://" + "a" * 64 + ".fr",
    "https://a.fr/" + "x" * 200,
]


def _accepted(check, value) -> bool:
    try:
        check(value)
    except (ValidationError, pydantic.ValidationError, ValueError):
        return False
    return True


@pytest.mark.parametrize("value", EMAILS)
def test_plain_email_is_never_more_lenient(value):
    if fastcheck.plain_email(value):
        assert _accepted(validate_email, value)
        assert _accepted(pydantic_email, value)


def test_plain_email_vouches_for_the_usual_addresses():
    assert fastcheck.plain_email("service-12@asso.example.fr")
    assert not fastcheck.plain_email("x@a.local")
    assert not fastcheck.plain_email("x@a--b.fr")


@pytest.mark.parametrize("value", URLS)
def test_plain_url_is_never_more_lenient(value):
    if fastcheck.plain_url(value):
        assert _accepted(URLValidator(), value)
        assert len(value) <= 200


def test_plain_url_vouches_for_the_usual_addresses():
    assert fastcheck.plain_url("https://service-1.example.org/page")
    assert not fastcheck.plain_url("https://a.fr/x y")


@pytest.mark.parametrize(
    ("model", "values"),
    [
        (Service, {"name": "x" * 151}),
        (Service, {"name": "Écoute", "email": "x@@a.fr"}),
        (Service, {"name": "Écoute", "email": "pas une adresse"}),
        (Service, {"website": "https://a.fr/x y"}),
        (Service, {"website": "https://" + "a" * 250 + ".fr"}),
        (Service, {"source": "pas un slug"}),
        (Place, {"latitude": 91.0, "longitude": -181.0}),
        (Place, {"postal_code": "123456"}),
        (Organisation, {"siret": "123", "public_email": "x@a--b.fr"}),
    ],
)
def test_field_errors_are_those_of_clean_fields(model, values):
    """Each value the fast checks do not vouch for still gets Field.clean()'s message."""
    expected = []
    for field_ in model._meta.concrete_fields:
        if field_.attname in values:
            try:
                field_.clean(values[field_.attname], None)
            except ValidationError as error:
                expected.append(" ".join(error.messages))
    assert expected
    assert [message for _name, message in _field_errors(model, values)] == expected


def test_field_errors_pass_valid_values():
    assert not _field_errors(
        Service,
        {
            "name": "Écoute",
            "description": "Un long texte. " * 500,
            "email": "ecoute@asso.example.fr",
            "website": "https://asso.example.fr/ecoute",
            "source": "dora",
            "source_id": "abc-42",
        },
    )
    assert not _field_errors(Place, {"latitude": 47.47, "longitude": -0.55, "address": "1 rue"})


def test_model_keeps_the_schema_s_e_mail_check():
    from data_inclusion.schema import v1

    from maillage.directory.exchange.importer import _FastService

    data = {
        "source": "dora",
        "id": "dora--1",
        "structure_id": "dora--s1",
        "nom": "Écoute",
        "description": "Une écoute.",
        "date_maj": "2026-01-02",
    }
    assert _model(_FastService, v1.Service, {**data, "courriel": "a@b.fr"}).courriel == "a@b.fr"
    with pytest.raises(pydantic.ValidationError) as error:
        _model(_FastService, v1.Service, {**data, "courriel": "x@a.local"})
    assert [e["loc"] for e in error.value.errors()] == [("courriel",)]
    with pytest.raises(pydantic.ValidationError) as error:
        _model(_FastService, v1.Service, {**data, "courriel": "x@a.local", "nom": "x"})
    assert [e["loc"] for e in error.value.errors()] == [("nom",), ("courriel",)]


@pytest.mark.parametrize(
    "value",
    [
        "Hébergement d'urgence — Œuvre de l'Île",
        "ÉCOUTE ﬁ Ⅻ ½ çà",
        "Straße İstanbul ǅ",
        "plain ascii text 123",
        "\uff21\uff42\uff43 naïve coöperate",  # full-width letters
        "",
    ],
)
def test_normalise_is_text_normalise(value):
    assert fastcheck.fold(value) == text.fold(value)
    assert fastcheck.normalise(value) == text.normalise(value)


def test_fold_is_text_fold_on_every_character():
    characters = "".join(chr(c) for c in range(0x20, 0x30000) if not 0xD800 <= c < 0xE000)
    for start in range(0, len(characters), 1000):
        chunk = characters[start : start + 1000]
        assert fastcheck.fold(chunk) == text.fold(chunk), start
