"""The visitor's situation, typed: what the orientation result is composed from.

The guide's answers, the API's JSON body (`POST /api/v1/orientation`) and `maillage orient`
all become one `Situation`, read by `parse_situation` from a mapping of plain values; unknown
keys or values are refused with one French message each (`SituationError`). A situation lives
in memory for one request and is never written anywhere: not in a table, a log, a cookie or a
URL.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

ASKERS = {
    "victim": gettext_lazy("la personne victime"),
    "relative": gettext_lazy("un·e proche"),
    "witness": gettext_lazy("un témoin"),
    "professional": gettext_lazy("un·e professionnel·le"),
    "author": gettext_lazy("une personne auteur de violences, ou qui craint de le devenir"),
}
PROFESSIONAL_KINDS = {
    "public_servant": gettext_lazy("agent public, fonctionnaire"),
    "health": gettext_lazy("professionnel·le de santé"),
    "education": gettext_lazy("enseignement, éducation, animation"),
    "social": gettext_lazy("travail social"),
    "employer": gettext_lazy("employeur, ressources humaines"),
    "night_venue": gettext_lazy("bar, discothèque, lieu festif"),
    "other": gettext_lazy("autre"),
}
SEXES = {
    "female": gettext_lazy("femme ou fille"),
    "male": gettext_lazy("homme ou garçon"),
    "other": gettext_lazy("autre"),
    "unknown": gettext_lazy("non précisé"),
}
FORMS = {
    "conjugal": gettext_lazy("violences dans le couple ou par un ex"),
    "sexual": gettext_lazy("viol, agression sexuelle"),
    "sexual_harassment": gettext_lazy("harcèlement sexuel"),
    "workplace": gettext_lazy("au travail"),
    "public_space": gettext_lazy("dans la rue, les transports"),
    "night_drugging": gettext_lazy("soirée, bar, soumission chimique"),
    "online": gettext_lazy("en ligne, téléphone surveillé"),
    "childhood": gettext_lazy("violences sur un enfant"),
    "incest": gettext_lazy("inceste"),
    "forced_marriage": gettext_lazy("mariage forcé"),
    "fgm": gettext_lazy("excision, mutilations sexuelles"),
    "prostitution": gettext_lazy("prostitution, exploitation"),
    "elder_abuse": gettext_lazy("maltraitance d'une personne âgée"),
    "other": gettext_lazy("autre"),
}
NEEDS = {
    "talk": gettext_lazy("parler à quelqu'un"),
    "shelter": gettext_lazy("un endroit où dormir"),
    "medical": gettext_lazy("des soins"),
    "legal": gettext_lazy("connaître ses droits"),
    "complaint": gettext_lazy("porter plainte"),
    "protection": gettext_lazy("être protégé·e"),
    "money": gettext_lazy("de l'argent"),
    "social": gettext_lazy("un accompagnement social"),
    "children": gettext_lazy("les enfants"),
    "psychological": gettext_lazy("un soutien psychologique"),
}
CONSTRAINTS = {
    "deaf": gettext_lazy("sourde, malentendante, ne peut pas téléphoner à la voix"),
    "disability": gettext_lazy("en situation de handicap"),
    "no_phone": gettext_lazy("pas de téléphone à soi"),
    "anonymous": gettext_lazy("rester anonyme"),
    "lgbt": gettext_lazy("personne LGBT+"),
    "pregnant": gettext_lazy("enceinte"),
}
SETTINGS = {
    "home": gettext_lazy("à la maison"),
    "work": gettext_lazy("au travail"),
    "school": gettext_lazy("à l'école, au collège, au lycée"),
    "university": gettext_lazy("à l'université, dans les études supérieures"),
    "public_space": gettext_lazy("dans la rue, un lieu public"),
    "transport": gettext_lazy("dans les transports"),
    "night_venue": gettext_lazy("dans un bar, une soirée"),
    "online": gettext_lazy("en ligne"),
    "institution": gettext_lazy("en établissement (EHPAD, foyer, hôpital)"),
    "sport": gettext_lazy("dans un club, une activité"),
}
LANGUAGE_CONSTRAINT = re.compile(r"^language:([a-z]{2,3})$")
LANGS = ("fr", "en")
MAX_AGE = 120
MAX_DAYS = 365 * 100

KEYS = (
    "asker",
    "professional_kind",
    "victim_age",
    "victim_sex",
    "forms",
    "setting",
    "days_since",
    "danger_now",
    "can_speak",
    "needs",
    "constraints",
    "commune",
    "lang",
    "departure_in_days",
)


class SituationError(ValueError):
    """What is wrong with a situation, one French message per problem, each naming its key."""

    def __init__(self, messages: list[str]) -> None:
        self.messages = messages
        super().__init__(" ".join(messages))


@dataclass(frozen=True)
class Situation:
    asker: str = "victim"
    professional_kind: str | None = None
    victim_age: int | None = None
    victim_sex: str = "unknown"
    forms: frozenset[str] = field(default_factory=frozenset)
    setting: str | None = None  # where it happens
    days_since: int | None = None  # days since the last violence; None: unknown or ongoing
    danger_now: bool = False
    can_speak: bool = True
    needs: frozenset[str] = field(default_factory=frozenset)
    constraints: frozenset[str] = field(default_factory=frozenset)
    commune: str | None = None  # INSEE code
    lang: str = "fr"
    departure_in_days: int | None = None  # a departure abroad (forced marriage, excision)

    @property
    def minor(self) -> bool | None:
        """The victim is a minor; None when the age is not given."""
        return None if self.victim_age is None else self.victim_age < 18

    @property
    def languages(self) -> frozenset[str]:
        return frozenset(
            match.group(1) for c in self.constraints if (match := LANGUAGE_CONSTRAINT.match(c))
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "asker": self.asker,
            "professional_kind": self.professional_kind,
            "victim_age": self.victim_age,
            "victim_sex": self.victim_sex,
            "forms": sorted(self.forms),
            "setting": self.setting,
            "days_since": self.days_since,
            "danger_now": self.danger_now,
            "can_speak": self.can_speak,
            "needs": sorted(self.needs),
            "constraints": sorted(self.constraints),
            "commune": self.commune,
            "lang": self.lang,
            "departure_in_days": self.departure_in_days,
        }


def parse_situation(data: Mapping[str, Any]) -> Situation:
    """A Situation from plain values (JSON), or SituationError listing every problem."""
    if not isinstance(data, Mapping):
        raise SituationError([_("La situation doit être un objet JSON.")])
    errors: list[str] = []
    unknown = sorted(set(data) - set(KEYS))
    if unknown:
        errors.append(
            _("Clé inconnue : %(keys)s. Clés possibles : %(known)s.")
            % {"keys": ", ".join(unknown), "known": ", ".join(KEYS)}
        )

    def one_of(key: str, choices, default, *, nullable: bool = False):
        value = data.get(key, default)
        if value is None and nullable:
            return None
        if value not in choices:
            errors.append(
                _("« %(key)s » : valeur inconnue %(value)s. Valeurs possibles : %(choices)s.")
                % {"key": key, "value": _json(value), "choices": ", ".join(choices)}
            )
            return default
        return value

    def whole(key: str, maximum: int):
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= maximum:
            errors.append(
                _("« %(key)s » : un nombre entier de 0 à %(maximum)s, ou null.")
                % {"key": key, "maximum": maximum}
            )
            return None
        return value

    def flag(key: str, default: bool) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            errors.append(_("« %(key)s » : true ou false.") % {"key": key})
            return default
        return value

    def several(key: str, choices, *, extra=None) -> frozenset[str]:
        values = data.get(key, [])
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            errors.append(_("« %(key)s » : une liste de textes.") % {"key": key})
            return frozenset()
        wrong = [v for v in values if v not in choices and not (extra and extra.match(v))]
        if wrong:
            errors.append(
                _("« %(key)s » : valeur inconnue %(value)s. Valeurs possibles : %(choices)s.")
                % {
                    "key": key,
                    "value": ", ".join(wrong),
                    "choices": ", ".join([*choices, *(["language:<code>"] if extra else [])]),
                }
            )
        return frozenset(v for v in values if v not in wrong)

    asker = one_of("asker", ASKERS, "victim")
    kind = one_of("professional_kind", PROFESSIONAL_KINDS, None, nullable=True)
    if kind and asker != "professional":
        errors.append(_("« professional_kind » ne s'emploie que si « asker » vaut professional."))
    commune = data.get("commune")
    if commune is not None and not (
        isinstance(commune, str) and re.fullmatch(r"[0-9AB]{5}", commune)
    ):
        errors.append(_("« commune » : un code INSEE de 5 caractères, par exemple 49007."))
        commune = None
    situation = Situation(
        asker=asker,
        professional_kind=kind,
        victim_age=whole("victim_age", MAX_AGE),
        victim_sex=one_of("victim_sex", SEXES, "unknown"),
        forms=several("forms", FORMS),
        setting=one_of("setting", SETTINGS, None, nullable=True),
        days_since=whole("days_since", MAX_DAYS),
        danger_now=flag("danger_now", False),
        can_speak=flag("can_speak", True),
        needs=several("needs", NEEDS),
        constraints=several("constraints", CONSTRAINTS, extra=LANGUAGE_CONSTRAINT),
        commune=commune,
        lang=one_of("lang", LANGS, "fr"),
        departure_in_days=whole("departure_in_days", 3650),
    )
    if errors:
        raise SituationError(errors)
    return situation


def _json(value: Any) -> str:
    return f"« {value} »" if isinstance(value, str) else str(value)
