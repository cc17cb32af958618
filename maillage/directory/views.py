"""Public directory: search and service pages. Nothing a visitor does is stored (but for a
minute, the search page an anonymous visitor was shown: page_cache.py; no identity, no cookie).
A search that finds nothing adds one to the counts of the known words it holds (zero_results.py):
what was typed is never written."""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.csp import CONTEXT_KEY as CSP_CONTEXT_KEY
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_safe

from maillage.core.maps import map_context, map_csp
from maillage.core.ratelimit import client_key

from . import page_cache
from .forms import SearchForm
from .index import FACETS
from .models import Service, Term, sees_professional_records
from .search import distance_km, services_for
from .services import email_for, phones_for
from .zero_results import record_zero_result

FACET_NAMES = [name for name, _relation, _vocabulary in FACETS]


def is_professional(user) -> bool:
    return sees_professional_records(user)


def map_points(services) -> list[dict]:
    """Markers for the map: places with coordinates (a confidential place has none)."""
    return [
        {
            "lat": place.latitude,
            "lon": place.longitude,
            "name": service.name,
            "url": getattr(service, "url", None) or service.get_absolute_url(),
        }
        for service in services
        for place in service.places.all()
        if place.latitude is not None and not place.hide_address
    ]


@dataclass(frozen=True, slots=True)
class Choice:
    """One checkbox of a filter: what the template prints in place of the widget's markup."""

    id: str
    value: str
    label: str
    checked: bool
    count: int


@dataclass(frozen=True, slots=True)
class Filter:
    name: str
    label: str
    choices: list[Choice]
    invalid: bool  # an unknown code was sent: aria-invalid on each box, as the widget does


def filters(form: SearchForm, facets: dict[str, dict[str, int]]) -> list[Filter]:
    """The four term filters with each term's count among the results.

    The same markup as CheckboxSelectMultiple (name, value, id "id_<name>_<i>", aria-invalid,
    checked), built once in Python: rendering some sixty checkbox widgets through templates was
    most of the page's cost.
    """
    found = []
    for name in FACET_NAMES:
        bound = form[name]
        checked = set(bound.field.widget.format_value(bound.value()))
        counts = facets.get(name, {})
        prefix = bound.auto_id
        found.append(
            Filter(
                name,
                bound.label,
                [
                    Choice(
                        f"{prefix}_{i}",
                        str(value),
                        label,
                        str(value) in checked,
                        counts.get(value, 0),
                    )
                    for i, (value, label) in enumerate(bound.field.choices)
                ],
                bool(bound.errors),
            )
        )
    return found


def conditions(form: SearchForm) -> list[Choice]:
    """The four yes/no filters (CheckboxInput's markup: no value attribute, `checked`); `value`
    holds the field's name."""
    return [
        Choice(form[name].auto_id, name, form[name].label, bool(form[name].value()), 0)
        for name in ("ouvert", "gratuit", "anonyme", "mineurs")
    ]


@require_safe
@csp_override(map_csp())
def search(request: HttpRequest) -> HttpResponse:
    page_key, token = page_cache.key_for(request)  # None: not from the cache (cookie, login)
    if page_key is not None and (html := page_cache.get(page_key)) is not None:
        return HttpResponse(page_cache.with_nonce(html, request))
    form = SearchForm(request.GET or None)
    query = form.to_query()
    results = services_for(query, user=request.user)
    if form.is_bound and not form.is_valid():
        results = results.none()
    page = Paginator(results, 20).get_page(request.GET.get("page"))
    zero_result = form.is_bound and form.is_valid() and not page.paginator.count
    if zero_result:  # only the vocabulary's words are counted; the query itself is not kept
        record_zero_result(text=query.text, commune=query.commune, client=client_key(request))
    professional = is_professional(request.user)
    for service in page:
        service.url = service.get_absolute_url()
        service.distance_km = distance_km(service.distance2)
        service.visible_phones = phones_for(service, professional=professional)
    facets = results.facets() if request.GET else {}
    context = {
        "form": form,
        "page_obj": page,
        "query": query,
        "filters": filters(form, facets),
        "conditions": conditions(form),
        "professional": professional,
        "searched": form.is_bound and form.is_valid(),
        **map_context(map_points(page)),
    }
    if page_key is None:
        return render(request, "directory/search.html", context)
    # Rendered with a placeholder for the nonce, stored, then given this response's nonce.
    context[CSP_CONTEXT_KEY] = page_cache.NONCE_PLACEHOLDER
    html = render_to_string("directory/search.html", context, request)
    if not zero_result:  # each search without results must still be counted
        rendered_with = results.hits.index.token if results.hits is not None else None
        page_cache.store(page_key, token, html, rendered_with=rendered_with)
    return HttpResponse(page_cache.with_nonce(html, request))


@require_safe
def service_detail(request: HttpRequest, pk) -> HttpResponse:
    professional = is_professional(request.user)
    service = get_object_or_404(
        Service.objects.visible_to(request.user)
        .select_related("organisation", "last_verified_by")
        .prefetch_related(
            "places__commune",
            "phones",
            "opening_slots",
            "closures",
            "opening_exceptions",
            "violence_types",
            "help_types",
            "publics",
            "languages",
        ),
        pk=pk,
    )
    return render(
        request,
        "directory/service.html",
        {
            "service": service,
            "phones": phones_for(service, professional=professional),
            "email": email_for(service, professional=professional),
            "open_now": service.is_open_at(timezone.now()),
            "closure": service.current_closure(),
            "professional": professional,
            "Term": Term,
        },
    )
