"""Background work of the directory, run by `maillage db_worker`."""

from django.tasks import task

from .freshness import send_freshness_reminders


@task
def send_freshness_reminders_task(*, base_url: str = "") -> int:
    """The daily reminders, for a scheduler that enqueues tasks rather than running commands."""
    return send_freshness_reminders(base_url=base_url)
