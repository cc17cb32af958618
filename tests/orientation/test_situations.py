"""The composed orientation result (composition.py) against the catalogue's 30 situations
(situations.yaml, transcribed from orientation-situations.md), the rule checks, and the same
answer by API and command."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from maillage.core.territories import current_territory
from maillage.orientation import catalogue
from maillage.orientation.composition import check_rules, compose, compose_rules
from maillage.orientation.situation import Situation, SituationError, parse_situation

SITUATIONS = yaml.safe_load((Path(__file__).parent / "situations.yaml").read_text())["situations"]


def expected(situation: dict, side: str, key: str) -> list[str]:
    return situation.get(side, {}).get(key) or []


def test_the_catalogue_is_transcribed_whole():
    assert [s["id"] for s in SITUATIONS] == [f"S{n:02d}" for n in range(1, 31)]
    for situation in SITUATIONS:
        parse_situation(situation["input"])  # every input is a valid situation


def test_the_default_rules_pass_their_own_checks():
    assert check_rules(catalogue.RULES) == []


@pytest.mark.parametrize("situation", SITUATIONS, ids=[s["id"] for s in SITUATIONS])
def test_the_rules_give_what_the_catalogue_requires(situation):
    """Numbers, dated steps, duties and advice: the rules alone (no database)."""
    result = compose_rules(parse_situation(situation["input"]))
    numbers = result.number_codes
    steps = [step.id for step in result.steps]
    duties = [duty.id for duty in result.duties]
    advice = [advice_id for advice_id, _text in result.advice]
    assert set(expected(situation, "must", "numbers")) <= set(numbers), numbers
    assert not set(expected(situation, "must_not", "numbers")) & set(numbers), numbers
    if first := situation["must"].get("first_number"):
        assert numbers[0] == first, numbers
    assert numbers[:1] != [] or result.kinds, "nothing to call"
    assert not set(expected(situation, "must_not", "not_first")) & set(numbers[:1]), numbers
    assert set(expected(situation, "must", "steps")) <= set(steps), steps
    assert not set(expected(situation, "must_not", "steps")) & set(steps), steps
    assert set(expected(situation, "must", "duties")) <= set(duties), duties
    assert not set(expected(situation, "must_not", "duties")) & set(duties), duties
    assert set(expected(situation, "must", "advice")) <= set(advice), advice
    assert result.urgency <= situation["urgency"] or situation["urgency"] == "U4"


@pytest.mark.django_db
@pytest.mark.parametrize("situation", SITUATIONS, ids=[s["id"] for s in SITUATIONS])
def test_the_demo_directory_gives_the_contacts_the_catalogue_requires(demo, situation):
    result = compose(parse_situation(situation["input"]), territory=current_territory())
    kinds = result.contact_kinds
    assert set(expected(situation, "must", "kinds")) <= kinds, (kinds, result.missing_kinds)
    assert not set(expected(situation, "must_not", "kinds")) & kinds, kinds
    for contact in result.contacts:
        # A place's own number, never an emergency number in the contacts.
        assert contact.phone.replace(" ", "") not in {"15", "17", "18", "112", "114", "115"}
        if contact.service.gender == "women":
            assert parse_situation(situation["input"]).victim_sex != "male"
    # Every number of the result is read from the national numbers.
    assert all(line.number is not None for line in result.numbers)


def test_a_step_whose_deadline_has_passed_is_not_offered():
    recent = compose_rules(
        Situation(forms=frozenset({"sexual"}), victim_sex="female", victim_age=25, days_since=1)
    )
    hours = {step.id: step.deadline_hours for step in recent.steps}
    assert hours["hiv-pep"] == 24 and hours["emergency-contraception"] == 96
    late = compose_rules(
        Situation(forms=frozenset({"sexual"}), victim_sex="female", victim_age=25, days_since=3)
    )
    ids = {step.id for step in late.steps}
    assert "hiv-pep" not in ids and "emergency-contraception" in ids


def test_a_number_outside_its_public_is_never_shown():
    adult_online = compose_rules(
        Situation(victim_age=37, victim_sex="female", forms=frozenset({"online"}))
    )
    assert "3018" not in adult_online.number_codes
    man = compose_rules(Situation(victim_age=39, victim_sex="male", forms=frozenset({"conjugal"})))
    assert "3919" not in man.number_codes and "116006" in man.number_codes
    no_child = compose_rules(
        Situation(victim_age=40, victim_sex="female", forms=frozenset({"conjugal"}))
    )
    assert "119" not in no_child.number_codes


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (
            {"id": "x", "when": {"minor": True, "age_min": 30}, "numbers": [("17", "")]},
            "ne peut jamais s'appliquer",
        ),
        ({"id": "x", "when": {"minor": False}, "numbers": [("3018", "")]}, "ne s'adresse jamais"),
        ({"id": "x", "when": {"forms_any": ["nope"]}}, "valeur inconnue nope"),
        (
            {"id": "x", "when": {"asker": ["victim"]}, "numbers": [("9999", "")]},
            "numéro national inconnu",
        ),
        ({"id": "x", "when": {"colour": ["red"]}}, "condition inconnue"),
    ],
)
def test_a_wrong_rule_is_refused_with_its_name(rule, message):
    errors = check_rules([*catalogue.RULES, rule])
    assert any("« x »" in error and message in error for error in errors), errors


def test_contradictory_rules_are_refused_naming_both():
    rules = [
        *catalogue.RULES,
        {
            "id": "women-line",
            "when": {"sex": ["female"], "age_min": 30, "forms_any": ["conjugal"]},
            "numbers": [("3919", "")],
        },
        {"id": "no-line", "when": {"age_min": 18}, "never_numbers": ["3919"]},
    ]
    errors = check_rules(rules)
    assert any("« women-line »" in e and "« no-line »" in e for e in errors), errors


def test_a_rule_set_that_leaves_someone_with_nothing_is_refused():
    errors = check_rules([r for r in catalogue.RULES if r["id"] != "any-victim"])
    assert any(error.startswith("Aucun numéro ni contact") for error in errors), errors


def test_a_situation_with_unknown_keys_or_values_is_refused_in_french():
    with pytest.raises(SituationError) as error:
        parse_situation({"asker": "neighbour", "colour": "red", "victim_age": -1})
    text = " ".join(error.value.messages)
    assert "Clé inconnue : colour" in text
    assert "« asker » : valeur inconnue « neighbour »" in text
    assert "victim_age" in text


# -- the API and the command ------------------------------------------------------------------


@pytest.mark.django_db
def test_the_api_composes_the_same_result_and_keeps_nothing(client, demo, caplog):
    situation = next(s for s in SITUATIONS if s["id"] == "S04")["input"]
    response = client.post(
        "/api/v1/orientation", json.dumps(situation), content_type="application/json"
    )
    assert response.status_code == 200
    body = response.json()
    same = compose(parse_situation(situation), territory=current_territory()).as_json()
    assert body == json.loads(json.dumps(same))
    assert {"numbers", "contacts", "steps", "duties", "advice"} <= set(body)
    assert {"hiv-pep", "emergency-contraception"} <= {s["id"] for s in body["steps"]}
    assert not response.cookies
    assert "Université" not in caplog.text and "49007" not in caplog.text


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"asker": "victim", "colour": "red"}, "colour"),
        ({"asker": "neighbour"}, "asker"),
        ({"forms": ["nope"]}, "forms"),
        ({"constraints": ["language:!!"]}, "constraints"),
        ({"asker": "victim", "professional_kind": "health"}, "professional_kind"),
        ({"departure_in_days": False}, "departure_in_days"),
        ({"danger_now": 1}, "danger_now"),
    ],
)
def test_the_api_refuses_a_bad_situation_with_a_clear_422(client, db, body, fragment):
    response = client.post("/api/v1/orientation", json.dumps(body), content_type="application/json")
    assert response.status_code == 422
    assert fragment in response.json()["detail"]


@pytest.mark.django_db
def test_the_command_prints_the_same_result(demo, monkeypatch):
    situation = next(s for s in SITUATIONS if s["id"] == "S11")["input"]
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(situation)))
    out = io.StringIO()
    call_command("orient", "--json", stdout=out)
    printed = json.loads(out.getvalue())
    assert next(n["code"] for n in printed["numbers"]) == "116006"
    assert "3919" not in [n["code"] for n in printed["numbers"]]
    monkeypatch.setattr("sys.stdin", io.StringIO('{"asker": "x"}'))
    with pytest.raises(CommandError, match="asker"):
        call_command("orient", "--json", stdout=io.StringIO())


def test_the_api_asks_for_json_in_french(client, db):
    response = client.post("/api/v1/orientation", {"asker": "victim"})
    assert response.status_code == 400
    assert "objet JSON" in response.json()["detail"]
    assert client.get("/api/v1/orientation").status_code == 405


def test_the_command_refuses_what_is_not_json(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("asker=victim"))
    with pytest.raises(CommandError, match="JSON invalide"):
        call_command("orient", "--json", stdout=io.StringIO())
