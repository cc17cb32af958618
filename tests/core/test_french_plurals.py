"""French plural rule: "0 résultat", "1 résultat", "2 résultats" (not the English rule)."""

import ast
import gettext
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext

from maillage.core.management.commands import __path__ as commands_path

LOCALE = Path(settings.LOCALE_PATHS[0])


def french_plurals_module():
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "french_plurals", Path(commands_path[0]) / "french-plurals.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_french_catalogue_holds_every_plural_message():
    """Fails when a plural message was added without `maillage french-plurals`."""
    module = french_plurals_module()
    english = (LOCALE / "en/LC_MESSAGES/django.po").read_text(encoding="utf-8")
    french = (LOCALE / "fr/LC_MESSAGES/django.po").read_text(encoding="utf-8")
    assert french == module.french_catalogue(english), "run: maillage french-plurals"
    with open(LOCALE / "fr/LC_MESSAGES/django.mo", "rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    for entry in module.plural_entries(english):
        singular = ast.literal_eval(entry["msgid"].replace("\n", " "))
        assert catalogue.ngettext(singular, "?", 0) == singular, "compile the fr catalogue"


def test_zero_and_one_are_singular_in_french():
    with translation.override("fr"):
        assert ngettext("%(counter)s résultat", "%(counter)s résultats", 0) == (
            "%(counter)s résultat"
        )
        assert ngettext("%(counter)s résultat", "%(counter)s résultats", 2) == (
            "%(counter)s résultats"
        )


@pytest.mark.django_db
def test_an_empty_search_says_0_resultat(client):
    html = client.get(reverse("directory:search"), {"q": "introuvable"}).content.decode()
    assert "0 résultat<" in html
