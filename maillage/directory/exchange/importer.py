"""Import services in the data·inclusion v1 schema, from JSON or CSV, into one territory.

Two phases. (a) Every row is validated — the `data-inclusion-schema` pydantic models, then our
own rules (model field validation: phones, e-mails, URLs, lengths; communes known by INSEE
code; a structure for every service) — into a per-row report (row, field, French message).
(b) Everything is written in ONE transaction, and only if every row is valid, or if the caller
passes `valid_rows_only=True` (invalid rows are then skipped and reported). A dry run does
(b) and rolls it back, so its counts are exact.

Files are streamed, never loaded whole: JSON items are decoded one at a time with the standard
`json` module, CSV rows one at a time; rows are written by batches with bulk operations (their
history rows included). Phase (b) reads the file again, so a file object must be seekable.

JSON: `{"structures": [...], "services": [...]}` (data·inclusion's layout), or a list of
services alone whose `structure_id` names an organisation already in the directory as
`maillage--<pk>` (the id our export gives). "Row" is the position in its list, from 1.

CSV: one row per service, with the flat data·inclusion service fields and the structure's
fields prefixed `structure_` (`structure_nom`, `structure_siret`…; `structure_id` is the
service's own field). List fields (thematiques, publics, modes_accueil, modes_mobilisation,
mobilisable_par, zone_eligibilite) separate values with `|` or `,`. Comma or semicolon
delimiter, UTF-8 (with or without BOM). "Row" is the line in the spreadsheet (header = 1).
Rows of the same structure may leave the `structure_` cells empty after the first one.

Mapping and its rules:
- services are matched on (source, source_id) (the data·inclusion id is `<source>--<id>`);
  a service of another territory is never touched (row error);
- organisations are matched within the territory by SIRET, then by name, then by our own id
  `maillage--<pk>`; Organisation has no source id of its own, so a structure id of another
  source is only known within the file that holds it;
- thématiques, type and publics map onto our taxonomy through `Term.di_thematique`, `di_type`,
  `di_public` (first term by position among those of the row's type — without a type, those without
  one — else among all); a value the schema knows
  but our taxonomy does not is a warning, the row still imports;
- the schema's fields overwrite ours; what it does not hold (types of violence, summary,
  languages, professional phones, other places…) is left as it is. A field absent from the
  row (null) leaves our value alone. Created services are published.
- `date_maj` becomes "vérifié le"; `horaires_accueil` (OpenStreetMap subset: "Mo-Fr
  09:00-12:00,14:00-17:00; Sa 09:00-12:00", "24/7") becomes weekly slots, and its rules of
  one date ("2026 Dec 24 09:00-12:00", "2027 May 01 off") exceptional hours: those of today
  and later replace the service's when they differ (when they are the same nothing is
  written and their notices stay; past ones are left alone); holiday rules ("PH off") and
  dated ranges that are "off" (closures) are ignored; anything else is a warning and the
  hours stay as they are;
- hidden address: data·inclusion has no such flag. An extra field (JSON) or column (CSV)
  `maillage_adresse_confidentielle` (true/false, oui/non) hides the place's address and drops
  its coordinates. An import never un-hides a place a coordinator has hidden, whatever the file
  says, and a hidden place never receives coordinates;
- known losses on import: frais_precisions, publics_precisions, contact_nom_prenom,
  volume_horaire_hebdomadaire, nombre_semaines, reseaux_porteurs, accessibilite_lieu,
  complement_adresse (appended to the address), lien_source, structure horaires.
Importing the same file twice changes nothing the second time: every record is compared with
the database first and only real differences are written (so no new history rows either).
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path
from typing import Any, NamedTuple

import pydantic
from data_inclusion.schema import v1
from django.core.exceptions import ValidationError
from django.db import reset_queries, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from maillage.core.models import (
    Commune,
    Organisation,
    Territory,
    normalise_phone,
    validate_french_phone,
)

from ..models import OpeningException, OpeningSlot, Place, Service, ServicePhone, Term, Visibility
from ..search import reindex
from ..text import fold

BATCH = 1000
MAX_REPORTED = 5000  # errors and warnings kept in the report; the rest are only counted
REASON = "import data·inclusion"
HIDDEN = "maillage_adresse_confidentielle"
LIST_FIELDS = {
    "thematiques",
    "publics",
    "modes_accueil",
    "modes_mobilisation",
    "mobilisable_par",
    "zone_eligibilite",
    "reseaux_porteurs",
}
SERVICE_FIELDS = set(v1.Service.model_fields) | {HIDDEN}
STRUCTURE_FIELDS = set(v1.Structure.model_fields)
# Model field → the data·inclusion field a message should name.
SOURCE_NAMES = {
    "name": "nom",
    "email": "courriel",
    "public_email": "courriel",
    "website": "lien_mobilisation",
    "source_id": "id",
    "address": "adresse",
    "postal_code": "code_postal",
    "public_phone": "telephone",
}
TRUE = {"1", "true", "vrai", "oui", "yes", "o", "x"}
FALSE = {"", "0", "false", "faux", "non", "no", "n"}


@dataclass
class RowError:
    row: int
    field: str
    message: str
    record: str = "service"  # "service" or "structure" (JSON lists are numbered apart)

    def __str__(self) -> str:
        where = _where(self.record, self.row)
        where = where[:1].upper() + where[1:]
        return (
            f"{where}, {self.field} : {self.message}" if self.field else f"{where} : {self.message}"
        )


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    rows: int = 0
    invalid_rows: int = 0
    errors_count: int = 0
    warnings_count: int = 0
    structures_created: int = 0
    structures_updated: int = 0
    dry_run: bool = False
    written: bool = False

    def error(self, row: int, name: str, message: str, record: str) -> None:
        self.errors_count += 1
        if len(self.errors) < MAX_REPORTED:
            self.errors.append(RowError(row, name, message, record))

    def warn(self, row: int, name: str, message: str, record: str) -> None:
        self.warnings_count += 1
        if len(self.warnings) < MAX_REPORTED:
            self.warnings.append(RowError(row, name, message, record))


class FileError(Exception):
    """The file cannot be read at all (not JSON, no header…): a French message."""


# ---------------------------------------------------------------------------------------------
# Reading: (record kind, row number, service dict or None, structure dict or None)


@dataclass
class Row:
    number: int
    record: str  # "service", "structure" (JSON) or "row" (CSV)
    service: dict[str, Any] | None
    structure: dict[str, Any] | None


class _JsonStream:
    """Items of JSON arrays decoded one at a time (json.JSONDecoder.raw_decode on a buffer)."""

    WHITESPACE = re.compile(r"[ \t\n\r]*")

    def __init__(self, text: io.TextIOBase) -> None:
        self.text, self.buffer, self.pos, self.eof = text, "", 0, False
        self.decoder = json.JSONDecoder()

    def _more(self) -> bool:
        data = "" if self.eof else self.text.read(1 << 16)
        if not data:
            self.eof = True
            return False
        self.buffer = self.buffer[self.pos :] + data
        self.pos = 0
        return True

    def peek(self) -> str:
        while True:
            self.pos = self.WHITESPACE.match(self.buffer, self.pos).end()
            if self.pos < len(self.buffer):
                return self.buffer[self.pos]
            if not self._more():
                return ""

    def take(self, char: str) -> None:
        if self.peek() != char:
            raise FileError(_("JSON invalide : « %(char)s » attendu.") % {"char": char})
        self.pos += 1

    def value(self) -> Any:
        self.peek()
        while True:
            try:
                value, end = self.decoder.raw_decode(self.buffer, self.pos)
                # A number cut by the buffer's end would decode: wait for what follows it.
                if end < len(self.buffer) or self.eof:
                    self.pos = end
                    return value
            except json.JSONDecodeError as error:
                if self.eof:
                    raise FileError(
                        _("JSON invalide : %(error)s.") % {"error": error.msg}
                    ) from error
            self._more()

    def items(self) -> Iterator[Any]:
        self.take("[")
        if self.peek() == "]":
            self.pos += 1
            return
        while True:
            yield self.value()
            if self.peek() == ",":
                self.pos += 1
                continue
            self.take("]")
            return


def _json_rows(text: io.TextIOBase) -> Iterator[Row]:
    stream = _JsonStream(text)
    first = stream.peek()
    if first == "[":
        for number, item in enumerate(stream.items(), 1):
            yield Row(number, "service", item, None)
        return
    if first != "{":
        raise FileError(
            _("Ce fichier n'est pas du JSON data·inclusion (il doit commencer par [ ou {).")
        )
    stream.take("{")
    if stream.peek() == "}":
        return
    while True:
        key = stream.value()
        stream.take(":")
        if key in ("structures", "services") and stream.peek() == "[":
            kind = key[:-1]
            for number, item in enumerate(stream.items(), 1):
                yield Row(number, kind, *((item, None) if kind == "service" else (None, item)))
        else:
            stream.value()
        if stream.peek() == ",":
            stream.pos += 1
            continue
        stream.take("}")
        return


def _csv_rows(text: io.TextIOBase) -> Iterator[Row]:
    header = text.readline()
    if not header.strip():
        raise FileError(_("Le fichier CSV est vide : il faut une ligne d'en-tête."))
    delimiter = ";" if header.count(";") > header.count(",") else ","
    names = next(csv.reader([header], delimiter=delimiter))
    names = [n.strip() for n in names]
    for name in names:
        known = name in SERVICE_FIELDS or name.removeprefix("structure_") in STRUCTURE_FIELDS
        if not known:
            yield Row(1, "warning", {"column": name}, None)
    for number, values in enumerate(csv.reader(text, delimiter=delimiter), 2):
        if not any(v.strip() for v in values):
            continue
        service, structure = {}, {}
        for name, value in zip(names, values, strict=False):
            value = value.strip()
            if not value:
                continue
            if name in LIST_FIELDS or name.removeprefix("structure_") in LIST_FIELDS:
                value = [v.strip() for v in re.split(r"[|,]", value) if v.strip()]
            if name in SERVICE_FIELDS:
                service[name] = value
            elif name.startswith("structure_") and name[10:] in STRUCTURE_FIELDS:
                structure[name[10:]] = value
        if structure:
            structure.setdefault("id", service.get("structure_id"))
            structure.setdefault("source", service.get("source"))
        yield Row(number, "row", service, structure or None)


def _open(file_or_path) -> tuple[io.TextIOBase, bool]:
    """A seekable text stream, and whether we opened it (and must close it)."""
    if isinstance(file_or_path, str | Path):
        return open(file_or_path, encoding="utf-8-sig", newline=""), True
    handle = getattr(file_or_path, "file", file_or_path)  # Django's UploadedFile
    handle.seek(0)
    if isinstance(handle, io.TextIOBase):
        return handle, False
    return io.TextIOWrapper(handle, encoding="utf-8-sig", newline=""), False


def _rows(text: io.TextIOBase, format: str) -> Iterator[Row]:
    text.seek(0)
    return _csv_rows(text) if format == "csv" else _json_rows(text)


# ---------------------------------------------------------------------------------------------
# Validation: pydantic, then our rules, into plans of what to write


def _french(error: dict[str, Any]) -> str:
    """A short French sentence for one of pydantic's errors."""
    kind, ctx, value = error["type"], error.get("ctx") or {}, error.get("input")
    messages = {
        "missing": _("Ce champ est obligatoire."),
        "string_too_short": _("Trop court : au moins %(n)s caractères."),
        "string_too_long": _("Trop long : au plus %(n)s caractères."),
        "too_short": _("Indiquez au moins une valeur."),
        "string_pattern_mismatch": _("Format invalide : « %(value)s »."),
        "enum": _("Valeur inconnue : « %(value)s »."),
        "literal_error": _("Valeur inconnue : « %(value)s »."),
        "url_parsing": _("Adresse web invalide : « %(value)s »."),
        "url_scheme": _("Adresse web invalide : elle doit commencer par https://."),
        "url_type": _("Adresse web invalide : « %(value)s »."),
        "date_from_datetime_parsing": _("Date invalide : « %(value)s » (attendu AAAA-MM-JJ)."),
        "date_parsing": _("Date invalide : « %(value)s » (attendu AAAA-MM-JJ)."),
        "date_type": _("Date invalide : « %(value)s » (attendu AAAA-MM-JJ)."),
        "float_parsing": _("Nombre attendu : « %(value)s »."),
        "float_type": _("Nombre attendu : « %(value)s »."),
        "int_parsing": _("Nombre entier attendu : « %(value)s »."),
        "int_type": _("Nombre entier attendu : « %(value)s »."),
        "greater_than_equal": _("Doit valoir au moins %(n)s."),
        "string_type": _("Texte attendu."),
        "set_type": _("Liste de valeurs attendue."),
        "list_type": _("Liste de valeurs attendue."),
    }
    if kind == "value_error":
        reason = str(ctx.get("error") or ctx.get("reason") or "")
        if "email" in error["msg"]:
            return _("Adresse électronique invalide : « %(value)s ».") % {"value": value}
        return reason or _("Valeur invalide.")
    limit = ctx.get("min_length", ctx.get("max_length", ctx.get("ge", "")))
    text = messages.get(kind, _("Valeur invalide : « %(value)s »."))
    return text % {"n": limit, "value": value}


