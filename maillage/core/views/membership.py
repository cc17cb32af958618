"""Asking to join an organisation, and the coordination's answer (see core/membership.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ..forms import MembershipRequestForm
from ..membership import MembershipError, decide_membership, request_membership
from ..models import MembershipRequest, Organisation, Territory
from .workspace import get_for_user

MAX_CHOICES = 50


@login_required
@require_http_methods(["GET", "POST"])
def membership_request(request: HttpRequest) -> HttpResponse:
    form = MembershipRequestForm(request.POST or None)
    query = request.GET.get("q", "").strip()
    if request.method == "POST" and form.is_valid():
        try:
            request_membership(
                user=request.user,
                organisation=form.cleaned_data["organisation"],
                kind=form.cleaned_data["kind"],
            )
        except MembershipError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _(
                    "Votre demande est envoyée à la coordination du territoire. "
                    "Vous recevrez un courriel dès qu'elle aura répondu."
                ),
            )
            return redirect("core:workspace")
    # A national instance holds tens of thousands of structures: the list offers the few
    # that match the name typed (or the one already chosen), never all of them.
    chosen = form.cleaned_data.get("organisation") if form.is_bound else None
    if chosen is not None:
        matches = Organisation.objects.filter(pk=chosen.pk)
    elif query:
        matches = Organisation.objects.search(query)
    else:
        matches = Organisation.objects.none()
    form.fields["organisation"].queryset = matches.select_related("territory").order_by(
        "territory__name", "name"
    )[:MAX_CHOICES]
    pending = MembershipRequest.objects.pending().filter(user=request.user)
    return render(
        request,
        "core/membership/request.html",
        {
            "form": form,
            "query": query,
            "pending": pending.select_related("organisation__territory"),
        },
    )


def decidable_territories(user):
    return Territory.objects.all() if user.is_superuser else user.coordinated_territories()


@login_required
def membership_requests(request: HttpRequest) -> HttpResponse:
    territories = decidable_territories(request.user)
    if not territories.exists():
        raise PermissionDenied
    pending = (
        MembershipRequest.objects.pending()
        .in_territories(territories)
        .select_related("user", "organisation__territory")
    )
    return render(request, "core/membership/list.html", {"pending": pending})


@login_required
@require_POST
def membership_decide(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_for_user(
        request,
        MembershipRequest.objects.select_related("organisation", "user"),
        view="core.decide_membership",
        pk=pk,
    )
    approve = request.POST.get("decision") == "approve"
    try:
        decide_membership(request=membership, approve=approve, by=request.user)
    except MembershipError as error:
        messages.error(request, str(error))
    else:
        if approve:
            messages.success(
                request,
                _("%(user)s a désormais accès à l'espace de %(organisation)s.")
                % {"user": membership.user, "organisation": membership.organisation},
            )
        else:
            messages.success(request, _("La demande est refusée ; la personne en est avertie."))
    return redirect("core:membership_requests")
