"""A version of the decision tree in memory: validation and the visitor's walk.

`load_tree(version)` reads a version in three queries. `validate(tree)` lists what is wrong
with it, each error naming its node; `check(tree)` raises InvalidTree with those messages.
`walk(tree, answers)` follows the answers from the first question and says which screen comes
next; `advance` and `back` are the guide's "Continuer" and "Retour".

Edges: a single-choice question leads through each answer; a multiple-choice question through
its default next node, unless the first ticked answer (in the question's order) that leads
somewhere says otherwise; a commune question through its next node; a result either ends the
walk (a final result) or continues to a question ("after the emergency, continue").

The answers are the visitor's: they arrive in the POST body, are read here and are never
written anywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from maillage.core.models import Commune
from maillage.directory.forms import find_commune
from maillage.directory.models import Term

from .models import FLAGS, Choice, NationalNumber, Node, TreeVersion

CONTINUE = "ok"  # the answer of a result that continues ("Continuer")
COMMUNE_MAX_LENGTH = 100


@dataclass
class Tree:
    version: TreeVersion
    nodes: dict[int, Node]
    choices: dict[int, list[Choice]]

    @property
    def start(self) -> Node | None:
        return self.nodes.get(self.version.start_id)

    def by_key(self, key: str) -> Node | None:
        return next((node for node in self.nodes.values() if node.key == key), None)

    def choices_of(self, node: Node) -> list[Choice]:
        return self.choices.get(node.pk, [])

    def target(self, pk: int | None) -> Node | None:
        return self.nodes.get(pk) if pk is not None else None

    def is_final(self, node: Node) -> bool:
        return node.kind == Node.Kind.RESULT and node.next_id is None

    def edges(self, node: Node) -> list[int | None]:
        """Where the node may lead (None: nowhere, a dead end)."""
        if node.kind == Node.Kind.SINGLE:
            return [choice.next_id for choice in self.choices_of(node)]
        if node.kind == Node.Kind.MULTIPLE:
            return [c.next_id for c in self.choices_of(node) if c.next_id] + [node.next_id]
        if node.kind == Node.Kind.COMMUNE:
            return [node.next_id]
        return [node.next_id] if node.next_id else []


def load_tree(version: TreeVersion) -> Tree:
    nodes = {node.pk: node for node in version.nodes.order_by("position", "pk")}
    choices: dict[int, list[Choice]] = {}
    for choice in Choice.objects.filter(node__version=version).order_by("position", "pk"):
        choices.setdefault(choice.node_id, []).append(choice)
    return Tree(version=version, nodes=nodes, choices=choices)


# -- validation --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TreeError:
    node: str  # the faulty node's key ("" for the whole version)
    code: str  # no_start, unreachable, cycle, dead_end, no_contact, unknown_code, foreign_link
    message: str


class InvalidTree(ValidationError):
    """The tree cannot be published; `errors` says why, node by node."""

    def __init__(self, errors: list[TreeError]) -> None:
        self.errors = errors
        super().__init__([error.message for error in errors], code="invalid_tree")


def name(node: Node) -> str:
    return _("« %(title)s » (%(key)s)") % {"title": node.title, "key": node.key}


def fact_errors(node: Node, choice: Choice) -> list[TreeError]:
    """An answer's facts must be keys and values of a situation (situation.py)."""
    from .situation import SituationError, parse_situation

    facts = choice.facts or {}
    if not isinstance(facts, dict):
        facts = {"?": facts}
    if "professional_kind" in facts and "asker" not in facts:
        facts = {**facts, "asker": "professional"}
    try:
        parse_situation(facts)
    except SituationError as error:
        return [
            TreeError(
                node.key,
                "facts",
                _("La réponse « %(choice)s » de %(node)s : %(problems)s")
                % {
                    "choice": choice.label,
                    "node": name(node),
                    "problems": " ".join(error.messages),
                },
            )
        ]
    return []


