"""Working groups, meetings (COPIL, COTECH, working groups) and their decisions in the
workspace. The coordination records them; anyone with a role in the territory reads them; the
referents of a decision's owner mark it done."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from maillage.core.views.workspace import get_for_user

from .forms import DecisionForm, DecisionStatusForm, MeetingForm, WorkingGroupForm
from .models import Decision, Meeting, WorkingGroup
from .services import save_decision, save_meeting
from .views import contract_for

PAGE_SIZE = 25


# Working groups


@login_required
def groups(request: HttpRequest, contract_pk: int) -> HttpResponse:
    contract = contract_for(request, contract_pk)
    working_groups = (
        contract.working_groups.select_related("pilot")
        .prefetch_related("members")
        .annotate(meeting_count=Count("meetings"))
        .order_by("name")
    )
    return render(
        request,
        "network/groups.html",
        {
            "contract": contract,
            "groups": working_groups,
            "can_manage": request.user.has_perm("network.manage", contract),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_edit(request: HttpRequest, pk: int | None = None, contract_pk: int | None = None):
    if pk:
        group = get_for_user(
            request,
            WorkingGroup.objects.select_related("contract__territory"),
            view="network.view",
            change="network.manage",
            pk=pk,
        )
        contract = group.contract
    else:
        contract = contract_for(request, contract_pk, change="network.manage")
        group = WorkingGroup(contract=contract)
    form = WorkingGroupForm(request.POST or None, instance=group, contract=contract)
    if request.method == "POST" and form.is_valid():
        group = form.save()
        messages.success(request, _("Le groupe « %(name)s » est enregistré.") % {"name": group})
        return redirect("network:groups", contract_pk=contract.pk)
    return render(
        request,
        "network/form.html",
        {
            "form": form,
            "contract": contract,
            "title": _("Modifier le groupe de travail") if pk else _("Nouveau groupe de travail"),
            "cancel_url": reverse("network:groups", args=[contract.pk]),
        },
    )


# Meetings


@login_required
def meetings(request: HttpRequest, contract_pk: int) -> HttpResponse:
    contract = contract_for(request, contract_pk)
    kind = request.GET.get("instance", "")
    period = request.GET.get("periode", "")
    rows = contract.meetings.select_related("group").annotate(
        decision_count=Count("decisions"),
        open_count=Count("decisions", filter=Q(decisions__status=Decision.Status.OPEN)),
        overdue_count=Count(
            "decisions",
            filter=Q(
                decisions__status=Decision.Status.OPEN,
                decisions__due_on__lt=timezone.localdate(),
            ),
        ),
    )
    if kind in Meeting.Kind.values:
        rows = rows.filter(kind=kind)
    now = timezone.now()
    if period == "a-venir":
        rows = rows.filter(starts_at__gte=now).order_by("starts_at", "pk")
    elif period == "passees":
        rows = rows.filter(starts_at__lt=now).order_by("-starts_at", "-pk")
    else:
        rows = rows.order_by("-starts_at", "-pk")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "network/meetings.html",
        {
            "contract": contract,
            "page_obj": page,
            "kinds": Meeting.Kind.choices,
            "kind": kind,
            "period": period,
            "can_manage": request.user.has_perm("network.manage", contract),
        },
    )


def meeting_for(request: HttpRequest, pk: int, *, change: str = "") -> Meeting:
    return get_for_user(
        request,
        Meeting.objects.select_related("contract__territory", "group"),
        view="network.view",
        change=change,
        pk=pk,
    )


def render_meeting(request: HttpRequest, meeting: Meeting, decision_form=None) -> HttpResponse:
    can_manage = request.user.has_perm("network.manage", meeting)
    decisions = meeting.decisions.select_related("owner")
    return render(
        request,
        "network/meeting.html",
        {
            "meeting": meeting,
            "contract": meeting.contract,
            "organisations": meeting.attending_organisations.order_by("name"),
            "attendees": meeting.attendees.order_by("last_name", "first_name"),
            "decisions": [
                (decision, request.user.has_perm("network.update_decision", decision))
                for decision in decisions
            ],
            "can_manage": can_manage,
            "decision_form": decision_form
            or (DecisionForm(contract=meeting.contract, prefix="decision") if can_manage else None),
        },
        status=400 if decision_form else 200,
    )


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render_meeting(request, meeting_for(request, pk))


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, pk: int | None = None, contract_pk: int | None = None):
    if pk:
        meeting = meeting_for(request, pk, change="network.manage")
        contract = meeting.contract
    else:
        contract = contract_for(request, contract_pk, change="network.manage")
        meeting = Meeting(contract=contract)
    form = MeetingForm(request.POST or None, instance=meeting, contract=contract)
    if request.method == "POST" and form.is_valid():
        meeting = form.save(commit=False)
        try:
            save_meeting(
                meeting=meeting,
                organisations=form.cleaned_data["attending_organisations"],
                attendees=form.cleaned_data["attendees"],
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("La réunion est enregistrée."))
            return redirect(meeting)
    return render(
        request,
        "network/meeting_form.html",
        {
            "form": form,
            "contract": contract,
            "meeting": meeting if meeting.pk else None,
            "title": _("Modifier la réunion") if pk else _("Nouvelle réunion"),
            "cancel_url": meeting.get_absolute_url()
            if meeting.pk
            else reverse("network:meetings", args=[contract.pk]),
        },
    )


@login_required
@require_POST
def decision_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk, change="network.manage")
    form = DecisionForm(
        request.POST,
        contract=meeting.contract,
        prefix="decision",
        instance=Decision(meeting=meeting),
    )
    if form.is_valid():
        save_decision(decision=form.save(commit=False))
        messages.success(request, _("La décision est enregistrée."))
        return redirect(meeting)
    return render_meeting(request, meeting, decision_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def decision_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordination edits the whole decision; the owner's referents only its status."""
    decision = get_for_user(
        request,
        Decision.objects.select_related("meeting__contract__territory", "owner"),
        view="network.view",
        change="network.update_decision",
        pk=pk,
    )
    meeting = decision.meeting
    if request.user.has_perm("network.manage", decision):
        form = DecisionForm(request.POST or None, instance=decision, contract=meeting.contract)
    else:
        form = DecisionStatusForm(
            request.POST or None,
            initial={"status": decision.status, "done_on": decision.done_on},
        )
    if request.method == "POST" and form.is_valid():
        if isinstance(form, DecisionForm):
            decision = form.save(commit=False)
        else:
            decision.status = form.cleaned_data["status"]
            decision.done_on = form.cleaned_data["done_on"]
        try:
            save_decision(decision=decision)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("La décision est enregistrée."))
            return redirect(meeting)
    return render(
        request,
        "network/form.html",
        {
            "form": form,
            "contract": meeting.contract,
            "title": _("Modifier la décision"),
            "intro": decision.text,
            "cancel_url": meeting.get_absolute_url(),
        },
    )


@login_required
def decisions(request: HttpRequest, contract_pk: int) -> HttpResponse:
    """Every decision of the contract's meetings; overdue ones first and highlighted."""
    contract = contract_for(request, contract_pk)
    today = timezone.localdate()
    rows = Decision.objects.filter(meeting__contract=contract).select_related(
        "meeting__group", "owner"
    )
    show = request.GET.get("afficher", "ouvertes")
    if show == "en-retard":
        rows = rows.overdue(today)
    elif show == "ouvertes":
        rows = rows.filter(status=Decision.Status.OPEN)
    rows = rows.order_by(F("due_on").asc(nulls_last=True), "pk")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "network/decisions.html",
        {"contract": contract, "page_obj": page, "show": show, "today": today},
    )