def _pydantic_errors(exc: pydantic.ValidationError) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for error in exc.errors():
        loc = error["loc"]
        name = str(loc[0]) if loc else ""
        if len(loc) > 1 and loc[0] == "zone_eligibilite":
            message = _(
                "Code inconnu : « %(value)s » (attendu : code commune, département, EPCI, "
                "pays ou « france »)."
            ) % {"value": error.get("input")}
        else:
            message = _french(error)
        if (name, message) not in found:
            found.append((name, message))
    return found


def _model_errors(instance, exclude: list[str]) -> list[tuple[str, str]]:
    try:
        instance.clean_fields(exclude=exclude)
    except ValidationError as error:
        return [
            (SOURCE_NAMES.get(name, name), " ".join(str(m) for m in messages))
            for name, messages in error.message_dict.items()
        ]
    return []


def _bool(value: Any) -> bool | None:
    if isinstance(value, bool) or value is None:
        return value
    text = str(value).strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    return None


DAYS = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
RULE = re.compile(r"^(?P<days>[A-Za-z, -]+?)\s+(?P<hours>\d.*|off|closed)$")
RANGE = re.compile(r"^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")
DATE = r"(\d{4}) ([A-Z][a-z]{2}) (\d{1,2})"
DATED = re.compile(rf"^{DATE}(?P<range>-{DATE})?\s+(?P<hours>\d.*|off|closed)$")