def validate(tree: Tree) -> list[TreeError]:
    """Everything that would make the guide fail a visitor, each error naming its node."""
    start = tree.start
    if start is None:
        return [
            TreeError(
                "",
                "no_start",
                _("Le questionnaire n'a pas de première question : choisissez-la."),
            )
        ]
    errors: list[TreeError] = []
    known = known_codes()
    for node in tree.nodes.values():
        errors += structure_errors(tree, node)
        errors += code_errors(node, node, known)
        for choice in tree.choices_of(node):
            errors += code_errors(node, choice, known)
            errors += fact_errors(node, choice)
        if node.kind == Node.Kind.RESULT and not has_contact(node, known["numbers"]):
            errors.append(
                TreeError(
                    node.key,
                    "no_contact",
                    _(
                        "Le résultat %(node)s ne donne aucun contact : ajoutez-lui un numéro "
                        "national ou un filtre de l'annuaire (type d'aide, de violence ou public)."
                    )
                    % {"node": name(node)},
                )
            )
    reachable = reachable_from(tree, start)
    for node in tree.nodes.values():
        if node.pk not in reachable:
            errors.append(
                TreeError(
                    node.key,
                    "unreachable",
                    _(
                        "L'étape %(node)s ne peut pas être atteinte depuis la première question "
                        ": reliez-la au parcours ou supprimez-la."
                    )
                    % {"node": name(node)},
                )
            )
    cycle = find_cycle(tree, start)
    if cycle:
        loop = " → ".join(node.key for node in cycle)
        errors.append(
            TreeError(
                cycle[0].key,
                "cycle",
                _(
                    "L'étape %(node)s ramène à elle-même : le parcours tournerait en rond "
                    "(%(loop)s)."
                )
                % {"node": name(cycle[0]), "loop": loop},
            )
        )
    return errors


def check(tree: Tree) -> None:
    """Raise InvalidTree when the tree cannot be published."""
    errors = validate(tree)
    if errors:
        raise InvalidTree(errors)


def structure_errors(tree: Tree, node: Node) -> list[TreeError]:
    errors = []

    def dead_end(message: str) -> None:
        errors.append(TreeError(node.key, "dead_end", message))

    if node.kind in (Node.Kind.SINGLE, Node.Kind.MULTIPLE) and not tree.choices_of(node):
        dead_end(
            _("La question %(node)s n'a aucune réponse : le parcours s'arrête là sans résultat.")
            % {"node": name(node)}
        )
    if node.kind == Node.Kind.SINGLE:
        for choice in tree.choices_of(node):
            if choice.next_id is None:
                dead_end(
                    _(
                        "La réponse « %(choice)s » de la question %(node)s ne mène nulle part "
                        ": le parcours s'arrête là sans résultat."
                    )
                    % {"choice": choice.label, "node": name(node)}
                )
    elif node.kind in (Node.Kind.MULTIPLE, Node.Kind.COMMUNE) and node.next_id is None:
        dead_end(
            _(
                "La question %(node)s n'a pas d'étape suivante : le parcours s'arrête là sans "
                "résultat."
            )
            % {"node": name(node)}
        )
    for pk in tree.edges(node):
        if pk is not None and pk not in tree.nodes:
            errors.append(
                TreeError(
                    node.key,
                    "foreign_link",
                    _("L'étape %(node)s mène à une étape d'une autre version.")
                    % {"node": name(node)},
                )
            )
    return errors


def known_codes() -> dict[str, set[str]]:
    """The codes a tree may cite: active national numbers and the directory's taxonomy."""
    terms: dict[str, set[str]] = {"violence": set(), "help": set(), "public": set()}
    for vocabulary, code in Term.objects.filter(
        vocabulary__in=list(terms), is_active=True
    ).values_list("vocabulary", "code"):
        terms[vocabulary].add(code)
    numbers = set(NationalNumber.objects.filter(is_active=True).values_list("code", flat=True))
    return {**terms, "numbers": numbers, "flags": set(FLAGS)}


