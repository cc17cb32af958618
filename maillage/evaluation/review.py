"""The yearly and final review (bilan) of a contract, written from the records.

`build_review` gathers everything once into plain data (numbers, strings, lists, dicts) that
the HTML page, the PDF, the JSON output and the CSV/XLSX tables all read: the results table
first (the contract's headline indicators), then per priority its indicators and its actions,
then the meetings, trainings, materials, surveys and signatories. A part of the platform that
is missing (an app not installed yet) leaves its section "non disponible", never an error.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from maillage.core.exports import csv_writer, safe_row
from maillage.core.models import Contract

from .computations import events_figures, optional, reuse_figures, shared_figures
from .services import (
    Period,
    indicator_rows,
    indicators_of,
    number,
    period_for,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _plain(value):
    """Dates and other objects of another app's summary, made JSON-friendly."""
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    try:
        return number(value)
    except (TypeError, ValueError, ArithmeticError):
        return str(value)


def _action_plan(contract: Contract) -> list[dict] | None:
    summary = optional("maillage.network.services", "action_plan_summary")
    if summary is None:
        return None
    plan = []
    for item in summary(contract):
        priority = item.get("priority")
        plan.append(
            {
                "priority": getattr(priority, "code", priority),
                "actions": [
                    {
                        "sheet": getattr(action.get("sheet"), "pk", None),
                        "title": action.get("title"),
                        "status": action.get("status"),
                        "status_label": action.get("status_label"),
                        "progress": action.get("progress"),
                        "pilot": action.get("pilot"),
                    }
                    for action in item.get("actions", [])
                ],
                "by_status": _plain(item.get("by_status", {})),
            }
        )
    return plan


def _meetings(contract: Contract, period: Period) -> dict | None:
    summary = optional("maillage.network.services", "meetings_summary")
    if summary is None:
        return None
    data = summary(contract, period.start, period.end)
    return {
        "meetings": [
            {
                "title": str(row.get("meeting", "")),
                "kind": row.get("kind"),
                "kind_label": _plain(row.get("kind_label")),
                "starts_at": _plain(row.get("starts_at")),
                "status": row.get("status"),
                "decisions": row.get("decisions"),
                "decisions_done": row.get("decisions_done"),
            }
            for row in data.get("meetings", [])
        ],
        "decisions_overdue": data.get("decisions_overdue"),
    }


def _surveys(contract: Contract, period: Period) -> list[dict] | None:
    summary = optional("maillage.network.survey_services", "contract_surveys_summary")
    if summary is None:
        return None
    return [
        {
            "title": item.get("title"),
            "invited": item.get("invited"),
            "answered": item.get("answered"),
            "questions": [
                {
                    "text": question.get("text"),
                    "rows": [
                        [str(label), count, _plain(percent)]
                        for label, count, percent in question.get("rows", [])
                    ],
                }
                for question in item.get("questions", [])
            ],
        }
        for item in summary(contract, period.year)
    ]


def _trainings(contract: Contract, period: Period) -> dict:
    from maillage.trainings.statistics import compute_statistics

    statistics = compute_statistics(
        territory=contract.territory, date_from=period.start, date_to=period.end
    )
    return _plain(statistics.as_dict())


def _materials(contract: Contract, period: Period) -> dict:
    from maillage.prevention.services import distribution

    figures = distribution(territory=contract.territory, start=period.start, end=period.end)
    events = events_figures(contract, period.start, period.end)
    reuse = reuse_figures(contract, period.start, period.end)
    return {
        "distributed": figures.total,
        "by_material": _plain(figures.by_material),
        "by_organisation": _plain(figures.by_organisation),
        "events": None if events is None else _plain(events),
        "reuse": None if reuse is None else _plain(reuse),
    }


def _signatories(contract: Contract, period: Period) -> dict:
    rows = [
        {
            "organisation": signature.organisation.name,
            "kind": str(signature.organisation.get_kind_display()),
            "signatory_title": signature.signatory_title,
            "signed_on": signature.signed_on.isoformat() if signature.signed_on else None,
            "is_new": signature.is_new,
        }
        for signature in contract.signatures.select_related("organisation").order_by(
            "organisation__name"
        )
    ]
    return {
        "count": len(rows),
        "new": sum(1 for row in rows if row["is_new"]),
        "rows": rows,
    }


def build_review(contract: Contract, year: int | None = None) -> dict:
    """The whole review of the contract, for its period or one calendar year."""
    with shared_figures():
        return _build_review(contract, year)


