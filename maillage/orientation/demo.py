"""The Angers demo's orientation guide: the default tree (domain.md §5.2), published.

Idempotent: a territory that already has a published tree keeps it.
"""

from maillage.core.models import Territory

from .services import create_default_tree, published_version


def load_demo_data() -> list:
    territory = Territory.objects.get(slug="angers-loire-metropole")
    if published_version(territory) is None:
        create_default_tree(territory)
    return []
