"""The coordination's review of partners' awareness events (events.py): the events and changes
waiting for the coordination of the user's territories, and the page of one of them, where a
coordinator accepts it (published, or the change applied) or refuses it with a reason."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from maillage.core.models import Commune, Organisation, User
from maillage.core.views.workspace import get_for_user

from .events import (
    EVENT_FIELDS,
    EventError,
    accept_event,
    changed_keys,
    refuse_event,
    review_version,
)
from .models import Audience, AwarenessEvent, Campaign, Material
from .workspace_views import require_manager

E = AwarenessEvent


def awaiting_review(user: User) -> QuerySet[AwarenessEvent]:
    """The events waiting for the coordination of the territories the user coordinates (all
    for an administrator); 403 for anyone else."""
    return AwarenessEvent.objects.awaiting_review().filter(territory__in=require_manager(user))


class ReviewForm(forms.Form):
    """The decision comes from the button pressed (« Accepter et publier », « Refuser »)."""

    decision = forms.ChoiceField(
        choices=[("accept", gettext_lazy("Accepter")), ("refuse", gettext_lazy("Refuser"))],
        widget=forms.HiddenInput,  # not rendered: the buttons send it
        error_messages={"required": gettext_lazy("Choisissez d'accepter ou de refuser l'action.")},
    )
    reason = forms.CharField(
        label=gettext_lazy("Motif du refus"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Envoyé à la structure en cas de refus : dites ce qu'il faut corriger."
        ),
    )
    seen = forms.CharField(widget=forms.HiddenInput)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("decision") == "refuse" and not data.get("reason", "").strip():
            self.add_error("reason", _("Dites à la structure pourquoi l'action est refusée."))
        return data


@login_required
@require_safe
def event_reviews(request: HttpRequest) -> HttpResponse:
    events = (
        awaiting_review(request.user)
        .select_related("organiser", "commune", "submitted_by")
        .order_by(F("submitted_at").asc(nulls_first=True), "pk")
    )
    return render(request, "prevention/events/reviews.html", {"events": events})


FIELD_LABELS = {
    **{name: AwarenessEvent._meta.get_field(name).verbose_name for name in EVENT_FIELDS},
    "organiser": AwarenessEvent._meta.get_field("organiser").verbose_name,
    "partners": AwarenessEvent._meta.get_field("partners").verbose_name,
    "materials": AwarenessEvent._meta.get_field("materials").verbose_name,
}


def _display(key: str, value) -> str:
    """A value of events.event_data() as the agenda would say it."""
    if value in (None, "", []):
        return "—"
    if key in ("starts_at", "ends_at"):
        return formats.date_format(
            timezone.localtime(parse_datetime(value)), "l j F Y, G\\hi"
        ).capitalize()
    if key == "is_open_to_public":
        return _("oui") if value else _("non")
    if key == "kind":
        return str(E.Kind(value).label) if value in E.Kind.values else value
    if key == "audience":
        return str(Audience(value).label) if value in Audience.values else value
    if key == "commune":
        return str(Commune.objects.filter(pk=value).first() or value)
    if key == "campaign":
        return str(Campaign.objects.filter(pk=value).first() or value)
    if key == "organiser":
        return str(Organisation.objects.filter(pk=value).first() or value)
    if key == "partners":
        return ", ".join(o.name for o in Organisation.objects.filter(pk__in=value).order_by("name"))
    if key == "materials":
        return ", ".join(m.title for m in Material.objects.filter(pk__in=value).order_by("title"))
    return str(value)


def change_rows(event: AwarenessEvent) -> list[tuple[str, str, str]]:
    """(label, as on the agenda now, as proposed) for each field a partner's change touches."""
    if not event.proposed_changes:
        return []
    base, proposed = event.proposed_changes["base"], event.proposed_changes["proposed"]
    return [
        (str(FIELD_LABELS.get(key, key)), _display(key, base.get(key)), _display(key, value))
        for key in changed_keys(base, proposed)
        for value in [proposed[key]]
    ]


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def event_review(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_for_user(
        request,
        AwarenessEvent.objects.select_related(
            "organiser", "commune", "campaign", "territory", "submitted_by"
        ),
        view="prevention.review_event",
        pk=pk,
    )
    waiting = event.status == E.Status.SUBMITTED or bool(event.proposed_changes)
    form = ReviewForm(request.POST or None, initial={"seen": review_version(event)})
    if request.method == "POST" and waiting and form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == "accept":
                accept_event(event=event, by=request.user, seen=data["seen"])
            else:
                refuse_event(event=event, by=request.user, reason=data["reason"], seen=data["seen"])
        except EventError as error:
            form.add_error("reason" if error.field == "reason" else None, str(error))
        else:
            messages.success(
                request,
                _("L'action est acceptée ; la structure en est informée.")
                if data["decision"] == "accept"
                else _("L'action est refusée ; la structure en est informée."),
            )
            return redirect("prevention:event_reviews")
    return render(
        request,
        "prevention/events/review.html",
        {
            "event": event,
            "waiting": waiting,
            "form": form,
            "changes": change_rows(event),
            "partners": event.partners.order_by("name"),
            "materials": event.materials.order_by("title"),
        },
    )
