"""The coordination's "Journal des accès": who read or exported personal data in its
territory (see maillage/core/audit.py)."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import audit
from ..audit import ACTIONS, AuditEvent
from ..exports import csv_writer, safe_cell
from ..models import Organisation, Territory

PAGE_SIZE = 50


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=gettext_lazy("Action"), required=False)
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Structure"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=gettext_lazy("Toutes"),
    )

    def __init__(self, *args, territories, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("Toutes"))] + [
            (code, str(label)) for code, label in ACTIONS.items()
        ]
        self.fields["organisation"].queryset = Organisation.objects.filter(
            territory__in=territories
        ).order_by("name")

    def filter(self, events):
        if not self.is_valid():
            return events
        if self.cleaned_data["action"]:
            events = events.filter(action=self.cleaned_data["action"])
        if self.cleaned_data["organisation"]:
            events = events.filter(organisation=self.cleaned_data["organisation"])
        return events


def audited_territories(user):
    """The territories whose log the user may read: those they coordinate (all for an
    administrator); 403 for anyone else."""
    territories = Territory.objects.all() if user.is_superuser else user.coordinated_territories()
    if not territories.exists():
        raise PermissionDenied
    return territories


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    territories = audited_territories(request.user)
    form = AuditFilterForm(request.GET or None, territories=territories)
    events = form.filter(
        AuditEvent.objects.filter(territory__in=territories).select_related(
            "user", "organisation", "territory"
        )
    )
    if request.GET.get("format") == "csv":
        rows = list(events)
        audit.record(
            "core.audit.exported",
            by=request.user,
            territory=territories.first() if territories.count() == 1 else None,
            details={"format": "csv", "rows": len(rows)},
        )
        return audit_csv(rows)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    response = render(
        request,
        "core/audit_log.html",
        {"form": form, "page_obj": page, "query": request.GET.urlencode()},
    )
    response["Cache-Control"] = "private, no-store"
    return response


def audit_csv(events) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="journal-des-acces-{stamp}.csv"'
    response["Cache-Control"] = "private, no-store"
    response.write("\ufeff")
    writer = csv_writer(response, delimiter=";")
    writer.writerow(
        [
            _("Date"),
            _("Compte"),
            _("Action"),
            _("Code"),
            _("Territoire"),
            _("Structure"),
            _("Objet"),
            _("Identifiant"),
        ]
    )
    for event in events:
        writer.writerow(
            [
                timezone.localtime(event.at).isoformat(timespec="seconds"),
                safe_cell(event.user.email if event.user else _("compte supprimé")),
                safe_cell(event.action_label),
                event.action,
                safe_cell(event.territory or ""),
                safe_cell(event.organisation or ""),
                event.object_type,
                event.object_id,
            ]
        )
    return response