Slot = tuple[int, time, time]
DatedHours = tuple[date, time | None, time | None]  # (None, None): closed all day


class Hours(NamedTuple):
    """What an opening_hours string says: 24/7, weekly slots, exceptional hours by date."""

    is_24_7: bool
    slots: list[Slot]
    exceptions: list[DatedHours]


def _spans(text: str) -> list[tuple[time, time]] | None:
    """ "09:00-12:00,14:00-17:00" (24:00 read as 23:59); None if not understood."""
    spans = []
    for span in text.split(","):
        times = RANGE.match(span.strip())
        if not times:
            return None
        h1, m1, h2, m2 = (int(t) for t in times.groups())
        opens, closes = time(h1, m1), time(23, 59) if (h2, m2) == (24, 0) else None
        if closes is None:
            if h2 > 23 or m2 > 59 or h1 > 23 or m1 > 59:
                return None
            closes = time(h2, m2)
        if closes <= opens:
            return None
        spans.append((opens, closes))
    return spans


def _date(year: str, month: str, day: str) -> date | None:
    if month not in MONTHS:
        return None
    try:
        return date(int(year), MONTHS.index(month) + 1, int(day))
    except ValueError:
        return None


def parse_opening_hours(text: str) -> Hours | None:
    """(24/7, weekly slots, exceptions) from an OpenStreetMap opening_hours string; None if
    not understood.

    A rule of one date ("2026 Dec 24 09:00-12:00", "2027 May 01 off") is an exception of
    that date; as in the syntax, a later rule replaces what an earlier one said of the same
    day (another rule of that date, or a weekly rule of its weekday). Public-holiday rules and
    dated ranges that are "off" (closures) are left out.
    """
    slots: list[Slot] = []
    exceptions: dict[date, list[tuple[time | None, time | None]]] = {}
    always = False
    for rule in (r.strip() for r in text.split(";")):
        if not rule:
            continue
        if rule == "24/7":
            always = True
            exceptions.clear()  # a later rule replaces what earlier ones said
            continue
        dated = DATED.match(rule)
        if dated:
            day = None if dated["range"] else _date(*dated.groups()[:3])
            if dated["hours"] in ("off", "closed"):
                if day is not None:
                    exceptions[day] = [(None, None)]
                continue  # a dated range "off" (a closure) is left out, as before
            spans = _spans(dated["hours"])
            if day is None or spans is None:
                return None
            spans.sort()
            if any(later[0] < earlier[1] for earlier, later in itertools.pairwise(spans)):
                return None  # overlapping hours
            exceptions[day] = list(spans)
            continue
        if always:
            continue  # after 24/7 only the dated rules are read
        if rule.endswith((" off", " closed")) and not RULE.match(rule):
            continue  # "PH off"
        match = RULE.match(rule)
        if not match:
            return None
        days: list[int] = []
        for part in match["days"].replace(" ", "").split(","):
            ends = part.split("-")
            if not all(e in DAYS for e in ends) or len(ends) > 2:
                if part == "PH":
                    break
                return None
            first, last = DAYS.index(ends[0]), DAYS.index(ends[-1])
            days += (
                list(range(first, last + 1))
                if first <= last
                else [*range(first, 7), *range(0, last + 1)]
            )
        exceptions = {d: e for d, e in exceptions.items() if d.weekday() not in days}
        if match["hours"] in ("off", "closed"):
            slots = [s for s in slots if s[0] not in days]
            continue
        spans = _spans(match["hours"])
        if spans is None:
            return None
        slots += [(day, opens, closes) for day in days for opens, closes in spans]
    return Hours(
        always,
        [] if always else sorted(set(slots)),
        [
            (day, opens, closes)
            for day, hours in sorted(exceptions.items())
            for opens, closes in hours
        ],
    )


