"""Import services in the data·inclusion v1 schema, from JSON or CSV, into one territory.

Two phases. (a) Every row is validated — the `data-inclusion-schema` pydantic models, then our
own rules (model field validation: phones, e-mails, URLs, lengths; communes known by INSEE
code; a structure for every service) — into a per-row report (row, field, French message).
(b) Everything is written in ONE transaction, and only if every row is valid, or if the caller
passes `valid_rows_only=True` (invalid rows are then skipped and reported). A dry run does
(b) and rolls it back, so its counts are exact.

Files are streamed, never loaded whole: JSON items are decoded one at a time with the standard
`json` module, CSV rows one at a time. Each row is validated once: phase (a) keeps what it
planned to write in temporary files (pickled batches), phase (b) reads them back and writes by
batches of 1,000, each table and its history table with one INSERT or COPY (see _Table), the
search text of new services computed on the way and the search index's token changed once.
150,000 services: ~140 MB peak RSS (bench/imports.py). A file object must be seekable.

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

import contextlib
import csv
import functools
import io
import itertools
import json
import pickle
import re
import secrets
import tempfile
import time as clock
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path
from typing import Any, NamedTuple
from uuid import UUID

import pydantic
from data_inclusion.schema import v1
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, models, reset_queries, transaction
from django.db.models import DateTimeField, Field, Q
from django.db.models.fields import AutoFieldMixin
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from maillage.core.models import (
    Commune,
    Organisation,
    Territory,
    normalise_phone,
    validate_french_phone,
)

from .. import index
from ..models import OpeningException, OpeningSlot, Place, Service, ServicePhone, Term, Visibility
from ..search import reindex
from ..text import fold
from . import fastcheck

BATCH = 1000
RELATIONS = ("help_types", "publics", "coverage_communes")  # the links a service row sets
SQLITE_CACHE_KB = 64 * 1024  # the page cache while writing (see _page_cache)
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


class _FastService(v1.Service):
    courriel: str | None = None  # checked by _model() (fastcheck.plain_email, else EmailStr)


class _FastStructure(v1.Structure):
    courriel: str | None = None


def _model(fast, exact, data: dict[str, Any]):
    """exact.model_validate(data) (the data·inclusion model), the e-mail address checked by a
    regular expression when it has the usual shape: email_validator's checks per character were
    a fifth of the validation. Any doubt, any error: the exact model decides (same errors)."""
    try:
        model = fast.model_validate(data)
    except pydantic.ValidationError:
        return exact.model_validate(data)
    if model.courriel is not None and not fastcheck.plain_email(model.courriel):
        return exact.model_validate(data)
    return model


_CHECKED: dict[tuple, list] = {}  # (model, names of the values) → [(attname, field, check)]
# Short values (codes, choices) seen before, by (id of the field, value): Field.__hash__ is
# Python code, called twice a value.
_CLEAN: dict[tuple[int, str], str | None] = {}
_TYPED = (bool, date)  # booleans and dates come typed (pydantic, our own flags): always valid


def _checked_fields(model, names: tuple[str, ...]) -> list:
    """The model's fields among these names, in the model's order: (attname, field, whether
    an empty value passes, fast check)."""
    key = (model, names)
    fields = _CHECKED.get(key)
    if fields is None:
        fields = _CHECKED[key] = [
            (f.attname, f, f.blank, fastcheck.fast_check(f))
            for f in model._meta.concrete_fields
            if not f.is_relation and f.attname in names
        ]
    return fields


def _field_errors(model, values: dict[str, Any]) -> list[tuple[str, str]]:
    """Model.clean_fields() for these values only (no instance: 150,000 rows a run), in the
    model's field order; relations are checked apart (communes, organisations)."""
    errors = []
    for attname, field_, blank, fast in _checked_fields(model, tuple(values)):
        value = values[attname]
        if isinstance(value, _TYPED):
            continue
        if blank and (value is None or value == "" or value in field_.empty_values):
            continue
        if fast is not None and fast(value):
            continue  # certainly valid (a length, a range, a plain address): no Field.clean()
        short = isinstance(value, str) and len(value) <= 20
        key = (id(field_), value)
        if short and key in _CLEAN:
            message = _CLEAN[key]
        else:
            try:
                field_.clean(value, None)
                message = None
            except ValidationError as error:
                message = " ".join(error.messages)
            if short:
                if len(_CLEAN) > 100_000:
                    _CLEAN.clear()
                _CLEAN[key] = message
        if message is not None:
            errors.append((SOURCE_NAMES.get(field_.name, field_.name), message))
    return errors


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
        _CLEAN.clear()  # messages in this import's language
        self.commune_names: dict[str, str] = {}
        self.by_postal: dict[tuple[str, str], str] = {}
        for code, name, postal_codes in Commune.objects.values_list(
            "insee_code", "name", "postal_codes"
        ):
            self.commune_names[code] = name
            for postal in postal_codes or []:
                self.by_postal[postal, fold(name)] = code
        self.communes: set[str] = set(self.commune_names)
        self.departments = set(Commune.objects.values_list("department", flat=True))
        self.territory_communes = sorted(territory.communes.values_list("insee_code", flat=True))
        terms = Term.objects.filter(is_active=True).order_by("position", "pk")
        self.help = [t for t in terms if t.vocabulary == Term.Vocabulary.HELP]
        self.public = [t for t in terms if t.vocabulary == Term.Vocabulary.PUBLIC]
        self.organisation_ids = set(
            Organisation.objects.filter(territory=territory).values_list("pk", flat=True)
        )
        self.terms: dict[tuple, tuple] = {}  # see _cached_terms()

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
        model = _model(_FastStructure, v1.Structure, data)
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
    errors += _field_errors(Organisation, fields)
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


