"""The on-screen orientation guide (public and professional) and the professional's reflex sheet.

The guide keeps no trace of a visitor: each screen is a form whose hidden fields carry the
answers so far; they travel in POST bodies only (never in a URL: no trace in the history nor in
the server's logs), are read to choose the next screen and are forgotten. No session, no cookie,
no CSRF token. With JavaScript the same POSTs are sent by fetch() and the screen is replaced in
the page (static/js/orientation.js).
"""

from __future__ import annotations

import logging

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from maillage.core.models import Territory
from maillage.core.pdf_cache import pdf_cache_key, serve_pdf
from maillage.core.territories import current_territory
from maillage.directory.models import sees_professional_records
from maillage.directory.page_cache import read_token
from maillage.directory.pdf import render_pdf
from maillage.directory.services import phones_for

from .composition import Composition, compose
from .contacts import EMERGENCY_SHORT_NUMBERS, Suggestions, best_services, digits, national_numbers
from .forms import CommuneChoiceForm, hidden_fields, walk_from
from .reflex import reflex_numbers, render_reflex_sheet
from .services import published_version, record_result_shown
from .situation import SituationError, parse_situation
from .tree import Walk, load_tree

logger = logging.getLogger(__name__)
PARTIAL_HEADER = "X-Orientation-Step"  # sent by orientation.js: answer with the screen only
FALLBACK_NUMBERS = ["17", "112", "114", "3919", "119"]


def screen_context(
    request: HttpRequest, walk: Walk, *, territory: Territory | None, action: str
) -> dict:
    """What a screen shows: the question, or the result with its numbers and services."""
    professional = sees_professional_records(request.user)
    context = {
        "walk": walk,
        "node": walk.current,
        "hidden": hidden_fields(walk.answers),
        "professional": professional,
        "action": action,
        "numbers": [],
        "suggestions": None,
        "numbers_first": True,
        "composition": None,
        "preview": None,
        "can_manage": False,
    }
    if walk.is_final and (composition := composed(request, walk, territory=territory)):
        context |= composed_context(composition, professional=professional)
        if not composition.contacts:
            # A directory without kinds of actor (imported data): the tree's filters choose.
            suggestions = best_services(
                walk, user=request.user, territory=territory, numbers=context["numbers"]
            )
            for service in suggestions.services:
                service.visible_phones = phones_for(service, professional=professional)
                service.distance_km = None
            context["suggestions"] = suggestions
            context["numbers_first"] = composition.urgency == "U1" or not suggestions.services
        return context
    if walk.is_result:
        numbers = national_numbers(walk.number_codes())
        suggestions = best_services(walk, user=request.user, territory=territory, numbers=numbers)
        for number in numbers:
            number.why = ""
        for service in suggestions.services:
            service.visible_phones = phones_for(service, professional=professional)
            service.distance_km = None
        context.update(
            numbers=numbers,
            suggestions=suggestions,
            # An emergency shows its numbers first; otherwise the local contacts come first.
            numbers_first="urgent" in walk.current.flags or not suggestions.services,
        )
    return context


def composed(request: HttpRequest, walk: Walk, *, territory: Territory | None):
    """The final result composed from the situation the answers describe (composition.py);
    None for a tree whose answers say nothing of the situation (the result's own numbers and
    filters are then shown, as before)."""
    if not walk.has_facts:
        return None
    facts = walk.facts() | {"lang": (get_language() or "fr")[:2]}
    if facts["lang"] not in ("fr", "en"):
        facts["lang"] = "fr"
    try:
        situation = parse_situation(facts)
    except SituationError as error:
        # A coordinator's answer with a wrong fact: the tree's own result still answers. The
        # message names the keys, never the visitor's answers.
        logger.warning("Orientation answers with invalid facts: %s", error.messages)
        return None
    return compose(situation, user=request.user, territory=territory)


