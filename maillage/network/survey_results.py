"""The results of a survey (counts and shares per question, charts geometry, comparison with
the previous year) and the figures the evaluation app reads (re-exported by survey_services)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q

from maillage.core.models import Contract

from .models import Answer, Question, Survey

K = Question.Kind


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    share: float  # 0..1 of the organisations that answered the question (or the row)
    previous_percent: int | None = None

    @property
    def percent(self) -> int:
        return round(self.share * 100)


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    bars: list[Bar]
    total: int
    has_previous: bool = False

    label_width: int = 240
    bar_width: int = 300
    row_height: int = 28

    @property
    def height(self) -> int:
        return self.row_height * len(self.bars) + 8

    @property
    def width(self) -> int:
        return self.label_width + self.bar_width + 80

    def rows(self) -> list[dict]:
        rows = []
        for index, bar in enumerate(self.bars):
            y = 4 + index * self.row_height
            length = round(bar.share * self.bar_width)
            label = bar.label if len(bar.label) <= 32 else bar.label[:31] + "…"
            rows.append(
                {
                    "bar": bar,
                    "label": label,
                    "y": y,
                    "text_y": y + self.row_height // 2 + 4,
                    "length": length,
                    "value_x": self.label_width + length + 6,
                }
            )
        return rows


@dataclass
class QuestionResult:
    question: Question
    answered: int
    charts: list[Chart] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    positive_percent: int | None = None
    previous_positive_percent: int | None = None
    previous_answered: int | None = None


def _share(count: int, total: int) -> float:
    return count / total if total else 0.0


def _bars(
    labelled: list[tuple[Any, str]], counts: Mapping[Any, int], total: int, previous=None
) -> list[Bar]:
    return [
        Bar(
            label,
            counts.get(key, 0),
            _share(counts.get(key, 0), total),
            None if previous is None else previous.get(label),
        )
        for key, label in labelled
    ]


def _normalised(text: str) -> str:
    return " ".join(text.casefold().replace("…", "").split()).rstrip(" ?.!:")


def matching_question(question: Question, candidates: Iterable[Question]) -> Question | None:
    """The question of the previous survey to compare with: same indicator, else same text."""
    for candidate in candidates:
        if question.indicator_id and candidate.indicator_id == question.indicator_id:
            return candidate
    for candidate in candidates:
        if candidate.kind == question.kind and _normalised(candidate.text) == _normalised(
            question.text
        ):
            return candidate
    return None


def survey_results(survey: Survey, *, compare: bool = True) -> list[QuestionResult]:
    """Per question: counts and shares of the organisations that answered it, the free texts,
    the share of positive answers, and the previous year's figures when there is a match."""
    questions = list(
        survey.questions.select_related("indicator").prefetch_related("choices", "rows")
    )
    answers = defaultdict(list)
    for answer in Answer.objects.filter(response__survey=survey).values(
        "question_id", "response_id", "choice_id", "row_id", "value", "text"
    ):
        answers[answer["question_id"]].append(answer)
    previous_by_question: dict[int, QuestionResult] = {}
    if compare and survey.previous_id:
        previous_results = survey_results(survey.previous, compare=False)
        previous_questions = [r.question for r in previous_results]
        by_pk = {r.question.pk: r for r in previous_results}
        for question in questions:
            match = matching_question(question, previous_questions)
            if match is not None:
                previous_by_question[question.pk] = by_pk[match.pk]
    results = []
    for question in questions:
        rows = answers[question.pk]
        respondents = {a["response_id"] for a in rows}
        result = QuestionResult(question, len(respondents))
        previous = previous_by_question.get(question.pk)
        if previous is not None:
            result.previous_positive_percent = previous.positive_percent
            result.previous_answered = previous.answered
        choices = [(c.pk, c.label) for c in question.choices.all()]
        key = f"q{question.pk}"

        def previous_shares(index: int = 0, previous=previous) -> dict[str, int] | None:
            if previous is None or index >= len(previous.charts):
                return None
            return {bar.label: bar.percent for bar in previous.charts[index].bars}

        if question.kind in (K.SINGLE, K.MULTIPLE):
            counts = defaultdict(int)
            for answer in rows:
                counts[answer["choice_id"]] += 1
            result.charts.append(
                Chart(
                    key,
                    question.text,
                    _bars(choices, counts, len(respondents), previous_shares()),
                    len(respondents),
                    previous is not None,
                )
            )
            positive_ids = {c.pk for c in question.choices.all() if c.is_positive}
            if positive_ids and respondents:
                positive = {a["response_id"] for a in rows if a["choice_id"] in positive_ids}
                result.positive_percent = round(100 * len(positive) / len(respondents))
        elif question.kind == K.SCALE:
            counts = defaultdict(int)
            for answer in rows:
                counts[answer["value"]] += 1
            labelled = [(v, scale_label(question, v)) for v in question.scale_values]
            result.charts.append(
                Chart(
                    key,
                    question.text,
                    _bars(labelled, counts, len(respondents), previous_shares()),
                    len(respondents),
                    previous is not None,
                )
            )
            if question.positive_from is not None and respondents:
                positive = [a for a in rows if a["value"] >= question.positive_from]
                result.positive_percent = round(100 * len(positive) / len(respondents))
        elif question.kind == K.MATRIX:
            for index, row in enumerate(question.rows.all()):
                in_row = [a for a in rows if a["row_id"] == row.pk]
                counts = defaultdict(int)
                for answer in in_row:
                    counts[answer["choice_id"]] += 1
                result.charts.append(
                    Chart(
                        f"{key}-{row.pk}",
                        f"{question.text} {row.label}",
                        _bars(choices, counts, len(in_row), previous_shares(index)),
                        len(in_row),
                        previous is not None,
                    )
                )
        else:
            result.texts = [a["text"] for a in rows if a["text"]]
        results.append(result)
    return results


