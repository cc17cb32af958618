"""Public pages: anyone may read them, nothing they do is stored, no cookie is set."""

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from .. import readiness
from ..forms import SignatureFilterForm
from ..models import Contract, Organisation


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


@require_safe
def safety(request: HttpRequest) -> HttpResponse:
    return render(request, "core/safety.html")


@require_safe
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


@require_safe
def legal(request: HttpRequest) -> HttpResponse:
    return render(request, "core/legal.html")


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html")


@require_safe
def contract_detail(request: HttpRequest, territory: str, pk: int) -> HttpResponse:
    contract = get_object_or_404(
        Contract.objects.select_related("territory"), pk=pk, territory__slug=territory
    )
    form = SignatureFilterForm(request.GET or None, contract=contract)
    all_signatures = contract.signatures.select_related(
        "organisation__commune", "organisation__territory"
    )
    signatures = form.filter(all_signatures)
    return render(
        request,
        "core/contract_detail.html",
        {
            "contract": contract,
            "form": form,
            "signatures": signatures,
            "total": all_signatures.count(),
            "new_count": all_signatures.filter(is_new=True).count(),
            "priorities": contract.priorities.all(),
        },
    )


@require_safe
def organisation_detail(request: HttpRequest, territory: str, pk: int) -> HttpResponse:
    organisation = get_object_or_404(
        Organisation.objects.select_related("territory", "commune"),
        pk=pk,
        territory__slug=territory,
    )
    signatures = organisation.signatures.select_related("contract").order_by(
        "-contract__start_date"
    )
    return render(
        request,
        "core/organisation_detail.html",
        {"organisation": organisation, "signatures": signatures},
    )


@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers: the process answers and the database too. With `?ready`, also that
    this worker holds what it needs to answer at full speed (its search index): 503 until then."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    if "ready" in request.GET:
        if waiting := readiness.waiting_for():
            return HttpResponse(
                "not ready: " + ", ".join(waiting) + "\n",
                status=503,
                content_type="text/plain",
                headers={"Retry-After": "2"},
            )
        return HttpResponse("ready\n", content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")
