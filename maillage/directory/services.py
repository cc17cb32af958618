"""Directory workflows: writing a service and keeping its search text in step."""

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.utils import timezone

from .models import Service, ServicePhone, Term, Visibility
from .search import reindex


@transaction.atomic
def save_service(
    service: Service,
    *,
    terms: dict[str, Iterable[Term]] | None = None,
    by=None,
) -> Service:
    """Save a service, its taxonomy terms, and re-index it (one transaction)."""
    service.full_clean(exclude=["organisation"] if service.organisation_id else None)
    service.save()
    for relation, values in (terms or {}).items():
        getattr(service, relation).set(values)
    reindex([service])
    return service


@transaction.atomic
def mark_verified(service: Service, *, by, on: date | None = None) -> Service:
    """The referent or the coordinator confirms the service is still up to date."""
    service.last_verified_on = on or timezone.localdate()
    service.last_verified_by = by
    service.save(update_fields=["last_verified_on", "last_verified_by", "updated_at"])
    return service


def phones_for(service: Service, *, professional: bool) -> list[ServicePhone]:
    """The phone lines a visitor may read: the public ones, and all of them for a professional.

    `professional` is `sees_professional_records(user)`, computed once per request.
    """
    return [p for p in service.phones.all() if professional or p.visibility == Visibility.PUBLIC]


def email_for(service: Service, *, professional: bool) -> str:
    """The service's email if the visitor may read it, else an empty string."""
    if professional or service.email_visibility == Visibility.PUBLIC:
        return service.email
    return ""
