"""Reuse declarations in the workspace: a referent declares that their organisation reused a
material and sees (and may withdraw) its declarations; the coordination sees every
declaration of its territory, with filters and a CSV/XLSX export."""

from __future__ import annotations

from io import BytesIO

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods
from openpyxl import Workbook

from maillage.core.exports import csv_writer, safe_cell, safe_row
from maillage.core.forms import DateInput
from maillage.core.models import Organisation, Role, User

from .models import Material, MaterialReuse
from .reuse import ReuseError, declare_reuse, delete_reuse, with_new_actor_flag
from .workspace_views import managed_territories

PAGE_SIZE = 25
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ReuseForm(forms.Form):
    material = forms.ModelChoiceField(label=gettext_lazy("Support"), queryset=None)
    organisation = forms.ModelChoiceField(label=gettext_lazy("Structure"), queryset=None)
    channel = forms.ChoiceField(
        label=gettext_lazy("Usage"), choices=[("", "—"), *MaterialReuse.Channel.choices]
    )
    reused_on = forms.DateField(
        label=gettext_lazy("Date de la réutilisation"),
        widget=DateInput(),
        help_text=gettext_lazy("Le jour de l'impression, de l'affichage ou de la publication."),
    )
    copies = forms.IntegerField(
        label=gettext_lazy("Exemplaires imprimés par la structure"),
        required=False,
        min_value=1,
        max_value=1_000_000,
        help_text=gettext_lazy("Seulement si vous l'avez imprimé vous-même."),
    )
    description = forms.CharField(
        label=gettext_lazy("Comment le support a été réutilisé"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Par exemple : affiches dans le hall d'accueil, dépliants au stand du forum. "
            "N'écrivez rien sur une personne aidée."
        ),
    )

    def __init__(self, *args, organisations: QuerySet[Organisation], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()
        self.fields["material"].queryset = (
            Material.objects.for_partners()
            .filter(campaign__territory__in=organisations.values("territory_id"))
            .order_by("title")
        )


class ReuseFilterForm(forms.Form):
    """A GET form: shareable, no cookie."""

    material = forms.ModelChoiceField(
        label=gettext_lazy("Support"),
        queryset=Material.objects.none(),
        required=False,
        empty_label=gettext_lazy("Tous les supports"),
    )
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Structure"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=gettext_lazy("Toutes les structures"),
    )
    channel = forms.ChoiceField(
        label=gettext_lazy("Usage"),
        required=False,
        choices=[("", gettext_lazy("Tous les usages")), *MaterialReuse.Channel.choices],
    )
    start = forms.DateField(label=gettext_lazy("Du"), required=False, widget=DateInput())
    end = forms.DateField(label=gettext_lazy("Au"), required=False, widget=DateInput())

    def __init__(self, *args, reuses: QuerySet[MaterialReuse], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["material"].queryset = Material.objects.filter(
            pk__in=reuses.values("material")
        ).order_by("title")
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=reuses.values("organisation")
        ).order_by("name")

    def filter(self, reuses: QuerySet[MaterialReuse]) -> QuerySet[MaterialReuse]:
        if not self.is_valid():
            return reuses
        data = self.cleaned_data
        if data["material"]:
            reuses = reuses.filter(material=data["material"])
        if data["organisation"]:
            reuses = reuses.filter(organisation=data["organisation"])
        if data["channel"]:
            reuses = reuses.filter(channel=data["channel"])
        if data["start"]:
            reuses = reuses.filter(reused_on__gte=data["start"])
        if data["end"]:
            reuses = reuses.filter(reused_on__lte=data["end"])
        return reuses


def declaring_organisations(user: User) -> QuerySet[Organisation]:
    return user.organisations(Role.Kind.REFERENT)


def reuse_scope(user: User) -> QuerySet[MaterialReuse]:
    """Declarations of the coordinated territories and of the user's organisations."""
    territories = managed_territories(user)
    organisations = declaring_organisations(user)
    if not territories.exists() and not organisations.exists():
        raise PermissionDenied
    if user.is_superuser:
        return MaterialReuse.objects.all()
    return MaterialReuse.objects.filter(
        Q(organisation__territory__in=territories) | Q(organisation__in=organisations)
    )


