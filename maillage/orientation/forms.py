"""Reading the guide's POST body, and the professional's choice of a commune."""

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from maillage.core.models import Commune, Territory

from .tree import Tree, Walk, advance, back, walk

ANSWER_PREFIX = "a-"  # hidden fields a-<node key>: the answers so far
MAX_VALUES = 20  # per question (more answers than a question has are dropped anyway)
MAX_VALUE_LENGTH = 100


def read_answers(data: QueryDict) -> dict[str, list[str]]:
    """The answers carried by the hidden fields of the previous screen."""
    return {
        key.removeprefix(ANSWER_PREFIX): [v[:MAX_VALUE_LENGTH] for v in data.getlist(key)][
            :MAX_VALUES
        ]
        for key in data
        if key.startswith(ANSWER_PREFIX)
    }


def walk_from(data: QueryDict, tree: Tree) -> Walk:
    """Where the visitor is after pressing a button: Continuer, Retour, or Recommencer."""
    answers = read_answers(data)
    action = data.get("action", "")
    if action == "restart":
        return walk(tree, {})
    if action == "back":
        return back(tree, answers)
    if action == "next":
        values = [v[:MAX_VALUE_LENGTH] for v in data.getlist("answer")][:MAX_VALUES]
        return advance(tree, answers, data.get("step", ""), values)
    return walk(tree, answers)


def hidden_fields(answers: dict[str, list[str]]) -> list[tuple[str, str]]:
    """(name, value) of the hidden fields carrying the answers to the next screen."""
    return [(ANSWER_PREFIX + key, value) for key, values in answers.items() for value in values]


class CommuneChoiceForm(forms.Form):
    """A professional picks the commune of a reflex sheet among the territory's."""

    commune = forms.ModelChoiceField(
        label=_("Commune"), queryset=Commune.objects.none(), to_field_name="insee_code"
    )

    def __init__(self, *args, territory: Territory, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = territory.communes.order_by("name")