def _cached_terms(
    model: v1.Service, context: _Context, warnings: list
) -> tuple[list[int] | None, list[int] | None]:
    """_terms_for(), once per combination of type, thématiques and publics in an import (a few
    hundred at national scale). The lists are shared between plans: never changed in place."""
    key = (
        model.type,
        None if model.thematiques is None else tuple(sorted(t.value for t in model.thematiques)),
        None if model.publics is None else tuple(sorted(p.value for p in model.publics)),
    )
    found = context.terms.get(key)
    if found is None:
        said: list = []
        helps, publics = _terms_for(model, context, said)
        found = context.terms[key] = (helps, publics, said)
    warnings += found[2]
    return found[0], found[1]


# The same opening hours come back row after row ("Mo-Fr 09:00-12:00,14:00-17:00"): each string
# is parsed once. The result is shared between plans: never changed in place.
_hours = functools.lru_cache(maxsize=4096)(parse_opening_hours)


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
        model = _model(_FastService, v1.Service, data)
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
    plan.help_types, plan.publics = _cached_terms(model, context, warnings)
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
        errors += _field_errors(Place, plan.place)
    elif model.adresse or model.latitude is not None:
        warnings.append(("code_insee", _("Adresse ignorée : la commune (code INSEE) manque.")))
    if model.horaires_accueil:
        plan.hours = _hours(model.horaires_accueil)
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
    errors += _field_errors(Service, {**fields, "source": source, "source_id": source_id})
    return plan, errors, warnings


# ---------------------------------------------------------------------------------------------
# Phase (a): validate every row


@dataclass
class _Validation:
    invalid: set[tuple[str, int]] = field(default_factory=set)
    # structure id → (valid, record, row) of the row that defines it (the first one)
    structures: dict[str, tuple[bool, str, int]] = field(default_factory=dict)
    services: int = 0
    # The plans of phase (a), kept for phase (b) in temporary files (the file is read once).
    planned_structures: _Spill = field(default_factory=lambda: _Spill())
    planned_services: _Spill = field(default_factory=lambda: _Spill())
    # (source, source_id) of the file's services already in this territory: phase (b) reads
    # only those back (a first import reads nothing).
    existing: set[tuple[str, str]] = field(default_factory=set)


class _Spill:
    """A list written to a temporary file by batches (pickle), read back in order."""

    def __init__(self) -> None:
        self.file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
        self.buffer: list = []

    def append(self, item: Any) -> None:
        self.buffer.append(item)
        if len(self.buffer) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if self.buffer:
            pickle.dump(self.buffer, self.file, protocol=pickle.HIGHEST_PROTOCOL)
            self.buffer = []

    def __iter__(self) -> Iterator[Any]:
        self.flush()
        self.file.seek(0)
        while True:
            try:
                yield from pickle.load(self.file)  # noqa: S301 - own temp file  # nosec B301
            except EOFError:
                return

    def close(self) -> None:
        self.file.close()


