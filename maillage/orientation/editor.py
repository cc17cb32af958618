"""Editing a draft of the decision tree: its questions and their answers, its results, its
first question.

Every function here changes a draft only, in one transaction, under the territory's lock that
publish() takes too (so that a version is never edited while it is being published). Between
two saves the tree may well be incomplete: `problems` says what still prevents publishing,
each problem naming its node, and publish() refuses while there is any. A node is deleted only
when nothing leads to it any more, or when the coordinator asks to unlink what does: no answer
is ever left pointing to a node that is gone.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext as _

from maillage.core.models import Territory

from .models import Choice, Node, TreeVersion
from .services import CODE_FIELDS, ensure_editable
from .tree import Tree, TreeError, load_tree, name, validate

QUESTION_KINDS = (Node.Kind.SINGLE, Node.Kind.MULTIPLE, Node.Kind.COMMUNE)
KEY_LENGTH = 50  # of the slug taken from a title; room is left for a "-2" suffix


class EditRefused(Exception):
    """A change the editor refuses; the message says why, in French."""


class NodeInUse(EditRefused):
    """Something still leads to the node the coordinator wants to delete."""

    def __init__(self, node: Node, referrers: list[Referrer]) -> None:
        self.node = node
        self.referrers = referrers
        super().__init__(
            _(
                "L'étape %(node)s ne peut pas être supprimée : %(referrers)s y mène encore. "
                "Changez d'abord ce lien, ou supprimez l'étape en déliant ce qui y mène."
            )
            % {"node": name(node), "referrers": " ; ".join(r.text for r in referrers)}
        )


# -- what the forms hand over ------------------------------------------------------------------


@dataclass
class Codes:
    """What a result or an answer adds: national numbers (in order), directory filters, flags."""

    numbers: list[str] = field(default_factory=list)
    violence: list[str] = field(default_factory=list)
    help: list[str] = field(default_factory=list)
    public: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)

    def apply_to(self, holder: Node | Choice) -> None:
        for attribute in CODE_FIELDS:
            setattr(holder, attribute, list(getattr(self, attribute)))


@dataclass
class QuestionData:
    title: str
    kind: str
    help_text: str = ""
    professional_notes: str = ""
    next_id: int | None = None


@dataclass
class AnswerData:
    label: str
    help_text: str = ""
    next_id: int | None = None
    codes: Codes = field(default_factory=Codes)
    pk: int | None = None  # an answer the question already has


@dataclass
class ResultData:
    title: str
    advice: str = ""
    next_steps: str = ""
    professional_notes: str = ""
    next_id: int | None = None
    codes: Codes = field(default_factory=Codes)


# -- reading a draft ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """A validation error and the node it names (None: the version as a whole)."""

    error: TreeError
    node: Node | None

    @property
    def message(self) -> str:
        return self.error.message


def problems(tree: Tree) -> list[Problem]:
    """What prevents publishing the version, each problem with the node to edit."""
    by_key = {node.key: node for node in tree.nodes.values()}
    return [Problem(error, by_key.get(error.node)) for error in validate(tree)]


@dataclass(frozen=True)
class Referrer:
    """Something that leads to a node: the first question, a node's next step, an answer."""

    text: str
    node: Node | None  # the node to edit to change the link (None: the first question)


def referrers(tree: Tree, node: Node) -> list[Referrer]:
    """Everything of the version that leads to `node`, except the node itself and its answers
    (they go away with it)."""
    found: list[Referrer] = []
    if tree.version.start_id == node.pk:
        found.append(Referrer(_("la première question du questionnaire"), None))
    for other in tree.nodes.values():
        if other.pk != node.pk and other.next_id == node.pk:
            if other.is_question:
                text = _("l'étape suivante de la question %(node)s") % {"node": name(other)}
            else:
                text = _("la suite du résultat %(node)s") % {"node": name(other)}
            found.append(Referrer(text, other))
    for other in tree.nodes.values():
        if other.pk == node.pk:
            continue
        for choice in tree.choices_of(other):
            if choice.next_id == node.pk:
                text = _("la réponse « %(choice)s » de la question %(node)s") % {
                    "choice": choice.label,
                    "node": name(other),
                }
                found.append(Referrer(text, other))
    return found


# -- changing a draft --------------------------------------------------------------------------


def lock_draft(version: TreeVersion) -> TreeVersion:
    """The version as it is now, under the territory's lock; VersionLocked unless a draft.
    To be called inside a transaction."""
    Territory.objects.select_for_update().get(pk=version.territory_id)
    version = TreeVersion.objects.get(pk=version.pk)
    ensure_editable(version)
    return version


def new_key(text: str, taken: set[str]) -> str:
    """A key for a new node or answer, from its title: stable once given, unique in its set."""
    base = slugify(text)[:KEY_LENGTH].strip("-") or "etape"
    key, suffix = base, 2
    while key in taken:
        key, suffix = f"{base}-{suffix}", suffix + 1
    return key


