"""The network of the contract's partners: the action plan (plan.py), projects, working groups
and meetings (meetings.py), and the surveys of signatories (surveys.py)."""

from .meetings import *  # noqa: F403
from .plan import *  # noqa: F403
from .surveys import *  # noqa: F403
