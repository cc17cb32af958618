"""The ready-made questionnaires of the survey builder: the territorial diagnostic and the
yearly impact survey (whose first question feeds the indicator `impact-positif`)."""

from __future__ import annotations

from dataclasses import dataclass

from .models import Question, Survey

K = Question.Kind
IMPACT_INDICATOR_CODE = "impact-positif"


@dataclass(frozen=True)
class QuestionSpec:
    kind: str
    text: str
    choices: tuple[tuple[str, bool], ...] = ()  # (label, is_positive)
    rows: tuple[str, ...] = ()
    help_text: str = ""
    required: bool = True
    scale: tuple[int, int, str, str] | None = None  # min, max, min label, max label
    positive_from: int | None = None
    indicator_code: str = ""


AGREEMENT = (
    ("Tout à fait d'accord", True),
    ("Plutôt d'accord", True),
    ("Plutôt pas d'accord", False),
    ("Pas du tout d'accord", False),
)
YES_NO = (("Oui", True), ("Non", False), ("Ne sait pas", False))

TEMPLATES: dict[str, list[QuestionSpec]] = {
    Survey.Kind.DIAGNOSTIC: [
        QuestionSpec(
            K.SINGLE,
            "Votre structure accueille-t-elle ou oriente-t-elle des personnes victimes de "
            "violences sexistes et sexuelles ?",
            choices=YES_NO,
        ),
        QuestionSpec(
            K.MULTIPLE,
            "Quels publics votre structure rencontre-t-elle ?",
            choices=(
                ("Femmes", False),
                ("Hommes", False),
                ("Enfants et adolescents", False),
                ("Jeunes adultes (18-25 ans)", False),
                ("Personnes âgées", False),
                ("Personnes en situation de handicap", False),
            ),
        ),
        QuestionSpec(
            K.MATRIX,
            "Comment jugez-vous, sur le territoire…",
            rows=(
                "l'accueil des victimes",
                "l'orientation vers les bons interlocuteurs",
                "la prise en charge des auteurs",
                "la prévention auprès des jeunes",
                "la coordination entre partenaires",
            ),
            choices=(
                ("Insuffisant", False),
                ("À améliorer", False),
                ("Satisfaisant", True),
                ("Très satisfaisant", True),
            ),
        ),
        QuestionSpec(
            K.SCALE,
            "Vos équipes se sentent-elles formées pour repérer les violences ?",
            scale=(1, 5, "Pas du tout", "Tout à fait"),
            positive_from=4,
        ),
        QuestionSpec(
            K.MULTIPLE,
            "Quels sont les besoins prioritaires du territoire ?",
            choices=(
                ("Formation des professionnels", False),
                ("Outils de prévention", False),
                ("Connaissance des partenaires", False),
                ("Hébergement d'urgence", False),
                ("Prise en charge des auteurs", False),
            ),
        ),
        QuestionSpec(
            K.FREE_TEXT,
            "Quels manques observez-vous sur le territoire ?",
            required=False,
        ),
    ],
    Survey.Kind.IMPACT: [
        QuestionSpec(
            K.SINGLE,
            "Le contrat a eu un impact positif sur la prévention",
            choices=AGREEMENT,
            indicator_code=IMPACT_INDICATOR_CODE,
        ),
        QuestionSpec(
            K.SCALE,
            "Le contrat a renforcé la coordination entre les partenaires",
            scale=(1, 5, "Pas du tout d'accord", "Tout à fait d'accord"),
            positive_from=4,
        ),
        QuestionSpec(
            K.MULTIPLE,
            "Quelles actions du contrat votre structure a-t-elle utilisées cette année ?",
            choices=(
                ("Formations", False),
                ("Supports de prévention", False),
                ("Annuaire et guide d'orientation", False),
                ("Groupes de travail", False),
                ("Réunions du réseau", False),
            ),
            required=False,
        ),
        QuestionSpec(
            K.SINGLE,
            "Votre structure souhaite-t-elle poursuivre son engagement dans le contrat ?",
            choices=YES_NO,
        ),
        QuestionSpec(
            K.FREE_TEXT,
            "Vos suggestions pour l'année prochaine",
            required=False,
        ),
    ],
}
TEMPLATE_TITLES = {
    Survey.Kind.DIAGNOSTIC: "Diagnostic territorial",
    Survey.Kind.IMPACT: "Enquête d'impact annuelle",
}
