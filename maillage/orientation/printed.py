"""The printed guide "Agir contre les violences sexistes et sexuelles" (issue 4, item 4).

One guide per territory and one per commune of a territory, built from the live directory by
WeasyPrint (directory.pdf.render_pdf: no request leaves the server) and kept in Django's default
storage. What it holds:

- public information only: published services for everyone (`visible_to(None)`), their public
  phones and email (`phones_for`/`email_for` with professional=False), never a confidential
  address (a place with `hide_address` shows its commune only, not even its name);
- the services covering the area, with the search's "covers a commune" rule (index.py): a place
  in one of its communes, one of its communes among the covered ones, or its département
  covered. The national part prints the emergency numbers (core.EmergencyNumber, the site's
  banner), the national numbers of the orientation guide (NationalNumber, less those already
  printed) and the directory's services covering the whole country, each once, never in the
  local directory; every other service is printed once in the local directory,
  under its first type of help (the Term's position), then under the first of its communes in
  the area (or "elsewhere or at a distance" when it only covers the area); services without a
  type of help go to a last group, "Autres contacts";
- an index of every printed service, with its page (CSS target-counter).

Freshness: a built file is named after a label (`guide_label`), a digest of the directory's
change token (index.read_token), the day (`published()` depends on it and the guide prints its
date), the territory's theme and communes, the emergency and national numbers, the language and
GUIDE_VERSION. A request serves the file of the current label; failing that the latest older
file while a task builds the current one (printed_tasks). A guide without any file (1.3 to 3 s
of CPU per commune and language) is never built in a visitor's request: the build is handed to
the worker, once (a lock in the shared cache), and the visitor is asked to come back; only the
territory's coordinators and the administrators build it there and then, while other such
requests wait for it (a short lock in the cache). Building is idempotent all the same (same
label, same name): processes that build at once write the same file. The older files of a
guide are removed after each build.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import mimetypes
import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.formats import time_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from maillage.core.models import Commune, EmergencyNumber, Territory
from maillage.directory.index import read_token
from maillage.directory.models import OpeningSlot, Place, Service, ServicePhone, Term
from maillage.directory.pdf import render_pdf
from maillage.directory.services import email_for, phones_for
from maillage.directory.text import fold

from .models import NationalNumber

logger = logging.getLogger(__name__)

# Bump when the templates or the CSS change what a guide looks like: every guide is rebuilt.
GUIDE_VERSION = "1"
STORAGE_FOLDER = "guides"
TEMPLATE = "orientation/printed/guide.html"
LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml"}
# How long a rebuild stays "already asked for" (the worker may be busy): no duplicate tasks.
REBUILD_LOCK_SECONDS = 300
# How long a request waits for a first build started by another request (then builds itself).
BUILD_WAIT_SECONDS = 30
HOUR_FORMAT = "H\\hi"  # 09h30


@dataclass(frozen=True)
class GuideScope:
    """A territory's guide, or the guide of one of its communes."""

    territory: Territory
    commune: Commune | None = None

    @property
    def key(self) -> str:
        return self.commune.pk if self.commune else "all"

    @property
    def place_name(self) -> str:
        return self.commune.name if self.commune else self.territory.short_name

    @cached_property
    def communes(self) -> list[Commune]:
        """The communes the guide is for (read once)."""
        if self.commune is not None:
            return [self.commune]
        return list(self.territory.communes.order_by("pk"))


@dataclass
class Entry:
    """A service as printed: only what anyone may read."""

    service: Service
    anchor: str
    places: list[str]
    phones: list[ServicePhone]
    email: str
    website: str
    hours: list[str]
    access: list[str]
    help_labels: list[str]
    publics: list[str]
    homonym: bool = False  # another printed service has the same name (the index says whose)


@dataclass
class CommuneGroup:
    label: str
    entries: list[Entry] = field(default_factory=list)


@dataclass
class HelpGroup:
    label: str
    anchor: str
    communes: list[CommuneGroup] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(group.entries) for group in self.communes)


@dataclass
class Helpline:
    """A national number (orientation.NationalNumber) as printed."""

    reach: str  # the number, or the site's address without its scheme
    name: str
    description: str
    hours: str
    by_sms: bool


@dataclass
class GuideContent:
    scope: GuideScope
    national: list[Entry]
    groups: list[HelpGroup]
    emergency_numbers: list[EmergencyNumber] = field(default_factory=list)
    helplines: list[Helpline] = field(default_factory=list)

    @property
    def local_count(self) -> int:
        return sum(group.count for group in self.groups)

    @property
    def index(self) -> list[Entry]:
        """Every printed service, in alphabetical order (accents and case aside); services of
        the same name are told apart by their structure."""
        entries = self.national + [
            entry for group in self.groups for sub in group.communes for entry in sub.entries
        ]
        names = Counter(fold(entry.service.name) for entry in entries)
        for entry in entries:
            entry.homonym = names[fold(entry.service.name)] > 1
        return sorted(entries, key=by_name)


