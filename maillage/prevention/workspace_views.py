"""Prevention in the workspace: a referent orders printed copies for their organisation; the
coordination approves or refuses, records the deliveries, uploads files and reads the
distribution."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from maillage.core.models import Commune, Organisation, Role, Territory
from maillage.core.uploads import UploadRefused

from .forms import DeliveryForm, MaterialFileForm, PeriodForm, PrintOrderForm, RefusalForm
from .models import Material, PrintOrder
from .services import (
    OrderError,
    approve_print_order,
    attach_file,
    distribution,
    record_delivery,
    refuse_print_order,
    request_print_order,
)


def managed_territories(user) -> QuerySet[Territory]:
    return Territory.objects.all() if user.is_superuser else user.coordinated_territories()


def require_manager(user) -> QuerySet[Territory]:
    territories = managed_territories(user)
    if not territories.exists():
        raise PermissionDenied
    return territories


def ordering_organisations(user) -> QuerySet[Organisation]:
    return user.organisations(Role.Kind.REFERENT)


@login_required
@require_http_methods(["GET", "POST"])
def orders(request: HttpRequest) -> HttpResponse:
    """A referent's orders and order form; the coordination's orders to decide."""
    user = request.user
    territories = managed_territories(user)
    organisations = ordering_organisations(user)
    if not territories.exists() and not organisations.exists():
        raise PermissionDenied
    form = None
    if organisations.exists():
        territory_ids = organisations.values("territory_id")
        form = PrintOrderForm(
            request.POST or None,
            organisations=organisations,
            materials=Material.objects.filter(
                review_state=Material.ReviewState.VALIDATED,
                campaign__territory_id__in=territory_ids,
            ),
            communes=Commune.objects.filter(territory__in=territory_ids).distinct(),
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            if not user.has_perm("prevention.order", data["organisation"]):
                raise PermissionDenied
            try:
                request_print_order(
                    material=data["material"],
                    organisation=data["organisation"],
                    quantity=data["quantity"],
                    commune=data["commune"],
                    by=user,
                )
            except OrderError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Votre commande est transmise à la coordination."))
                return redirect("prevention:orders")
    elif request.method == "POST":
        raise PermissionDenied
    own_orders = (
        PrintOrder.objects.filter(organisation__in=organisations)
        .select_related("material", "organisation", "commune")
        .order_by("-requested_at", "-pk")
    )
    to_decide = (
        PrintOrder.objects.filter(
            material__campaign__territory__in=territories,
            status__in=[PrintOrder.Status.REQUESTED, PrintOrder.Status.APPROVED],
        )
        .select_related("material", "organisation", "commune")
        .order_by("requested_at", "pk")
    )
    return render(
        request,
        "prevention/workspace/orders.html",
        {
            "form": form,
            "own_orders": own_orders,
            "to_decide": to_decide,
            "manages": territories.exists(),
            "low_stock": Material.objects.low_stock()
            .filter(campaign__territory__in=territories)
            .select_related("campaign")
            .order_by("stock", "title"),
            "refusal_form": RefusalForm(),
            "delivery_form": DeliveryForm(),
        },
    )


def managed_order(request: HttpRequest, pk: int) -> PrintOrder:
    order = get_object_or_404(PrintOrder.objects.select_related("organisation"), pk=pk)
    if not request.user.has_perm("prevention.manage", order):
        # Another territory's order is not even seen; a partner of the territory is refused.
        if not request.user.has_perm("core.view_organisation", order.organisation):
            raise Http404
        raise PermissionDenied
    return order


@login_required
@require_POST
def order_approve(request: HttpRequest, pk: int) -> HttpResponse:
    order = managed_order(request, pk)
    try:
        approve_print_order(order=order, by=request.user)
    except OrderError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Commande acceptée ; le stock est mis à jour."))
    return redirect("prevention:orders")


@login_required
@require_POST
def order_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    order = managed_order(request, pk)
    form = RefusalForm(request.POST)
    try:
        refuse_print_order(
            order=order,
            by=request.user,
            comment=form.cleaned_data["comment"] if form.is_valid() else "",
        )
    except OrderError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Commande refusée."))
    return redirect("prevention:orders")


@login_required
@require_POST
def order_deliver(request: HttpRequest, pk: int) -> HttpResponse:
    order = managed_order(request, pk)
    form = DeliveryForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Indiquez la date de livraison."))
        return redirect("prevention:orders")
    try:
        record_delivery(
            order=order, delivered_on=form.cleaned_data["delivered_on"], by=request.user
        )
    except OrderError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Livraison enregistrée."))
    return redirect("prevention:orders")


@login_required
def distribution_view(request: HttpRequest) -> HttpResponse:
    territories = require_manager(request.user)
    form = PeriodForm(request.GET or None)
    start = end = None
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    figures = [
        (territory, distribution(territory=territory, start=start, end=end))
        for territory in territories.order_by("name")
    ]
    return render(
        request, "prevention/workspace/distribution.html", {"form": form, "figures": figures}
    )


@login_required
@require_http_methods(["GET", "POST"])
def material_file(request: HttpRequest, pk: int) -> HttpResponse:
    material = get_object_or_404(Material.objects.select_related("campaign"), pk=pk)
    if not request.user.has_perm("prevention.manage", material):
        # Another territory's material stays hidden (404); its own partners are refused (403).
        if not request.user.has_perm("core.view_contract", material.campaign.territory):
            raise Http404
        raise PermissionDenied
    form = MaterialFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            attach_file(material=material, upload=form.cleaned_data["file"])
        except UploadRefused as refusal:
            form.add_error("file", str(refusal))
        else:
            messages.success(request, _("Le fichier du support est enregistré."))
            return redirect("prevention:material_file", pk=material.pk)
    return render(
        request, "prevention/workspace/material_file.html", {"form": form, "material": material}
    )
