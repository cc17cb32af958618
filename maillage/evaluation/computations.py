"""Indicators the platform computes from its own records, never typed in.

Each computation takes the contract, the first and last day of the period (`start` may be None:
everything up to `end`, for a cumulative indicator) and, for the trainings, an optional module;
it returns a number, or None when the part of the platform that holds the data is missing.

The definitions are those of the apps that own the records: the trainings' statistics
(`held_sessions`, `attended_half_days`: a person trained attended at least one half-day…),
the charter's labels, the prevention's deliveries, events and reuse declarations, the
directory's freshness. Here they are only aggregated in SQL, so that a dashboard over ten
years of records stays fast.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from importlib import import_module

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.core.models import Contract, Organisation

EARLIEST = date(1900, 1, 1)
LATEST = date(2999, 12, 31)
NIGHTLIFE = Organisation.Kind.NIGHTLIFE

Number = int | Decimal | None


@dataclass(frozen=True)
class Computation:
    key: str
    label: str
    unit: str
    function: Callable[..., Number]
    uses_module: bool = False


COMPUTATIONS: dict[str, Computation] = {}


def computation(key: str, label, unit, *, uses_module: bool = False):
    def register(function: Callable[..., Number]) -> Callable[..., Number]:
        COMPUTATIONS[key] = Computation(key, label, unit, function, uses_module)
        return function

    return register


def computation_choices() -> list[tuple[str, str]]:
    return [(key, str(item.label)) for key, item in COMPUTATIONS.items()]


_shared: ContextVar[dict | None] = ContextVar("evaluation_shared_figures", default=None)


@contextmanager
def shared_figures() -> Iterator[None]:
    """Within this block, figures that several computations read (the trainings' four
    figures, a distribution, an events summary) are queried once per period. Nothing outlives
    the block: no cache to invalidate."""
    if _shared.get() is not None:  # already inside such a block
        yield
        return
    token = _shared.set({})
    try:
        yield
    finally:
        _shared.reset(token)


def _once(key: tuple, function: Callable):
    shared = _shared.get()
    if shared is None:
        return function()
    if key not in shared:
        shared[key] = function()
    return shared[key]


def optional(module: str, name: str):
    """A public function of another app, or None while that app does not provide it."""
    try:
        return getattr(import_module(module), name)
    except (ImportError, AttributeError):
        return None


# Trainings


def _attendances(contract: Contract, start: date | None, end: date | None, module=None):
    from maillage.trainings.statistics import attended_half_days

    return attended_half_days(
        territory=contract.territory, module=module, date_from=start, date_to=end
    )


def training_figures(
    contract: Contract, start: date | None, end: date | None, module=None, *, venues: bool = False
) -> dict[str, int]:
    """People trained and structures reached, in one SQL query; with `venues`, the same
    limited to the nightlife venues' staff (a query over their rows only).

    Counted over the registrations that have an attended half-day in the period (a semi-join
    on the attendance rows), which sorts about half as many rows as counting over the
    attendance rows themselves.
    """

    def query() -> dict[str, int]:
        from maillage.trainings.models import Registration

        attended = _attendances(contract, start, end, module).values("registration")
        registrations = Registration.objects.filter(pk__in=attended)
        if venues:  # driven from the few venues rather than from every registration
            registrations = registrations.filter(
                organisation__in=Organisation.objects.filter(
                    territory=contract.territory, kind=NIGHTLIFE
                ).values("pk")
            )
        return registrations.aggregate(
            people=Count("trainee", distinct=True),
            structures=Count("organisation", distinct=True),
        )

    key = ("trainings", contract.pk, start, end, getattr(module, "pk", None), venues)
    return _once(key, query)


@computation("sessions_held", _("Sessions de formation réalisées"), _("sessions"), uses_module=True)
def sessions_held(contract: Contract, start: date | None, end: date | None, module=None) -> int:
    from maillage.trainings.statistics import held_sessions

    return held_sessions(
        territory=contract.territory, module=module, date_from=start, date_to=end
    ).count()


@computation("people_trained", _("Personnes formées"), _("personnes"), uses_module=True)
def people_trained(contract: Contract, start: date | None, end: date | None, module=None) -> int:
    return training_figures(contract, start, end, module)["people"]


@computation("structures_reached", _("Structures touchées"), _("structures"), uses_module=True)
def structures_reached(
    contract: Contract, start: date | None, end: date | None, module=None
) -> int:
    return training_figures(contract, start, end, module)["structures"]


@computation("venues_trained", _("Lieux de la vie nocturne formés"), _("lieux"), uses_module=True)
def venues_trained(contract: Contract, start: date | None, end: date | None, module=None) -> int:
    return training_figures(contract, start, end, module, venues=True)["structures"]


@computation(
    "venue_staff_trained",
    _("Personnels des lieux de la vie nocturne formés"),
    _("personnes"),
    uses_module=True,
)
def venue_staff_trained(
    contract: Contract, start: date | None, end: date | None, module=None
) -> int:
    return training_figures(contract, start, end, module, venues=True)["people"]


@computation("venues_labelled", _("Lieux labellisés (charte de la vie nocturne)"), _("lieux"))
def venues_labelled(contract: Contract, start: date | None, end: date | None, **_kw) -> int:
    from maillage.trainings.charter import CharterApplication, LabelDecision

    applications = CharterApplication.objects.in_territories([contract.territory]).filter(
        decision=LabelDecision.GRANTED
    )
    if start is not None:
        applications = applications.filter(year__gte=start.year)
    if end is not None:
        applications = applications.filter(year__lte=end.year)
    return applications.values("venue").distinct().count()


# Prevention


def _distribution(contract: Contract, start: date | None, end: date | None):
    from maillage.prevention.services import distribution

    return _once(
        ("distribution", contract.pk, start, end),
        lambda: distribution(territory=contract.territory, start=start, end=end),
    )


@computation("materials_distributed", _("Supports distribués"), _("exemplaires"))
def materials_distributed(contract: Contract, start: date | None, end: date | None, **_kw) -> int:
    return _distribution(contract, start, end).total


@computation("guides_distributed", _("Guides distribués"), _("exemplaires"))
def guides_distributed(contract: Contract, start: date | None, end: date | None, **_kw) -> int:
    from maillage.prevention.models import Material

    rows = _distribution(contract, start, end).by_material
    return sum(row["copies"] or 0 for row in rows if row["material__kind"] == Material.Kind.GUIDE)


def events_figures(contract: Contract, start: date | None, end: date | None) -> dict | None:
    summary = optional("maillage.prevention.events", "events_summary")
    if summary is None:
        return None
    return _once(
        ("events", contract.pk, start, end),
        lambda: summary(contract.territory, start or EARLIEST, end or LATEST),
    )


@computation("events_held", _("Actions de sensibilisation réalisées"), _("actions"))
def events_held(contract: Contract, start: date | None, end: date | None, **_kw) -> Number:
    figures = events_figures(contract, start, end)
    return None if figures is None else figures["events"]


@computation("events_attendance", _("Participants aux actions de sensibilisation"), _("personnes"))
def events_attendance(contract: Contract, start: date | None, end: date | None, **_kw) -> Number:
    figures = events_figures(contract, start, end)
    return None if figures is None else figures["attendance"]


def reuse_figures(contract: Contract, start: date | None, end: date | None) -> dict | None:
    summary = optional("maillage.prevention.reuse", "reuse_summary")
    if summary is None:
        return None
    return _once(
        ("reuse", contract.pk, start, end),
        lambda: summary(contract.territory, start or EARLIEST, end or LATEST),
    )


@computation("materials_reused", _("Réemplois de supports déclarés"), _("réemplois"))
def materials_reused(contract: Contract, start: date | None, end: date | None, **_kw) -> Number:
    figures = reuse_figures(contract, start, end)
    return None if figures is None else figures["declarations"]


# Directory and network


@computation("directory_freshness", _("Fiches de l'annuaire à jour"), "%")
def directory_freshness(contract: Contract, start: date | None, end: date | None, **_kw) -> int:
    """Share of the published services checked recently enough, on the last day of the
    period (today when the period runs on)."""
    from maillage.directory.freshness import freshness_of
    from maillage.directory.models import Service

    today = timezone.localdate()
    at = min(end, today) if end else today
    services = Service.objects.filter(organisation__territory=contract.territory)
    return freshness_of(services, at).percent


@computation("signatories", _("Signataires du contrat"), _("signataires"))
def signatories(contract: Contract, start: date | None, end: date | None, **_kw) -> int:
    return contract.signatures.count()


@computation("new_signatories", _("Nouveaux signataires"), _("signataires"))
def new_signatories(contract: Contract, start: date | None, end: date | None, **_kw) -> int:
    return contract.signatures.filter(is_new=True).count()


def compute(key: str, contract: Contract, start: date | None, end: date | None, module=None):
    item = COMPUTATIONS[key]
    if item.uses_module:
        return item.function(contract, start, end, module=module)
    return item.function(contract, start, end)