def scale_label(question: Question, value: int) -> str:
    if value == question.scale_min and question.scale_min_label:
        return f"{value} — {question.scale_min_label}"
    if value == question.scale_max and question.scale_max_label:
        return f"{value} — {question.scale_max_label}"
    return str(value)


# For the evaluation app ----------------------------------------------------------------------


def survey_indicator_value(indicator, start: date, end: date) -> Decimal | None:
    """The share (0-100) of the answers to the questions linked to `indicator` that are
    positive (a positive choice, or a scale value from `positive_from`), counted once per
    organisation and question, in the latest opened survey closing or dated within
    [start, end] (a yearly survey is a snapshot: two years are not mixed). None when nobody
    answered."""
    questions = Question.objects.filter(
        indicator=indicator,
        survey__status__in=[Survey.Status.OPEN, Survey.Status.CLOSED],
    ).filter(
        Q(survey__closes_on__range=(start, end))
        | Q(survey__year__gte=start.year, survey__year__lte=end.year)
    )
    latest = (
        questions.order_by("-survey__year", "-survey__closes_on", "-survey_id")
        .values_list("survey_id", flat=True)
        .first()
    )
    questions = questions.filter(survey_id=latest)
    answered: set[tuple[int, int]] = set()
    positive: set[tuple[int, int]] = set()
    for answer in Answer.objects.filter(question__in=questions).select_related(
        "choice", "question"
    ):
        key = (answer.response_id, answer.question_id)
        answered.add(key)
        if answer.is_positive:
            positive.add(key)
    if not answered:
        return None
    share = Decimal(100 * len(positive)) / Decimal(len(answered))
    return share.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def contract_surveys_summary(contract: Contract, year: int | None = None) -> list[dict]:
    """The opened or closed surveys of a contract (of one year, if given) with their
    participation and, per question with choices or a scale, (label, count, percent) rows."""
    surveys = Survey.objects.filter(contract=contract).exclude(status=Survey.Status.DRAFT)
    if year is not None:
        surveys = surveys.filter(year=year)
    summary = []
    for survey in surveys.order_by("year", "pk"):
        invited = survey.invitations.order_by().values("organisation").distinct().count()
        questions = []
        for result in survey_results(survey, compare=False):
            if not result.charts:
                continue
            rows = []
            for chart in result.charts:
                prefix = ""
                if len(result.charts) > 1:
                    prefix = chart.title.removeprefix(result.question.text).strip() + " : "
                rows += [(prefix + bar.label, bar.count, bar.percent) for bar in chart.bars]
            questions.append({"text": result.question.text, "rows": rows})
        summary.append(
            {
                "survey": survey,
                "title": survey.title,
                "invited": invited,
                "answered": survey.responses.count(),
                "questions": questions,
            }
        )
    return summary
