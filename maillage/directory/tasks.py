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


@task
def geocode_place_task(*, place_id: int) -> str:
    """Position of a place whose address changed (the edit is saved already)."""
    from .geocoding import geocode_place

    return geocode_place(place_id)
