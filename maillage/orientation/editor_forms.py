"""The forms of the tree editor: a question and its answers (a formset), a result, the first
question. They read and check what the coordinator typed and hand plain data (editor.py's
QuestionData, AnswerData, ResultData) to the editing functions.

National numbers come from the active NationalNumber list, in slots ("Numéro 1", "Numéro 2"…)
because their order is the order of display; directory filters from the active terms of the
taxonomy, by vocabulary; flags from models.FLAGS. A code that is no longer active is not
offered: saving the form drops it (the problems list named it).
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.forms.boundfield import BoundField
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maillage.directory.models import Term

from .editor import AnswerData, Codes, QuestionData, ResultData
from .models import FLAGS, Choice, NationalNumber, Node
from .services import CODE_FIELDS

VOCABULARIES = ("violence", "help", "public")
TEXTAREA = forms.Textarea(attrs={"rows": 3})


@dataclass(frozen=True)
class CodeChoices:
    """The codes a result or an answer may cite, read once per page (not once per answer)."""

    numbers: list[tuple[str, str]]
    terms: dict[str, list[tuple[str, str]]]

    @classmethod
    def load(cls) -> CodeChoices:
        terms: dict[str, list[tuple[str, str]]] = {vocabulary: [] for vocabulary in VOCABULARIES}
        for term in Term.objects.filter(vocabulary__in=VOCABULARIES, is_active=True):
            terms[term.vocabulary].append((term.code, term.label))
        numbers = [(n.code, str(n)) for n in NationalNumber.objects.filter(is_active=True)]
        return cls(numbers=numbers, terms=terms)


def node_label(node: Node) -> str:
    kind = _("Résultat") if node.kind == Node.Kind.RESULT else _("Question")
    return f"{kind} : {node.title} ({node.key})"


class NodeField(forms.TypedChoiceField):
    """A node of the draft being edited (its pk), or nothing."""

    def __init__(self, *, nodes: list[Node], **kwargs) -> None:
        choices = [("", _("— aucune —"))] + [(node.pk, node_label(node)) for node in nodes]
        super().__init__(choices=choices, coerce=int, empty_value=None, **kwargs)


class ContactsForm(forms.Form):
    """What a result or an answer adds: numbers in order, directory filters, flags."""

    number_slots = 4  # at least; one more than the numbers already chosen

    def __init__(self, *args, codes: CodeChoices, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        chosen = list(self.initial.get("numbers") or [])
        self.number_names = []
        for index in range(max(self.number_slots, len(chosen) + 1)):
            field_name = f"number_{index + 1}"
            self.fields[field_name] = forms.ChoiceField(
                label=_("Numéro %(position)s") % {"position": index + 1},
                choices=[("", _("— aucun —")), *codes.numbers],
                required=False,
                initial=chosen[index] if index < len(chosen) else "",
            )
            self.number_names.append(field_name)
        for vocabulary in VOCABULARIES:
            self.fields[vocabulary] = forms.MultipleChoiceField(
                label=capfirst(Node._meta.get_field(vocabulary).verbose_name),
                choices=codes.terms[vocabulary],
                widget=forms.CheckboxSelectMultiple,
                required=False,
            )
        self.fields["flags"] = forms.MultipleChoiceField(
            label=capfirst(Node._meta.get_field("flags").verbose_name),
            choices=[(flag, capfirst(label)) for flag, label in FLAGS.items()],
            widget=forms.CheckboxSelectMultiple,
            required=False,
        )
        self.contact_names = {*self.number_names, *VOCABULARIES, "flags"}

    def clean(self) -> dict:
        data = super().clean()
        numbers: list[str] = []
        for field_name in self.number_names:
            code = data.get(field_name)
            if not code:
                continue
            if code in numbers:
                self.add_error(field_name, _("Ce numéro est déjà choisi plus haut."))
            else:
                numbers.append(code)
        data["codes"] = Codes(
            numbers=numbers,
            **{attribute: list(data.get(attribute) or []) for attribute in CODE_FIELDS[1:]},
        )
        return data

    # What the template shows apart: the main fields, then the numbers, the filters, the flags.
    @property
    def main_fields(self) -> list[BoundField]:
        return [f for f in self.visible_fields() if f.name not in self.contact_names]

    @property
    def number_fields(self) -> list[BoundField]:
        return [self[field_name] for field_name in self.number_names]

    @property
    def filter_fields(self) -> list[BoundField]:
        return [self[vocabulary] for vocabulary in (*VOCABULARIES, "flags")]

    @property
    def contacts_open(self) -> bool:
        """Unfold the numbers and filters when one of them is refused."""
        return any(self[field_name].errors for field_name in self.contact_names)

    @property
    def contacts_summary(self) -> str:
        """The codes chosen so far, for the folded part's title ("115, 3919 · ecoute")."""
        codes = [
            ", ".join(self.initial.get(attribute) or [])
            for attribute in CODE_FIELDS
            if self.initial.get(attribute)
        ]
        return " · ".join(codes)


def initial_codes(holder: Node | Choice) -> dict:
    return {attribute: list(getattr(holder, attribute)) for attribute in CODE_FIELDS}


class QuestionForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Question posée"), max_length=300)
    kind = forms.ChoiceField(
        label=gettext_lazy("Type de question"),
        choices=[(kind.value, kind.label) for kind in (Node.Kind.SINGLE, Node.Kind.MULTIPLE,
                                                       Node.Kind.COMMUNE)],
    )  # fmt: skip
    help_text = forms.CharField(
        label=gettext_lazy("Aide"),
        required=False,
        widget=TEXTAREA,
        help_text=gettext_lazy("Une précision affichée sous la question."),
    )
    professional_notes = forms.CharField(
        label=gettext_lazy("Repères pour les professionnels"),
        required=False,
        widget=TEXTAREA,
        help_text=gettext_lazy("Montrés aux professionnels connectés seulement."),
    )

    def __init__(self, *args, targets: list[Node], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["next"] = NodeField(
            nodes=targets,
            label=_("Étape suivante par défaut"),
            required=False,
            help_text=_(
                "Question à choix multiples : où l'on va quand aucune réponse cochée ne mène "
                "ailleurs. Question sur la commune : l'étape suivante. Inutile pour un choix "
                "unique (chaque réponse mène à son étape)."
            ),
        )

    @staticmethod
    def initial_from(node: Node | None) -> dict:
        if node is None:
            return {"kind": Node.Kind.SINGLE}
        return {
            "title": node.title,
            "kind": node.kind,
            "help_text": node.help_text,
            "professional_notes": node.professional_notes,
            "next": node.next_id,
        }

    def question_data(self) -> QuestionData:
        data = self.cleaned_data
        return QuestionData(
            title=data["title"].strip(),
            kind=data["kind"],
            help_text=data["help_text"].strip(),
            professional_notes=data["professional_notes"].strip(),
            next_id=data["next"],
        )


class AnswerForm(ContactsForm):
    number_slots = 2

    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    label = forms.CharField(label=gettext_lazy("Libellé de la réponse"), max_length=200)
    help_text = forms.CharField(label=gettext_lazy("Précision"), max_length=300, required=False)

    def __init__(self, *args, codes: CodeChoices, targets: list[Node], **kwargs) -> None:
        super().__init__(*args, codes=codes, **kwargs)
        self.fields["next"] = NodeField(
            nodes=targets,
            label=_("Étape suivante"),
            required=False,
            help_text=_(
                "Obligatoire pour un choix unique. Choix multiples : la première réponse cochée "
                "qui mène quelque part l'emporte sur l'étape suivante par défaut."
            ),
        )
        self.order_fields(["id", "label", "help_text", "next"])

    def answer_data(self) -> AnswerData:
        data = self.cleaned_data
        return AnswerData(
            pk=data.get("id"),
            label=data["label"].strip(),
            help_text=data["help_text"].strip(),
            next_id=data["next"],
            codes=data["codes"],
        )


class BaseAnswerFormSet(forms.BaseFormSet):
    def answers(self) -> list[AnswerData]:
        """The answers kept, in the order asked for (ORDER), blank extra rows left out."""
        return [form.answer_data() for form in self.ordered_forms]

    def deleted_ids(self) -> list[int]:
        return [f.cleaned_data["id"] for f in self.deleted_forms if f.cleaned_data.get("id")]

    @staticmethod
    def initial_from(choices: list[Choice]) -> list[dict]:
        return [
            {
                "id": choice.pk,
                "label": choice.label,
                "help_text": choice.help_text,
                "next": choice.next_id,
                **initial_codes(choice),
            }
            for choice in choices
        ]


AnswerFormSet = forms.formset_factory(
    AnswerForm,
    formset=BaseAnswerFormSet,
    extra=2,
    can_order=True,
    can_delete=True,
    max_num=30,
    validate_max=True,
)


class ResultForm(ContactsForm):
    title = forms.CharField(label=gettext_lazy("Titre du résultat"), max_length=300)
    advice = forms.CharField(
        label=gettext_lazy("Conseils"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("Un conseil par ligne."),
    )
    next_steps = forms.CharField(
        label=gettext_lazy("Et ensuite ?"),
        required=False,
        widget=TEXTAREA,
        help_text=gettext_lazy("Ce qui va se passer : qui rappelle, quelles démarches."),
    )
    professional_notes = forms.CharField(
        label=gettext_lazy("Repères pour les professionnels"),
        required=False,
        widget=TEXTAREA,
        help_text=gettext_lazy("Montrés aux professionnels connectés seulement."),
    )

    def __init__(self, *args, codes: CodeChoices, questions: list[Node], **kwargs) -> None:
        super().__init__(*args, codes=codes, **kwargs)
        self.fields["next"] = NodeField(
            nodes=questions,
            label=_("Continuer ensuite vers"),
            required=False,
            help_text=_(
                "Après une urgence, le parcours peut continuer vers une question. Vide : le "
                "parcours s'arrête sur ce résultat."
            ),
        )
        self.order_fields(["title", "advice", "next_steps", "professional_notes", "next"])

    @staticmethod
    def initial_from(node: Node | None) -> dict:
        if node is None:
            return {}
        return {
            "title": node.title,
            "advice": node.advice,
            "next_steps": node.next_steps,
            "professional_notes": node.professional_notes,
            "next": node.next_id,
            **initial_codes(node),
        }

    def result_data(self) -> ResultData:
        data = self.cleaned_data
        return ResultData(
            title=data["title"].strip(),
            advice=data["advice"].strip(),
            next_steps=data["next_steps"].strip(),
            professional_notes=data["professional_notes"].strip(),
            next_id=data["next"],
            codes=data["codes"],
        )


class StartForm(forms.Form):
    def __init__(self, *args, questions: list[Node], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["start"] = NodeField(nodes=questions, label=_("Première question"))