def _by_source_id(plans: list[ServicePlan]) -> Q:
    """The services of these (source, source_id), in terms the partial unique index on them
    answers (its condition repeated): without it, each batch read the whole table."""
    ids: dict[str, set[str]] = {}
    for plan in plans:
        ids.setdefault(plan.source, set()).add(plan.source_id)
    condition = Q(pk__in=[])
    for source, values in ids.items():
        condition |= Q(source=source, source_id__in=sorted(values))
    return condition & ~Q(source_id="")


def _where(record: str, row: int) -> str:
    """Where a row is, as the person who wrote the file sees it."""
    if record == "file":
        return _("fichier")
    if record == "row":
        return _("ligne %(row)s") % {"row": row}
    if record == "structure":
        return _("structure n° %(row)s") % {"row": row}
    return _("service n° %(row)s") % {"row": row}


def _validate(
    text, format, context: _Context, report: ImportReport, progress, state: _Validation
) -> _Validation:
    seen: dict[str, int] = {}  # service id → row
    unresolved: list[tuple[str, int, str]] = []  # (record, row, structure id) to check at the end
    pending: list[tuple[str, int, ServicePlan]] = []  # to check against other territories

    def fail(record: str, row: int, name: str, message: str) -> None:
        state.invalid.add((record, row))
        report.error(row, name, message, record)

    def check_territory() -> None:
        foreign = set()
        for source, source_id, territory in (
            Service.objects.filter(_by_source_id([plan for _r, _n, plan in pending]))
            .order_by()
            .values_list("source", "source_id", "organisation__territory_id")
        ):
            if territory == context.territory.pk:
                state.existing.add((source, source_id))
            else:
                foreign.add((source, source_id))
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
        if any(
            part is not None and not isinstance(part, dict) for part in (row.service, row.structure)
        ):
            # A JSON record that is not an object ({...}): nothing in it can be read.
            fail(row.record, row.number, "", _("Cet enregistrement n'est pas un objet JSON."))
            continue
        if row.structure is not None:
            prefix = "structure_" if row.record == "row" else ""
            structure_plan, found, cautions = _plan_structure(row.structure, context)
            state.planned_structures.append((row.record, row.number, structure_plan))
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
                state.planned_services.append((row.record, row.number, plan))
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
PLACE_FIELDS = ("address", "postal_code", "commune_id", "latitude", "longitude", "hide_address")


def _diff(instance, fields: dict[str, Any]) -> set[str]:
    changed = set()
    for name, value in fields.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.add(ATTNAMES.get(name, name))
    return changed


@functools.lru_cache(maxsize=20_000)
def _normalised(text: str) -> str:
    return fastcheck.normalise(text)


@functools.lru_cache(maxsize=2_000)
def _normalised_description(text: str) -> str:
    return fastcheck.normalise(text)  # descriptions are often shared (a network's services)


