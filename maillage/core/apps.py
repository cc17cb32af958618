from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "maillage.core"
    label = "core"
    verbose_name = _("Socle")

    def ready(self) -> None:
        # The security notifications' receivers, the check of MFA_ENCRYPTION_KEYS.
        from . import mfa, notifications  # noqa: F401
