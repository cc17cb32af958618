"""orientation 0003: the national numbers of orientation-situations.md §3 and the verified hours
of the 3117 and the 116 006, without overwriting an administrator's edit."""

import importlib

import pytest
from django.apps import apps

from maillage.orientation.default_tree import NATIONAL_NUMBERS
from maillage.orientation.models import NationalNumber

migration = importlib.import_module("maillage.orientation.migrations.0003_more_national_numbers")
NEW = {"3977", "fdfa", "refuge", "sos-homophobie", "3114", "17cyber", "mariage-force"}


@pytest.mark.django_db
def test_the_migration_loaded_the_verified_numbers():
    numbers = {n.code: n for n in NationalNumber.objects.all()}
    assert set(NEW) <= set(numbers)
    assert numbers["fdfa"].number == "01 40 47 06 06"
    assert "ecoute@fdfa.fr" in numbers["fdfa"].description
    assert numbers["refuge"].number == "06 31 59 69 50"
    assert numbers["sos-homophobie"].number == "01 48 06 42 41"
    assert numbers["3114"].href == "tel:3114"
    assert numbers["17cyber"].href == "https://www.17cyber.gouv.fr"
    assert numbers["mariage-force"].url.startswith("https://www.diplomatie.gouv.fr/")
    assert "mariageforce.fae@diplomatie.gouv.fr" in numbers["mariage-force"].description
    assert numbers["3117"].hours == "24 h/24, appel gratuit ; SMS au 31177 au prix d'un SMS"
    assert "+33 1 80 52 33 76" in numbers["116006"].hours
    for number in numbers.values():
        number.full_clean()


@pytest.mark.django_db
def test_the_migration_creates_the_new_codes_and_updates_only_default_hours():
    NationalNumber.objects.filter(code__in=NEW).delete()
    NationalNumber.objects.filter(code="3117").update(hours="")
    NationalNumber.objects.filter(code="116006").update(hours="7 j/7 de 9 h à 20 h")  # edited
    NationalNumber.objects.filter(code="3919").update(name="Édité")
    migration.forwards(apps, None)
    assert set(NationalNumber.objects.filter(code__in=NEW).values_list("code", flat=True)) == NEW
    rows = {row[0]: row for row in NATIONAL_NUMBERS}
    assert NationalNumber.objects.get(code="3117").hours == rows["3117"][4]
    assert NationalNumber.objects.get(code="116006").hours == "7 j/7 de 9 h à 20 h"
    assert NationalNumber.objects.get(code="3919").name == "Édité"
    edited = NationalNumber.objects.get(code="3977")
    edited.hours = "Édité"
    edited.save()
    NationalNumber.objects.filter(code="116006").update(hours="7 j/7 de 9 h à 19 h, gratuit")
    migration.forwards(apps, None)
    assert NationalNumber.objects.get(code="3977").hours == "Édité"
    assert NationalNumber.objects.get(code="116006").hours == rows["116006"][4]
    assert NationalNumber.objects.count() == len(NATIONAL_NUMBERS)
