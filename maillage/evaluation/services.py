"""Values of the indicators for a period, yearly series, and the partners' entered values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, Count, Func, IntegerField, Value, When
from django.utils.translation import gettext as _

from maillage.core.models import Contract

from .computations import EARLIEST, Number, compute, optional, shared_figures
from .models import Indicator, IndicatorValue


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    label: str
    year: int | None = None


def contract_period(contract: Contract) -> Period:
    return Period(contract.start_date, contract.end_date, contract.period)


def year_period(year: int) -> Period:
    return Period(date(year, 1, 1), date(year, 12, 31), str(year), year)


def period_for(contract: Contract, year: int | None = None) -> Period:
    return contract_period(contract) if year is None else year_period(year)


def contract_years(contract: Contract) -> list[int]:
    return list(range(contract.start_date.year, contract.end_date.year + 1))


def survey_value(indicator: Indicator, start: date, end: date) -> Number:
    function = optional("maillage.network.survey_services", "survey_indicator_value")
    if function is None:
        return None
    return function(indicator, start, end)


def entered_value(indicator: Indicator, start: date | None, end: date) -> Decimal | None:
    """The latest value entered for a period inside [start, end] (values prefetched or not)."""
    values = [
        value
        for value in indicator.values.all()
        if value.period_end <= end and (start is None or value.period_start >= start)
    ]
    if not values:
        return None
    return max(values, key=lambda value: (value.period_end, value.period_start)).value


def indicator_value(indicator: Indicator, period: Period) -> Number:
    """The indicator's value for the period (from the first records when it is cumulative)."""
    start = None if indicator.cumulative else period.start
    if indicator.source == Indicator.Source.COMPUTED:
        return compute(
            indicator.computation,
            indicator.contract,
            start,
            period.end,
            module=indicator.training_module,
        )
    if indicator.source == Indicator.Source.SURVEY:
        return survey_value(indicator, start or EARLIEST, period.end)
    return entered_value(indicator, start, period.end)


@dataclass
class IndicatorRow:
    indicator: Indicator
    value: Number

    @property
    def progress(self) -> int | None:
        return self.indicator.progress(self.value)

    @property
    def reached(self) -> bool:
        target = self.indicator.target
        return target is not None and self.value is not None and self.value >= target

    def as_dict(self) -> dict:
        indicator = self.indicator
        return {
            "pk": indicator.pk,
            "code": indicator.code,
            "title": indicator.title,
            "unit": indicator.unit,
            "level": indicator.level,
            "level_label": str(indicator.get_level_display()),
            "source": indicator.source,
            "source_label": str(indicator.get_source_display()),
            "priority": indicator.priority.code if indicator.priority else None,
            "responsible": indicator.responsible.name if indicator.responsible else None,
            "baseline": number(indicator.baseline),
            "target": number(indicator.target),
            "value": number(self.value),
            "progress": self.progress,
            "cumulative": indicator.cumulative,
            "is_headline": indicator.is_headline,
        }


def number(value) -> int | float | None:
    """A JSON-friendly number: an int when it is whole."""
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def indicators_of(contract: Contract):
    return (
        Indicator.objects.for_contract(contract)
        .select_related("contract__territory", "priority", "responsible", "training_module")
        .prefetch_related("values")
    )


def indicator_rows(contract: Contract, period: Period, indicators=None) -> list[IndicatorRow]:
    indicators = indicators_of(contract) if indicators is None else indicators
    with shared_figures():
        return [
            IndicatorRow(indicator, indicator_value(indicator, period)) for indicator in indicators
        ]


def year_of(field: str, years: list[int]) -> Case:
    """The year of a date column, as plain comparisons (SQLite's EXTRACT is a Python function
    called on every row; a CASE over date ranges stays in SQL on both engines)."""
    return Case(
        *[
            When(**{f"{field}__gte": date(year, 1, 1), f"{field}__lte": date(year, 12, 31)},
                 then=Value(year))
            for year in years
        ],
        default=Value(None),
        output_field=IntegerField(),
    )  # fmt: skip


class YearOf(Func):
    """The year of a date column, computed in SQL on both engines: EXTRACT on PostgreSQL, the
    first four characters of the ISO text SQLite stores (Django's ExtractYear calls a Python
    function on every row there; a CASE over ten date ranges costs as much on PostgreSQL)."""

    output_field = IntegerField()
    template = "CAST(EXTRACT(YEAR FROM %(expressions)s) AS integer)"

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection, template="CAST(substr(%(expressions)s, 1, 4) AS integer)"
        )


def yearly_training_series(contract: Contract, years: list[int]) -> list[dict]:
    """Per year: sessions held and people trained (2 SQL queries)."""
    from maillage.trainings.statistics import attended_half_days, held_sessions

    if not years:
        return []
    start, end = date(years[0], 1, 1), date(years[-1], 12, 31)
    territory = contract.territory
    rows = {year: {"year": year, "sessions_held": 0, "people_trained": 0} for year in years}
    for last_date in held_sessions(territory=territory, date_from=start, date_to=end).values_list(
        "last_date", flat=True
    ):
        rows[last_date.year]["sessions_held"] += 1
    per_year = (
        attended_half_days(territory=territory, date_from=start, date_to=end)
        .annotate(year=YearOf("slot__date"))
        .values("year")
        .order_by("year")
        .annotate(people=Count("registration__trainee", distinct=True))
    )
    for row in per_year:
        rows[row["year"]]["people_trained"] = row["people"]
    return [rows[year] for year in years]


def yearly_distribution_series(contract: Contract, years: list[int]) -> list[dict]:
    """Copies delivered per year (one SQL query)."""
    from django.db.models import Sum

    from maillage.prevention.models import PrintOrder

    if not years:
        return []
    totals = dict(
        PrintOrder.objects.delivered()
        .in_territory(contract.territory)
        .filter(delivered_on__gte=date(years[0], 1, 1), delivered_on__lte=date(years[-1], 12, 31))
        .annotate(year=year_of("delivered_on", years))
        .values("year")
        .order_by("year")
        .annotate(copies=Sum("quantity"))
        .values_list("year", "copies")
    )
    return [{"year": year, "copies": totals.get(year) or 0} for year in years]


def bars(rows: list[dict], key: str, label_key: str = "year") -> list[dict]:
    """Bar lengths (percent of the longest) for a server-drawn SVG chart."""
    values = [row[key] or 0 for row in rows]
    top = max(values, default=0) or 1
    return [
        {"label": str(row[label_key]), "value": value, "width": round(value * 100 / top)}
        for row, value in zip(rows, values, strict=True)
    ]


# Entered values


def record_value(
    *,
    indicator: Indicator,
    period_start: date,
    period_end: date,
    value: Decimal,
    comment: str = "",
    by,
) -> IndicatorValue:
    """Enter (or correct) the value of an indicator for a period; the history keeps the
    previous value and who changed it."""
    if indicator.source != Indicator.Source.ENTERED:
        raise ValidationError(_("La valeur de cet indicateur est calculée, pas saisie."))
    if period_end < period_start:
        raise ValidationError(_("La fin de la période doit suivre son début."))
    with transaction.atomic():
        row = (
            IndicatorValue.objects.select_for_update()
            .filter(indicator=indicator, period_start=period_start, period_end=period_end)
            .first()
        )
        if row is None:
            row = IndicatorValue(
                indicator=indicator, period_start=period_start, period_end=period_end
            )
        row.value = value
        row.comment = comment
        row.entered_by = by
        row.full_clean()
        row.save()
    return row
