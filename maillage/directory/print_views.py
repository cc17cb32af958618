"""Printable directory: a service's contact sheet and a search's results, as PDF.

The same visibility as the web pages: what a visitor may not see on screen is not printed.
A confidential address is never printed, only its commune. Nothing a visitor does is stored.

A document costs 0.5 to 1.4 s of CPU: it is kept in the shared cache under what it depends on
(the search index's token, professional records shown or not, the service or the normalised
search, the minute when "open now" is asked) and builds are limited per client
(core.pdf_cache).
"""

from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from maillage.core.pdf_cache import pdf_cache_key, serve_pdf

from .forms import SearchForm
from .models import PARIS, Service, ServicePhone, Visibility, sees_professional_records
from .page_cache import read_token
from .pdf import render_pdf
from .search import services_for
from .services import email_for, phones_for

LIST_LIMIT = 100  # services in a printed list; the PDF says when the search found more


@require_safe
def service_pdf(request: HttpRequest, pk) -> HttpResponse:
    professional = sees_professional_records(request.user)
    service = get_object_or_404(
        Service.objects.visible_to(request.user).select_related("organisation"), pk=pk
    )
    token = read_token()  # None: a directory never changed, nothing worth keeping

    def build() -> bytes:
        prefetch_related_objects(
            [service], "places__commune", "phones", "opening_slots", "help_types", "publics"
        )
        phones = phones_for(service, professional=professional)
        email = email_for(service, professional=professional)
        return render_pdf(
            "directory/pdf/service.html",
            {
                "service": service,
                "phones": phones,
                "email": email,
                "professional_details": has_professional_details(service, phones, email=email),
            },
            title=service.name,  # discreet: the service's name, never a word like "violence"
        )

    return serve_pdf(
        request,
        key=pdf_cache_key("service", token, professional, service.pk) if token else None,
        build=build,
        filename=f"{slugify(service.name)[:80] or 'fiche'}.pdf",
    )


@require_safe
def search_pdf(request: HttpRequest) -> HttpResponse:
    """The results of the search page for the same GET parameters, at most LIST_LIMIT."""
    professional = sees_professional_records(request.user)
    form = SearchForm(request.GET or None)
    query = form.to_query()
    invalid = form.is_bound and not form.is_valid()
    token = read_token()

    def build() -> bytes:
        if invalid:
            services, total = [], 0
        else:
            results = services_for(query, user=request.user)
            total = results.count()
            services = list(results[:LIST_LIMIT])
        entries = [
            {"service": service, "phones": phones_for(service, professional=professional)}
            for service in services
        ]
        return render_pdf(
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

    key = None
    if token is not None:
        key = pdf_cache_key("search", token, professional, LIST_LIMIT, normalised_search(form))
    return serve_pdf(request, key=key, build=build, filename="contacts.pdf")


def normalised_search(form: SearchForm) -> str:
    """What the printed search depends on, whatever the order of the parameters, those it
    ignores (page...) and how the commune was written: the cleaned values (printed as they
    are), the minute when "open now" is asked."""
    if not form.is_bound:
        return "all"
    if not form.is_valid():
        return "invalid"  # an empty list, without criteria
    data = dict(form.cleaned_data)
    if data["commune"] is not None:
        data["commune"] = data["commune"].pk
    if data["ouvert"]:
        data["minute"] = timezone.localtime(timezone.now(), PARIS).strftime("%Y-%m-%dT%H:%M")
    return repr(sorted(data.items()))


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
