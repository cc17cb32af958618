"""Who may do what with the surveys of signatories (imported by rules.py).

The coordination of a territory builds, opens, closes and reads the surveys of its contracts
(obj: a survey, a contract or a territory: anything answering `territory_id`). Signatories
answer through their personal link, without an account.
"""

import rules

from maillage.core.rules import is_administrator, is_coordinator_of

rules.add_perm("network.manage_surveys", is_administrator | is_coordinator_of)
