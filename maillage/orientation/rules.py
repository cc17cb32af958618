"""Who manages a territory's decision tree: its coordination (and the administrators)."""

import rules

from maillage.core.rules import manages_territory

# obj: a territory or a version of its tree.
rules.add_perm("orientation.manage_tree", manages_territory)
