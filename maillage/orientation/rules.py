"""Who manages a territory's decision tree: its coordination (and the administrators)."""

import rules

from maillage.core.rules import manages_territory


@rules.predicate
def is_draft(user, obj) -> bool:
    """A version (or a node of one) that is still a draft: published ones never change."""
    version = getattr(obj, "version", obj)
    return bool(getattr(version, "is_editable", False))


# obj: a territory, a version of its tree or a node of a version.
rules.add_perm("orientation.manage_tree", manages_territory)
# obj: a version or a node; refused (403) when the version is published or archived.
rules.add_perm("orientation.edit_tree", manages_territory & is_draft)