# -- what the guide holds ----------------------------------------------------------------------


def covering_services(scope: GuideScope) -> QuerySet[Service]:
    """The published public services covering the scope's communes, national ones included."""
    codes = [commune.pk for commune in scope.communes]
    departments = sorted({commune.department for commune in scope.communes})
    located = Place.objects.filter(commune__in=codes).values("service_id")
    covered = Service.coverage_communes.through.objects.filter(commune__in=codes).values(
        "service_id"
    )
    return (
        Service.objects.visible_to(None)
        .filter(
            Q(coverage=Service.Coverage.NATIONAL)
            | Q(coverage=Service.Coverage.DEPARTMENT, coverage_department__in=departments)
            | Q(pk__in=located)
            | Q(pk__in=covered)
        )
        .select_related("organisation")
        .prefetch_related("places__commune", "phones", "opening_slots", "help_types", "publics")
    )


def collect(scope: GuideScope) -> GuideContent:
    """The guide's services, each once: national ones apart, local ones grouped."""
    area = {commune.pk for commune in scope.communes}
    national: list[Entry] = []
    grouped: dict[Term | None, dict[Commune | None, list[Entry]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for service in covering_services(scope):
        entry = make_entry(service)
        if service.coverage == Service.Coverage.NATIONAL:
            national.append(entry)
            continue
        helps = sorted(service.help_types.all(), key=term_order)
        places = sorted(
            (p for p in service.places.all() if p.commune_id in area),
            key=lambda p: (fold(p.commune.name), p.commune_id),
        )
        grouped[helps[0] if helps else None][places[0].commune if places else None].append(entry)

    groups = []
    for term in sorted(grouped, key=lambda t: (t is None, term_order(t) if t else ())):
        communes = grouped[term]
        group = HelpGroup(
            label=term.display_label if term else _("Autres contacts"),
            anchor=f"aide-{term.code}" if term else "aide-autres",
        )
        for commune in sorted(communes, key=lambda c: (c is None, fold(c.name) if c else "")):
            label = commune.name if commune else _("Ailleurs ou à distance")
            group.communes.append(
                CommuneGroup(label=label, entries=sorted(communes[commune], key=by_name))
            )
        groups.append(group)
    national.sort(key=by_name)
    emergency_numbers = list(EmergencyNumber.objects.filter(is_active=True))
    return GuideContent(
        scope=scope,
        national=national,
        groups=groups,
        emergency_numbers=emergency_numbers,
        helplines=national_helplines(emergency_numbers, national),
    )


def digits(number: str) -> str:
    return re.sub(r"\D", "", number)


def national_helplines(
    emergency_numbers: list[EmergencyNumber], national: list[Entry]
) -> list[Helpline]:
    """The national numbers of the orientation guide, except those printed already: the
    emergency numbers and the public phones of the directory's national services."""
    printed_numbers = {digits(number.number) for number in emergency_numbers} | {
        digits(phone.number) for entry in national for phone in entry.phones
    }
    rows = [
        row
        for row in NationalNumber.objects.filter(is_active=True)
        if row.channel == NationalNumber.Channel.WEB or digits(row.number) not in printed_numbers
    ]
    # Short numbers first (15, 17, 112, 3919…), then ordinary ones, then web sites.
    rows.sort(
        key=lambda r: (
            r.channel == NationalNumber.Channel.WEB,
            len(digits(r.number)),
            digits(r.number),
        )
    )
    return [
        Helpline(
            reach=row.number or row.url.split("://", 1)[-1].rstrip("/"),
            name=row.name,
            description=row.description,
            hours=row.hours,
            by_sms=row.channel == NationalNumber.Channel.SMS,
        )
        for row in rows
    ]


def by_name(entry: Entry) -> tuple[str, str]:
    return (fold(entry.service.name), fold(entry.service.organisation.name))


def term_order(term: Term) -> tuple:
    return (term.position, fold(term.label), term.pk)


def make_entry(service: Service) -> Entry:
    return Entry(
        service=service,
        anchor=f"service-{service.pk}",
        places=[printed_place(place) for place in sorted_places(service)],
        phones=phones_for(service, professional=False),
        email=email_for(service, professional=False),
        website=service.website.split("://", 1)[-1].rstrip("/") if service.website else "",
        hours=opening_hours(service),
        access=access_modes(service),
        help_labels=[t.display_label for t in sorted(service.help_types.all(), key=term_order)],
        publics=[t.display_label for t in sorted(service.publics.all(), key=term_order)],
    )


def sorted_places(service: Service) -> list[Place]:
    return sorted(service.places.all(), key=lambda p: (fold(p.commune.name), p.pk))


def printed_place(place: Place) -> str:
    """A place as anyone may read it: a confidential one is its commune only, nothing more."""
    if place.hide_address:
        return _("%(commune)s (adresse communiquée par téléphone)") % {"commune": place.commune}
    if place.name:
        return f"{place.name}, {place.public_address}"
    return place.public_address


def opening_hours(service: Service) -> list[str]:
    """Lines like "du lundi au vendredi 09h00-12h00, 14h00-17h00" (an en dash between the
    hours): consecutive days with the same slots share a line."""
    if service.is_24_7:
        return [_("24 h/24, 7 j/7")]
    days: dict[int, tuple] = defaultdict(tuple)
    for slot in sorted(service.opening_slots.all(), key=lambda s: (s.weekday, s.opens)):
        days[slot.weekday] += ((slot.opens, slot.closes),)
    runs: list[tuple[int, int, tuple]] = []
    for weekday in sorted(days):
        if runs and runs[-1][1] == weekday - 1 and runs[-1][2] == days[weekday]:
            runs[-1] = (runs[-1][0], weekday, days[weekday])
        else:
            runs.append((weekday, weekday, days[weekday]))
    lines = []
    for first, last, slots in runs:
        label = OpeningSlot.Weekday(first).label
        if last > first:
            label = _("du %(first)s au %(last)s") % {
                "first": label,
                "last": OpeningSlot.Weekday(last).label,
            }
        times = ", ".join(
            f"{time_format(opens, HOUR_FORMAT)}\u2013{time_format(closes, HOUR_FORMAT)}"
            for opens, closes in slots
        )
        lines.append(f"{label} {times}")
    return lines


def access_modes(service: Service) -> list[str]:
    modes = [
        (service.is_free, _("gratuit")),
        (service.is_anonymous, _("anonyme possible")),
        (service.walk_in, _("sans rendez-vous")),
        (service.by_appointment, _("sur rendez-vous")),
        (service.referral_only, _("sur orientation seulement")),
        (service.remote, _("à distance")),
        (service.wheelchair_accessible, _("accessible en fauteuil roulant")),
        (service.sign_language, _("LSF")),
        (service.reachable_by_114, _("joignable par le 114")),
    ]
    return [str(label) for present, label in modes if present]


# -- rendering ---------------------------------------------------------------------------------


def render_guide(scope: GuideScope) -> bytes:
    """The guide as PDF bytes, in the active language."""
    content = collect(scope)
    territory = scope.territory
    return render_pdf(
        TEMPLATE,
        {
            "guide": content,
            "territory": territory,
            "commune": scope.commune,
            "primary_colour": safe_colour(territory.primary_colour, "#5b2a86"),
            "accent_colour": safe_colour(territory.accent_colour, "#0b6e4f"),
            "logo": logo_data_url(territory),
            "emergency_numbers": content.emergency_numbers,
            "site_url": settings.SITE_URL.rstrip("/"),
            "demo_mode": settings.DEMO_MODE,
        },
        title=guide_title(scope),
    )


def guide_title(scope: GuideScope) -> str:
    """The document's title (a browser tab shows it): discreet, no word like "violence"."""
    return _("Guide pratique — %(place)s") % {"place": scope.place_name}


def download_name(scope: GuideScope) -> str:
    """The file name a visitor saves: discreet too."""
    return f"guide-{slugify(scope.place_name)[:60] or scope.key}.pdf"


def safe_colour(value: str, default: str) -> str:
    """The theme colour if it is a #RRGGBB value (it goes into a style sheet), else the default."""
    if len(value) == 7 and value.startswith("#"):
        try:
            int(value[1:], 16)
        except ValueError:
            return default
        return value
    return default


def logo_data_url(territory: Territory) -> str:
    """The territory's logo inlined as a data: URL (the PDF renderer fetches no upload)."""
    if not territory.logo:
        return ""
    mimetype = mimetypes.guess_type(territory.logo.name)[0]
    if mimetype not in LOGO_TYPES:
        return ""
    try:
        with territory.logo.storage.open(territory.logo.name, "rb") as source:
            data = source.read(LOGO_MAX_BYTES + 1)
    except OSError:
        logger.warning("logo of territory %s unreadable", territory.slug)
        return ""
    if len(data) > LOGO_MAX_BYTES:
        return ""
    return f"data:{mimetype};base64,{base64.b64encode(data).decode('ascii')}"


# -- storage and freshness ---------------------------------------------------------------------


@dataclass(frozen=True)
class StoredGuide:
    name: str
    current: bool


def guide_label(scope: GuideScope, *, at: datetime | None = None) -> str:
    """What a guide's content depends on, as a short digest (part of its file name)."""
    territory = scope.territory
    helplines = NationalNumber.objects.filter(is_active=True).values_list(
        "number", "name", "description", "hours", "channel", "url"
    )
    numbers = EmergencyNumber.objects.filter(is_active=True).values_list(
        "number", "label", "channel"
    )
    parts = [
        GUIDE_VERSION,
        str(read_token()),
        timezone.localdate(at).isoformat(),
        translation.get_language() or settings.LANGUAGE_CODE,
        scope.key,
        territory.name,
        territory.display_name,
        territory.logo.name or "",
        territory.primary_colour,
        territory.accent_colour,
        ",".join(commune.pk for commune in scope.communes),
        repr(list(numbers)),
        repr(list(helplines)),
        str(settings.DEMO_MODE),
        settings.SITE_URL,
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:20]


def folder(scope: GuideScope) -> str:
    language = translation.get_language() or settings.LANGUAGE_CODE
    return f"{STORAGE_FOLDER}/{scope.territory.slug}/{language}"


def file_name(scope: GuideScope, label: str) -> str:
    """guides/<territory>/<language>/<commune INSEE code or "all">-<label>.pdf"""
    return f"{folder(scope)}/{scope.key}-{label}.pdf"


def stored_versions(scope: GuideScope) -> list[str]:
    """The stored files of this guide (any label), newest first."""
    try:
        _dirs, files = default_storage.listdir(folder(scope))
    except FileNotFoundError:
        return []
    names = [
        f"{folder(scope)}/{name}"
        for name in files
        if name.startswith(f"{scope.key}-") and name.endswith(".pdf")
    ]
    return sorted(names, key=default_storage.get_modified_time, reverse=True)


def build_guide(scope: GuideScope) -> str:
    """Build the current guide unless it is stored already; remove its older files.

    Returns the stored file's name. Idempotent: the name follows from the content's label.
    """
    name = file_name(scope, guide_label(scope))
    if not default_storage.exists(name):
        pdf = render_guide(scope)
        if not default_storage.exists(name):  # another process may have finished first
            name = default_storage.save(name, ContentFile(pdf))
    for older in stored_versions(scope):
        if older != name:
            default_storage.delete(older)
    return name


def current_or_latest(scope: GuideScope, *, may_build: bool) -> StoredGuide | None:
    """The guide to serve now: the current file; else an older one, and a rebuild is asked for
    (after the commit); else the current one, built now if `may_build`, otherwise None and its
    build is asked for."""
    name = file_name(scope, guide_label(scope))
    if default_storage.exists(name):
        return StoredGuide(name, current=True)
    older = stored_versions(scope)
    if older:
        request_rebuild(scope, name)
        return StoredGuide(older[0], current=False)
    if not may_build:
        request_rebuild(scope, name)
        # A worker that runs tasks at once (or was quick) may have built it meanwhile.
        return StoredGuide(name, current=True) if default_storage.exists(name) else None
    return StoredGuide(build_now(scope, name), current=True)


def build_now(scope: GuideScope, name: str) -> str:
    """Build a guide that has no file yet. Requests arriving while it is being built wait for
    it (a short lock in the cache) rather than build it too, up to BUILD_WAIT_SECONDS."""
    lock = f"printed-guide-build:{name}"
    if cache.add(lock, True, BUILD_WAIT_SECONDS):
        try:
            return build_guide(scope)
        finally:
            cache.delete(lock)
    deadline = time.monotonic() + BUILD_WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(0.5)
        if default_storage.exists(name):
            return name
    return build_guide(scope)


def open_guide(scope: GuideScope, *, may_build: bool) -> tuple[File, bool] | None:
    """The file to serve (opened) and whether it is current; None when the guide has no file
    yet and may not be built in this request (its build is handed to the worker). A file
    removed between the check and the opening (another process finished a build) sends us back
    to the new one."""
    for _attempt in range(3):
        guide = current_or_latest(scope, may_build=may_build)
        if guide is None:
            return None
        try:
            return default_storage.open(guide.name, "rb"), guide.current
        except FileNotFoundError:
            continue
    raise FileNotFoundError(file_name(scope, guide_label(scope)))


def request_rebuild(scope: GuideScope, name: str) -> None:
    """Hand the build of `name` to the worker, once however many requests ask (a lock in the
    shared cache; it expires after a while, should the build fail)."""
    from .printed_tasks import build_guide_task

    if not cache.add(f"printed-guide-rebuild:{name}", True, REBUILD_LOCK_SECONDS):
        return
    language = translation.get_language() or settings.LANGUAGE_CODE
    transaction.on_commit(
        lambda: build_guide_task.enqueue(
            territory_id=scope.territory.pk,
            commune=scope.commune.pk if scope.commune else "",
            language=language,
        )
    )
