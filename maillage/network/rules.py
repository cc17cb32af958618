"""Who may do what in the network (django-rules, loaded by AutodiscoverRulesConfig).

Objects: a contract, an action sheet, a milestone, an attachment, a working group, a meeting or
a decision — each answers `territory_id`.

- Anyone with a role in the territory reads its action plan and meetings (else 404).
- The coordination of the territory (and the administrators) manage them (else 403).
- The referents of a sheet's pilot organisation update that sheet's status, progress,
  follow-up notes, milestones and attachments; the referents of a decision's owner mark it
  done.
"""

import rules

from maillage.core.rules import (
    is_administrator,
    is_coordinator_of,
    is_referent_of,
    works_in_territory_of,
)

from . import survey_rules  # noqa: F401


@rules.predicate
def is_pilot_referent(user, obj) -> bool:
    """The user is referent of the pilot organisation of the sheet (of a milestone, note or
    attachment: of its sheet)."""
    if obj is None:
        return False
    sheet = getattr(obj, "sheet", obj)
    return is_referent_of(user, getattr(sheet, "pilot", None))


@rules.predicate
def is_owner_referent(user, decision) -> bool:
    return decision is not None and is_referent_of(user, getattr(decision, "owner", None))


manages_network = is_administrator | is_coordinator_of

rules.add_perm("network.view", is_administrator | works_in_territory_of)
rules.add_perm("network.manage", manages_network)
rules.add_perm("network.update_sheet", manages_network | is_pilot_referent)
rules.add_perm("network.update_decision", manages_network | is_owner_referent)