def code_errors(node: Node, holder: Node | Choice, known: dict[str, set[str]]) -> list[TreeError]:
    errors = []
    for attribute in ("numbers", "violence", "help", "public", "flags"):
        values = getattr(holder, attribute)
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            unknown = [str(values)]
        else:
            unknown = [value for value in values if value not in known[attribute]]
        for value in unknown:
            where = (
                name(node)
                if holder is node
                else _("la réponse « %(choice)s » de %(node)s")
                % {"choice": holder.label, "node": name(node)}
            )
            errors.append(
                TreeError(
                    node.key,
                    "unknown_code",
                    _("Code inconnu ou désactivé « %(code)s » (%(field)s) dans %(where)s.")
                    % {"code": value, "field": holder._meta.get_field(attribute).verbose_name,
                       "where": where},
                )
            )  # fmt: skip
    return errors


def has_contact(node: Node, numbers: set[str]) -> bool:
    return any(code in numbers for code in node.numbers) or node.has_directory_filter


def reachable_from(tree: Tree, start: Node) -> set[int]:
    seen = {start.pk}
    pending = [start]
    while pending:
        node = pending.pop()
        for pk in tree.edges(node):
            if pk in tree.nodes and pk not in seen:
                seen.add(pk)
                pending.append(tree.nodes[pk])
    return seen


def find_cycle(tree: Tree, start: Node) -> list[Node]:
    """The first loop met from the start (depth first), as [a, b, …, a]; [] when none."""
    done: set[int] = set()
    path: list[int] = []
    on_path: set[int] = set()

    def visit(pk: int) -> list[Node]:
        path.append(pk)
        on_path.add(pk)
        for target in tree.edges(tree.nodes[pk]):
            if target not in tree.nodes or target in done:
                continue
            if target in on_path:
                loop = [*path[path.index(target) :], target]
                return [tree.nodes[p] for p in loop]
            found = visit(target)
            if found:
                return found
        path.pop()
        on_path.discard(pk)
        done.add(pk)
        return []

    return visit(start.pk)


# -- the visitor's walk ------------------------------------------------------------------------


class AnswerError(ValueError):
    """The answer to a question cannot be read (nothing chosen, unknown commune…)."""


@dataclass
class Step:
    """An answered screen: the node, the raw answer, the answers chosen, the commune."""

    node: Node
    answer: list[str]
    chosen: list[Choice] = field(default_factory=list)
    commune: Commune | None = None


@dataclass
class Walk:
    tree: Tree
    steps: list[Step]
    current: Node | None  # None: an invalid draft leads nowhere (preview only)
    error: str = ""
    prefill: list[str] = field(default_factory=list)

    @property
    def answers(self) -> dict[str, list[str]]:
        """The answers on the path, to carry to the next screen (hidden fields)."""
        return {step.node.key: step.answer for step in self.steps}

    @property
    def commune(self) -> Commune | None:
        return next((s.commune for s in reversed(self.steps) if s.commune is not None), None)

    @property
    def is_result(self) -> bool:
        return self.current is not None and self.current.kind == Node.Kind.RESULT

    @property
    def is_final(self) -> bool:
        return self.current is not None and self.tree.is_final(self.current)

    @property
    def choices(self) -> list[Choice]:
        return self.tree.choices_of(self.current) if self.current is not None else []

    @property
    def position(self) -> int:
        return len(self.steps) + 1

    def chosen(self) -> list[Choice]:
        return [choice for step in self.steps for choice in step.chosen]

    def number_codes(self) -> list[str]:
        """The current result's numbers first, then the answers' along the path, then those
        of the results passed on the way (17 after an emergency), each once."""
        codes: list[str] = []
        sources: list[Iterable[str]] = []
        if self.current is not None and self.current.kind == Node.Kind.RESULT:
            sources.append(self.current.numbers)
        sources += [choice.numbers for choice in self.chosen()]
        sources += [s.node.numbers for s in self.steps if s.node.kind == Node.Kind.RESULT]
        for source in sources:
            for code in source:
                if code not in codes:
                    codes.append(code)
        return codes

    def filters(self, attribute: str) -> list[str]:
        """Directory codes for the current result: its own and the path's answers'."""
        values: list[str] = []
        holders: list[Node | Choice] = []
        if self.current is not None:
            holders.append(self.current)
        holders += self.chosen()
        for holder in holders:
            for value in getattr(holder, attribute):
                if value not in values:
                    values.append(value)
        return values

    def needs(self) -> list[str]:
        """The types of help the visitor's answers asked for (they rank the services)."""
        return [code for choice in self.chosen() for code in choice.help]

    def facts(self) -> dict:
        """What the answers say of the situation (Choice.facts): lists add up, a later answer
        overrides an earlier value. Read for this screen, never kept."""
        facts: dict = {}
        for choice in self.chosen():
            for key, value in (choice.facts or {}).items():
                if isinstance(value, list):
                    facts[key] = list(dict.fromkeys([*facts.get(key, []), *value]))
                else:
                    facts[key] = value
        if self.commune is not None:
            facts["commune"] = self.commune.pk
        return facts

    @property
    def has_facts(self) -> bool:
        return any(choice.facts for choice in self.chosen())


