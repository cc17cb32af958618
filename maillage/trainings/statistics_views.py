"""The coordination's training statistics: the page with its filters, tables and bar charts,
and the same figures as CSV and XLSX (statistics.compute_statistics for all three)."""

from __future__ import annotations

from io import BytesIO

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from maillage.core.exports import csv_writer, safe_cell, safe_row
from maillage.core.forms import DateInput

from .models import Module
from .statistics import KEYS, Figures, TrainingStatistics, compute_statistics
from .workspace_views import require_manager

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHART_WIDTH = 100  # percent of the chart's width given to the longest bar


def column_titles() -> list[str]:
    return [
        _("Sessions réalisées"),
        _("Personnes formées"),
        _("Structures touchées"),
        _("Lieux de la charte formés"),
        _("Personnels de ces lieux formés"),
    ]


class StatisticsFilterForm(forms.Form):
    territory = forms.ModelChoiceField(
        label=gettext_lazy("Territoire"), queryset=None, required=False, empty_label=None
    )
    module = forms.ModelChoiceField(
        label=gettext_lazy("Module"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("Tous les modules"),
        to_field_name="slug",
    )
    date_from = forms.DateField(label=gettext_lazy("Du"), required=False, widget=DateInput)
    date_to = forms.DateField(label=gettext_lazy("Au"), required=False, widget=DateInput)

    def __init__(self, *args, territories, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = territories.order_by("name")
        self.fields["territory"].to_field_name = "slug"
        self.fields["module"].queryset = Module.objects.filter(territory__in=territories).order_by(
            "title"
        )
        if territories.count() < 2:
            self.fields["territory"].widget = forms.HiddenInput()

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("La fin de la période précède son début."))
        return data


def statistics_for(request: HttpRequest) -> tuple[StatisticsFilterForm, TrainingStatistics]:
    """The filters of the query string and the figures they select (the territory first
    managed when none is chosen, or when the filters are invalid)."""
    territories = require_manager(request.user)
    form = StatisticsFilterForm(request.GET or None, territories=territories)
    filters = {"territory": territories.order_by("name").first()}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "territory": data["territory"] or filters["territory"],
            "module": data["module"],
            "date_from": data["date_from"],
            "date_to": data["date_to"],
        }
    return form, compute_statistics(**filters)


def bars(rows: list[Figures], key: str = "people_trained") -> list[dict]:
    """Bar lengths (percent of the longest) for a server-drawn SVG chart of `rows`."""
    values = [getattr(row, key) for row in rows]
    top = max(values, default=0) or 1
    return [
        {"label": row.label, "value": value, "width": round(value * CHART_WIDTH / top)}
        for row, value in zip(rows, values, strict=True)
    ]


@login_required
def statistics(request: HttpRequest) -> HttpResponse:
    form, figures = statistics_for(request)
    query = request.GET.urlencode()
    return render(
        request,
        "trainings/workspace/statistics.html",
        {
            "form": form,
            "figures": figures,
            "totals": figures.totals,
            "columns": column_titles(),
            "tables": figures.tables(),
            "charts": [
                (_("Personnes formées par année"), bars(figures.by_year)),
                (_("Personnes formées par type de structure"), bars(figures.by_kind)),
            ],
            "query": f"?{query}" if query else "",
        },
    )


def export_rows(figures: TrainingStatistics) -> list[list]:
    """One row per line of every table, the table's name first; the totals lead."""
    rows = [[_("Total"), _("Toutes les formations"), *figures.totals.as_dict().values()]]
    for _slug, title, table in figures.tables():
        for row in table:
            rows.append([str(title), safe_cell(row.label), *(getattr(row, k) for k in KEYS)])
    return rows


@login_required
def statistics_csv(request: HttpRequest) -> HttpResponse:
    _form, figures = statistics_for(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="statistiques-formations.csv"'
    response.write("\ufeff")
    writer = csv_writer(response, delimiter=";")
    writer.writerow([_("Tableau"), _("Libellé"), *column_titles()])
    writer.writerows(export_rows(figures))
    return response


@login_required
def statistics_xlsx(request: HttpRequest) -> HttpResponse:
    _form, figures = statistics_for(request)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Statistiques"))
    sheet.append(safe_row([_("Tableau"), _("Libellé"), *column_titles()]))
    for row in export_rows(figures):
        sheet.append(safe_row(row))
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="statistiques-formations.xlsx"'
    return response
