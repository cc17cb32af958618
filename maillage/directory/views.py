"""Public directory: search and service pages. Nothing a visitor does is stored."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET

from maillage.core.maps import map_context, map_csp

from .forms import SearchForm
from .models import Service, Term, ZeroResultQuery, sees_professional_records
from .search import distance_km, services_for
from .services import email_for, phones_for


def is_professional(user) -> bool:
    return sees_professional_records(user)


def map_points(services) -> list[dict]:
    """Markers for the map: places with coordinates (a confidential place has none)."""
    return [
        {
            "lat": place.latitude,
            "lon": place.longitude,
            "name": service.name,
            "url": service.get_absolute_url(),
        }
        for service in services
        for place in service.places.all()
        if place.latitude is not None and not place.hide_address
    ]


@require_GET
@csp_override(map_csp())
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    query = form.to_query()
    results = services_for(query, user=request.user)
    if form.is_bound and not form.is_valid():
        results = results.none()
    page = Paginator(results, 20).get_page(request.GET.get("page"))
    if form.is_bound and form.is_valid() and not page.paginator.count:
        ZeroResultQuery.objects.record(query.text)  # the words only, counted per month
    professional = is_professional(request.user)
    for service in page:
        service.distance_km = distance_km(service.distance2)
        service.visible_phones = phones_for(service, professional=professional)
    return render(
        request,
        "directory/search.html",
        {
            "form": form,
            "page_obj": page,
            "query": query,
            "facets": results.facets() if request.GET else {},
            "professional": professional,
            "searched": form.is_bound and form.is_valid(),
            **map_context(map_points(page)),
        },
    )


@require_GET
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
