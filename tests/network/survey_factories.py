"""factory_boy factories of the surveys of signatories."""

from datetime import date, timedelta

import factory

from maillage.network.models import Choice, Invitation, MatrixRow, Question, Survey

from ..factories import ContractFactory, OrganisationFactory


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Survey

    contract = factory.SubFactory(ContractFactory)
    title = "Enquête d'impact annuelle"
    kind = Survey.Kind.IMPACT
    year = 2025
    closes_on = factory.LazyFunction(lambda: date.today() + timedelta(days=20))
    status = Survey.Status.DRAFT

    class Params:
        open = factory.Trait(
            status=Survey.Status.OPEN,
            opens_on=factory.LazyFunction(lambda: date.today() - timedelta(days=1)),
        )
        closed = factory.Trait(status=Survey.Status.CLOSED)


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    survey = factory.SubFactory(SurveyFactory)
    position = factory.Sequence(lambda n: n + 1)
    kind = Question.Kind.SINGLE
    text = factory.Sequence(lambda n: f"Question {n}")


class ChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Choice

    question = factory.SubFactory(QuestionFactory)
    label = factory.Sequence(lambda n: f"Choix {n}")
    position = factory.Sequence(lambda n: n + 1)


class MatrixRowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MatrixRow

    question = factory.SubFactory(QuestionFactory, kind=Question.Kind.MATRIX)
    label = factory.Sequence(lambda n: f"Ligne {n}")


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    survey = factory.SubFactory(SurveyFactory, open=True)
    organisation = factory.SubFactory(
        OrganisationFactory, territory=factory.SelfAttribute("..survey.contract.territory")
    )
    email = factory.Sequence(lambda n: f"referent{n}@example.org")


def build_survey(contract, **fields) -> Survey:
    """A survey with one question of each kind:
    - "impact": single choice, "Tout à fait d'accord" / "Plutôt d'accord" positive;
    - "coordination": scale 1-5, positive from 4;
    - "actions": multiple choice, optional;
    - "accueil": matrix, 2 rows by 2 columns;
    - "suggestions": free text, optional.
    Returns the survey; `survey.q` maps those keys to the questions."""
    survey = SurveyFactory(contract=contract, **fields)
    K = Question.Kind
    impact = QuestionFactory(
        survey=survey, position=1, text="Le contrat a eu un impact positif sur la prévention"
    )
    for position, (label, positive) in enumerate(
        [("Tout à fait d'accord", True), ("Plutôt d'accord", True), ("Pas d'accord", False)]
    ):
        ChoiceFactory(question=impact, label=label, is_positive=positive, position=position)
    scale = QuestionFactory(
        survey=survey,
        position=2,
        kind=K.SCALE,
        text="Le contrat a renforcé la coordination",
        scale_min=1,
        scale_max=5,
        positive_from=4,
    )
    actions = QuestionFactory(
        survey=survey, position=3, kind=K.MULTIPLE, text="Actions utilisées", required=False
    )
    for position, label in enumerate(["Formations", "Supports", "Annuaire"]):
        ChoiceFactory(question=actions, label=label, position=position)
    matrix = QuestionFactory(survey=survey, position=4, kind=K.MATRIX, text="Sur le territoire,")
    for position, label in enumerate(["l'accueil", "l'orientation"]):
        MatrixRowFactory(question=matrix, label=label, position=position)
    for position, label in enumerate(["Insuffisant", "Satisfaisant"]):
        ChoiceFactory(question=matrix, label=label, position=position)
    suggestions = QuestionFactory(
        survey=survey, position=5, kind=K.FREE_TEXT, text="Vos suggestions", required=False
    )
    survey.q = {
        "impact": impact,
        "coordination": scale,
        "actions": actions,
        "accueil": matrix,
        "suggestions": suggestions,
    }
    return survey


def choice(question, label: str) -> Choice:
    return question.choices.get(label=label)


def answer_post(survey, *, impact="Tout à fait d'accord", scale="4", text="") -> dict:
    """A valid POST body for the answer page of build_survey's survey."""
    q = survey.q
    data = {
        f"q{q['impact'].pk}": str(choice(q["impact"], impact).pk),
        f"q{q['coordination'].pk}": scale,
        f"q{q['actions'].pk}": [str(choice(q["actions"], "Formations").pk)],
        f"q{q['suggestions'].pk}": text,
    }
    satisfied = choice(q["accueil"], "Satisfaisant").pk
    for row in q["accueil"].rows.all():
        data[f"q{q['accueil'].pk}_r{row.pk}"] = str(satisfied)
    return data
