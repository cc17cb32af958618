"""The training figures of a territory, computed from the records, never typed in.

One function, `compute_statistics`, gives them all; the workspace page, its CSV and XLSX
exports and `maillage training-stats` call it.

Definitions (what the coordination reports to the contract's committee):

- **Attended**: a registration's half-day marked present or late (Attendance.ATTENDED), in a
  session that is not cancelled. Excused and absent do not count.
- **Sessions held**: sessions not cancelled that are marked held, or whose half-days are all
  past with at least one attendance recorded (a trainer who marked attendance but forgot to
  close the session still counts it). A session belongs to the period of its last half-day.
- **People trained**: distinct Trainee rows (one per person, kept when registrations are
  anonymised) with at least one attended half-day in the period.
- **Structures reached**: distinct organisations of the registrations of those half-days.
- **Venues trained** and **venue staff trained**: the same, limited to organisations of kind
  "nightlife" (the charter's bars, clubs and concert halls).

The period filters the half-days by their date (from and to included). Breakdowns by module,
organisation kind, commune (the registration's, else its organisation's) and year count with
the same definitions, so a row of a breakdown never disagrees with the totals.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.core.models import Organisation, Territory

from .models import Attendance, Module, TrainingSession

KEYS = (
    "sessions_held",
    "people_trained",
    "structures_reached",
    "venues_trained",
    "venue_staff_trained",
)
NIGHTLIFE = Organisation.Kind.NIGHTLIFE


@dataclass
class Figures:
    """The five figures of a group of records (all of them, a module, a year…)."""

    label: str = ""
    sessions: set[int] = field(default_factory=set)
    people: set[int] = field(default_factory=set)
    structures: set[int] = field(default_factory=set)
    venues: set[int] = field(default_factory=set)
    venue_staff: set[int] = field(default_factory=set)

    @property
    def sessions_held(self) -> int:
        return len(self.sessions)

    @property
    def people_trained(self) -> int:
        return len(self.people)

    @property
    def structures_reached(self) -> int:
        return len(self.structures)

    @property
    def venues_trained(self) -> int:
        return len(self.venues)

    @property
    def venue_staff_trained(self) -> int:
        return len(self.venue_staff)

    def as_dict(self) -> dict[str, int]:
        return {key: getattr(self, key) for key in KEYS}

    def add_attendance(self, *, trainee: int, organisation: int, kind: str) -> None:
        self.people.add(trainee)
        self.structures.add(organisation)
        if kind == NIGHTLIFE:
            self.venues.add(organisation)
            self.venue_staff.add(trainee)


@dataclass
class TrainingStatistics:
    totals: Figures
    by_module: list[Figures]
    by_kind: list[Figures]
    by_commune: list[Figures]
    by_year: list[Figures]
    by_venue: list[Figures]

    def as_dict(self) -> dict:
        """The totals at the top (the keys scripts read), then the breakdowns."""

        def rows(groups: list[Figures]) -> list[dict]:
            return [{"label": group.label, **group.as_dict()} for group in groups]

        return {
            **self.totals.as_dict(),
            "by_module": rows(self.by_module),
            "by_organisation_kind": rows(self.by_kind),
            "by_commune": rows(self.by_commune),
            "by_year": rows(self.by_year),
            "by_venue": rows(self.by_venue),
        }

    def tables(self) -> list[tuple[str, str, list[Figures]]]:
        """(slug, title, rows) of each breakdown, for the page and the exports."""
        return [
            ("modules", _("Par module"), self.by_module),
            ("annees", _("Par année"), self.by_year),
            ("types", _("Par type de structure"), self.by_kind),
            ("communes", _("Par commune"), self.by_commune),
            ("lieux", _("Lieux de la charte de la vie nocturne"), self.by_venue),
        ]


def held_sessions(
    *,
    territory: Territory | None = None,
    module: Module | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    today: date | None = None,
):
    """The sessions held (see the module's docstring), with `last_date` annotated."""
    today = today or timezone.localdate()
    sessions = (
        TrainingSession.objects.exclude(status=TrainingSession.Status.CANCELLED)
        .annotate(last_date=Max("slots__date"))
        .filter(
            Q(status=TrainingSession.Status.HELD)
            | Q(
                last_date__lt=today,
                pk__in=Attendance.objects.values("slot__session"),
            )
        )
    )
    if territory is not None:
        sessions = sessions.filter(module__territory=territory)
    if module is not None:
        sessions = sessions.filter(module=module)
    if date_from is not None:
        sessions = sessions.filter(last_date__gte=date_from)
    if date_to is not None:
        sessions = sessions.filter(last_date__lte=date_to)
    return sessions


def attended_half_days(
    *,
    territory: Territory | None = None,
    module: Module | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
):
    """Attendance rows that count: present or late, in a session not cancelled.

    The sessions are chosen in a subquery (`slot__session__in`) rather than by joining the
    session and module tables to every attendance row: a semi-join over a few hundred sessions
    costs less than two joins over tens of thousands of rows (the contract dashboard).
    """
    sessions = TrainingSession.objects.exclude(status=TrainingSession.Status.CANCELLED)
    if territory is not None:
        sessions = sessions.filter(module__territory=territory)
    if module is not None:
        sessions = sessions.filter(module=module)
    attendances = Attendance.objects.filter(
        status__in=Attendance.ATTENDED, slot__session__in=sessions.values("pk")
    )
    if date_from is not None:
        attendances = attendances.filter(slot__date__gte=date_from)
    if date_to is not None:
        attendances = attendances.filter(slot__date__lte=date_to)
    return attendances


def _sorted(groups: dict, *, by_label: bool = False) -> list[Figures]:
    rows = list(groups.values())
    if by_label:
        return sorted(rows, key=lambda row: row.label)
    return sorted(rows, key=lambda row: (-row.people_trained, row.label))


def compute_statistics(
    *,
    territory: Territory | None = None,
    module: Module | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    today: date | None = None,
) -> TrainingStatistics:
    """Every figure of the trainings, for a territory, a module and a period (all optional).

    Two queries: the sessions held, and the attended half-days with what is needed to group
    them (a few thousand rows a year at most for a territory).
    """
    filters = {
        "territory": territory,
        "module": module,
        "date_from": date_from,
        "date_to": date_to,
    }
    kinds = dict(Organisation.Kind.choices)
    unknown_commune = _("Commune non renseignée")
    totals = Figures(label=_("Total"))
    by_module: dict[int, Figures] = {}
    by_kind: dict[str, Figures] = {}
    by_commune: dict[str, Figures] = {}
    by_year: dict[int, Figures] = {}
    by_venue: dict[int, Figures] = {}

    def group(groups: dict, key, label: str) -> Figures:
        if key not in groups:
            groups[key] = Figures(label=label)
        return groups[key]

    for pk, module_id, module_title, last_date in held_sessions(**filters, today=today).values_list(
        "pk", "module_id", "module__title", "last_date"
    ):
        totals.sessions.add(pk)
        group(by_module, module_id, module_title).sessions.add(pk)
        if last_date is not None:
            group(by_year, last_date.year, str(last_date.year)).sessions.add(pk)

    rows: Iterable[tuple] = attended_half_days(**filters).values_list(
        "registration__trainee_id",
        "registration__organisation_id",
        "registration__organisation__name",
        "registration__organisation__kind",
        "registration__commune__name",
        "registration__organisation__commune__name",
        "slot__session__module_id",
        "slot__session__module__title",
        "slot__date",
    )
    for (
        trainee,
        organisation,
        organisation_name,
        kind,
        commune,
        organisation_commune,
        module_id,
        module_title,
        day,
    ) in rows:
        who = {"trainee": trainee, "organisation": organisation, "kind": kind}
        totals.add_attendance(**who)
        group(by_module, module_id, module_title).add_attendance(**who)
        group(by_kind, kind, str(kinds.get(kind, kind))).add_attendance(**who)
        place = commune or organisation_commune or unknown_commune
        group(by_commune, place, place).add_attendance(**who)
        group(by_year, day.year, str(day.year)).add_attendance(**who)
        if kind == NIGHTLIFE:
            group(by_venue, organisation, organisation_name).add_attendance(**who)

    return TrainingStatistics(
        totals=totals,
        by_module=_sorted(by_module),
        by_kind=_sorted(by_kind),
        by_commune=_sorted(by_commune),
        by_year=[by_year[year] for year in sorted(by_year)],
        by_venue=_sorted(by_venue, by_label=True),
    )