class _Table:
    """A model's rows, and their history rows, inserted with one statement each (executemany
    on SQLite, COPY FROM STDIN on PostgreSQL): no model instance and no historical instance
    per row — what bulk_create_with_history costs at national scale. Rows are dicts by column
    attname; the missing ones take the model's defaults (auto_now fields: now), as bulk_create
    gives them. Primary keys of auto-increment tables are reserved first (the sequence on
    PostgreSQL; on SQLite the import's transaction holds the write lock), so that the history
    rows and the rows that refer to them know them."""

    _tables: dict[type, _Table] = {}

    def __init__(self, model) -> None:
        meta = model._meta
        self.model, self.pk = model, meta.pk
        self.auto_pk = isinstance(self.pk, AutoFieldMixin)
        self.history = getattr(model, "history", None)
        self.fields = [
            f
            for f in meta.concrete_fields
            if not getattr(f, "generated", False)
            and not (f.primary_key and self.auto_pk and self.history is None)
        ]
        self.now_fields = [
            f
            for f in self.fields
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        ]
        self.defaults: dict[str, Any] = {}
        self.callables: dict[str, Field] = {}
        for f in self.fields:
            if f in self.now_fields or (f.primary_key and self.auto_pk):
                continue
            if f.has_default() and callable(f.default):
                self.callables[f.attname] = f
            else:
                self.defaults[f.attname] = f.get_default()

    @classmethod
    def of(cls, model) -> _Table:
        if model not in cls._tables:
            cls._tables[model] = cls(model)
        return cls._tables[model]

    def new(self, **values: Any) -> dict[str, Any]:
        row = dict(self.defaults)
        for attname, f in self.callables.items():
            if attname not in values:
                row[attname] = f.get_default()
        row.update(values)
        return row

    def insert(self, rows: list[dict[str, Any]], *, reason: str = REASON) -> None:
        if not rows:
            return
        now = timezone.now()
        for f in self.now_fields:
            value = now if isinstance(f, DateTimeField) else timezone.localdate(now)
            for row in rows:
                row[f.attname] = value
        if self.auto_pk and self.history is not None:
            missing = [row for row in rows if row.get(self.pk.attname) is None]
            for row, pk in zip(missing, self._reserve(len(missing)), strict=True):
                row[self.pk.attname] = pk
        attnames = [f.attname for f in self.fields]
        _execute(
            self.model._meta.db_table,
            self.fields,
            [[row[attname] for attname in attnames] for row in rows],
        )
        if self.history is not None:
            self.insert_history(rows, "+", reason, now)

    def insert_history(self, rows: list[dict[str, Any]], kind: str, reason: str, now) -> None:
        historical = self.history.model
        tracked = [historical._meta.get_field(f.name) for f in historical.tracked_fields]
        # Who: as bulk_create_with_history finds them (the request's user through
        # simple_history's middleware, else nobody); rows are dicts, hence the bare object.
        user = historical.get_default_history_user(object())
        extra = [now, reason, kind, getattr(user, "pk", None)]
        extra_fields = [
            historical._meta.get_field(name)
            for name in ("history_date", "history_change_reason", "history_type", "history_user")
        ]
        if hasattr(historical, "history_relation"):
            extra_fields.append(historical._meta.get_field("history_relation"))
        attnames = [f.attname for f in tracked]
        if hasattr(historical, "history_relation"):
            pk = self.pk.attname
            lines = [[*(row[a] for a in attnames), *extra, row[pk]] for row in rows]
        else:
            lines = [[row[a] for a in attnames] + extra for row in rows]
        _execute(historical._meta.db_table, tracked + extra_fields, lines)

    def _reserve(self, count: int) -> list[int]:
        if not count:
            return []
        table, column = self.model._meta.db_table, self.pk.column
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [table, column, count],
                )
                return [pk for (pk,) in cursor.fetchall()]
            quoted = connection.ops.quote_name
            cursor.execute(f"SELECT MAX({quoted(column)}) FROM {quoted(table)}")  # noqa: S608 - model names  # nosec B608
            last = cursor.fetchone()[0] or 0
            if connection.vendor == "sqlite":  # AUTOINCREMENT: never reuse a deleted row's id
                cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
                found = cursor.fetchone()
                last = max(last, found[0] if found else 0)
            return list(range(last + 1, last + 1 + count))


# Fields whose Python value is what the database driver takes (get_db_prep_save is the identity
# for the values an import holds): skipping it saves a third of the insert time.
_PLAIN = (
    models.CharField,
    models.TextField,
    models.BooleanField,
    models.IntegerField,
    models.FloatField,
)
_PLAIN_EXCEPT = (
    models.UUIDField,
    models.JSONField,
    models.DecimalField,
    models.GenericIPAddressField,
)


def _preparer(field_: Field, db) -> tuple[Callable | None, bool]:
    """(None when values go as they are, else how to prepare them; whether to memoise)."""
    target = field_.target_field if field_.is_relation else field_
    if isinstance(target, models.UUIDField):
        if db.features.has_native_uuid_field:
            return None, False
        return (
            lambda value, db: (
                value.hex if isinstance(value, UUID) else field_.get_db_prep_save(value, db)
            )
        ), False
    if isinstance(target, _PLAIN) and not isinstance(target, _PLAIN_EXCEPT):
        return None, False
    # dates and times: a few values a batch (now, opening hours), each prepared once
    return field_.get_db_prep_save, isinstance(target, models.DateField | models.TimeField)


