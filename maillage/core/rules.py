"""Object-level permissions (django-rules), read by views and templates alike.

Two questions per object: can the user *see* it (else 404: its existence must not leak) and
can the user *change* it (else 403).
"""

import rules

from .models import Role, Territory


@rules.predicate
def is_administrator(user) -> bool:
    return user.is_authenticated and user.is_superuser


def _territory_of(obj) -> int | None:
    """Every object of the contract model answers `territory_id` (a territory answers its pk)."""
    if isinstance(obj, Territory):
        return obj.pk
    return obj.territory_id


@rules.predicate
def is_coordinator_of(user, obj) -> bool:
    if not user.is_authenticated or obj is None:
        return False
    return user.roles.filter(kind=Role.Kind.COORDINATOR, territory_id=_territory_of(obj)).exists()


@rules.predicate
def works_in_territory_of(user, obj) -> bool:
    """Any role in the object's territory: a partner sees the partners of its contract."""
    if not user.is_authenticated or obj is None:
        return False
    territory_id = _territory_of(obj)
    return (
        user.roles.filter(territory_id=territory_id).exists()
        or user.roles.filter(organisation__territory_id=territory_id).exists()
    )


@rules.predicate
def is_referent_of(user, organisation) -> bool:
    if not user.is_authenticated or organisation is None:
        return False
    return user.roles.filter(kind=Role.Kind.REFERENT, organisation=organisation).exists()


@rules.predicate
def is_member_of(user, organisation) -> bool:
    if not user.is_authenticated or organisation is None:
        return False
    return user.roles.filter(organisation=organisation).exists()


@rules.predicate
def has_any_role(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.roles.exists())


manages_territory = is_administrator | is_coordinator_of

rules.add_perm("core.access_workspace", has_any_role)
rules.add_perm("core.view_contract", is_administrator | works_in_territory_of)
rules.add_perm("core.change_contract", manages_territory)
rules.add_perm("core.view_organisation", is_administrator | works_in_territory_of)
rules.add_perm("core.change_organisation", manages_territory | is_referent_of)
rules.add_perm("core.add_organisation", manages_territory)
rules.add_perm("core.view_members", manages_territory | is_member_of)
rules.add_perm("core.change_members", manages_territory | is_referent_of)

# Directory: a service (or a change request) answers for its organisation; views pass the
# service, or the organisation for a new one.


def _owner(obj):
    return getattr(obj, "organisation", obj)


@rules.predicate
def coordinates_owner_of(user, obj) -> bool:
    return obj is not None and is_coordinator_of(user, _owner(obj))


@rules.predicate
def is_referent_of_owner_of(user, obj) -> bool:
    return obj is not None and is_referent_of(user, _owner(obj))


@rules.predicate
def works_in_territory_of_owner_of(user, obj) -> bool:
    return obj is not None and works_in_territory_of(user, _owner(obj))


rules.add_perm("directory.view_service", is_administrator | works_in_territory_of_owner_of)
rules.add_perm(
    "directory.change_service",
    is_administrator | coordinates_owner_of | is_referent_of_owner_of,
)
# Approve partners' changes, read error reports and statistics (obj: a territory or an object
# of it): the coordination of the territory.
rules.add_perm("directory.moderate", is_administrator | coordinates_owner_of)

# Joining an organisation: the coordination of its territory decides (obj: the request).
rules.add_perm("core.decide_membership", manages_territory)
