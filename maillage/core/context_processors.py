from django.conf import settings
from django.http import HttpRequest

from .models import EmergencyNumber
from .territories import current_territory


def shell(request: HttpRequest) -> dict:
    """What the base layout needs on every page: numbers, quick exit, theme."""
    return {
        "emergency_numbers": EmergencyNumber.objects.filter(is_active=True),
        "quick_exit_url": settings.QUICK_EXIT_URL,
        "territory": current_territory(),
        "demo_mode": settings.DEMO_MODE,
    }
