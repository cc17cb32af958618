"""The evaluation in the workspace: the contracts' dashboards, their indicators and entered
values, and the review (bilan) as a page, a PDF, JSON, CSV/XLSX tables and the COPIL pack."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from maillage.core.models import Contract, Role
from maillage.core.views.workspace import get_for_user

from .forms import IndicatorForm, IndicatorValueForm, ReviewYearForm
from .models import Indicator
from .review import (
    XLSX,
    build_review,
    copil_pack,
    review_filename,
    review_pdf,
    review_tables,
    table_csv,
    tables_xlsx,
)
from .services import (
    bars,
    contract_period,
    contract_years,
    indicator_rows,
    indicators_of,
    record_value,
    yearly_distribution_series,
    yearly_training_series,
)

CONTRACTS = Contract.objects.select_related("territory")


def _contract(request: HttpRequest, pk: int) -> Contract:
    return get_for_user(request, CONTRACTS, view="evaluation.view_contract", pk=pk)


def _year(request: HttpRequest, contract: Contract) -> int | None:
    form = ReviewYearForm(request.GET or None, contract=contract)
    if form.is_valid():
        return form.cleaned_data["annee"]
    return None


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The contracts whose dashboard the user sees, and the indicators they enter."""
    user = request.user
    contracts = CONTRACTS.order_by("territory__name", "-start_date")
    if not user.is_superuser:
        contracts = contracts.filter(
            territory__roles__user=user, territory__roles__kind=Role.Kind.COORDINATOR
        )
    to_enter = (
        Indicator.objects.filter(
            source=Indicator.Source.ENTERED,
            responsible__roles__user=user,
            responsible__roles__kind=Role.Kind.REFERENT,
        )
        .select_related("contract__territory", "responsible")
        .distinct()
        .order_by("contract__title", "position", "title")
    )
    if not contracts.exists() and not to_enter.exists():
        raise PermissionDenied
    return render(
        request,
        "evaluation/home.html",
        {"contracts": list(contracts.distinct()), "to_enter": to_enter},
    )


@login_required
def dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    period = contract_period(contract)
    rows = [row.as_dict() for row in indicator_rows(contract, period, indicators_of(contract))]
    years = contract_years(contract)
    training = yearly_training_series(contract, years)
    copies = yearly_distribution_series(contract, years)
    charts = [
        {
            "slug": "personnes-formees",
            "title": _("Personnes formées par année"),
            "unit": _("personnes"),
            "bars": bars(training, "people_trained"),
        },
        {
            "slug": "sessions",
            "title": _("Sessions de formation réalisées par année"),
            "unit": _("sessions"),
            "bars": bars(training, "sessions_held"),
        },
        {
            "slug": "exemplaires",
            "title": _("Exemplaires de supports distribués par année"),
            "unit": _("exemplaires"),
            "bars": bars(copies, "copies"),
        },
    ]
    return render(
        request,
        "evaluation/dashboard.html",
        {
            "contract": contract,
            "period": period,
            "rows": rows,
            "results": [row for row in rows if row["is_headline"]],
            "charts": charts,
            "can_change": request.user.has_perm("evaluation.change_indicator", contract),
        },
    )


def _indicator(request: HttpRequest, contract_pk: int, pk: int) -> Indicator:
    return get_for_user(
        request,
        Indicator.objects.select_related("contract__territory", "responsible", "priority"),
        view="evaluation.view_indicator",
        contract_id=contract_pk,
        pk=pk,
    )


@login_required
@require_http_methods(["GET", "POST"])
def indicator_detail(request: HttpRequest, contract_pk: int, pk: int) -> HttpResponse:
    """An indicator: its definition, its value over the contract, its entered values (with
    their history) and, for an entered indicator, the form to enter one."""
    indicator = _indicator(request, contract_pk, pk)
    can_enter = indicator.source == Indicator.Source.ENTERED and request.user.has_perm(
        "evaluation.enter_value", indicator
    )
    form = IndicatorValueForm(request.POST or None) if can_enter else None
    if request.method == "POST":
        if not can_enter:
            raise PermissionDenied
        if form.is_valid():
            try:
                record_value(indicator=indicator, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("La valeur est enregistrée."))
                return redirect(indicator.get_absolute_url())
    values = indicator.values.select_related("entered_by").order_by("-period_start")
    history = (
        indicator.values.model.history.filter(indicator_id=indicator.pk)
        .select_related("history_user")
        .order_by("-history_date")
    )
    page = Paginator(history, 20).get_page(request.GET.get("page"))
    [row] = indicator_rows(indicator.contract, contract_period(indicator.contract), [indicator])
    return render(
        request,
        "evaluation/indicator.html",
        {
            "indicator": indicator,
            "contract": indicator.contract,
            "row": row,
            "values": values,
            "history_page": page,
            "form": form,
            "can_change": request.user.has_perm("evaluation.change_indicator", indicator),
            "can_view_contract": request.user.has_perm(
                "evaluation.view_contract", indicator.contract
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def indicator_edit(request: HttpRequest, contract_pk: int, pk: int | None = None) -> HttpResponse:
    contract = get_for_user(
        request,
        CONTRACTS,
        view="evaluation.view_contract",
        change="evaluation.change_indicator",
        pk=contract_pk,
    )
    instance = None
    if pk is not None:
        instance = Indicator.objects.filter(contract=contract, pk=pk).first()
        if instance is None:
            raise Http404
    form = IndicatorForm(request.POST or None, instance=instance, contract=contract)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            indicator = form.save()
        messages.success(request, _("L'indicateur est enregistré."))
        return redirect(indicator.get_absolute_url())
    return render(
        request,
        "evaluation/indicator_form.html",
        {"form": form, "contract": contract, "indicator": instance},
    )


# The review


@login_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    year = _year(request, contract)
    data = build_review(contract, year)
    query = f"?annee={year}" if year else ""
    return render(
        request,
        "evaluation/review.html",
        {
            "contract": contract,
            "review": data,
            "tables": review_tables(data),
            "year_form": ReviewYearForm(request.GET or None, contract=contract),
            "query": query,
        },
    )


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def review_pdf_view(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    data = build_review(contract, _year(request, contract))
    return _attachment(review_pdf(data), "application/pdf", review_filename(data, "pdf"))


@login_required
def review_json(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    data = build_review(contract, _year(request, contract))
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="{review_filename(data, "json")}"'
    return response


@login_required
def review_table(request: HttpRequest, pk: int, table: str, extension: str) -> HttpResponse:
    if extension not in {"csv", "xlsx"}:
        raise Http404
    contract = _contract(request, pk)
    data = build_review(contract, _year(request, contract))
    tables = review_tables(data)
    if table != "tout":
        tables = [item for item in tables if item.slug == table]
    if not tables:
        raise Http404
    stem = review_filename(data, "")[:-1]
    name = f"{stem}-{table}.{extension}"
    if extension == "csv":
        if len(tables) != 1:
            raise Http404
        return _attachment(table_csv(tables[0]), "text/csv; charset=utf-8", name)
    return _attachment(tables_xlsx(tables), XLSX, name)


@login_required
def review_copil(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    data = build_review(contract, _year(request, contract))
    stem = review_filename(data, "")[:-1]
    return _attachment(copil_pack(data), "application/zip", f"copil-{stem}.zip")
