"""The partners' and coordinators' workspace (espace professionnel)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ..exports import csv_writer, safe_cell
from ..forms import (
    ContractForm,
    OrganisationFilterForm,
    OrganisationForm,
    PriorityForm,
    SignatureFilterForm,
    SignatureForm,
)
from ..models import (
    Contract,
    MembershipRequest,
    Organisation,
    Priority,
    Role,
    Signature,
    Territory,
)


def get_for_user(request: HttpRequest, queryset, *, view: str, change: str = "", **lookup) -> Model:
    """The object, or 404 when the user may not see it, or 403 when they may see, not change."""
    obj = get_object_or_404(queryset, **lookup)
    if not request.user.has_perm(view, obj):
        raise Http404
    if change and not request.user.has_perm(change, obj):
        raise PermissionDenied
    return obj


def save_form(form) -> Model:
    """Validate first, then write everything or nothing; history records who changed what."""
    with transaction.atomic():
        return form.save()


@login_required
def workspace(request: HttpRequest) -> HttpResponse:
    user = request.user
    territories = Territory.objects.visible_to(user).prefetch_related("contracts")
    roles = user.roles.select_related("organisation", "territory")
    coordinated = set(user.coordinated_territories().values_list("pk", flat=True))
    decidable = Territory.objects.all() if user.is_superuser else coordinated
    return render(
        request,
        "core/workspace/home.html",
        {
            "territories": territories,
            "roles": roles,
            "coordinated": coordinated,
            "is_referent": any(role.kind == Role.Kind.REFERENT for role in roles),
            "pending_requests": (
                MembershipRequest.objects.pending().in_territories(decidable).count()
                if user.is_superuser or coordinated
                else 0
            ),
            "my_requests": MembershipRequest.objects.pending()
            .filter(user=user)
            .select_related("organisation"),
        },
    )


@login_required
def contract_manage(request: HttpRequest, pk: int) -> HttpResponse:
    contract = get_for_user(
        request, Contract.objects.select_related("territory"), view="core.view_contract", pk=pk
    )
    form = SignatureFilterForm(request.GET or None, contract=contract)
    signatures = form.filter(contract.signatures.select_related("organisation__commune"))
    sort = request.GET.get("tri", "nom")
    orderings = {
        "nom": "organisation__name",
        "type": "organisation__kind",
        "date": "signed_on",
        "-date": "-signed_on",
    }
    signatures = signatures.order_by(orderings.get(sort, "organisation__name"), "pk")
    if request.GET.get("format") == "csv":
        return signatures_csv(contract, signatures)
    return render(
        request,
        "core/workspace/contract.html",
        {
            "contract": contract,
            "form": form,
            "signatures": signatures,
            "sort": sort,
            "priorities": contract.priorities.all(),
            "can_change": request.user.has_perm("core.change_contract", contract),
        },
    )


def signatures_csv(contract: Contract, signatures) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"signataires-{contract.territory.slug}-{contract.period}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv_writer(response, delimiter=";")
    writer.writerow(
        [
            _("Structure"),
            _("Type"),
            _("Commune"),
            _("Qualité du signataire"),
            _("Signé le"),
            _("Nouveau"),
        ]
    )
    for signature in signatures:
        organisation = signature.organisation
        writer.writerow(
            [
                safe_cell(organisation.name),
                organisation.get_kind_display(),
                safe_cell(organisation.commune or ""),
                safe_cell(signature.signatory_title),
                signature.signed_on.isoformat() if signature.signed_on else "",
                _("oui") if signature.is_new else _("non"),
            ]
        )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def contract_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contract = get_for_user(
        request, Contract, view="core.view_contract", change="core.change_contract", pk=pk
    )
    form = ContractForm(request.POST or None, instance=contract)
    if request.method == "POST" and form.is_valid():
        save_form(form)
        messages.success(request, _("Le contrat a été enregistré."))
        return redirect("core:contract_manage", pk=contract.pk)
    return render(
        request,
        "core/workspace/form.html",
        {
            "form": form,
            "title": _("Modifier le contrat"),
            "cancel_url": reverse("core:contract_manage", args=[contract.pk]),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def signature_edit(request: HttpRequest, contract_pk: int, pk: int | None = None) -> HttpResponse:
    contract = get_for_user(
        request, Contract, view="core.view_contract", change="core.change_contract", pk=contract_pk
    )
    signature = get_object_or_404(Signature, pk=pk, contract=contract) if pk else None
    form = SignatureForm(request.POST or None, instance=signature, contract=contract)
    if request.method == "POST" and form.is_valid():
        if not form.instance.signed_on:
            form.instance.signed_on = contract.signed_on
        save_form(form)
        messages.success(request, _("Le signataire a été enregistré."))
        return redirect("core:contract_manage", pk=contract.pk)
    title = _("Modifier un signataire") if signature else _("Ajouter un signataire")
    return render(
        request,
        "core/workspace/form.html",
        {
            "form": form,
            "title": title,
            "cancel_url": reverse("core:contract_manage", args=[contract.pk]),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def signature_delete(request: HttpRequest, contract_pk: int, pk: int) -> HttpResponse:
    contract = get_for_user(
        request, Contract, view="core.view_contract", change="core.change_contract", pk=contract_pk
    )
    signature = get_object_or_404(
        Signature.objects.select_related("organisation"), pk=pk, contract=contract
    )
    if request.method == "POST":
        with transaction.atomic():
            signature.delete()
        messages.success(
            request,
            _(
                "%(name)s ne figure plus parmi les signataires. "
                "L'historique garde la trace du retrait."
            )
            % {"name": signature.organisation},
        )
        return redirect("core:contract_manage", pk=contract.pk)
    return render(
        request,
        "core/workspace/confirm_delete.html",
        {"object": signature, "cancel_url": reverse("core:contract_manage", args=[contract.pk])},
    )


@login_required
@require_http_methods(["GET", "POST"])
def priority_edit(request: HttpRequest, contract_pk: int, pk: int | None = None) -> HttpResponse:
    contract = get_for_user(
        request, Contract, view="core.view_contract", change="core.change_contract", pk=contract_pk
    )
    priority = get_object_or_404(Priority, pk=pk, contract=contract) if pk else None
    form = PriorityForm(request.POST or None, instance=priority, contract=contract)
    if request.method == "POST" and form.is_valid():
        save_form(form)
        messages.success(request, _("La priorité a été enregistrée."))
        return redirect("core:contract_manage", pk=contract.pk)
    title = _("Modifier une priorité") if priority else _("Ajouter une priorité")
    return render(
        request,
        "core/workspace/form.html",
        {
            "form": form,
            "title": title,
            "cancel_url": reverse("core:contract_manage", args=[contract.pk]),
        },
    )


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("core.access_workspace"):
        raise PermissionDenied
    form = OrganisationFilterForm(request.GET or None)
    organisations = (
        Organisation.objects.filter(territory__in=Territory.objects.visible_to(request.user))
        .select_related("commune", "territory")
        .annotate(signature_count=Count("signatures"))
    )
    if form.is_valid():
        organisations = organisations.search(form.cleaned_data["q"])
        if form.cleaned_data["kind"]:
            organisations = organisations.filter(kind=form.cleaned_data["kind"])
    page = Paginator(organisations.order_by("name"), 25).get_page(request.GET.get("page"))
    coordinated = request.user.coordinated_territories()
    return render(
        request,
        "core/workspace/organisation_list.html",
        {
            "form": form,
            "page_obj": page,
            "can_add": request.user.is_superuser or coordinated.exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_add(request: HttpRequest) -> HttpResponse:
    territories = (
        Territory.objects.all()
        if request.user.is_superuser
        else request.user.coordinated_territories()
    )
    territory = territories.first()
    if territory is None:
        raise PermissionDenied
    form = OrganisationForm(request.POST or None, territory=territory)
    if request.method == "POST" and form.is_valid():
        organisation = save_form(form)
        messages.success(request, _("La structure a été créée."))
        return redirect("core:organisation_manage", pk=organisation.pk)
    return render(
        request,
        "core/workspace/form.html",
        {
            "form": form,
            "title": _("Nouvelle structure"),
            "cancel_url": reverse("core:organisation_list"),
        },
    )


@login_required
def organisation_manage(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_for_user(
        request,
        Organisation.objects.select_related("territory", "commune"),
        view="core.view_organisation",
        pk=pk,
    )
    user = request.user
    return render(
        request,
        "core/workspace/organisation.html",
        {
            "organisation": organisation,
            "signatures": organisation.signatures.select_related("contract"),
            "can_change": user.has_perm("core.change_organisation", organisation),
            "can_view_members": user.has_perm("core.view_members", organisation),
            "history": organisation.history.select_related("history_user")[:10],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_for_user(
        request,
        Organisation.objects.select_related("territory"),
        view="core.view_organisation",
        change="core.change_organisation",
        pk=pk,
    )
    form = OrganisationForm(
        request.POST or None, instance=organisation, territory=organisation.territory
    )
    if request.method == "POST" and form.is_valid():
        save_form(form)
        messages.success(request, _("La structure a été enregistrée."))
        return redirect("core:organisation_manage", pk=organisation.pk)
    return render(
        request,
        "core/workspace/form.html",
        {
            "form": form,
            "title": _("Modifier %(name)s") % {"name": organisation},
            "cancel_url": reverse("core:organisation_manage", args=[organisation.pk]),
        },
    )


@login_required
def organisation_members(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_for_user(request, Organisation, view="core.view_members", pk=pk)
    roles = organisation.roles.select_related("user").order_by("user__last_name", "user__email")
    return render(
        request,
        "core/workspace/members.html",
        {"organisation": organisation, "roles": roles, "Role": Role},
    )


@login_required
def organisation_history(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_for_user(request, Organisation, view="core.view_organisation", pk=pk)
    records = list(organisation.history.select_related("history_user")[:50])
    changes = []
    for record in records:
        previous = record.prev_record
        diff = record.diff_against(previous).changes if previous else []
        fields = [
            {
                "label": Organisation._meta.get_field(change.field).verbose_name,
                "old": change.old,
                "new": change.new,
            }
            for change in diff
        ]
        changes.append({"record": record, "diff": fields})
    return render(
        request,
        "core/workspace/organisation_history.html",
        {
            "organisation": organisation,
            "changes": changes,
            "can_change": request.user.has_perm("core.change_organisation", organisation),
        },
    )


@login_required
@require_http_methods(["POST"])
def organisation_revert(request: HttpRequest, pk: int, history_id: int) -> HttpResponse:
    organisation = get_for_user(
        request,
        Organisation,
        view="core.view_organisation",
        change="core.change_organisation",
        pk=pk,
    )
    record = get_object_or_404(organisation.history, history_id=history_id)
    with transaction.atomic():
        restored = record.instance
        restored._change_reason = f"Retour à la version du {record.history_date:%d/%m/%Y %H:%M}"
        restored.save()
    messages.success(request, _("La version choisie a été rétablie ; l'historique garde la trace."))
    return redirect("core:organisation_history", pk=organisation.pk)