def check_target(nodes: dict[int, Node], pk: int | None) -> None:
    if pk is not None and pk not in nodes:
        raise EditRefused(_("Cette étape suivante n'existe pas, ou plus, dans ce brouillon."))


def own_node(version: TreeVersion, node: Node | None) -> Node | None:
    """The node as it is now in the locked draft (EditRefused when it is not the draft's)."""
    if node is None:
        return None
    found = version.nodes.filter(pk=node.pk).first()
    if found is None:
        raise EditRefused(_("Cette étape n'existe pas, ou plus, dans ce brouillon."))
    return found


def next_position(version: TreeVersion) -> int:
    highest = version.nodes.aggregate(Max("position"))["position__max"]
    return 0 if highest is None else highest + 1


@transaction.atomic
def save_question(
    version: TreeVersion,
    data: QuestionData,
    *,
    answers: Sequence[AnswerData],
    deleted: Iterable[int] = (),
    node: Node | None = None,
) -> Node:
    """Create the question (node None) or change it, with its answers in their order; the
    answers listed in `deleted` are removed. Answers keep their key; new ones get one."""
    version = lock_draft(version)
    node = own_node(version, node)
    if node is not None and not node.is_question:
        raise EditRefused(_("Cette étape est un résultat, pas une question."))
    if data.kind not in QUESTION_KINDS:
        raise EditRefused(_("Choisissez le type de la question."))
    deleted = set(deleted)
    kept = set(node.choices.values_list("pk", flat=True)) - deleted if node else set()
    if data.kind == Node.Kind.COMMUNE and (answers or kept):
        raise EditRefused(
            _(
                "Une question sur la commune n'a pas de réponses à choisir : supprimez-les, ou "
                "choisissez un autre type de question."
            )
        )
    nodes = version.nodes.in_bulk()
    check_target(nodes, data.next_id)
    for answer in answers:
        check_target(nodes, answer.next_id)
    if node is None:
        taken = {found.key for found in nodes.values()}
        node = Node(
            version=version, key=new_key(data.title, taken), position=next_position(version)
        )
    node.kind = data.kind
    node.title = data.title
    node.help_text = data.help_text
    node.professional_notes = data.professional_notes
    node.next_id = data.next_id
    node.save()

    existing = {choice.pk: choice for choice in node.choices.all()}
    for pk in deleted:
        if pk in existing:
            existing.pop(pk).delete()
    taken = {choice.key for choice in existing.values()}
    for position, answer in enumerate(answers):
        if answer.pk is not None:
            choice = existing.get(answer.pk)
            if choice is None:
                raise EditRefused(_("Cette réponse n'existe pas, ou plus, pour cette question."))
        else:
            choice = Choice(node=node, key=new_key(answer.label, taken))
            taken.add(choice.key)
        choice.label = answer.label
        choice.help_text = answer.help_text
        choice.next_id = answer.next_id
        choice.position = position
        answer.codes.apply_to(choice)
        choice.save()
    return node


@transaction.atomic
def save_result(version: TreeVersion, data: ResultData, *, node: Node | None = None) -> Node:
    """Create the result (node None) or change it."""
    version = lock_draft(version)
    node = own_node(version, node)
    if node is not None and node.is_question:
        raise EditRefused(_("Cette étape est une question, pas un résultat."))
    nodes = version.nodes.in_bulk()
    check_target(nodes, data.next_id)
    if node is None:
        taken = {found.key for found in nodes.values()}
        node = Node(
            version=version,
            kind=Node.Kind.RESULT,
            key=new_key(data.title, taken),
            position=next_position(version),
        )
    node.title = data.title
    node.advice = data.advice
    node.next_steps = data.next_steps
    node.professional_notes = data.professional_notes
    node.next_id = data.next_id
    data.codes.apply_to(node)
    node.save()
    return node


@transaction.atomic
def set_start(version: TreeVersion, node_id: int) -> TreeVersion:
    """The first question of the draft."""
    version = lock_draft(version)
    start = version.nodes.filter(pk=node_id).first()
    if start is None or not start.is_question:
        raise EditRefused(_("La première étape doit être une question de ce brouillon."))
    version.start = start
    version.save(update_fields=["start"])
    return version


@transaction.atomic
def delete_node(node: Node, *, unlink: bool = False) -> list[Referrer]:
    """Delete a node of a draft, and its answers. Refused (NodeInUse, naming them) while
    something leads to it, unless `unlink`: then those links are emptied first (the problems
    list shows the answers left without a next step). Returns what was unlinked."""
    version = lock_draft(node.version)
    node = own_node(version, node)
    found = referrers(load_tree(version), node)
    if found and not unlink:
        raise NodeInUse(node, found)
    if version.start_id == node.pk:
        version.start = None
        version.save(update_fields=["start"])
    version.nodes.filter(next=node).exclude(pk=node.pk).update(next=None)
    Choice.objects.filter(next=node).exclude(node=node).update(next=None)
    node.delete()
    return found
