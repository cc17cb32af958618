"""Template tags of the network app, for pages of other apps (the workspace home)."""

from django import template

from ..services import overdue_decisions

register = template.Library()


@register.simple_tag
def overdue_decisions_of(user) -> list:
    """The overdue decisions that concern the user (see services.overdue_decisions)."""
    return list(overdue_decisions(user))
