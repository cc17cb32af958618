"""Workflows of the decision tree: versions (copy, validate, publish), the default tree of a
territory, and the anonymous monthly counts.

A coordinator's editor sits on these functions: start a draft (a copy of the published
version), edit the draft's nodes, `check_version`, `publish`. A published or archived version
is never changed (VersionLocked).
"""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.core.models import Territory

from .default_tree import NODES, START
from .models import Choice, Node, OrientationSettings, ResultCount, TreeVersion
from .tree import check, load_tree

CODE_FIELDS = ("numbers", "violence", "help", "public", "flags")
NODE_FIELDS = ("key", "kind", "title", "help_text", "professional_notes", "advice", "next_steps")
CHOICE_FIELDS = ("key", "label", "help_text", "facts")


class VersionLocked(Exception):
    """Only a draft may change; a published or archived version stays as it was shown."""

    def __init__(self, version: TreeVersion) -> None:
        super().__init__(
            _("La version %(number)s n'est pas un brouillon : elle ne peut plus changer.")
            % {"number": version.number}
        )


class DraftExists(Exception):
    def __init__(self, draft: TreeVersion) -> None:
        self.draft = draft
        super().__init__(
            _("La version %(number)s est déjà en brouillon : modifiez-la ou supprimez-la.")
            % {"number": draft.number}
        )


def ensure_editable(version: TreeVersion) -> None:
    """Every change of a version's nodes goes through here first."""
    if not version.is_editable:
        raise VersionLocked(version)


def published_version(territory: Territory | None) -> TreeVersion | None:
    if territory is None:
        return None
    return TreeVersion.objects.filter(
        territory=territory, status=TreeVersion.Status.PUBLISHED
    ).first()


def draft_version(territory: Territory) -> TreeVersion | None:
    return TreeVersion.objects.filter(territory=territory, status=TreeVersion.Status.DRAFT).first()


def next_number(territory: Territory) -> int:
    found = TreeVersion.objects.filter(territory=territory).aggregate(Max("number"))
    return (found["number__max"] or 0) + 1


@transaction.atomic
def copy_version(version: TreeVersion, *, by=None) -> TreeVersion:
    """A new draft holding the same nodes and answers as `version` (keys are kept)."""
    territory = Territory.objects.select_for_update().get(pk=version.territory_id)
    draft = draft_version(territory)
    if draft is not None:
        raise DraftExists(draft)
    copy = TreeVersion.objects.create(
        territory=territory,
        number=next_number(territory),
        copied_from=version,
        created_by=by,
    )
    old_nodes = list(version.nodes.all())
    new_nodes = {
        node.pk: Node.objects.create(
            version=copy,
            position=node.position,
            **{f: getattr(node, f) for f in NODE_FIELDS + CODE_FIELDS},
        )
        for node in old_nodes
    }
    for node in old_nodes:
        if node.next_id:
            new_nodes[node.pk].next = new_nodes.get(node.next_id)
            new_nodes[node.pk].save(update_fields=["next"])
    Choice.objects.bulk_create(
        Choice(
            node=new_nodes[choice.node_id],
            next=new_nodes.get(choice.next_id) if choice.next_id else None,
            position=choice.position,
            **{f: getattr(choice, f) for f in CHOICE_FIELDS + CODE_FIELDS},
        )
        for choice in Choice.objects.filter(node__version=version)
    )
    copy.start = new_nodes.get(version.start_id) if version.start_id else None
    copy.save(update_fields=["start"])
    return copy


def start_draft(territory: Territory, *, by=None) -> TreeVersion:
    """The territory's draft: the one being prepared, else a copy of the published version."""
    draft = draft_version(territory)
    if draft is not None:
        return draft
    published = published_version(territory)
    if published is None:
        return create_default_tree(territory, by=by, as_draft=True)
    return copy_version(published, by=by)


def check_version(version: TreeVersion) -> None:
    """Raise tree.InvalidTree, naming each faulty node, when the version cannot be published."""
    check(load_tree(version))


