from django.conf import settings

from .models import Territory


def current_territory() -> Territory | None:
    """The territory this instance shows on its public pages (DEFAULT_TERRITORY, else the first)."""
    territories = Territory.objects.all()
    if settings.DEFAULT_TERRITORY:
        territories = territories.filter(slug=settings.DEFAULT_TERRITORY)
    return territories.order_by("pk").first()
