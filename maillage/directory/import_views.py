"""Importing services from the back office: upload, check or import, live progress."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from .imports import MAX_UPLOAD_BYTES, start_import
from .models import ImportJob
from .workspace_views import moderated_territories


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier"),
        help_text=_("JSON ou CSV au schéma data·inclusion, encodé en UTF-8 (200 Mo au plus)."),
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[("data-inclusion", _("data·inclusion (JSON)")), ("csv", _("CSV"))],
    )
    valid_rows_only = forms.BooleanField(
        label=_("Importer les lignes valides même si d'autres sont en erreur"), required=False
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Le fichier dépasse 200 Mo."))
        head = upload.read(4096)
        upload.seek(0)
        if b"\x00" in head:
            raise forms.ValidationError(_("Ce fichier n'est pas du texte (JSON ou CSV attendu)."))
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as error:
            if error.start < len(head) - 4:  # a character cut at the 4 KB boundary is fine
                raise forms.ValidationError(_("Le fichier doit être encodé en UTF-8.")) from None
        return upload

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload and data.get("format") == "data-inclusion":
            start = upload.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
            upload.seek(0)
            if start not in (b"{", b"["):
                self.add_error("format", _("Ce fichier n'est pas du JSON : choisissez CSV ?"))
        return data


@login_required
@require_http_methods(["GET", "POST"])
def import_start(request: HttpRequest) -> HttpResponse:
    territory = moderated_territories(request.user).first()
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = start_import(
            territory=territory,
            upload=form.cleaned_data["file"],
            format=form.cleaned_data["format"],
            dry_run=request.POST.get("action") != "import",
            valid_rows_only=form.cleaned_data["valid_rows_only"],
            by=request.user,
        )
        return redirect("directory:import_job", pk=job.pk)
    jobs = ImportJob.objects.filter(territory=territory)[:10]
    return render(request, "directory/workspace/import.html", {"form": form, "jobs": jobs})


def _job(request: HttpRequest, pk: int) -> ImportJob:
    return get_object_or_404(
        ImportJob.objects.select_related("territory"),
        pk=pk,
        territory__in=moderated_territories(request.user),
    )


@login_required
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "directory/workspace/import_job.html", {"job": _job(request, pk)})


@login_required
def import_job_status(request: HttpRequest, pk: int) -> JsonResponse:
    """What the progress bar polls."""
    job = _job(request, pk)
    return JsonResponse(
        {"status": job.status, "done": job.done, "total": job.total, "percent": job.percent}
    )
