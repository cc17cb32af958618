"""The anonymous satisfaction questionnaire sent to attendees after a session.

Anonymity by construction: the invitation (one per attendee, one-time token) knows the
registration and whether it was used, not when; the answer knows the session, the module and
the day, nothing else (random key, no link to the invitation). Results are shown only from
MIN_ANSWERS answers, so that a lone answer cannot be attributed to the only person who used
their link.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    Attendance,
    EvaluationAnswer,
    EvaluationInvitation,
    Registration,
    TrainingSession,
)

MIN_ANSWERS = 3
E = EvaluationAnswer.Expectations


class EvaluationRefused(Exception):
    """The questionnaire cannot be answered with this link; the message says why."""


def attendees(session: TrainingSession):
    """The confirmed registrations that attended at least one half-day of the session."""
    return (
        session.registrations.filter(status=Registration.Status.CONFIRMED)
        .filter(
            pk__in=Attendance.objects.filter(
                slot__session=session, status__in=Attendance.ATTENDED
            ).values("registration")
        )
        .order_by("pk")
    )


def invite_attendees(session: TrainingSession) -> list[EvaluationInvitation]:
    """Create the invitations not created yet (idempotent); returns the new ones."""
    created = []
    for registration in attendees(session).filter(evaluation_invitation__isnull=True):
        invitation, new = EvaluationInvitation.objects.get_or_create(registration=registration)
        if new:
            created.append(invitation)
    return created


def open_invitation(token: str) -> EvaluationInvitation | None:
    return (
        EvaluationInvitation.objects.select_related("registration__session__module")
        .filter(token=token)
        .first()
    )


def submit_evaluation(*, token: str, answers: Mapping[str, Any]) -> EvaluationAnswer:
    """Record an answer and consume the token, in one transaction; refused if used."""
    with transaction.atomic():
        invitation = (
            EvaluationInvitation.objects.select_for_update()
            .select_related("registration__session")
            .filter(token=token)
            .first()
        )
        if invitation is None:
            raise EvaluationRefused(_("Ce lien d'évaluation n'existe pas."))
        if invitation.used:
            raise EvaluationRefused(
                _("Ce questionnaire a déjà été rempli avec ce lien. Merci pour votre réponse !")
            )
        invitation.used = True
        invitation.save(update_fields=["used"])
        session = invitation.registration.session
        return EvaluationAnswer.objects.create(
            session=session,
            module_id=session.module_id,
            overall=answers["overall"],
            skills=answers["skills"],
            expectations=answers["expectations"],
            would_recommend=answers["would_recommend"],
            comment=(answers.get("comment") or "").strip(),
            created_on=timezone.localdate(),
        )


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    share: float  # 0..1 of the answers

    @property
    def percent(self) -> int:
        return round(self.share * 100)


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    bars: list[Bar]
    mean: float | None = None

    # The SVG geometry, computed here so the template only places things.
    label_width: int = 110
    bar_width: int = 300
    row_height: int = 28

    @property
    def height(self) -> int:
        return self.row_height * len(self.bars) + 8

    @property
    def width(self) -> int:
        return self.label_width + self.bar_width + 70

    def rows(self) -> list[dict]:
        return [
            {
                "bar": bar,
                "y": 4 + index * self.row_height,
                "text_y": 4 + index * self.row_height + self.row_height // 2 + 4,
                "length": round(bar.share * self.bar_width),
                "value_x": self.label_width + round(bar.share * self.bar_width) + 6,
            }
            for index, bar in enumerate(self.bars)
        ]


@dataclass
class Results:
    count: int
    charts: list[Chart] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    skills_improved_percent: int | None = None

    @property
    def shown(self) -> bool:
        return self.count >= MIN_ANSWERS


def _bars(values: Iterable, choices: list[tuple[Any, str]], total: int) -> list[Bar]:
    counts = Counter(values)
    return [
        Bar(str(label), counts.get(value, 0), counts.get(value, 0) / total if total else 0.0)
        for value, label in choices
    ]


def results(answers: QuerySet[EvaluationAnswer]) -> Results:
    """Aggregate answers (of a session, or of a module): distributions, means, comments."""
    rows = list(
        answers.values_list("overall", "skills", "expectations", "would_recommend", "comment")
    )
    total = len(rows)
    result = Results(count=total)
    if not total:
        return result
    overall = [row[0] for row in rows]
    skills = [row[1] for row in rows]
    scale = [(n, f"{n} / 5") for n in range(5, 0, -1)]
    result.charts = [
        Chart(
            "overall",
            _("Satisfaction générale"),
            _bars(overall, scale, total),
            mean=round(sum(overall) / total, 1),
        ),
        Chart(
            "skills",
            _("« Mes compétences ont progressé »"),
            _bars(skills, scale, total),
            mean=round(sum(skills) / total, 1),
        ),
        Chart(
            "expectations",
            _("Attentes satisfaites"),
            _bars([row[2] for row in rows], list(E.choices), total),
        ),
        Chart(
            "recommend",
            _("Recommanderait la formation"),
            _bars([row[3] for row in rows], [(True, _("Oui")), (False, _("Non"))], total),
        ),
    ]
    result.skills_improved_percent = round(100 * sum(1 for s in skills if s >= 4) / total)
    result.comments = [row[4] for row in rows if row[4]]
    return result
