"""Who may do what with awareness events and reuse declarations (django-rules; imported by
rules.py so that AutodiscoverRulesConfig loads it).

- The coordination of a territory (and administrators) manages every event and every reuse
  declaration of its territory (obj: a territory, an event or a declaration).
- A referent creates and manages the events organised by their organisation, and declares the
  reuses of their organisation (obj: the organisation, an event or a declaration); their events
  and their changes to events of the agenda reach the public once the coordination of the
  territory accepted them (events.py).
- Only the coordination of the event's territory (and administrators) reviews: accepts or
  refuses a partner's event or change (obj: an event).
"""

import rules

from maillage.core.models import Role
from maillage.core.rules import is_administrator, is_coordinator_of, is_referent_of


@rules.predicate
def is_referent_of_organiser(user, event) -> bool:
    return event is not None and is_referent_of(user, event.organiser)


@rules.predicate
def is_referent_of_declaring_organisation(user, reuse) -> bool:
    return reuse is not None and is_referent_of(user, reuse.organisation)


@rules.predicate
def is_referent_in_territory_of_material(user, material) -> bool:
    """A referent of an organisation of the material's territory (the library's link)."""
    if not user.is_authenticated or material is None:
        return False
    return user.roles.filter(
        kind=Role.Kind.REFERENT, organisation__territory_id=material.campaign.territory_id
    ).exists()


manages_territory = is_administrator | is_coordinator_of

# obj: the organisation that will organise the event / declare the reuse.
rules.add_perm("prevention.add_event", manages_territory | is_referent_of)
rules.add_perm("prevention.change_event", manages_territory | is_referent_of_organiser)
rules.add_perm("prevention.review_event", manages_territory)
rules.add_perm("prevention.declare_reuse", manages_territory | is_referent_of)
# obj: a material of the library (shows the link « Déclarer une réutilisation »).
rules.add_perm("prevention.reuse_material", is_referent_in_territory_of_material)
rules.add_perm("prevention.delete_reuse", manages_territory | is_referent_of_declaring_organisation)
