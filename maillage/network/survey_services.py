"""The workflows of the surveys of signatories: build (from a template), open (invite each
signatory's referents), answer (once per organisation), remind, close.

The results live in survey_results.py, the ready-made questionnaires in survey_templates.py;
`survey_indicator_value` and `contract_surveys_summary`, read by the evaluation app, are
re-exported here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from typing import Any

from django.apps import apps
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.core.models import Contract, Organisation, Role, Signature, User

from .models import Answer, Choice, Invitation, MatrixRow, Question, Response, Survey
from .survey_results import (  # noqa: F401 (the public interface of the surveys)
    contract_surveys_summary,
    survey_indicator_value,
    survey_results,
)
from .survey_templates import IMPACT_INDICATOR_CODE, TEMPLATE_TITLES, TEMPLATES  # noqa: F401

K = Question.Kind


class SurveyError(Exception):
    """A survey action refused; the message says why, in French."""


class SurveyClosed(SurveyError):
    pass


class AlreadyAnswered(SurveyError):
    pass


def find_indicator(contract: Contract, code: str):
    """The contract's indicator with this code, or None (read lazily: evaluation reads us)."""
    if not code:
        return None
    Indicator = apps.get_model("evaluation", "Indicator")
    return Indicator.objects.filter(contract=contract, code=code).first()


def add_question(
    *,
    survey: Survey,
    kind: str,
    text: str,
    choices: Iterable[tuple[str, bool]] = (),
    rows: Iterable[str] = (),
    help_text: str = "",
    required: bool = True,
    scale: tuple[int, int, str, str] | None = None,
    positive_from: int | None = None,
    indicator=None,
) -> Question:
    position = (
        survey.questions.order_by("-position").values_list("position", flat=True).first() or 0
    ) + 1
    question = Question(
        survey=survey,
        position=position,
        kind=kind,
        text=text,
        help_text=help_text,
        required=required,
        positive_from=positive_from,
        indicator=indicator,
    )
    if scale:
        (
            question.scale_min,
            question.scale_max,
            question.scale_min_label,
            question.scale_max_label,
        ) = scale
    with transaction.atomic():
        question.save()
        replace_choices(question, choices=choices, rows=rows)
    return question


def replace_choices(
    question: Question, *, choices: Iterable[tuple[str, bool]], rows: Iterable[str]
) -> None:
    """Set the choices and matrix rows of a question in a draft survey (old ones removed)."""
    choices = list(choices) if question.has_choices else []
    rows = list(rows) if question.kind == K.MATRIX else []
    old_choices = [(c.label, c.is_positive) for c in question.choices.all()]
    if old_choices != choices:
        question.choices.all().delete()
        Choice.objects.bulk_create(
            Choice(question=question, label=label, is_positive=positive, position=index)
            for index, (label, positive) in enumerate(choices, start=1)
        )
    if [r.label for r in question.rows.all()] != rows:
        question.rows.all().delete()
        MatrixRow.objects.bulk_create(
            MatrixRow(question=question, label=label, position=index)
            for index, label in enumerate(rows, start=1)
        )


def apply_template(survey: Survey, kind: str) -> list[Question]:
    """Add the template's questions to a survey; the impact question feeds `impact-positif`."""
    questions = []
    with transaction.atomic():
        for spec in TEMPLATES[kind]:
            questions.append(
                add_question(
                    survey=survey,
                    kind=spec.kind,
                    text=spec.text,
                    choices=spec.choices,
                    rows=spec.rows,
                    help_text=spec.help_text,
                    required=spec.required,
                    scale=spec.scale,
                    positive_from=spec.positive_from,
                    indicator=find_indicator(survey.contract, spec.indicator_code),
                )
            )
    return questions


def create_survey(*, template: str = "", **fields: Any) -> Survey:
    """A draft survey, filled with a template's questions when asked."""
    with transaction.atomic():
        survey = Survey.objects.create(status=Survey.Status.DRAFT, **fields)
        if template:
            apply_template(survey, template)
    return survey


