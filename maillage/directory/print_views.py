"""Printable directory: a service's contact sheet and a search's results, as PDF.

The same visibility as the web pages: what a visitor may not see on screen is not printed.
A confidential address is never printed, only its commune. Nothing a visitor does is stored.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from .forms import SearchForm
from .models import Service, ServicePhone, Visibility, sees_professional_records
from .pdf import render_pdf
from .search import services_for
from .services import email_for, phones_for

LIST_LIMIT = 100  # services in a printed list; the PDF says when the search found more


def pdf_response(pdf: bytes, *, filename: str) -> HttpResponse:
    """Shown in the browser (inline); `filename` is used when the visitor saves it."""
    return HttpResponse(
        pdf,
        content_type="application/pdf",
        headers={"Content-Disposition": content_disposition_header(False, filename)},
    )


@require_safe
def service_pdf(request: HttpRequest, pk) -> HttpResponse:
    professional = sees_professional_records(request.user)
    service = get_object_or_404(
        Service.objects.visible_to(request.user)
        .select_related("organisation")
        .prefetch_related("places__commune", "phones", "opening_slots", "help_types", "publics"),
        pk=pk,
    )
    phones = phones_for(service, professional=professional)
    email = email_for(service, professional=professional)
    pdf = render_pdf(
        "directory/pdf/service.html",
        {
            "service": service,
            "phones": phones,
            "email": email,
            "professional_details": has_professional_details(service, phones, email=email),
        },
        title=service.name,  # discreet: the service's name, never a word like "violence"
    )
    return pdf_response(pdf, filename=f"{slugify(service.name)[:80] or 'fiche'}.pdf")


@require_safe
def search_pdf(request: HttpRequest) -> HttpResponse:
    """The results of the search page for the same GET parameters, at most LIST_LIMIT."""
    professional = sees_professional_records(request.user)
    form = SearchForm(request.GET or None)
    query = form.to_query()
    if form.is_bound and not form.is_valid():
        services, total = [], 0
    else:
        results = services_for(query, user=request.user)
        total = results.count()
        services = list(results[:LIST_LIMIT])
    entries = [
        {"service": service, "phones": phones_for(service, professional=professional)}
        for service in services
    ]
    pdf = render_pdf(
        "directory/pdf/search.html",
        {
            "entries": entries,
            "criteria": criteria(form),
            "total": total,
            "truncated": total > LIST_LIMIT,
            "professional_details": any(
                has_professional_details(entry["service"], entry["phones"]) for entry in entries
            ),
        },
        title=_("Contacts"),
    )
    return pdf_response(pdf, filename="contacts.pdf")


def has_professional_details(
    service: Service, phones: list[ServicePhone], *, email: str = ""
) -> bool:
    """Whether a printed service shows what is for professionals only (the PDF warns)."""
    return (
        service.visibility != Visibility.PUBLIC
        or any(phone.visibility != Visibility.PUBLIC for phone in phones)
        or bool(email and service.email_visibility != Visibility.PUBLIC)
    )


def criteria(form: SearchForm) -> list[str]:
    """The search in words, printed above the list: the text, the commune, the filters."""
    if not form.is_bound or not form.is_valid():
        return []
    data = form.cleaned_data
    lines = []
    if data["q"]:
        lines.append(_("Recherche : « %(text)s »") % {"text": data["q"]})
    if data["commune"] is not None:
        lines.append(_("Commune : %(commune)s") % {"commune": data["commune"]})
    for name in ("violence", "aide", "public", "langue"):
        field = form.fields[name]
        labels = dict(field.choices)
        if data[name]:
            chosen = ", ".join(str(labels.get(code, code)) for code in data[name])
            lines.append(_("%(filter)s : %(values)s") % {"filter": field.label, "values": chosen})
    conditions = [
        str(form.fields[name].label)
        for name in ("ouvert", "gratuit", "anonyme", "mineurs")
        if data[name]
    ]
    if conditions:
        lines.append(_("Conditions : %(conditions)s") % {"conditions": ", ".join(conditions)})
    return lines