def filtered_reuses(request: HttpRequest) -> tuple[ReuseFilterForm, QuerySet[MaterialReuse]]:
    scope = reuse_scope(request.user)
    # Its own ids: the declaration form on the same page has fields of the same names.
    form = ReuseFilterForm(request.GET or None, reuses=scope, auto_id="filtre_%s")
    reuses = with_new_actor_flag(form.filter(scope)).select_related(
        "material", "organisation", "declared_by"
    )
    return form, reuses.order_by("-reused_on", "-pk")


@login_required
@require_http_methods(["GET", "POST"])
def reuses(request: HttpRequest) -> HttpResponse:
    """The declaration form (for referents) and the declarations the user can see."""
    user = request.user
    filter_form, declarations = filtered_reuses(request)
    organisations = declaring_organisations(user)
    form = None
    if organisations.exists():
        initial = {"reused_on": timezone.localdate()}
        if request.GET.get("support", "").isdigit():
            initial["material"] = int(request.GET["support"])
        form = ReuseForm(request.POST or None, organisations=organisations, initial=initial)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            if not user.has_perm("prevention.declare_reuse", data["organisation"]):
                raise PermissionDenied
            try:
                declare_reuse(
                    material=data["material"],
                    organisation=data["organisation"],
                    channel=data["channel"],
                    reused_on=data["reused_on"],
                    copies=data["copies"],
                    description=data["description"],
                    by=user,
                )
            except ReuseError as error:
                form.add_error(error.field if error.field in form.fields else None, str(error))
            else:
                messages.success(request, _("Merci : la réutilisation est enregistrée."))
                return redirect("prevention:reuses")
    elif request.method == "POST":
        raise PermissionDenied
    page_obj = Paginator(declarations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "prevention/reuse/list.html",
        {
            "form": form,
            "filter_form": filter_form,
            "page_obj": page_obj,
            "manages": managed_territories(user).exists(),
            "query": request.GET.urlencode(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def reuse_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """A confirmation page, then the deletion."""
    reuse = get_object_or_404(
        reuse_scope(request.user).select_related("material", "organisation"), pk=pk
    )
    if not request.user.has_perm("prevention.delete_reuse", reuse):
        raise PermissionDenied
    if request.method == "POST":
        delete_reuse(reuse=reuse, by=request.user)
        messages.success(request, _("La déclaration est supprimée."))
        return redirect("prevention:reuses")
    return render(request, "prevention/reuse/delete.html", {"reuse": reuse})


def export_titles() -> list[str]:
    return [
        _("Support"),
        _("Structure"),
        _("Nouvel acteur local"),
        _("Usage"),
        _("Date"),
        _("Exemplaires imprimés"),
        _("Description"),
    ]


def export_rows(reuses: QuerySet[MaterialReuse]) -> list[list]:
    return [
        [
            safe_cell(reuse.material.title),
            safe_cell(reuse.organisation.name),
            _("non") if reuse.is_signatory else _("oui"),
            str(reuse.get_channel_display()),
            reuse.reused_on.isoformat(),
            reuse.copies if reuse.copies is not None else "",
            safe_cell(reuse.description),
        ]
        for reuse in reuses
    ]


@login_required
@require_GET
def reuses_csv(request: HttpRequest) -> HttpResponse:
    _form, reuses = filtered_reuses(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="reutilisations-supports.csv"'
    response.write("\ufeff")
    writer = csv_writer(response, delimiter=";")
    writer.writerow(export_titles())
    writer.writerows(export_rows(reuses))
    return response


@login_required
@require_GET
def reuses_xlsx(request: HttpRequest) -> HttpResponse:
    _form, reuses = filtered_reuses(request)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Réutilisations"))
    sheet.append(safe_row(export_titles()))
    for row in export_rows(reuses):
        sheet.append(safe_row(row))
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="reutilisations-supports.xlsx"'
    return response