def require_draft(survey: Survey) -> None:
    if not survey.is_draft:
        raise SurveyError(
            _("L'enquête est ouverte ou close : ses questions ne peuvent plus changer.")
        )


def move_question(question: Question, *, up: bool) -> None:
    """Swap a question with its neighbour (positions renumbered 1..n)."""
    require_draft(question.survey)
    with transaction.atomic():
        questions = list(question.survey.questions.select_for_update().order_by("position", "pk"))
        index = next(i for i, q in enumerate(questions) if q.pk == question.pk)
        other = index - 1 if up else index + 1
        if 0 <= other < len(questions):
            questions[index], questions[other] = questions[other], questions[index]
        for position, item in enumerate(questions, start=1):
            if item.position != position:
                item.position = position
                item.save(update_fields=["position"])


def delete_question(question: Question) -> None:
    require_draft(question.survey)
    with transaction.atomic():
        survey = question.survey
        question.delete()
        for position, item in enumerate(survey.questions.order_by("position", "pk"), start=1):
            if item.position != position:
                item.position = position
                item.save(update_fields=["position"])


# Invitations, answers, reminders -------------------------------------------------------------


def referent_emails(organisation: Organisation) -> list[str]:
    return sorted(
        {
            email.lower()
            for email in User.objects.filter(
                is_active=True, roles__kind=Role.Kind.REFERENT, roles__organisation=organisation
            ).values_list("email", flat=True)
        }
    )


def signatories(contract: Contract) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        pk__in=Signature.objects.filter(contract=contract).values("organisation")
    ).order_by("name")


def invitation_addresses(contract: Contract) -> list[tuple[Organisation, list[str]]]:
    """Each signatory with the addresses to invite: its referents, else its public email."""
    rows = []
    for organisation in signatories(contract):
        emails = referent_emails(organisation)
        if not emails and organisation.public_email:
            emails = [organisation.public_email.lower()]
        rows.append((organisation, emails))
    return rows


def check_can_open(survey: Survey, today: date) -> None:
    if not survey.is_draft:
        raise SurveyError(_("Seule une enquête en brouillon peut être ouverte."))
    if survey.closes_on < today:
        raise SurveyError(_("La date de clôture est passée : choisissez une date à venir."))
    questions = list(survey.questions.prefetch_related("choices", "rows"))
    if not questions:
        raise SurveyError(_("Ajoutez au moins une question avant d'ouvrir l'enquête."))
    for question in questions:
        if question.has_choices and len(question.choices.all()) < 2:
            raise SurveyError(
                _("La question « %(text)s » doit proposer au moins deux choix.")
                % {"text": question.text}
            )
        if question.kind == K.MATRIX and not question.rows.all():
            raise SurveyError(
                _("Le tableau « %(text)s » doit avoir au moins une ligne.")
                % {"text": question.text}
            )


def open_survey(*, survey: Survey, today: date | None = None) -> list[Invitation]:
    """Open a draft survey and invite every signatory's referents (emails sent on commit)."""
    from .survey_emails import send_survey_email

    today = today or timezone.localdate()
    with transaction.atomic():
        survey = Survey.objects.select_for_update().select_related("contract").get(pk=survey.pk)
        check_can_open(survey, today)
        survey.status = Survey.Status.OPEN
        survey.opened_at = timezone.now()
        if not survey.opens_on or survey.opens_on > today:
            survey.opens_on = today
        survey.save()
        invitations = []
        for organisation, emails in invitation_addresses(survey.contract):
            for email in emails:
                invitation, _created = Invitation.objects.get_or_create(
                    survey=survey, organisation=organisation, email=email
                )
                invitations.append(invitation)
        for invitation in invitations:
            transaction.on_commit(
                partial(send_survey_email.enqueue, invitation_id=invitation.pk, kind="invitation")
            )
    return invitations


