"""Who may do what with prevention (django-rules, loaded by AutodiscoverRulesConfig).

- The coordination of a territory manages its campaigns and materials, decides the print
  orders and reads the distribution (obj: a territory, a material or an order).
- A referent orders printed copies for their organisation (obj: the organisation).
"""

import rules

from maillage.core.rules import is_administrator, is_coordinator_of, is_referent_of

manages_prevention = is_administrator | is_coordinator_of

rules.add_perm("prevention.manage", manages_prevention)
rules.add_perm("prevention.order", manages_prevention | is_referent_of)

from . import event_rules  # noqa: E402, F401  (awareness events and reuse declarations)