@dataclass
class StructurePlan:
    id: str
    fields: dict[str, Any]


@dataclass
class ServicePlan:
    source: str
    source_id: str
    structure_id: str
    fields: dict[str, Any]
    help_types: list[int] | None = None
    publics: list[int] | None = None
    coverage_communes: list[str] | None = None
    phone: str | None = None
    place: dict[str, Any] | None = None
    hours: Hours | None = None


class _Context:
    """What validation needs from the database, read once."""

    def __init__(self, territory: Territory) -> None:
        self.territory = territory
        self.communes: set[str] = set(Commune.objects.values_list("insee_code", flat=True))
        self.by_postal: dict[tuple[str, str], str] = {}
        for code, name, postal_codes in Commune.objects.values_list(
            "insee_code", "name", "postal_codes"
        ):
            for postal in postal_codes or []:
                self.by_postal[postal, fold(name)] = code
        self.departments = set(Commune.objects.values_list("department", flat=True))
        self.territory_communes = sorted(territory.communes.values_list("insee_code", flat=True))
        terms = Term.objects.filter(is_active=True).order_by("position", "pk")
        self.help = [t for t in terms if t.vocabulary == Term.Vocabulary.HELP]
        self.public = [t for t in terms if t.vocabulary == Term.Vocabulary.PUBLIC]
        self.organisation_ids = set(
            Organisation.objects.filter(territory=territory).values_list("pk", flat=True)
        )

    def own_organisation(self, structure_id: str) -> int | None:
        """`maillage--<pk>`: an organisation of this territory, by our own exported id."""
        prefix, _sep, pk = structure_id.partition("--")
        if prefix == "maillage" and pk.isdigit() and int(pk) in self.organisation_ids:
            return int(pk)
        return None


def _commune_code(data: dict[str, Any], context: _Context) -> str | None:
    code = data.get("code_insee")
    if code:
        return code
    postal, name = data.get("code_postal"), data.get("commune")
    if postal and name:
        return context.by_postal.get((postal, fold(name)))
    return None


def _plan_structure(
    data: dict[str, Any], context: _Context
) -> tuple[StructurePlan | None, list, list]:
    errors: list[tuple[str, str]] = []
    warnings: list[tuple[str, str]] = []
    try:
        model = v1.Structure.model_validate(data)
    except pydantic.ValidationError as exc:
        return None, _pydantic_errors(exc), warnings
    commune = _commune_code(data, context)
    if commune and commune not in context.communes:
        errors.append(
            ("code_insee", _("Commune inconnue : code INSEE « %(code)s ».") % {"code": commune})
        )
    address = ", ".join(p for p in (model.adresse, model.complement_adresse) if p)
    fields = {
        "name": model.nom.strip(),
        "siret": model.siret or "",
        "description": (model.description or "").strip(),
        "address": address,
        "commune_id": commune if commune in context.communes else None,
        "website": (data.get("site_web") or "").strip(),
        "public_phone": normalise_phone(model.telephone or ""),
        "public_email": (data.get("courriel") or "").strip(),
    }
    organisation = Organisation(**fields, territory=context.territory, kind=Organisation.Kind.OTHER)
    errors += _model_errors(organisation, ["territory", "commune", "kind"])
    return StructurePlan(model.id, fields), errors, warnings


def _terms_for(
    model: v1.Service, context: _Context, warnings: list
) -> tuple[list[int] | None, list[int] | None]:
    helps = None
    kind = model.type.value if model.type else ""
    if model.thematiques is not None or model.type is not None:
        helps = []
        for thematique in sorted(t.value for t in model.thematiques or []):
            candidates = [t for t in context.help if t.di_thematique == thematique]
            candidates = [t for t in candidates if t.di_type == kind] or candidates
            if candidates:
                helps.append(candidates[0].pk)
            else:
                warnings.append(
                    (
                        "thematiques",
                        _("Thématique absente de notre taxonomie, ignorée : « %(value)s ».")
                        % {"value": thematique},
                    )
                )
        if not helps and kind:
            candidates = [t for t in context.help if t.di_type == kind and not t.di_thematique]
            if candidates:
                helps.append(candidates[0].pk)
            else:
                warnings.append(
                    (
                        "type",
                        _("Type absent de notre taxonomie, ignoré : « %(value)s ».")
                        % {"value": kind},
                    )
                )
    publics = None
    if model.publics is not None:
        publics = []
        for public in sorted(p.value for p in model.publics):
            if public == "tous-publics":
                continue
            candidates = [t for t in context.public if t.di_public == public]
            if candidates:
                publics.append(candidates[0].pk)
            else:
                warnings.append(
                    (
                        "publics",
                        _("Public absent de notre taxonomie, ignoré : « %(value)s ».")
                        % {"value": public},
                    )
                )
    return (sorted(set(helps)) if helps is not None else None), (
        sorted(set(publics)) if publics is not None else None
    )