def _build_review(contract: Contract, year: int | None) -> dict:
    period = period_for(contract, year)
    rows = indicator_rows(contract, period, indicators_of(contract))
    results = [row.as_dict() for row in rows if row.indicator.is_headline]
    plan = _action_plan(contract)
    plan_by_priority = {item["priority"]: item for item in plan or []}
    priorities = []
    for priority in contract.priorities.all():
        item = plan_by_priority.get(priority.code, {})
        priorities.append(
            {
                "code": priority.code,
                "title": priority.title,
                "indicators": [row.as_dict() for row in rows if row.indicator.priority == priority],
                "actions": None if plan is None else item.get("actions", []),
                "by_status": None if plan is None else item.get("by_status", {}),
            }
        )
    return {
        "contract": {
            "pk": contract.pk,
            "title": contract.title,
            "territory": contract.territory.name,
            "territory_slug": contract.territory.slug,
            "period": contract.period,
            "start": contract.start_date.isoformat(),
            "end": contract.end_date.isoformat(),
        },
        "period": {
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "label": period.label,
            "start_label": f"{period.start:%d/%m/%Y}",
            "end_label": f"{period.end:%d/%m/%Y}",
            "year": period.year,
            "kind": "yearly" if year else "final",
        },
        "generated_at": timezone.localtime().isoformat(timespec="seconds"),
        "results": results,
        "priorities": priorities,
        "other_indicators": [row.as_dict() for row in rows if row.indicator.priority_id is None],
        "meetings": _meetings(contract, period),
        "trainings": _trainings(contract, period),
        "materials": _materials(contract, period),
        "surveys": _surveys(contract, period),
        "signatories": _signatories(contract, period),
    }


# Tables (CSV, XLSX, COPIL pack)


@dataclass
class Table:
    slug: str
    title: str
    headers: list[str]
    rows: list[list]


def _indicator_table_rows(indicators: list[dict], priority: str = "") -> list[list]:
    return [
        [
            priority or row["priority"] or "",
            row["title"],
            row["level_label"],
            row["source_label"],
            row["unit"],
            row["baseline"],
            row["target"],
            row["value"],
            row["progress"],
            row["responsible"] or "",
        ]
        for row in indicators
    ]


def _generic_rows(items: list, keys: list[str]) -> list[list]:
    return [[_cell(item.get(key)) for key in keys] for item in items if isinstance(item, dict)]


ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}.*)?$")


def _cell(value):
    """A table cell: dates as French dates, lists joined."""
    if isinstance(value, str) and ISO_DATE.match(value):
        moment = datetime.fromisoformat(value)
        return f"{moment:%d/%m/%Y %H:%M}" if "T" in value else f"{moment:%d/%m/%Y}"
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if isinstance(value, list | dict):
        return ", ".join(str(item) for item in value) if isinstance(value, list) else str(value)
    return value