def close_survey(*, survey: Survey) -> Survey:
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        if survey.status != Survey.Status.OPEN:
            raise SurveyError(_("Seule une enquête ouverte peut être close."))
        survey.status = Survey.Status.CLOSED
        survey.closed_at = timezone.now()
        survey.save()
    return survey


def close_expired_surveys(*, today: date | None = None) -> int:
    """Close the open surveys whose closing day is past (history kept)."""
    today = today or timezone.localdate()
    count = 0
    for survey in Survey.objects.filter(status=Survey.Status.OPEN, closes_on__lt=today):
        close_survey(survey=survey)
        count += 1
    return count


def send_survey_reminders(*, today: date | None = None) -> int:
    """Remind, once, the invitations of organisations that have not answered, from the
    survey's reminder day (N days before closing) to the closing day. Returns how many."""
    from .survey_emails import send_survey_email

    today = today or timezone.localdate()
    sent = 0
    for survey in Survey.objects.filter(status=Survey.Status.OPEN, closes_on__gte=today):
        if survey.closes_on - timedelta(days=survey.reminder_days) > today:
            continue
        answered = Response.objects.filter(survey=survey).values("organisation")
        due = survey.invitations.filter(reminded_at=None).exclude(sent_at=None)
        for invitation in due.exclude(organisation__in=answered).order_by("pk"):
            with transaction.atomic():
                # Claim first: two runs never remind the same address twice.
                if not Invitation.objects.filter(pk=invitation.pk, reminded_at=None).update(
                    reminded_at=timezone.now()
                ):
                    continue
                transaction.on_commit(
                    partial(send_survey_email.enqueue, invitation_id=invitation.pk, kind="reminder")
                )
            sent += 1
    return sent


def open_invitation(token: str) -> Invitation | None:
    if not token or len(token) > 64:
        return None
    return (
        Invitation.objects.select_related("survey__contract__territory", "organisation")
        .filter(token=token)
        .first()
    )


def has_answered(survey: Survey, organisation: Organisation) -> bool:
    return Response.objects.filter(survey=survey, organisation=organisation).exists()


def check_answerable(invitation: Invitation, today: date | None = None) -> None:
    """Raise why this link cannot take an answer now."""
    if not invitation.survey.accepts_answers(today):
        if (
            invitation.survey.status == Survey.Status.OPEN
            and invitation.survey.opens_on
            and ((today or timezone.localdate()) < invitation.survey.opens_on)
        ):
            raise SurveyClosed(_("Cette enquête n'est pas encore ouverte."))
        raise SurveyClosed(_("Cette enquête est close : elle ne reçoit plus de réponse."))
    if has_answered(invitation.survey, invitation.organisation):
        raise AlreadyAnswered(
            _(
                "%(organisation)s a déjà répondu à cette enquête : une seule réponse par "
                "structure. Merci !"
            )
            % {"organisation": invitation.organisation.name}
        )


def answer_rows(question: Question, value: Any) -> list[Answer]:
    """The Answer rows (unsaved, without response) for one question's cleaned value; raises
    SurveyError when the value does not fit the question (the form checks it first)."""
    invalid = SurveyError(
        _("Réponse invalide à la question « %(text)s ».") % {"text": question.text}
    )
    empty = value in (None, "", [], {}) or (isinstance(value, dict) and not any(value.values()))
    if empty:
        if question.required:
            raise SurveyError(
                _("La question « %(text)s » est obligatoire.") % {"text": question.text}
            )
        return []
    try:
        return _rows_for(question, value)
    except (TypeError, ValueError, AttributeError, KeyError):
        raise invalid from None