def _execute(table: str, fields: list, lines: list[list[Any]]) -> None:
    """INSERT the rows (lists of values in the order of fields), their values prepared as
    Django prepares them (get_db_prep_save); the lists are changed in place."""
    db = transaction.get_connection()  # the wrapper itself, not the thread-local proxy
    quoted = db.ops.quote_name
    columns = ", ".join(quoted(f.column) for f in fields)
    preps = []
    for i, f in enumerate(fields):
        prep, memoise = _preparer(f, db)
        if prep is not None:
            preps.append((i, prep, {} if memoise else None))
    for line in lines:
        for i, prep, memo in preps:
            value = line[i]
            if value is None:
                continue
            if memo is None:
                line[i] = prep(value, db)
            elif value in memo:
                line[i] = memo[value]
            else:
                line[i] = memo[value] = prep(value, db)
    values = lines
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            # COPY FROM STDIN (psycopg 3): rows streamed in the text format, adapted in C.
            # Multi-row VALUES of 30,000 parameters cost twice SQLite's CPU in psycopg's
            # client-side binding alone (_split_query over the placeholders, in Python).
            sql = f"COPY {quoted(table)} ({columns}) FROM STDIN"
            with cursor.cursor.copy(sql) as copy:
                for line in values:
                    copy.write_row(line)
        else:
            cursor.executemany(
                f"INSERT INTO {quoted(table)} ({columns}) VALUES {one}",  # noqa: S608 - model names  # nosec B608
                values,
            )


class _OrderedIds:
    """UUIDs in increasing order for the services an import creates (RFC 9562 version 7, its
    "fixed-length dedicated counter" method: the import's start in milliseconds, 12 random bits
    drawn once, a 30-bit counter, 32 random bits per id). Random version-4 keys sent every
    insert into the primary key and into each `service_id` index (places, phones, hours, links
    and their history tables) at a random leaf: past the page cache at national scale, most of
    the writing time. Increasing keys append at the right edge of each B-tree."""

    def __init__(self) -> None:
        self.prefix = (
            (int(clock.time() * 1000) & (1 << 48) - 1) << 80
            | 7 << 76
            | secrets.randbits(12) << 64
            | 0b10 << 62
        )
        self.count = 0

    def __call__(self) -> UUID:
        count, self.count = self.count, self.count + 1
        return UUID(int=self.prefix | (count & (1 << 30) - 1) << 32 | secrets.randbits(32))