def _coverage(
    model: v1.Service, context: _Context, fields: dict, warnings: list
) -> list[str] | None:
    zone = model.zone_eligibilite
    if zone is None:
        return None
    if "france" in zone or "99100" in zone:
        fields.update(coverage=Service.Coverage.NATIONAL, coverage_department="")
        return []
    departments = [code for code in zone if len(code) in (2, 3)]
    if departments:
        if len(departments) > 1:
            warnings.append(
                (
                    "zone_eligibilite",
                    _("Un seul département est gardé : %(code)s.") % {"code": departments[0]},
                )
            )
        if departments[0] not in context.departments:
            warnings.append(
                (
                    "zone_eligibilite",
                    _("Département inconnu : « %(code)s ».") % {"code": departments[0]},
                )
            )
        fields.update(coverage=Service.Coverage.DEPARTMENT, coverage_department=departments[0])
        return []
    communes: set[str] = set()
    coverage = Service.Coverage.COMMUNES
    for code in zone:
        if len(code) == 9:
            if code == context.territory.epci_siren:
                communes.update(context.territory_communes)
                coverage = Service.Coverage.EPCI
            else:
                warnings.append(
                    (
                        "zone_eligibilite",
                        _("EPCI inconnu ici, ignoré : « %(code)s ».") % {"code": code},
                    )
                )
        elif code.startswith("99"):
            warnings.append(
                ("zone_eligibilite", _("Pays étranger ignoré : « %(code)s ».") % {"code": code})
            )
        elif code in context.communes:
            communes.add(code)
        else:
            warnings.append(
                (
                    "zone_eligibilite",
                    _("Commune inconnue, ignorée : code INSEE « %(code)s ».") % {"code": code},
                )
            )
    fields.update(coverage=coverage, coverage_department="")
    return sorted(communes)


def _plan_service(data: dict[str, Any], context: _Context) -> tuple[ServicePlan | None, list, list]:
    errors: list[tuple[str, str]] = []
    warnings: list[tuple[str, str]] = []
    raw = data.get(HIDDEN)
    hidden = False if raw is None else _bool(raw)
    if hidden is None:
        errors.append((HIDDEN, _("Indiquez oui ou non.")))
    try:
        model = v1.Service.model_validate(data)
    except pydantic.ValidationError as exc:
        return None, errors + _pydantic_errors(exc), warnings
    source, _sep, source_id = model.id.partition("--")
    if source != model.source or not source_id:
        source, source_id = model.source, model.id
    fields: dict[str, Any] = {
        "name": model.nom.strip(),
        "description": model.description.strip(),
        "email": (data.get("courriel") or "").strip(),
        "website": (data.get("lien_mobilisation") or "").strip(),
        "last_verified_on": model.date_maj,
    }
    if model.frais is not None:
        fields["is_free"] = model.frais == v1.Frais.GRATUIT
    if model.modes_accueil is not None:
        fields["remote"] = v1.ModeAccueil.A_DISTANCE in model.modes_accueil
    if model.modes_mobilisation is not None:
        fields["walk_in"] = v1.ModeMobilisation.SE_PRESENTER in model.modes_mobilisation
    if model.mobilisable_par is not None:
        fields["referral_only"] = model.mobilisable_par == {v1.PersonneMobilisatrice.PROFESSIONNELS}
    # The sentences our own export writes (data_inclusion.py), read back.
    if model.conditions_acces is not None:
        fields["is_anonymous"] = "Anonymat possible." in model.conditions_acces
    if model.mobilisation_precisions is not None:
        fields["by_appointment"] = "Sur rendez-vous." in model.mobilisation_precisions
    plan = ServicePlan(source, source_id, model.structure_id, fields)
    plan.help_types, plan.publics = _terms_for(model, context, warnings)
    plan.coverage_communes = _coverage(model, context, fields, warnings)
    if model.telephone:
        plan.phone = normalise_phone(model.telephone)
        try:
            validate_french_phone(plan.phone)
        except ValidationError as error:
            errors.append(("telephone", " ".join(error.messages)))
    commune = _commune_code(data, context)
    if commune and commune not in context.communes:
        errors.append(
            ("code_insee", _("Commune inconnue : code INSEE « %(code)s ».") % {"code": commune})
        )
    elif commune:
        coordinates = model.latitude is not None and model.longitude is not None
        if hidden and coordinates:
            warnings.append(
                ("latitude", _("Adresse confidentielle : les coordonnées GPS ne sont pas gardées."))
            )
        plan.place = {
            "address": ", ".join(p for p in (model.adresse, model.complement_adresse) if p),
            "postal_code": model.code_postal or "",
            "commune_id": commune,
            "latitude": None if hidden or not coordinates else model.latitude,
            "longitude": None if hidden or not coordinates else model.longitude,
            "hide_address": bool(hidden),
        }
        errors += _model_errors(Place(**plan.place), ["service", "commune"])
    elif model.adresse or model.latitude is not None:
        warnings.append(("code_insee", _("Adresse ignorée : la commune (code INSEE) manque.")))
    if model.horaires_accueil:
        plan.hours = parse_opening_hours(model.horaires_accueil)
        if plan.hours is None:
            warnings.append(
                (
                    "horaires_accueil",
                    _("Horaires non compris, laissés tels quels : « %(value)s ».")
                    % {"value": model.horaires_accueil},
                )
            )
        else:
            fields["is_24_7"] = plan.hours.is_24_7
    service = Service(**fields, source=source, source_id=source_id)
    errors += _model_errors(service, ["organisation"])
    return plan, errors, warnings