def read_answer(tree: Tree, node: Node, values: list[str]) -> Step:
    """The step a node's answer makes, or AnswerError with a message for the visitor."""
    values = [value.strip() for value in values]
    if node.kind == Node.Kind.SINGLE:
        choices = {choice.key: choice for choice in tree.choices_of(node)}
        if len(values) != 1 or values[0] not in choices:
            raise AnswerError(_("Choisissez une réponse."))
        return Step(node, values, [choices[values[0]]])
    if node.kind == Node.Kind.MULTIPLE:
        values = [value for value in values if value]
        chosen = [choice for choice in tree.choices_of(node) if choice.key in values]
        if len(chosen) != len(set(values)):
            raise AnswerError(_("Choisissez parmi les réponses proposées."))
        # Nothing ticked is an answer too: [""] keeps it in the hidden fields.
        return Step(node, [choice.key for choice in chosen] or [""], chosen)
    if node.kind == Node.Kind.COMMUNE:
        text = values[0] if values else ""
        if len(values) > 1 or len(text) > COMMUNE_MAX_LENGTH:
            raise AnswerError(_("Saisissez une seule commune."))
        if not text:
            return Step(node, [""])
        commune = find_commune(text)
        if commune is None:
            raise AnswerError(
                _("Commune inconnue : saisissez son nom, son code postal ou son code INSEE.")
            )
        return Step(node, [text], commune=commune)
    if values != [CONTINUE] or tree.is_final(node):
        raise AnswerError(_("Choisissez une réponse."))
    return Step(node, values)


def next_node(tree: Tree, step: Step) -> Node | None:
    node = step.node
    if node.kind == Node.Kind.SINGLE:
        return tree.target(step.chosen[0].next_id)
    if node.kind == Node.Kind.MULTIPLE:
        leading = next((choice for choice in step.chosen if choice.next_id), None)
        return tree.target(leading.next_id if leading else node.next_id)
    return tree.target(node.next_id)


def walk(tree: Tree, answers: Mapping[str, list[str]]) -> Walk:
    """Follow the answers from the first question; the first screen without a (readable)
    answer is the current one. Answers off the path are dropped."""
    steps: list[Step] = []
    node = tree.start
    seen: set[int] = set()
    while node is not None and node.pk not in seen and not tree.is_final(node):
        seen.add(node.pk)
        if node.key not in answers:
            break
        try:
            step = read_answer(tree, node, list(answers[node.key]))
        except AnswerError:
            break
        steps.append(step)
        node = next_node(tree, step)
    return Walk(tree, steps, node)


def advance(tree: Tree, answers: Mapping[str, list[str]], step_key: str, values: list[str]) -> Walk:
    """Answer the current screen ("Continuer"). A stale screen (a second click, another tab)
    shows where the walk really is; a wrong answer shows the screen again with the error."""
    before = walk(tree, answers)
    if before.current is None or before.current.key != step_key:
        return before
    try:
        read_answer(tree, before.current, values)
    except AnswerError as error:
        before.error = str(error)
        before.prefill = values
        return before
    return walk(tree, {**before.answers, step_key: values})


def back(tree: Tree, answers: Mapping[str, list[str]]) -> Walk:
    """The previous screen ("Retour"), with its answer ready to change."""
    current = walk(tree, answers)
    if not current.steps:
        return current
    last = current.steps[-1]
    previous = walk(tree, {s.node.key: s.answer for s in current.steps[:-1]})
    previous.prefill = last.answer
    return previous