class _Writer:
    def __init__(
        self, context: _Context, report: ImportReport, existing: set[tuple[str, str]]
    ) -> None:
        self.context, self.report, self.existing = context, report, existing
        self.organisations: dict[str, int] = {}  # structure id → organisation pk
        self.done_organisations: set[int] = set()
        self.renamed: set[int] = set()
        self.touched: list = []  # existing services changed: their search text is recomputed
        self.written = False
        self.by_siret: dict[str, int] = {}
        self.by_name: dict[str, int] = {}
        self.names: dict[int, tuple[str, str]] = {}  # pk → (name, acronym), for the search text
        for pk, name, acronym, siret in Organisation.objects.filter(
            territory=context.territory
        ).values_list("pk", "name", "acronym", "siret"):
            self.by_name[name] = pk
            self.names[pk] = (name, acronym)
            if siret:
                self.by_siret[siret] = pk
        self.terms = {t.pk: t for t in (*context.help, *context.public)}
        self.today = timezone.localdate()
        self.new_id = _OrderedIds()

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
        created: dict[str, dict] = {}  # name → new organisation of this batch
        to_create: list[tuple[str, dict]] = []
        to_update, fields = [], set()
        table = _Table.of(Organisation)
        for plan in batch:
            pk = matches[plan.id]
            if pk is None:
                row = created.get(plan.fields["name"])
                if row is None:
                    row = created[plan.fields["name"]] = table.new(
                        territory_id=self.context.territory.pk,
                        kind=Organisation.Kind.OTHER,
                        **plan.fields,
                    )
                to_create.append((plan.id, row))
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
                    self.names[pk] = (organisation.name, organisation.acronym)
        table.insert(list(created.values()))
        for sid, row in to_create:
            pk = row["id"]
            self.organisations[sid] = pk
            self.by_name[row["name"]] = pk
            self.names[pk] = (row["name"], row["acronym"])
            if row["siret"]:
                self.by_siret[row["siret"]] = pk
            self.done_organisations.add(pk)
        if to_update:
            bulk_update_with_history(
                to_update,
                Organisation,
                sorted(fields),
                batch_size=BATCH,
                default_change_reason=REASON,
            )
        self.report.structures_created += len(created)
        self.report.structures_updated += len(to_update)
        self.written |= bool(created or to_update)

    # Services ----------------------------------------------------------------------------
    def _current(self, ids: list) -> dict[str, dict]:
        """What the existing services hold, read as values (no instance) per relation."""
        current: dict[str, dict] = {
            name: {pk: [] for pk in ids}
            for name in (
                "help_types",
                "publics",
                "coverage_communes",
                "phones",
                "places",
                "opening_slots",
                "opening_exceptions",
            )
        }
        if not ids:
            return current
        # Links and phones in plain SQL: no query compiled, no identifier converted per row.
        db = transaction.get_connection()
        quoted = db.ops.quote_name
        keys = {(pk if db.features.has_native_uuid_field else pk.hex): pk for pk in ids}
        where = f"{quoted('service_id')} IN ({', '.join(['%s'] * len(keys))})"
        with db.cursor() as cursor:
            for relation in RELATIONS:
                target = "commune_id" if relation == "coverage_communes" else "term_id"
                table = getattr(Service, relation).through._meta.db_table
                cursor.execute(
                    f"SELECT {quoted('service_id')}, {quoted(target)} "  # noqa: S608 - model names  # nosec B608
                    f"FROM {quoted(table)} WHERE {where}",
                    list(keys),
                )
                for service_id, pk in cursor.fetchall():
                    current[relation][keys[service_id]].append(pk)
            cursor.execute(
                f"SELECT {quoted('id')}, {quoted('service_id')}, {quoted('number')} "  # noqa: S608 - model names  # nosec B608
                f"FROM {quoted(ServicePhone._meta.db_table)} WHERE {where} "
                f"AND {quoted('visibility')} = %s",
                [*keys, Visibility.PUBLIC.value],
            )
            for pk, service_id, number in cursor.fetchall():
                current["phones"][keys[service_id]].append((pk, number))
        # Places as values (model instances only for those that change: see services()).
        for pk, service_id, *values in (
            Place.objects.filter(service_id__in=ids)
            .order_by("pk")
            .values_list("pk", "service_id", *PLACE_FIELDS)
        ):
            current["places"][service_id].append((pk, dict(zip(PLACE_FIELDS, values, strict=True))))
        for service_id, *slot in OpeningSlot.objects.filter(service_id__in=ids).values_list(
            "service_id", "weekday", "opens", "closes"
        ):
            current["opening_slots"][service_id].append(tuple(slot))
        for service_id, *exception in OpeningException.objects.filter(
            service_id__in=ids, on__gte=self.today
        ).values_list("service_id", "on", "opens", "closes"):
            current["opening_exceptions"][service_id].append(tuple(exception))
        for exceptions in current["opening_exceptions"].values():
            exceptions.sort(key=lambda e: (e[0], e[1] or time.min))
        return current

    def _search_text(self, plan: ServicePlan, organisation: int | None) -> tuple[str, str]:
        """search.document() of a new service, from its plan (no query). The parts are
        normalised one by one (the same words as the whole text: normalise() never joins
        across a space), the repeated ones (labels, names) once."""
        terms = sorted(
            (self.terms[pk] for pk in plan.help_types or [] if pk in self.terms),
            key=lambda t: (t.position, t.label),
        ) + sorted(
            (self.terms[pk] for pk in plan.publics or [] if pk in self.terms),
            key=lambda t: (t.position, t.label),
        )
        name, acronym = self.names.get(organisation, ("", ""))
        title = fastcheck.normalise(plan.fields["name"])
        parts = [title, _normalised_description(plan.fields["description"])]
        parts += [
            _normalised(part)
            for part in (
                name,
                acronym,
                *(t.label for t in terms),
                *(t.public_label for t in terms),
                self.context.commune_names.get(plan.place["commune_id"], "") if plan.place else "",
            )
            if part
        ]
        return f" {title} ", " ".join(p for p in parts if p)

    def services(self, batch: list[ServicePlan]) -> None:
        # What exists, as values: a model instance (40 fields) per service cost more than the
        # comparison; only the services that change are read again as instances, below.
        compared = sorted({name for plan in batch for name in plan.fields} | {"organisation_id"})
        # Only the services that existed when the file was validated: none on a first import
        # (the query's plan, on a table growing within the transaction, was a full scan).
        known = [plan for plan in batch if (plan.source, plan.source_id) in self.existing]
        existing = (
            {
                (source, source_id): (pk, dict(zip(compared, values, strict=True)))
                for pk, source, source_id, *values in Service.objects.filter(_by_source_id(known))
                .order_by()
                .values_list("pk", "source", "source_id", *compared)
            }
            if known
            else {}
        )
        current = self._current([pk for pk, _held in existing.values()])
        changes: dict[Any, dict[str, Any]] = {}  # service pk → {attname: new value}
        place_changes: dict[int, dict[str, Any]] = {}  # place pk → {attname: new value}
        now = timezone.now()
        today = self.today
        new, updated, fields = [], [], set()
        links: dict[str, list] = {"help_types": [], "publics": [], "coverage_communes": []}
        unlinks: dict[str, list[tuple[Any, Any]]] = {
            "help_types": [],
            "publics": [],
            "coverage_communes": [],
        }
        old_phones, new_phones, new_places, changed_places, place_fields = [], [], [], [], set()
        reset_slots, new_slots = [], []
        reset_exceptions, new_exceptions = [], []
        tables = {model: _Table.of(model) for model in (Service, ServicePhone, Place)}
        slot_table, exception_table = _Table.of(OpeningSlot), _Table.of(OpeningException)
        for plan in batch:
            organisation = self.organisations.get(
                plan.structure_id
            ) or self.context.own_organisation(plan.structure_id)
            found = existing.get((plan.source, plan.source_id))
            is_new = found is None
            changed: set[str] = set()
            if is_new:
                search_title, search_text = self._search_text(plan, organisation)
                row = tables[Service].new(
                    id=self.new_id(),
                    source=plan.source,
                    source_id=plan.source_id,
                    organisation_id=organisation,
                    status=Service.Status.PUBLISHED,
                    search_title=search_title,
                    search_text=search_text,
                    **plan.fields,
                )
                new.append(row)
                pk = row["id"]
            else:
                pk, held = found
                wanted = {**plan.fields, "organisation_id": organisation}
                differs = {name: value for name, value in wanted.items() if held[name] != value}
                if differs:
                    changes[pk] = differs
                    changed = {ATTNAMES.get(name, name) for name in differs}
                    fields |= changed
            relations = False
            for relation in links:
                wanted = getattr(plan, relation)
                if wanted is None:
                    continue
                held = set() if is_new else set(current[relation][pk])
                target = "commune_id" if relation == "coverage_communes" else "term_id"
                for value in set(wanted) - held:
                    links[relation].append({"service_id": pk, target: value})
                for value in held - set(wanted):
                    unlinks[relation].append((pk, value))
                relations |= set(wanted) != held
            if plan.phone:
                public = [] if is_new else current["phones"][pk]
                if plan.phone not in [number for _pk, number in public]:
                    old_phones += [phone_pk for phone_pk, _number in public]
                    new_phones.append(
                        tables[ServicePhone].new(
                            service_id=pk, number=plan.phone, visibility=Visibility.PUBLIC
                        )
                    )
                    relations = True
            if plan.place:
                places = [] if is_new else current["places"][pk]
                wanted = dict(plan.place)
                if places and places[0][1]["hide_address"]:  # never un-hidden by an import
                    wanted.update(hide_address=True, latitude=None, longitude=None)
                if not places:
                    new_places.append(tables[Place].new(service_id=pk, **wanted))
                    relations = True
                else:
                    place_pk, held = places[0]
                    differs = {name: value for name, value in wanted.items() if held[name] != value}
                    if differs:
                        place_changes[place_pk] = differs
                        place_fields |= {ATTNAMES.get(name, name) for name in differs}
                        relations = True
            if plan.hours is not None:
                wanted = plan.hours.slots
                held = [] if is_new else sorted(current["opening_slots"][pk])
                if wanted != held:
                    if not is_new:
                        reset_slots.append(pk)
                    new_slots += [
                        slot_table.new(service_id=pk, weekday=d, opens=o, closes=c)
                        for d, o, c in wanted
                    ]
                    relations = True
                # Exceptions of today and later: the file's replace ours; the past stays.
                wanted_exceptions = [e for e in plan.hours.exceptions if e[0] >= today]
                held = [] if is_new else current["opening_exceptions"][pk]
                if wanted_exceptions != held:
                    if not is_new:
                        reset_exceptions.append(pk)
                    new_exceptions += [
                        exception_table.new(service_id=pk, on=d, opens=o, closes=c)
                        for d, o, c in wanted_exceptions
                    ]
                    relations = True
            if is_new:
                self.report.created += 1
            elif changed or relations:
                self.report.updated += 1
                self.touched.append(pk)
            else:
                self.report.unchanged += 1
        if changes:
            for pk, service in Service.objects.in_bulk(list(changes)).items():
                for name, value in changes[pk].items():
                    setattr(service, name, value)
                service.updated_at = now
                updated.append(service)
        if place_changes:
            for pk, place in Place.objects.in_bulk(list(place_changes)).items():
                for name, value in place_changes[pk].items():
                    setattr(place, name, value)
                changed_places.append(place)
        self.written |= bool(new or updated or self.touched)
        tables[Service].insert(new)
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
            through_table = _Table.of(getattr(Service, relation).through)
            through_table.insert([through_table.new(**row) for row in rows])
        if old_phones:
            ServicePhone.objects.filter(pk__in=old_phones).delete()
        tables[ServicePhone].insert(new_phones)
        tables[Place].insert(new_places)
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
        slot_table.insert(new_slots)
        if reset_exceptions:
            OpeningException.objects.filter(service_id__in=reset_exceptions, on__gte=today).delete()
        exception_table.insert(new_exceptions)

    def reindex(self) -> None:
        """The search text of the existing services that changed (new ones got theirs when
        written), then one new search-index token for the whole import."""
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
        if self.written:
            index.bump()