# ---------------------------------------------------------------------------------------------
# Phase (a): validate every row


@dataclass
class _Validation:
    invalid: set[tuple[str, int]] = field(default_factory=set)
    # structure id → (valid, record, row) of the row that defines it (the first one)
    structures: dict[str, tuple[bool, str, int]] = field(default_factory=dict)
    services: int = 0


def _where(record: str, row: int) -> str:
    """Where a row is, as the person who wrote the file sees it."""
    if record == "file":
        return _("fichier")
    if record == "row":
        return _("ligne %(row)s") % {"row": row}
    if record == "structure":
        return _("structure n° %(row)s") % {"row": row}
    return _("service n° %(row)s") % {"row": row}


def _validate(text, format, context: _Context, report: ImportReport, progress) -> _Validation:
    state = _Validation()
    seen: dict[str, int] = {}  # service id → row
    unresolved: list[tuple[str, int, str]] = []  # (record, row, structure id) to check at the end
    pending: list[tuple[str, int, ServicePlan]] = []  # to check against other territories

    def fail(record: str, row: int, name: str, message: str) -> None:
        state.invalid.add((record, row))
        report.error(row, name, message, record)

    def check_territory() -> None:
        ids = {plan.source_id for _r, _n, plan in pending}
        foreign = set(
            Service.objects.filter(source_id__in=ids)
            .exclude(organisation__territory=context.territory)
            .values_list("source", "source_id")
        )
        for record, row, plan in pending:
            if (plan.source, plan.source_id) in foreign:
                fail(record, row, "id", _("Ce service appartient à un autre territoire."))
        pending.clear()

    for row in _rows(text, format):
        if row.record == "warning":
            report.warn(1, row.service["column"], _("Colonne inconnue, ignorée."), "row")
            continue
        report.rows += 1
        errors: list[tuple[str, str]] = []
        warnings: list[tuple[str, str]] = []
        if row.structure is not None:
            prefix = "structure_" if row.record == "row" else ""
            _plan, found, cautions = _plan_structure(row.structure, context)
            errors += [(prefix + name, message) for name, message in found]
            warnings += [(prefix + name, message) for name, message in cautions]
            sid = row.structure.get("id")
            if isinstance(sid, str) and sid not in state.structures:
                state.structures[sid] = (not found, row.record, row.number)
            elif row.record == "structure":
                errors.append(("id", _("Identifiant en double dans le fichier.")))
        if row.service is not None:
            plan, found, cautions = _plan_service(row.service, context)
            errors += found
            warnings += cautions
            if plan is not None:
                state.services += 1
                key = f"{plan.source}--{plan.source_id}"
                if key in seen:
                    errors.append(
                        (
                            "id",
                            _("Identifiant en double : déjà vu (%(where)s).")
                            % {"where": _where(row.record, seen[key])},
                        )
                    )
                else:
                    seen[key] = row.number
                defined = state.structures.get(plan.structure_id)
                if defined is None and context.own_organisation(plan.structure_id) is None:
                    unresolved.append((row.record, row.number, plan.structure_id))
                elif defined is not None and not defined[0]:
                    errors.append(
                        (
                            "structure_id",
                            _("La structure de ce service est invalide (%(where)s).")
                            % {"where": _where(defined[1], defined[2])},
                        )
                    )
                pending.append((row.record, row.number, plan))
        for name, message in errors:
            fail(row.record, row.number, name, message)
        for name, message in warnings:
            report.warn(row.number, name, message, row.record)
        if len(pending) >= BATCH:
            check_territory()
        if progress and report.rows % BATCH == 0:
            progress(report.rows, None)
    check_territory()
    for record, row, sid in unresolved:  # structures listed after their services
        defined = state.structures.get(sid)
        if defined is None:
            fail(
                record,
                row,
                "structure_id",
                _("Structure inconnue : « %(id)s » n'est ni dans le fichier ni dans l'annuaire.")
                % {"id": sid},
            )
        elif not defined[0]:
            fail(
                record,
                row,
                "structure_id",
                _("La structure de ce service est invalide (%(where)s).")
                % {"where": _where(defined[1], defined[2])},
            )
    report.errors.sort(key=lambda e: (e.record, e.row))
    report.invalid_rows = len(state.invalid)
    return state


# ---------------------------------------------------------------------------------------------
# Phase (b): write, in batches, only what differs


ATTNAMES = {"organisation_id": "organisation", "commune_id": "commune"}


def _diff(instance, fields: dict[str, Any]) -> set[str]:
    changed = set()
    for name, value in fields.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.add(ATTNAMES.get(name, name))
    return changed