def _rows_for(question: Question, value: Any) -> list[Answer]:
    invalid = SurveyError(
        _("Réponse invalide à la question « %(text)s ».") % {"text": question.text}
    )
    choices = {c.pk: c for c in question.choices.all()}
    if question.kind == K.SINGLE:
        if int(value) not in choices:
            raise invalid
        return [Answer(question=question, choice=choices[int(value)])]
    if question.kind == K.MULTIPLE:
        ids = {int(v) for v in value}
        if not ids <= set(choices):
            raise invalid
        return [Answer(question=question, choice=choices[i]) for i in sorted(ids)]
    if question.kind == K.SCALE:
        number = int(value)
        if not question.scale_min <= number <= question.scale_max:
            raise invalid
        return [Answer(question=question, value=number)]
    if question.kind == K.MATRIX:
        rows = {r.pk: r for r in question.rows.all()}
        given = {int(r): int(c) for r, c in value.items() if c not in (None, "")}
        if not set(given) <= set(rows) or not set(given.values()) <= set(choices):
            raise invalid
        if question.required and set(given) != set(rows):
            raise SurveyError(
                _("Répondez à chaque ligne de « %(text)s ».") % {"text": question.text}
            )
        return [Answer(question=question, row=rows[r], choice=choices[c]) for r, c in given.items()]
    text = str(value).strip()
    return [Answer(question=question, text=text)] if text else []


def submit_response(
    *, token: str, answers: Mapping[int, Any], today: date | None = None
) -> Response:
    """Record an organisation's answer through a personal link, in one transaction. Refused
    (nothing written) when the survey does not take answers or the organisation has answered.
    `answers`: question id → choice id, list of choice ids, scale value, text, or for a
    matrix {row id: choice id}."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .select_related("survey__contract", "organisation")
            .filter(token=token)
            .first()
        )
        if invitation is None:
            raise SurveyError(_("Ce lien d'enquête n'existe pas."))
        survey = Survey.objects.select_for_update().get(pk=invitation.survey_id)
        invitation.survey = survey
        check_answerable(invitation, today)
        rows: list[Answer] = []
        for question in survey.questions.prefetch_related("choices", "rows"):
            rows += answer_rows(question, answers.get(question.pk))
        try:
            with transaction.atomic():
                response = Response.objects.create(
                    survey=survey, organisation=invitation.organisation
                )
        except IntegrityError:  # the organisation's other referent answered meanwhile
            raise AlreadyAnswered(
                _(
                    "Cette structure a déjà répondu à cette enquête : une seule réponse par "
                    "structure."
                )
            ) from None
        for row in rows:
            row.response = response
        Answer.objects.bulk_create(rows)
        invitation.answered_at = response.submitted_at
        invitation.save(update_fields=["answered_at"])
    return response


@dataclass
class Participation:
    organisation: Organisation
    emails: list[str]
    sent_at: Any = None
    reminded_at: Any = None
    answered_at: Any = None

    @property
    def answered(self) -> bool:
        return self.answered_at is not None


def participation(survey: Survey) -> list[Participation]:
    """Every signatory (and any other invited organisation): its addresses, answered or not."""
    rows: dict[int, Participation] = {}
    if survey.is_draft:
        for organisation, emails in invitation_addresses(survey.contract):
            rows[organisation.pk] = Participation(organisation, emails)
        return list(rows.values())
    for organisation in signatories(survey.contract):
        rows[organisation.pk] = Participation(organisation, [])
    for invitation in survey.invitations.select_related("organisation"):
        row = rows.setdefault(
            invitation.organisation_id, Participation(invitation.organisation, [])
        )
        row.emails.append(invitation.email)
        if invitation.sent_at and (row.sent_at is None or invitation.sent_at < row.sent_at):
            row.sent_at = invitation.sent_at
        if invitation.reminded_at:
            row.reminded_at = invitation.reminded_at
    for organisation_id, submitted_at in survey.responses.values_list(
        "organisation_id", "submitted_at"
    ):
        if organisation_id in rows:
            rows[organisation_id].answered_at = submitted_at
    return sorted(rows.values(), key=lambda row: row.organisation.name.casefold())