def review_tables(review: dict) -> list[Table]:
    """Every table of the review, in the order of the page."""
    indicator_headers = [
        _("Priorité"),
        _("Indicateur"),
        _("Niveau"),
        _("Source"),
        _("Unité"),
        _("Référence"),
        _("Cible"),
        _("Valeur"),
        _("Avancement (%)"),
        _("Structure responsable"),
    ]
    tables = [
        Table(
            "resultats",
            _("Tableau des résultats"),
            [_("Résultat"), _("Valeur"), _("Unité"), _("Cible"), _("Avancement (%)")],
            [
                [row["title"], row["value"], row["unit"], row["target"], row["progress"]]
                for row in review["results"]
            ],
        )
    ]
    indicator_rows_all = []
    action_rows = []
    for priority in review["priorities"]:
        indicator_rows_all += _indicator_table_rows(priority["indicators"], priority["code"])
        for action in priority["actions"] or []:
            action_rows.append(
                [
                    priority["code"],
                    action.get("title"),
                    action.get("status_label") or action.get("status"),
                    action.get("progress"),
                    _cell(action.get("pilot")),
                ]
            )
    indicator_rows_all += _indicator_table_rows(review["other_indicators"])
    tables.append(Table("indicateurs", _("Indicateurs"), indicator_headers, indicator_rows_all))
    tables.append(
        Table(
            "actions",
            _("Fiches action"),
            [_("Priorité"), _("Action"), _("Statut"), _("Avancement (%)"), _("Pilote")],
            action_rows,
        )
    )
    if review["meetings"] is not None:
        tables.append(
            Table(
                "reunions",
                _("Réunions"),
                [_("Réunion"), _("Type"), _("Date"), _("Décisions"), _("Décisions réalisées")],
                _generic_rows(
                    review["meetings"]["meetings"],
                    ["title", "kind_label", "starts_at", "decisions", "decisions_done"],
                ),
            )
        )
    trainings = review["trainings"]
    training_headers = [
        _("Libellé"),
        _("Sessions réalisées"),
        _("Personnes formées"),
        _("Structures touchées"),
        _("Lieux de la charte formés"),
        _("Personnels de ces lieux formés"),
    ]
    keys = [
        "label",
        "sessions_held",
        "people_trained",
        "structures_reached",
        "venues_trained",
        "venue_staff_trained",
    ]
    tables.append(
        Table(
            "formations-annees",
            _("Formations par année"),
            training_headers,
            _generic_rows(trainings["by_year"], keys),
        )
    )
    tables.append(
        Table(
            "formations-modules",
            _("Formations par module"),
            training_headers,
            _generic_rows(trainings["by_module"], keys),
        )
    )
    materials = review["materials"]
    tables.append(
        Table(
            "supports",
            _("Supports distribués"),
            [_("Support"), _("Exemplaires")],
            [[row["material__title"], row["copies"]] for row in materials["by_material"]],
        )
    )
    if materials["events"] is not None:
        tables.append(
            Table(
                "sensibilisation",
                _("Actions de sensibilisation"),
                [_("Action"), _("Type"), _("Début"), _("Organisateur"), _("Participants")],
                _generic_rows(
                    materials["events"].get("rows", []),
                    ["title", "kind_label", "starts_at", "organiser", "attendance"],
                ),
            )
        )
    if materials["reuse"] is not None:
        tables.append(
            Table(
                "reemplois",
                _("Réemplois de supports"),
                [_("Support"), _("Structure"), _("Nouvel acteur"), _("Date"), _("Exemplaires")],
                _generic_rows(
                    materials["reuse"].get("rows", []),
                    ["material", "organisation", "is_new_actor", "reused_on", "copies"],
                ),
            )
        )
    if review["surveys"]:
        survey_rows = []
        for survey in review["surveys"]:
            for question in survey.get("questions", []):
                for label, count, percent in question.get("rows", []):
                    survey_rows.append(
                        [survey.get("title"), question.get("text"), label, count, percent]
                    )
        tables.append(
            Table(
                "enquetes",
                _("Enquêtes auprès des signataires"),
                [_("Enquête"), _("Question"), _("Réponse"), _("Nombre"), _("Part (%)")],
                survey_rows,
            )
        )
    signatories = review["signatories"]
    tables.append(
        Table(
            "signataires",
            _("Signataires"),
            [_("Structure"), _("Type"), _("Qualité du signataire"), _("Signé le"), _("Nouveau")],
            [
                [
                    row["organisation"],
                    row["kind"],
                    row["signatory_title"],
                    _cell(row["signed_on"]),
                    _("oui") if row["is_new"] else _("non"),
                ]
                for row in signatories["rows"]
            ],
        )
    )
    return tables


def _safe(row: list) -> list:
    return safe_row(row)


def table_csv(table: Table) -> bytes:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv_writer(buffer, delimiter=";")
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow(_safe(row))
    return buffer.getvalue().encode("utf-8")


def tables_xlsx(tables: list[Table]) -> bytes:
    """One sheet per table (sheet names cut to Excel's 31 characters)."""
    workbook = Workbook(write_only=True)
    for table in tables:
        sheet = workbook.create_sheet(table.title[:31])
        sheet.append(safe_row(table.headers))
        for row in table.rows:
            sheet.append(_safe(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def review_filename(review: dict, extension: str) -> str:
    contract = review["contract"]
    return f"bilan-{contract['territory_slug']}-{review['period']['label']}.{extension}"


def review_pdf(review: dict) -> bytes:
    from maillage.directory.pdf import render_pdf

    return render_pdf(
        "evaluation/pdf/review.html",
        {"review": review, "tables": review_tables(review)},
        title=_("Bilan %(period)s — %(title)s")
        % {"period": review["period"]["label"], "title": review["contract"]["title"]},
    )


def copil_pack(review: dict) -> bytes:
    """The COPIL pack: the review as PDF, every table as XLSX (one workbook) and as CSV."""
    tables = review_tables(review)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(review_filename(review, "pdf"), review_pdf(review))
        archive.writestr(review_filename(review, "xlsx"), tables_xlsx(tables))
        for table in tables:
            archive.writestr(f"tableaux/{table.slug}.csv", table_csv(table))
    return buffer.getvalue()
