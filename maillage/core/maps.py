"""The optional map shared by public pages (directory search, labelled venues): tiles come
from the configured tile server, and only once the visitor asks for the map."""

from urllib.parse import urlsplit

from django.conf import settings


def map_csp() -> dict:
    """A page with a map may show tiles from the configured tile server, once asked."""
    tiles = urlsplit(settings.MAP_TILE_URL.replace("{s}", "a"))
    return {
        **settings.SECURE_CSP,
        "img-src": ["'self'", "data:", f"{tiles.scheme}://{tiles.netloc}"],
    }


def map_context(points: list[dict]) -> dict:
    """Template context for components/map.html: the markers and the tile server."""
    return {
        "map_points": points,
        "map_tiles": settings.MAP_TILE_URL,
        "map_attribution": settings.MAP_ATTRIBUTION,
    }
