"""The orientation result, composed from a situation by rules kept as data (catalogue.py).

`compose(situation)` is the one function behind the guide's result screen, its printable
summary, `POST /api/v1/orientation` and `maillage orient`: the rules that hold for the
situation add national numbers, kinds of local contact, dated steps, duties and advice; the
publics of the numbers and kinds (and a rule's `never_*`) take out what does not fit this
person; contacts.py then picks the local services.

`check_rules(rules)` refuses a rule set with a French message naming each problem: an unknown
condition or code, a rule that can never fire, a rule whose number or contact never fits the
people it applies to, a rule whose proposal another rule always forbids, a situation left
with nothing to call.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from . import catalogue
from .situation import (
    ASKERS,
    CONSTRAINTS,
    FORMS,
    LANGS,
    NEEDS,
    PROFESSIONAL_KINDS,
    SETTINGS,
    SEXES,
    Situation,
)

URGENCY_ORDER = ["U1", "U2", "U3", "U4"]
LIST_CONDITIONS = {
    "asker": ASKERS,
    "asker_not": ASKERS,
    "professional_kind": PROFESSIONAL_KINDS,
    "professional_kind_not": PROFESSIONAL_KINDS,
    "sex": SEXES,
    "sex_not": SEXES,
    "forms_any": FORMS,
    "forms_none": FORMS,
    "setting": SETTINGS,
    "needs_any": NEEDS,
    "constraints_any": CONSTRAINTS,
    "lang": LANGS,
}
BOOL_CONDITIONS = ("minor", "danger_now", "can_speak", "languages", "departure")
INT_CONDITIONS = ("age_min", "age_max", "days_min", "days_max")
RULE_KEYS = {
    "id",
    "when",
    "numbers",
    "kinds",
    "steps",
    "duties",
    "advice",
    "urgency",
    "rank",
    "never_numbers",
    "never_kinds",
    "never_duties",
}


# -- conditions ---------------------------------------------------------------------------


def holds(when: Mapping[str, Any], s: Situation) -> bool:
    """All the conditions hold for the situation (`any_of`: at least one of its groups)."""
    return all(_holds_one(key, value, s) for key, value in when.items())


def _holds_one(key: str, value: Any, s: Situation) -> bool:
    if key == "any_of":
        return any(holds(group, s) for group in value)
    if key == "asker":
        return s.asker in value
    if key == "asker_not":
        return s.asker not in value
    if key == "professional_kind":
        return s.professional_kind in value
    if key == "professional_kind_not":
        return s.professional_kind not in value
    if key == "sex":
        return s.victim_sex in value
    if key == "sex_not":
        return s.victim_sex not in value
    if key == "forms_any":
        return bool(s.forms & set(value))
    if key == "forms_none":
        return not s.forms & set(value)
    if key == "setting":
        return s.setting in value
    if key == "needs_any":
        return bool(s.needs & set(value))
    if key == "constraints_any":
        return bool(s.constraints & set(value))
    if key == "lang":
        return s.lang in value
    if key == "minor":
        # An unknown age is not taken for a minor's: only a known age opens the children's
        # lines (a minor's services are asked for by the guide's age question).
        return bool(s.minor) is value
    if key == "danger_now":
        return s.danger_now is value
    if key == "can_speak":
        return s.can_speak is value
    if key == "languages":
        return bool(s.languages - {"fr"}) is value
    if key == "departure":
        return (s.departure_in_days is not None) is value
    if key == "age_min":
        return s.victim_age is not None and s.victim_age >= value
    if key == "age_max":
        return s.victim_age is not None and s.victim_age <= value
    if key == "days_min":
        return s.days_since is not None and s.days_since >= value
    if key == "days_max":
        return s.days_since is not None and s.days_since <= value
    raise KeyError(key)


# -- the result -------------------------------------------------------------------------


@dataclass
class NumberLine:
    code: str
    why: str
    rank: int
    number: Any = None  # NationalNumber, once read


@dataclass
class Step:
    id: str
    text: str
    deadline_hours: int | None  # hours left, when the step has a deadline


@dataclass
class Duty:
    id: str
    text: str
    legal_basis: str
    limits: str


@dataclass
class Composition:
    situation: Situation
    rules: list[str]
    urgency: str
    numbers: list[NumberLine]
    kinds: list[str]
    steps: list[Step]
    duties: list[Duty]
    advice: list[tuple[str, str]]  # (id, text)
    contacts: list = field(default_factory=list)  # contacts.Contact
    missing_kinds: list[str] = field(default_factory=list)  # no local service fits

    @property
    def number_codes(self) -> list[str]:
        return [line.code for line in self.numbers]

    @property
    def contact_kinds(self) -> set[str]:
        return {kind for contact in self.contacts for kind in contact.kinds}

    @property
    def dated_steps(self) -> list[Step]:
        return [step for step in self.steps if step.deadline_hours is not None]

    def as_json(self) -> dict[str, Any]:
        """The API's and the command's answer."""
        return {
            "urgency": self.urgency,
            "numbers": [
                {
                    "code": line.code,
                    "number": line.number.number if line.number else "",
                    "name": line.number.name if line.number else "",
                    "url": line.number.url if line.number else "",
                    "why": line.why,
                }
                for line in self.numbers
            ],
            "contacts": [contact.as_json() for contact in self.contacts],
            "missing_kinds": self.missing_kinds,
            "steps": [
                {"id": s.id, "text": s.text, "deadline_hours": s.deadline_hours} for s in self.steps
            ],
            "duties": [
                {"id": d.id, "text": d.text, "legal_basis": d.legal_basis, "limits": d.limits}
                for d in self.duties
            ],
            "advice": [text for _id, text in self.advice],
            "rules": self.rules,
        }


def compose_rules(s: Situation, rules: list[dict] | None = None) -> Composition:
    """What the rules give for the situation, without the directory (no database)."""
    rules = catalogue.RULES if rules is None else rules
    fired = [rule for rule in rules if holds(rule.get("when", {}), s)]
    never_numbers = {c for r in fired for c in r.get("never_numbers", [])}
    never_kinds = {k for r in fired for k in r.get("never_kinds", [])}
    never_duties = {d for r in fired for d in r.get("never_duties", [])}

    with translation.override(s.lang):
        numbers: dict[str, NumberLine] = {}
        proposed = [(r.get("rank", 50), item) for r in fired for item in r.get("numbers", [])]
        for order, (rule_rank, (code, why)) in enumerate(proposed):
            if code in never_numbers or not fits(catalogue.NUMBER_PUBLICS.get(code), s):
                continue
            rank = rule_rank * 1000 + order
            if code not in numbers or rank < numbers[code].rank:
                numbers[code] = NumberLine(code=code, why=str(why), rank=rank)

        kinds: dict[str, int] = {}
        wanted = [(r.get("rank", 50), kind) for r in fired for kind in r.get("kinds", [])]
        for order, (rule_rank, kind) in enumerate(wanted):
            if kind in never_kinds or not fits(catalogue.KIND_PUBLICS.get(kind), s):
                continue
            rank = rule_rank * 1000 + order
            kinds[kind] = min(rank, kinds.get(kind, rank))

        steps: dict[str, tuple[int, Step]] = {}
        for rule in fired:
            for step_id in rule.get("steps", []):
                step = dated_step(step_id, s)
                if step is not None and step_id not in steps:
                    steps[step_id] = (rule.get("rank", 50), step)

        duties = [
            Duty(
                id=duty_id,
                text=str(catalogue.DUTIES[duty_id]["text"]),
                legal_basis=catalogue.DUTIES[duty_id]["legal_basis"],
                limits=str(catalogue.DUTIES[duty_id]["limits"]),
            )
            for duty_id in _unique(d for r in fired for d in r.get("duties", []))
            if duty_id not in never_duties
        ]
        advice = [
            (advice_id, str(catalogue.ADVICE[advice_id]))
            for advice_id in _unique(a for r in fired for a in r.get("advice", []))
        ]
    urgencies = [rule["urgency"] for rule in fired if rule.get("urgency")]
    return Composition(
        situation=s,
        rules=[rule["id"] for rule in fired],
        urgency=min(urgencies, key=URGENCY_ORDER.index) if urgencies else "U4",
        numbers=sorted(numbers.values(), key=lambda line: line.rank),
        kinds=sorted(kinds, key=kinds.__getitem__),
        steps=[
            step
            for _rank, step in sorted(
                steps.values(),
                key=lambda item: (
                    item[1].deadline_hours is None,
                    item[1].deadline_hours or 0,
                    item[0],
                ),
            )
        ],
        duties=duties,
        advice=advice,
    )


def compose(
    s: Situation,
    *,
    user=None,
    territory=None,
    now: datetime | None = None,
    rules: list[dict] | None = None,
    limit: int = 4,
) -> Composition:
    """The whole result: the rules' composition, the national numbers read, the local
    contacts chosen (contacts.py)."""
    from .contacts import contacts_for_situation
    from .models import NationalNumber

    composition = compose_rules(s, rules)
    found = {
        n.code: n
        for n in NationalNumber.objects.filter(code__in=composition.number_codes, is_active=True)
    }
    composition.numbers = [
        replace(line, number=found[line.code]) for line in composition.numbers if line.code in found
    ]
    shown = [line.number for line in composition.numbers]
    composition.contacts, composition.missing_kinds = contacts_for_situation(
        composition.kinds, s, user=user, territory=territory, now=now, numbers=shown, limit=limit
    )
    return composition


def fits(public: Mapping[str, Any] | None, s: Situation) -> bool:
    return public is None or holds(public, s)


def dated_step(step_id: str, s: Situation) -> Step | None:
    """The step with the hours left before its deadline; None once the deadline has passed
    (a step is never offered as if still possible)."""
    spec = catalogue.STEPS[step_id]
    hours = spec.get("deadline_hours")
    if spec.get("deadline") == "departure":
        hours = s.departure_in_days * 24 if s.departure_in_days is not None else None
    elif hours is not None and s.days_since is not None:
        hours -= s.days_since * 24
        if hours <= 0:
            return None
    return Step(id=step_id, text=str(spec["text"]), deadline_hours=hours)


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


# -- checking a rule set ------------------------------------------------------------------

# Representative values of each dimension of a situation: enough to find a situation for any
# combination of the conditions (ages and days on each side of every threshold used).
AGES = [None, 5, 10, 11, 13, 14, 15, 16, 17, 18, 20, 25, 26, 30, 59, 60, 64, 65, 80]
DAYS = [None, 0, 1, 2, 4, 5, 6, 29, 30, 364, 365, 10000]
DIMENSIONS = {
    "asker": list(ASKERS),
    "professional_kind": [None, *PROFESSIONAL_KINDS],
    "victim_sex": list(SEXES),
    "victim_age": AGES,
    "setting": [None, *SETTINGS],
    "days_since": DAYS,
    "danger_now": [False, True],
    "can_speak": [True, False],
    "lang": list(LANGS),
    "departure_in_days": [None, 10],
}
CONDITION_DIMENSION = {
    "asker": "asker",
    "asker_not": "asker",
    "professional_kind": "professional_kind",
    "professional_kind_not": "professional_kind",
    "sex": "victim_sex",
    "sex_not": "victim_sex",
    "minor": "victim_age",
    "age_min": "victim_age",
    "age_max": "victim_age",
    "forms_any": "forms",
    "forms_none": "forms",
    "setting": "setting",
    "needs_any": "needs",
    "constraints_any": "constraints",
    "languages": "constraints",
    "lang": "lang",
    "danger_now": "danger_now",
    "can_speak": "can_speak",
    "days_min": "days_since",
    "days_max": "days_since",
    "departure": "departure_in_days",
}
SET_DIMENSIONS = {"forms": FORMS, "needs": NEEDS, "constraints": CONSTRAINTS}


class InvalidRules(ValueError):
    def __init__(self, messages: list[str]) -> None:
        self.messages = messages
        super().__init__("\n".join(messages))


def _conditions(when: Mapping[str, Any]) -> Iterable[tuple[str, Any]]:
    for key, value in when.items():
        if key == "any_of":
            for group in value:
                yield from _conditions(group)
        else:
            yield key, value


def _candidates(*whens: Mapping[str, Any]) -> Iterable[Situation]:
    """Situations that vary only the dimensions these conditions read, over the values they
    name plus one they do not (and each side of every age or day threshold)."""
    conditions = [(key, value) for when in whens for key, value in _conditions(when)]
    used = {CONDITION_DIMENSION[key] for key, _value in conditions}
    choices: dict[str, list] = {}
    for dimension in used:
        named = [
            value
            for key, value in conditions
            if CONDITION_DIMENSION[key] == dimension and not isinstance(value, bool)
        ]
        if dimension in SET_DIMENSIONS:
            mentioned = {v for value in named for v in value}
            if dimension == "constraints":
                mentioned |= {"language:ar"}
            singles = [frozenset({v}) for v in sorted(mentioned)]
            choices[dimension] = [frozenset(), *singles, frozenset(mentioned)]
        elif dimension in ("victim_age", "days_since"):
            base = [None, 10, 17, 18, 30] if dimension == "victim_age" else [None, 0, 1000]
            edges = {v + d for v in named for d in (-1, 0, 1) if v + d >= 0}
            choices[dimension] = list(dict.fromkeys([*base, *sorted(edges)]))
        elif dimension in ("danger_now", "can_speak", "departure_in_days"):
            choices[dimension] = DIMENSIONS[dimension]
        else:
            everything = DIMENSIONS[dimension]
            mentioned = {v for value in named for v in value}
            other = [v for v in everything if v not in mentioned][:1]
            choices[dimension] = [v for v in everything if v in mentioned] + other
            if None in everything and None not in choices[dimension]:
                choices[dimension].append(None)
    names = sorted(choices)
    for values in itertools.product(*(choices[name] for name in names)):
        situation = Situation(**dict(zip(names, values, strict=True)))
        if situation.professional_kind and situation.asker != "professional":
            continue
        yield situation


def can_hold(*whens: Mapping[str, Any]) -> bool:
    """Some situation meets all these conditions at once."""
    return any(all(holds(when, s) for when in whens) for s in _candidates(*whens))


def always_within(inner: Mapping[str, Any], outer: Mapping[str, Any]) -> bool:
    """Every situation that meets `inner` meets `outer` too (and there is one)."""
    found = False
    for s in _candidates(inner, outer):
        if holds(inner, s):
            found = True
            if not holds(outer, s):
                return False
    return found


def check_rules(rules: list[dict]) -> list[str]:
    """What is wrong with a rule set, one French message per problem, each naming its rule."""
    errors: list[str] = []
    seen: set[str] = set()
    for rule in rules:
        rule_id = rule.get("id") or "?"
        name = _("La règle « %(id)s »") % {"id": rule_id}
        if rule_id in seen:
            errors.append(_("%(rule)s existe deux fois.") % {"rule": name})
        seen.add(rule_id)
        for key in sorted(set(rule) - RULE_KEYS):
            errors.append(_("%(rule)s : clé inconnue « %(key)s ».") % {"rule": name, "key": key})
        when = rule.get("when", {})
        problems = _condition_problems(when)
        errors += [f"{name} : {problem}" for problem in problems]
        if problems:
            continue
        for code, _why in rule.get("numbers", []):
            if code not in catalogue_number_codes():
                errors.append(
                    _("%(rule)s : numéro national inconnu « %(code)s ».")
                    % {"rule": name, "code": code}
                )
        for key, known, label in (
            ("kinds", _kind_codes(), _("type de contact")),
            ("steps", catalogue.STEPS, _("étape")),
            ("duties", catalogue.DUTIES, _("obligation")),
            ("advice", catalogue.ADVICE, _("conseil")),
        ):
            for code in rule.get(key, []):
                if code not in known:
                    errors.append(
                        _("%(rule)s : %(what)s inconnu·e « %(code)s ».")
                        % {"rule": name, "what": label, "code": code}
                    )
        if rule.get("urgency") and rule["urgency"] not in URGENCY_ORDER:
            errors.append(_("%(rule)s : urgence inconnue.") % {"rule": name})
        if not can_hold(when):
            errors.append(
                _("%(rule)s ne peut jamais s'appliquer : ses conditions se contredisent.")
                % {"rule": name}
            )
            continue
        for code, _why in rule.get("numbers", []):
            public = catalogue.NUMBER_PUBLICS.get(code)
            if public and not can_hold(when, public):
                errors.append(
                    _(
                        "%(rule)s propose le %(code)s à des personnes auxquelles il ne s'adresse "
                        "jamais."
                    )
                    % {"rule": name, "code": code}
                )
        for kind in rule.get("kinds", []):
            public = catalogue.KIND_PUBLICS.get(kind)
            if public and not can_hold(when, public):
                errors.append(
                    _(
                        "%(rule)s propose « %(kind)s » à des personnes que ce type de contact "
                        "n'accueille jamais."
                    )
                    % {"rule": name, "kind": kind}
                )
    if errors:
        return errors
    errors += _contradictions(rules)
    errors += _uncovered(rules)
    return errors


def _condition_problems(when: Mapping[str, Any]) -> list[str]:
    problems = []
    for key, value in _conditions(when):
        if key in LIST_CONDITIONS:
            if not isinstance(value, list) or not value:
                problems.append(_("« %(key)s » attend une liste non vide.") % {"key": key})
                continue
            known = LIST_CONDITIONS[key]
            wrong = [v for v in value if v not in known]
            if wrong:
                problems.append(
                    _("« %(key)s » : valeur inconnue %(values)s.")
                    % {"key": key, "values": ", ".join(map(str, wrong))}
                )
        elif key in BOOL_CONDITIONS:
            if not isinstance(value, bool):
                problems.append(_("« %(key)s » attend true ou false.") % {"key": key})
        elif key in INT_CONDITIONS:
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                problems.append(_("« %(key)s » attend un nombre entier.") % {"key": key})
        else:
            problems.append(_("condition inconnue « %(key)s ».") % {"key": key})
    return problems


def _contradictions(rules: list[dict]) -> list[str]:
    """A rule whose proposal another rule forbids in every situation where it applies."""
    errors = []
    for rule in rules:
        for other in rules:
            if other is rule:
                continue
            for what, never in (
                ("numbers", "never_numbers"),
                ("kinds", "never_kinds"),
                ("duties", "never_duties"),
            ):
                proposed = {
                    item[0] if isinstance(item, tuple | list) else item
                    for item in rule.get(what, [])
                }
                clash = proposed & set(other.get(never, []))
                if clash and always_within(rule.get("when", {}), other.get("when", {})):
                    errors.append(
                        _(
                            "Les règles « %(rule)s » et « %(other)s » se contredisent : la "
                            "seconde interdit %(items)s partout où la première le propose."
                        )
                        % {
                            "rule": rule["id"],
                            "other": other["id"],
                            "items": ", ".join(sorted(clash)),
                        }
                    )
    return errors


COVERAGE_AGES = [None, 8, 16, 30, 80]


def _uncovered(rules: list[dict]) -> list[str]:
    """Every kind of asker, for every form of violence, gets something to call."""
    missing = []
    for asker, sex, age, form in itertools.product(
        ASKERS, ["female", "male"], COVERAGE_AGES, [None, *FORMS]
    ):
        s = Situation(
            asker=asker,
            victim_sex=sex,
            victim_age=age,
            forms=frozenset({form}) if form else frozenset(),
        )
        composition = compose_rules(s, rules)
        if not composition.numbers and not composition.kinds:
            missing.append(
                _("Aucun numéro ni contact pour : %(who)s, %(sex)s, %(age)s, %(form)s.")
                % {
                    "who": ASKERS[asker],
                    "sex": SEXES[sex],
                    "age": _("âge inconnu") if age is None else _("%(age)s ans") % {"age": age},
                    "form": FORMS[form] if form else _("violence non précisée"),
                }
            )
    return missing[:20]


def catalogue_number_codes() -> set[str]:
    from .default_tree import NATIONAL_NUMBERS

    return {row[0] for row in NATIONAL_NUMBERS}


def _kind_codes() -> set[str]:
    from maillage.directory.taxonomy import KINDS

    return {code for code, _label in KINDS}
