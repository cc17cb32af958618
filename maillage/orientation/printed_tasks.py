"""Background work of the printed guide, run by `maillage db_worker` (at once in the tests)."""

from django.tasks import task
from django.utils import translation

from maillage.core.models import Territory


@task
def build_guide_task(*, territory_id: int, commune: str = "", language: str = "fr") -> str:
    """Build a guide's current file (nothing to do when it is stored already).

    Returns the stored file's name, or "" when the territory or the commune has gone since.
    """
    from .printed import GuideScope, build_guide

    territory = Territory.objects.filter(pk=territory_id).first()
    if territory is None:
        return ""
    scope = GuideScope(territory)
    if commune:
        found = territory.communes.filter(pk=commune).first()
        if found is None:
            return ""
        scope = GuideScope(territory, found)
    with translation.override(language):
        return build_guide(scope)
