"""The workflows of the action plan and the meetings, called by the views, the commands and the
demo alike; and the summaries read by the yearly review (evaluation app).

Every write validates first (`full_clean`) and happens in one transaction; the history of each
row (django-simple-history) records who changed what.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.core.models import Contract, Organisation, Role, Territory, User
from maillage.core.uploads import check_upload

from .models import (
    ActionSheet,
    Attachment,
    Decision,
    FollowUpNote,
    Meeting,
    Milestone,
)

S = ActionSheet.Status


# Summaries for the yearly review


def action_plan_summary(contract: Contract, *, today: date | None = None) -> list[dict]:
    """One dict per priority of the contract, in the contract's order:

    {"priority": Priority,
     "actions": [{"sheet": ActionSheet, "title": str, "status": str (a Status code, "late"
                  computed), "status_label": str, "progress": int 0-100, "pilot": str}],
     "by_status": {status code: count}}  (every code of ActionSheet.Status, zeros included)
    """
    sheets = Prefetch(
        "action_sheets",
        queryset=ActionSheet.objects.with_state(today)
        .select_related("pilot")
        .order_by("position", "title", "pk"),
        to_attr="sheets",
    )
    summary = []
    for priority in contract.priorities.order_by("position", "code").prefetch_related(sheets):
        by_status = dict.fromkeys(S.values, 0)
        actions = []
        for sheet in priority.sheets:
            by_status[sheet.state] += 1
            actions.append(
                {
                    "sheet": sheet,
                    "title": sheet.title,
                    "status": sheet.state,
                    "status_label": str(S(sheet.state).label),
                    "progress": sheet.progress,
                    "pilot": sheet.pilot.acronym or sheet.pilot.name,
                }
            )
        summary.append({"priority": priority, "actions": actions, "by_status": by_status})
    return summary


def meetings_summary(
    contract: Contract, start: date, end: date, *, today: date | None = None
) -> dict:
    """The meetings of the contract held or planned between start and end (inclusive, local
    dates; cancelled ones left out), oldest first:

    {"meetings": [{"meeting": Meeting, "kind": str, "kind_label": str, "starts_at": datetime,
                   "status": str, "decisions": int, "decisions_done": int}],
     "decisions_overdue": int}   (decisions of those meetings open past their due date today)
    """
    today = today or timezone.localdate()
    meetings = (
        contract.meetings.exclude(status=Meeting.Status.CANCELLED)
        .filter(starts_at__date__gte=start, starts_at__date__lte=end)
        .select_related("group")
        .annotate(
            decision_count=Count("decisions", distinct=True),
            done_count=Count(
                "decisions", filter=Q(decisions__status=Decision.Status.DONE), distinct=True
            ),
        )
        .order_by("starts_at", "pk")
    )
    rows = [
        {
            "meeting": meeting,
            "kind": meeting.kind,
            "kind_label": meeting.kind_label,
            "starts_at": meeting.starts_at,
            "status": meeting.status,
            "decisions": meeting.decision_count,
            "decisions_done": meeting.done_count,
        }
        for meeting in meetings
    ]
    overdue = Decision.objects.overdue(today).filter(meeting__in=[row["meeting"] for row in rows])
    return {"meetings": rows, "decisions_overdue": overdue.count()}


# Who sees what


def managed_territories(user: User) -> QuerySet[Territory]:
    return Territory.objects.all() if user.is_superuser else user.coordinated_territories()


def overdue_decisions(user: User, *, today: date | None = None) -> QuerySet[Decision]:
    """The open decisions past their due date that concern the user: all those of the
    territories they coordinate (every territory for an administrator), and those owned by
    the organisations they are referent of. Soonest due first."""
    if not user.is_authenticated:
        return Decision.objects.none()
    scope = Q(owner__in=user.organisations(Role.Kind.REFERENT))
    if user.is_superuser:
        scope = Q()
    else:
        scope |= Q(meeting__contract__territory__in=user.coordinated_territories())
    return (
        Decision.objects.overdue(today)
        .filter(scope)
        .select_related("meeting__contract__territory", "meeting__group", "owner")
        .order_by("due_on", "pk")
    )


def visible_contracts(user: User) -> QuerySet[Contract]:
    """The contracts whose plan the user may read: those of the territories they work in."""
    if user.is_superuser:
        return Contract.objects.select_related("territory")
    return Contract.objects.filter(territory__in=Territory.objects.visible_to(user)).select_related(
        "territory"
    )


# Action sheets


class PlanError(Exception):
    """A change refused by a rule of the action plan (the message is French)."""


def save_sheet(*, sheet: ActionSheet, partners=None, funders=None) -> ActionSheet:
    """Create or update an action sheet (all fields as set on it), validated first."""
    if sheet.status == S.DONE:
        sheet.progress = 100
    sheet.full_clean()
    with transaction.atomic():
        sheet.save()
        if partners is not None:
            sheet.partners.set(partners)
        if funders is not None:
            sheet.funders.set(funders)
    return sheet


def update_progress(*, sheet: ActionSheet, status: str, progress: int) -> ActionSheet:
    """What a pilot updates before a COPIL: the status and the progress of their sheet."""
    if status not in ActionSheet.SETTABLE_STATUSES:
        raise PlanError(_("Ce statut ne peut pas être choisi."))
    if not 0 <= progress <= 100:
        raise PlanError(_("L'avancement va de 0 à 100 %."))
    sheet.status = status
    sheet.progress = 100 if status == S.DONE else progress
    sheet.full_clean()
    with transaction.atomic():
        sheet.save(update_fields=["status", "progress", "updated_at"])
    return sheet


def add_note(*, sheet: ActionSheet, text: str, by: User | None, written_on: date | None = None):
    note = FollowUpNote(
        sheet=sheet, text=text.strip(), author=by, written_on=written_on or timezone.localdate()
    )
    note.full_clean()
    with transaction.atomic():
        note.save()
        ActionSheet.objects.filter(pk=sheet.pk).update(updated_at=timezone.now())
    return note


def save_milestone(*, milestone: Milestone) -> Milestone:
    milestone.full_clean()
    with transaction.atomic():
        milestone.save()
    return milestone


def attach_file(*, sheet: ActionSheet, title: str, upload: UploadedFile, by: User | None):
    """Store a file of a sheet: a PDF, PNG or JPEG by its content, 10 MB at most
    (UploadRefused otherwise, with the French reason)."""
    checked = check_upload(
        upload, type_hint=_("Déposez un PDF, ou une image PNG ou JPEG (photo, affiche).")
    )
    attachment = Attachment(
        sheet=sheet,
        title=title.strip() or upload.name,
        content_type=checked.content_type,
        size=len(checked.content),
        uploaded_by=by,
    )
    with transaction.atomic():
        attachment.file.save("piece", ContentFile(checked.content), save=False)
        attachment.full_clean()
        attachment.save()
    return attachment


def delete_attachment(*, attachment: Attachment) -> None:
    with transaction.atomic():
        attachment.delete()
        transaction.on_commit(lambda: attachment.file.delete(save=False))


# Meetings and decisions

# Obvious personal data in minutes: an email address, a French phone number.
EMAIL_PATTERN = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
PHONE_PATTERN = re.compile(r"(?<!\d)(?:\+33\s?|0)[1-9](?:[\s.-]?\d{2}){4}(?!\d)")


def personal_data_hints(text: str) -> list[str]:
    """What in a text looks like a person's contact details (a warning, not a proof)."""
    hints = []
    if EMAIL_PATTERN.search(text or ""):
        hints.append(_("une adresse électronique"))
    if PHONE_PATTERN.search(text or ""):
        hints.append(_("un numéro de téléphone"))
    return hints


def save_meeting(
    *,
    meeting: Meeting,
    organisations: Iterable[Organisation] | None = None,
    attendees: Iterable[User] | None = None,
) -> Meeting:
    meeting.full_clean()
    with transaction.atomic():
        meeting.save()
        if organisations is not None:
            meeting.attending_organisations.set(organisations)
        if attendees is not None:
            meeting.attendees.set(attendees)
    return meeting


def save_decision(*, decision: Decision) -> Decision:
    """Create or update a decision; marked done without a date, it is done today."""
    if decision.status == Decision.Status.DONE and not decision.done_on:
        decision.done_on = timezone.localdate()
    if decision.status != Decision.Status.DONE:
        decision.done_on = None
    decision.full_clean()
    with transaction.atomic():
        decision.save()
    return decision


def mark_decision_done(*, decision: Decision, on: date | None = None) -> Decision:
    decision.status = Decision.Status.DONE
    decision.done_on = on or timezone.localdate()
    return save_decision(decision=decision)