@contextlib.contextmanager
def _page_cache() -> Iterator[None]:
    """On SQLite, a 64 MB page cache for the import's connection (2 MB by default): the indexes
    of the tables and history tables that grow by hundreds of thousands of rows stay in memory
    instead of being read again and again. The previous size is restored afterwards."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = cursor.fetchone()[0]
        if previous >= 0 or previous > -SQLITE_CACHE_KB:  # pages, or fewer KB than ours
            cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KB}")
    try:
        yield
    finally:
        with contextlib.suppress(DatabaseError), connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


def _write(context: _Context, report: ImportReport, state: _Validation, progress) -> None:
    writer = _Writer(context, report, state.existing)
    batch: list = []
    for record, number, plan in state.planned_structures:  # first: services refer to them
        if plan is None or state.structures.get(plan.id) != (True, record, number):
            continue
        batch.append(plan)
        if len(batch) >= BATCH:
            writer.structures(batch)
            batch = []
    writer.structures(batch)
    batch, done, total = [], 0, state.services - report.invalid_rows
    for record, number, plan in state.planned_services:
        if (record, number) in state.invalid:
            continue
        batch.append(plan)
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


# Tables the importer reads back by service: on PostgreSQL their planner statistics are
# refreshed after an import that wrote many rows (2 s at 150,000 services), or a re-import
# right after the first one planned a full scan per batch (no statistics yet: 114 s instead of
# 49). SQLite without statistics trusts its indexes, and ANALYZE there reads every row.
ANALYSED = (Service, Organisation, Place, ServicePhone, OpeningSlot, OpeningException)
ANALYSE_FROM = 10 * BATCH  # services created or updated


def _refresh_statistics() -> None:
    db = transaction.get_connection()
    if db.vendor == "postgresql":
        links = (getattr(Service, name).through for name in RELATIONS)
        tables = ", ".join(db.ops.quote_name(m._meta.db_table) for m in (*ANALYSED, *links))
        with db.cursor() as cursor:
            cursor.execute(f"ANALYZE {tables}")  # names of our models


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
    state = _Validation()
    try:
        context = _Context(territory)
        try:
            _validate(text, format, context, report, progress, state)
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
            with _page_cache(), transaction.atomic():
                _write(context, report, state, progress)
                if dry_run:
                    raise _DryRun
            report.written = True
        except _DryRun:
            pass
        if report.written and report.created + report.updated >= ANALYSE_FROM:
            _refresh_statistics()
        return report
    finally:
        state.planned_structures.close()
        state.planned_services.close()
        if opened:
            text.close()
        elif not isinstance(getattr(file_or_path, "file", file_or_path), io.TextIOBase):
            text.detach()  # leave the caller's binary file open
