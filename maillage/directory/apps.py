from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "maillage.directory"
    label = "directory"
    verbose_name = _("Annuaire")

    def ready(self) -> None:
        from maillage.core import readiness

        from . import index

        index.connect_signals()
        readiness.register("search index", index.is_ready)
