"""Positions of places from the Base Adresse Nationale (api-adresse.data.gouv.fr).

Called from the server only, never from a visitor's browser, with the place's address alone
(street, postal code, commune's INSEE code): nothing about the person editing or visiting. A
confidential address (a shelter) is never sent. When the service is down or answers badly the
place stays saved without coordinates; a task enqueued after the edit, then the periodic command
`maillage geocode-pending`, try again.

Settings: GEOCODER_URL (from the environment; empty: geocoding off), GEOCODER_TIMEOUT (5 s),
GEOCODER_MIN_SCORE (0.5: below, the answer is taken as not found).
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.db import transaction

from .models import Place

logger = logging.getLogger(__name__)


class GeocodingError(Exception):
    """The service could not be reached or gave an answer we cannot use."""


@dataclass(frozen=True)
class Position:
    latitude: float
    longitude: float
    score: float


def geocoder_url() -> str:
    return settings.GEOCODER_URL


def is_enabled() -> bool:
    return bool(geocoder_url())


def needs_position(place: Place) -> bool:
    return (
        not place.hide_address
        and bool(place.address.strip())
        and (place.latitude is None or place.longitude is None)
    )


def query_of(place: Place) -> dict[str, str]:
    """Only the address: street line, postal code, commune (INSEE code), one result."""
    query = {"q": place.address.strip(), "limit": "1", "citycode": str(place.commune_id)}
    if place.postal_code:
        query["postcode"] = place.postal_code
    return query


def locate(place: Place) -> Position | None:
    """The position of the place's address, None when the service finds nothing good enough.
    Raises GeocodingError when the service is down or its answer is unusable."""
    url = geocoder_url()
    if urlsplit(url).scheme not in ("http", "https"):
        raise GeocodingError(f"GEOCODER_URL must be an http(s) URL, not {url!r}")
    request = urllib.request.Request(  # noqa: S310 (http(s) checked above)
        f"{url}?{urlencode(query_of(place))}",
        headers={"Accept": "application/json", "User-Agent": "Maillage"},
    )
    timeout = float(getattr(settings, "GEOCODER_TIMEOUT", 5))
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310  # nosec B310
            body = response.read(1_000_000)
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise GeocodingError(f"geocoder unreachable: {error}") from error
    try:
        features = json.loads(body)["features"]
        if not features:
            return None
        feature = features[0]
        longitude, latitude = (float(v) for v in feature["geometry"]["coordinates"][:2])
        score = float(feature.get("properties", {}).get("score", 0))
    except (ValueError, KeyError, TypeError, IndexError) as error:
        raise GeocodingError(f"unusable geocoder answer: {error}") from error
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise GeocodingError("geocoder answer out of range")
    if score < float(getattr(settings, "GEOCODER_MIN_SCORE", 0.5)):
        return None
    return Position(latitude=latitude, longitude=longitude, score=score)


def geocode_place(place_id: int) -> str:
    """Give the place its position when it still needs one. Returns what happened: "located",
    "not-found", "failed" (service down or bad answer: the place is left as it is), "skipped"."""
    place = Place.objects.filter(pk=place_id).select_related("commune").first()
    if place is None or not is_enabled() or not needs_position(place):
        return "skipped"
    try:
        position = locate(place)
    except GeocodingError as error:
        logger.warning("Geocoding of place %s failed: %s", place_id, error)
        return "failed"
    if position is None:
        return "not-found"
    with transaction.atomic():
        # The address may have changed while the service answered: only the one we sent counts.
        current = Place.objects.select_for_update().filter(pk=place_id).first()
        if current is None or not needs_position(current) or current.address != place.address:
            return "skipped"
        if current.commune_id != place.commune_id or current.postal_code != place.postal_code:
            return "skipped"
        current.latitude, current.longitude = position.latitude, position.longitude
        current.save(update_fields=["latitude", "longitude"])
    return "located"


def geocode_later(place: Place) -> None:
    """After the edit is committed, enqueue the place's geocoding (nothing when not needed)."""
    if is_enabled() and needs_position(place):
        from .tasks import geocode_place_task

        place_id = place.pk
        transaction.on_commit(lambda: geocode_place_task.enqueue(place_id=place_id))


def pending_places():
    """Places with an address to show and no position yet."""
    return (
        Place.objects.filter(hide_address=False)
        .exclude(address="")
        .filter(latitude__isnull=True)
        .order_by("pk")
    )


def geocode_pending(limit: int | None = None) -> dict[str, int]:
    counts: dict[str, int] = {}
    ids = list(pending_places().values_list("pk", flat=True)[:limit])
    for place_id in ids:
        outcome = geocode_place(place_id)
        counts[outcome] = counts.get(outcome, 0) + 1
        if outcome == "failed" and counts["failed"] >= 3 and not counts.get("located"):
            break  # the service is down: stop here, the next run tries again
    return counts
