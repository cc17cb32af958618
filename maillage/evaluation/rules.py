"""Who may do what with the evaluation (django-rules, loaded by AutodiscoverRulesConfig).

- The coordination of a territory (and the administrators) see the dashboard and the review
  of its contracts (obj: a contract), define indicators and enter any value.
- The referent of an indicator's responsible organisation sees that indicator and enters its
  values (obj: an indicator).
"""

import rules

from maillage.core.rules import is_administrator, is_coordinator_of, is_referent_of

manages_evaluation = is_administrator | is_coordinator_of


@rules.predicate
def is_referent_of_responsible(user, indicator) -> bool:
    return indicator is not None and is_referent_of(user, indicator.responsible)


# obj: a contract
rules.add_perm("evaluation.view_contract", manages_evaluation)
# obj: an indicator
rules.add_perm("evaluation.view_indicator", manages_evaluation | is_referent_of_responsible)
rules.add_perm("evaluation.enter_value", manages_evaluation | is_referent_of_responsible)
rules.add_perm("evaluation.change_indicator", manages_evaluation)
