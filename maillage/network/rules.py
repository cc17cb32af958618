"""Who may do what in the network (django-rules, loaded by AutodiscoverRulesConfig)."""

import rules  # noqa: F401

from . import survey_rules  # noqa: F401