class _Writer:
    def __init__(self, context: _Context, report: ImportReport) -> None:
        self.context, self.report = context, report
        self.organisations: dict[str, int] = {}  # structure id → organisation pk
        self.done_organisations: set[int] = set()
        self.renamed: set[int] = set()
        self.touched: list = []
        organisations = Organisation.objects.filter(territory=context.territory)
        self.by_siret = dict(organisations.exclude(siret="").values_list("siret", "pk"))
        self.by_name = dict(organisations.values_list("name", "pk"))

    # Organisations -----------------------------------------------------------------------
    def structures(self, batch: list[StructurePlan]) -> None:
        matches = {}
        for plan in batch:
            siret, name = plan.fields["siret"], plan.fields["name"]
            matches[plan.id] = (
                (self.by_siret.get(siret) if siret else None)
                or self.by_name.get(name)
                or self.context.own_organisation(plan.id)
            )
        existing = Organisation.objects.in_bulk([pk for pk in matches.values() if pk])
        created: dict[str, Organisation] = {}  # name → new organisation of this batch
        to_create, to_update, fields = [], [], set()
        for plan in batch:
            pk = matches[plan.id]
            if pk is None:
                organisation = created.get(plan.fields["name"])
                if organisation is None:
                    organisation = Organisation(
                        territory=self.context.territory,
                        kind=Organisation.Kind.OTHER,
                        **plan.fields,
                    )
                    created[organisation.name] = organisation
                    to_create.append((plan.id, organisation))
                else:
                    to_create.append((plan.id, organisation))
                continue
            self.organisations[plan.id] = pk
            if pk in self.done_organisations:
                continue
            self.done_organisations.add(pk)
            organisation = existing[pk]
            wanted = dict(plan.fields)
            if self.by_name.get(wanted["name"], pk) != pk:
                del wanted["name"]  # another organisation of the territory has that name
            changed = _diff(organisation, wanted)
            if changed:
                to_update.append(organisation)
                fields |= changed
                if "name" in changed:
                    self.renamed.add(pk)
        new = list({id(o): o for _sid, o in to_create}.values())
        bulk_create_with_history(new, Organisation, batch_size=BATCH, default_change_reason=REASON)
        for sid, organisation in to_create:
            self.organisations[sid] = organisation.pk
            self.by_name[organisation.name] = organisation.pk
            if organisation.siret:
                self.by_siret[organisation.siret] = organisation.pk
            self.done_organisations.add(organisation.pk)
        if to_update:
            bulk_update_with_history(
                to_update,
                Organisation,
                sorted(fields),
                batch_size=BATCH,
                default_change_reason=REASON,
            )
        self.report.structures_created += len(new)
        self.report.structures_updated += len(to_update)

    # Services ----------------------------------------------------------------------------
    def services(self, batch: list[ServicePlan]) -> None:
        existing = {
            (s.source, s.source_id): s
            for s in Service.objects.filter(
                source_id__in=[p.source_id for p in batch]
            ).prefetch_related(
                "help_types",
                "publics",
                "coverage_communes",
                "phones",
                "places",
                "opening_slots",
                "opening_exceptions",
            )
        }
        now = timezone.now()
        new, updated, fields = [], [], set()
        links: dict[str, list] = {"help_types": [], "publics": [], "coverage_communes": []}
        unlinks: dict[str, list[tuple[Any, Any]]] = {
            "help_types": [],
            "publics": [],
            "coverage_communes": [],
        }
        old_phones, new_phones, new_places, changed_places, place_fields = [], [], [], [], set()
        reset_slots, new_slots = [], []
        today = timezone.localdate()
        reset_exceptions, new_exceptions = [], []
        for plan in batch:
            organisation = self.organisations.get(
                plan.structure_id
            ) or self.context.own_organisation(plan.structure_id)
            service = existing.get((plan.source, plan.source_id))
            is_new = service is None
            changed: set[str] = set()
            if is_new:
                service = Service(
                    source=plan.source,
                    source_id=plan.source_id,
                    organisation_id=organisation,
                    status=Service.Status.PUBLISHED,
                    **plan.fields,
                )
                new.append(service)
            else:
                changed = _diff(service, {**plan.fields, "organisation_id": organisation})
                if changed:
                    service.updated_at = now
                    updated.append(service)
                    fields |= changed
            relations = False
            for relation in links:
                wanted = getattr(plan, relation)
                if wanted is None:
                    continue
                current = set() if is_new else {o.pk for o in getattr(service, relation).all()}
                target = "commune_id" if relation == "coverage_communes" else "term_id"
                through = getattr(Service, relation).through
                for pk in set(wanted) - current:
                    links[relation].append(through(service_id=service.pk, **{target: pk}))
                for pk in current - set(wanted):
                    unlinks[relation].append((service.pk, pk))
                relations |= set(wanted) != current
            if plan.phone:
                public = (
                    []
                    if is_new
                    else [p for p in service.phones.all() if p.visibility == Visibility.PUBLIC]
                )
                if plan.phone not in [p.number for p in public]:
                    old_phones += [p.pk for p in public]
                    new_phones.append(
                        ServicePhone(
                            service=service, number=plan.phone, visibility=Visibility.PUBLIC
                        )
                    )
                    relations = True
            if plan.place:
                places = [] if is_new else sorted(service.places.all(), key=lambda p: p.pk)
                wanted = dict(plan.place)
                if places and places[0].hide_address:  # never un-hidden by an import
                    wanted.update(hide_address=True, latitude=None, longitude=None)
                if not places:
                    new_places.append(Place(service=service, **wanted))
                    relations = True
                else:
                    differs = _diff(places[0], wanted)
                    if differs:
                        changed_places.append(places[0])
                        place_fields |= differs
                        relations = True
            if plan.hours is not None:
                wanted = plan.hours.slots
                current = (
                    []
                    if is_new
                    else sorted((s.weekday, s.opens, s.closes) for s in service.opening_slots.all())
                )
                if wanted != current:
                    reset_slots.append(service.pk)
                    new_slots += [
                        OpeningSlot(service=service, weekday=d, opens=o, closes=c)
                        for d, o, c in wanted
                    ]
                    relations = True
                # Exceptions of today and later: the file's replace ours; the past stays.
                wanted_exceptions = [e for e in plan.hours.exceptions if e[0] >= today]
                current_exceptions = (
                    []
                    if is_new
                    else [
                        (e.on, e.opens, e.closes)
                        for e in sorted(
                            service.opening_exceptions.all(), key=OpeningException.sort_key
                        )
                        if e.on >= today
                    ]
                )
                if wanted_exceptions != current_exceptions:
                    reset_exceptions.append(service.pk)
                    new_exceptions += [
                        OpeningException(service=service, on=d, opens=o, closes=c)
                        for d, o, c in wanted_exceptions
                    ]
                    relations = True
            if is_new:
                self.report.created += 1
            elif changed or relations:
                self.report.updated += 1
            else:
                self.report.unchanged += 1
            if is_new or changed or relations:
                self.touched.append(service.pk)
        bulk_create_with_history(new, Service, batch_size=BATCH, default_change_reason=REASON)
        if updated:
            bulk_update_with_history(
                updated,
                Service,
                sorted(fields | {"updated_at"}),
                batch_size=BATCH,
                default_change_reason=REASON,
            )
        for relation, pairs in unlinks.items():
            if pairs:
                through = getattr(Service, relation).through
                target = "commune_id" if relation == "coverage_communes" else "term_id"
                condition = Q()
                for service_id, pk in pairs:
                    condition |= Q(service_id=service_id, **{target: pk})
                through.objects.filter(condition).delete()
        for relation, rows in links.items():
            getattr(Service, relation).through.objects.bulk_create(rows, batch_size=BATCH)
        if old_phones:
            ServicePhone.objects.filter(pk__in=old_phones).delete()
        bulk_create_with_history(
            new_phones, ServicePhone, batch_size=BATCH, default_change_reason=REASON
        )
        bulk_create_with_history(new_places, Place, batch_size=BATCH, default_change_reason=REASON)
        if changed_places:
            bulk_update_with_history(
                changed_places,
                Place,
                sorted(place_fields),
                batch_size=BATCH,
                default_change_reason=REASON,
            )
        if reset_slots:
            OpeningSlot.objects.filter(service_id__in=reset_slots).delete()
        bulk_create_with_history(
            new_slots, OpeningSlot, batch_size=BATCH, default_change_reason=REASON
        )
        if reset_exceptions:
            OpeningException.objects.filter(service_id__in=reset_exceptions, on__gte=today).delete()
        bulk_create_with_history(
            new_exceptions, OpeningException, batch_size=BATCH, default_change_reason=REASON
        )

    def reindex(self) -> None:
        pks = list(self.touched)
        if self.renamed:
            pks += list(
                Service.objects.filter(organisation__in=self.renamed).values_list("pk", flat=True)
            )
        pks = list(dict.fromkeys(pks))
        for start in range(0, len(pks), BATCH):
            reindex(
                Service.objects.filter(pk__in=pks[start : start + BATCH])
                .select_related("organisation")
                .prefetch_related("violence_types", "help_types", "publics", "places__commune")
            )