@transaction.atomic
def publish(version: TreeVersion, *, by=None) -> TreeVersion:
    """Make a valid draft what visitors walk; the previously published version is archived."""
    territory = Territory.objects.select_for_update().get(pk=version.territory_id)
    version = TreeVersion.objects.get(pk=version.pk)  # the status as it is now, under the lock
    ensure_editable(version)
    check_version(version)
    TreeVersion.objects.filter(territory=territory, status=TreeVersion.Status.PUBLISHED).update(
        status=TreeVersion.Status.ARCHIVED
    )
    version.status = TreeVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = by
    version.save(update_fields=["status", "published_at", "published_by"])
    return version


@transaction.atomic
def create_default_tree(
    territory: Territory, *, by=None, as_draft: bool = False, nodes: list[dict] | None = None
) -> TreeVersion:
    """The default tree (default_tree.py) as a new version of the territory: published unless
    asked for a draft or the territory already has a published version (then a draft)."""
    territory = Territory.objects.select_for_update().get(pk=territory.pk)
    draft = draft_version(territory)
    if draft is not None:
        raise DraftExists(draft)
    version = TreeVersion.objects.create(
        territory=territory,
        number=next_number(territory),
        created_by=by,
        note=_("Questionnaire par défaut (parcours d'orientation national)."),
    )
    build_nodes(version, nodes if nodes is not None else NODES, start=START)
    if not as_draft and published_version(territory) is None:
        return publish(version, by=by)
    return version


def build_nodes(version: TreeVersion, rows: list[dict], *, start: str) -> dict[str, Node]:
    """Create a version's nodes and answers from plain data (default_tree.NODES' shape)."""
    ensure_editable(version)
    nodes: dict[str, Node] = {}
    for position, row in enumerate(rows):
        nodes[row["key"]] = Node.objects.create(
            version=version,
            position=position,
            key=row["key"],
            kind=row["kind"],
            title=row["title"],
            help_text=row.get("help_text", ""),
            professional_notes=row.get("professional_notes", ""),
            advice=row.get("advice", ""),
            next_steps=row.get("next_steps", ""),
            **{f: list(row.get(f, [])) for f in CODE_FIELDS},
        )
    for row in rows:
        if row.get("next"):
            nodes[row["key"]].next = nodes[row["next"]]
            nodes[row["key"]].save(update_fields=["next"])
        for position, choice in enumerate(row.get("choices", [])):
            Choice.objects.create(
                node=nodes[row["key"]],
                position=position,
                key=choice["key"],
                label=choice["label"],
                help_text=choice.get("help_text", ""),
                facts=dict(choice.get("facts", {})),
                next=nodes[choice["next"]] if choice.get("next") else None,
                **{f: list(choice.get(f, [])) for f in CODE_FIELDS},
            )
    version.start = nodes.get(start)
    version.save(update_fields=["start"])
    return nodes


# -- anonymous counts --------------------------------------------------------------------------


def counts_enabled(territory: Territory) -> bool:
    """Read only: no settings row is created for a territory that never turned counting on."""
    return bool(
        OrientationSettings.objects.filter(territory=territory)
        .values_list("counts_enabled", flat=True)
        .first()
    )


def record_result_shown(node: Node, *, territory: Territory, on: date | None = None) -> bool:
    """One more display of this result this month, if the territory counts; nothing else is
    kept (no answer, no commune, no day or hour). Returns whether it counted."""
    if node.kind != Node.Kind.RESULT or not counts_enabled(territory):
        return False
    month = (on or timezone.localdate()).replace(day=1)
    rows = ResultCount.objects.filter(node=node, month=month)
    if rows.update(count=F("count") + 1):
        return True
    try:
        with transaction.atomic():
            ResultCount.objects.create(node=node, month=month, count=1)
    except IntegrityError:  # another request created the row in between
        rows.update(count=F("count") + 1)
    return True
