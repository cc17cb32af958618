"""Surveys demo for Angers (contract 2024-2026): the territorial diagnostic of 2024, closed and
answered by 19 of the 25 signatories; the yearly impact surveys of 2024 (20 answers) and 2025
(the 25 signatories), every signatory judging the contract's impact on prevention positive —
the "100 % of signatories" of the press release, fed to the indicator `impact-positif` when
the evaluation demo created it. The 2025 survey is compared with 2024's.

Built through the survey services (templates, answers through each organisation's personal
link). No email is sent: the invitations are recorded as sent on the opening day, to the
referents' addresses or, for the demo, an address of the demo domain. Idempotent: a survey is
found again by its contract, title and year, and left as it is once built.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone

from maillage.core.models import Contract, Organisation, Territory

from .models import Invitation, Question, Response, Survey
from .survey_services import (
    IMPACT_INDICATOR_CODE,
    create_survey,
    find_indicator,
    referent_emails,
    signatories,
    submit_response,
)

K = Question.Kind
TEXTS = [
    "Mieux faire connaître le guide auprès des associations sportives.",
    "Davantage de sessions de formation en soirée pour les bénévoles.",
    "Un annuaire partagé plus souvent mis à jour par les partenaires.",
    "Des supports de prévention traduits dans d'autres langues.",
]
# title, kind, year, opens on, closes on, answering signatories (first n), previous title
SURVEYS = [
    ("Diagnostic territorial", Survey.Kind.DIAGNOSTIC, 2024, date(2024, 10, 7),
     date(2024, 11, 29), 19, ""),
    ("Enquête d'impact 2024", Survey.Kind.IMPACT, 2024, date(2024, 12, 2),
     date(2024, 12, 20), 20, ""),
    ("Enquête d'impact 2025", Survey.Kind.IMPACT, 2025, date(2025, 11, 17),
     date(2025, 12, 12), 25, "Enquête d'impact 2024"),
]  # fmt: skip
INTRO = (
    "Une réponse par structure signataire, au nom de la structure. Vos réponses nourrissent le "
    "bilan annuel du contrat. N'y écrivez aucune information permettant d'identifier une "
    "personne."
)


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def demo_address(organisation: Organisation) -> str:
    return f"enquetes+{organisation.pk}@demo.maillage.fr"


def _value(question: Question, index: int, year: int):
    """A plausible answer of the index-th organisation (deterministic)."""
    choices = list(question.choices.all())
    if question.kind == K.SINGLE:
        positive = [c for c in choices if c.is_positive]
        if question.indicator_id or question.text.startswith("Le contrat a eu un impact"):
            return positive[0 if index % 3 else min(1, len(positive) - 1)].pk
        if positive and index % 7 != 3:
            return positive[0].pk
        return choices[(index % (len(choices) - 1)) + 1].pk
    if question.kind == K.MULTIPLE:
        picked = [c.pk for n, c in enumerate(choices) if (index + n) % 3 != 0]
        return picked or [choices[0].pk]
    if question.kind == K.SCALE:
        shift = 1 if year >= 2025 else 0
        pattern = [4, 3, 5, 4, 2, 4, 3, 5]
        return min(question.scale_max, pattern[index % len(pattern)] + shift * (index % 2))
    if question.kind == K.MATRIX:
        return {
            row.pk: choices[(index + position) % len(choices)].pk
            for position, row in enumerate(question.rows.all())
        }
    return TEXTS[index // 5 % len(TEXTS)] if index % 5 == 0 else ""


def _build(
    contract: Contract,
    title: str,
    kind: str,
    year: int,
    opens_on: date,
    closes_on: date,
    answering: int,
    previous: Survey | None,
) -> Survey:
    survey = Survey.objects.filter(contract=contract, title=title, year=year).first()
    if survey is not None:
        return survey
    survey = create_survey(
        template=kind,
        contract=contract,
        title=title,
        kind=kind,
        year=year,
        intro=INTRO,
        opens_on=opens_on,
        closes_on=closes_on,
        previous=previous,
    )
    indicator = find_indicator(contract, IMPACT_INDICATOR_CODE)
    if indicator is not None:
        survey.questions.filter(text__startswith="Le contrat a eu un impact").update(
            indicator=indicator
        )
    # Opened on its day: the invitations recorded as sent then (no email from the demo).
    survey.status, survey.opened_at = Survey.Status.OPEN, _at(opens_on)
    survey.save()
    organisations = list(signatories(contract))
    for organisation in organisations:
        for email in referent_emails(organisation) or [demo_address(organisation)]:
            Invitation.objects.get_or_create(
                survey=survey,
                organisation=organisation,
                email=email,
                defaults={"sent_at": _at(opens_on)},
            )
    questions = list(survey.questions.prefetch_related("choices", "rows"))
    for index, organisation in enumerate(organisations[:answering]):
        invitation = survey.invitations.filter(organisation=organisation).first()
        day = date.fromordinal(opens_on.toordinal() + 1 + index % 10)
        response = submit_response(
            token=invitation.token,
            answers={q.pk: _value(q, index, year) for q in questions},
            today=day,
        )
        Response.objects.filter(pk=response.pk).update(submitted_at=_at(day, 9 + index % 8))
        Invitation.objects.filter(pk=invitation.pk).update(answered_at=_at(day, 9 + index % 8))
    survey.status, survey.closed_at = Survey.Status.CLOSED, _at(closes_on, 23)
    survey.save()
    return survey


@transaction.atomic
def load_survey_demo() -> list:
    territory = Territory.objects.filter(slug="angers-loire-metropole").first()
    contract = (
        Contract.objects.filter(territory=territory, start_date=date(2024, 9, 27)).first()
        if territory
        else None
    )
    if contract is None:
        return []
    built: dict[str, Survey] = {}
    for title, kind, year, opens_on, closes_on, answering, previous in SURVEYS:
        built[title] = _build(
            contract, title, kind, year, opens_on, closes_on, answering, built.get(previous)
        )
    return []