def _write(
    text, format, context: _Context, report: ImportReport, state: _Validation, progress
) -> None:
    writer = _Writer(context, report)
    batch: list = []
    for row in _rows(text, format):  # organisations first: services refer to them
        structure = row.structure
        if structure is None or state.structures.get(structure.get("id")) != (
            True,
            row.record,
            row.number,
        ):
            continue
        batch.append(_plan_structure(structure, context)[0])
        if len(batch) >= BATCH:
            writer.structures(batch)
            batch = []
    writer.structures(batch)
    batch, done, total = [], 0, state.services - report.invalid_rows
    for row in _rows(text, format):
        if (
            row.service is None
            or row.record == "warning"
            or (row.record, row.number) in state.invalid
        ):
            continue
        batch.append(_plan_service(row.service, context)[0])
        if len(batch) >= BATCH:
            writer.services(batch)
            reset_queries()  # DEBUG keeps every query: do not let it grow with the file
            done += len(batch)
            batch = []
            if progress:
                progress(done, total)
    writer.services(batch)
    if progress:
        progress(done + len(batch), total)
    writer.reindex()


class _DryRun(Exception):
    pass


FORMATS = {"data-inclusion": "json", "json": "json", "csv": "csv"}


def import_services(
    file_or_path,
    *,
    format: str,
    territory: Territory,
    dry_run: bool,
    valid_rows_only: bool = False,
    progress: Callable[[int, int | None], None] | None = None,
) -> ImportReport:
    """Validate every row, then write them all in one transaction (see the module's doc).

    `progress(done, total)` is called every 1,000 rows: total is None while validating (the
    file is streamed, its length unknown), then the number of services to write.
    """
    if format not in FORMATS:
        raise ValueError(f"Unknown format {format!r}: {', '.join(FORMATS)}")
    format = FORMATS[format]
    report = ImportReport(dry_run=dry_run)
    text, opened = _open(file_or_path)
    try:
        context = _Context(territory)
        try:
            state = _validate(text, format, context, report, progress)
        except FileError as error:
            report.error(0, "", str(error), "file")
            return report
        except (UnicodeDecodeError, csv.Error) as error:
            message = _("Fichier illisible : %(error)s (attendu : texte UTF-8).") % {"error": error}
            report.error(0, "", message, "file")
            return report
        report.skipped = report.invalid_rows
        if report.invalid_rows and not valid_rows_only:
            return report
        try:
            with transaction.atomic():
                _write(text, format, context, report, state, progress)
                if dry_run:
                    raise _DryRun
            report.written = True
        except _DryRun:
            pass
        return report
    finally:
        if opened:
            text.close()
        elif not isinstance(getattr(file_or_path, "file", file_or_path), io.TextIOBase):
            text.detach()  # leave the caller's binary file open