def composed_context(composition: Composition, *, professional: bool) -> dict:
    numbers = []
    for line in composition.numbers:
        line.number.why = line.why
        numbers.append(line.number)
    services = []
    for contact in composition.contacts:
        service = contact.service
        service.visible_phones = [
            phone
            for phone in phones_for(service, professional=professional)
            if digits(phone.number) not in EMERGENCY_SHORT_NUMBERS
        ]
        service.distance_km = contact.distance_km
        services.append(service)
    return {
        "numbers": numbers,
        "suggestions": Suggestions(services=services, searched=True),
        "composition": composition,
        # Danger now: the numbers first; otherwise the local contacts come first.
        "numbers_first": composition.urgency == "U1" or not services,
    }


def render_screen(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    if request.headers.get(PARTIAL_HEADER):
        return render(request, f"{template}#screen", context)
    return render(request, template, context)


# The guide changes nothing on the visitor's behalf: it reads the answers from the POST body and
# shows the next screen. Hence no CSRF protection (a token would need a cookie, and an anonymous
# visitor gets none): csrf_exempt. The only write, when the territory turned counting on, is an
# anonymous monthly counter per result (a forged request could at most add one to it).
@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def guide(request: HttpRequest) -> HttpResponse:
    territory = current_territory()
    version = published_version(territory)
    if version is None:
        return render(
            request,
            "orientation/unavailable.html",
            {"numbers": national_numbers(FALLBACK_NUMBERS)},
        )
    tree = load_tree(version)
    walk = walk_from(request.POST, tree)
    if walk.current is None:  # a published tree is valid: this cannot happen
        raise Http404
    if walk.is_result:
        record_result_shown(walk.current, territory=territory)
    context = screen_context(request, walk, territory=territory, action=request.path)
    context["can_manage"] = can_manage(request, territory)
    return render_screen(request, "orientation/guide.html", context)


def can_manage(request: HttpRequest, territory: Territory | None) -> bool:
    return bool(
        territory is not None
        and request.user.is_authenticated
        and request.user.has_perm("orientation.manage_tree", territory)
    )


# Same reasons as guide(): the summary reads the answers from the POST body and stores nothing.
@csrf_exempt
@never_cache
@require_POST
def summary_pdf(request: HttpRequest) -> HttpResponse:
    """The result's printable summary: numbers, contacts, advice. Its title says nothing of
    the situation, and no answer is printed."""
    territory = current_territory()
    version = published_version(territory)
    if version is None:
        raise Http404
    walk = walk_from(request.POST, load_tree(version))
    if not walk.is_result:
        return redirect("orientation:guide")

    def build() -> bytes:
        context = screen_context(request, walk, territory=territory, action="")
        return render_pdf("orientation/summary_pdf.html", context, title=_("Contacts utiles"))

    # It follows the visitor's answers: never kept in the cache (key=None), only counted.
    return serve_pdf(request, key=None, build=build, filename="contacts.pdf")


# -- the professional's reflex sheets ----------------------------------------------------------


def professional_only(request: HttpRequest) -> HttpResponse | None:
    """Anonymous visitors are sent to the login page; accounts without a role get 403."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not sees_professional_records(request.user):
        raise PermissionDenied
    return None


@require_safe
def reflex_sheets(request: HttpRequest) -> HttpResponse:
    """Choose a commune of the territory; its sheet is a PDF at its own address."""
    if refused := professional_only(request):
        return refused
    territory = current_territory()
    if territory is None:
        raise Http404
    form = CommuneChoiceForm(request.GET or None, territory=territory)
    if form.is_bound and form.is_valid():
        return redirect("orientation:reflex-sheet", insee=form.cleaned_data["commune"].pk)
    return render(request, "orientation/reflex_sheets.html", {"form": form})


@require_safe
def reflex_sheet(request: HttpRequest, insee: str) -> HttpResponse:
    if refused := professional_only(request):
        return refused
    territory = current_territory()
    if territory is None:
        raise Http404
    commune = get_object_or_404(territory.communes, pk=insee)
    token = read_token()
    # The same sheet for every professional (professional lines included): kept in the cache.
    key = None
    if token is not None:
        key = pdf_cache_key("reflex", token, territory.pk, commune.pk, reflex_numbers())
    return serve_pdf(
        request,
        key=key,
        build=lambda: render_reflex_sheet(commune, user=request.user, territory=territory),
        filename=f"fiche-reflexe-{commune.pk}.pdf",
    )
