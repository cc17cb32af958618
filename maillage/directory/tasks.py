"""Background work of the directory, run by `maillage db_worker`."""

from django.tasks import task

from .freshness import send_freshness_reminders


@task
def send_freshness_reminders_task(*, base_url: str = "") -> int:
    """The daily reminders, for a scheduler that enqueues tasks rather than running commands."""
    return send_freshness_reminders(base_url=base_url)


@task
def run_import(*, job_id: int) -> None:
    from .imports import run_job
    from .models import ImportJob

    run_job(ImportJob.objects.select_related("territory").get(pk=job_id))
