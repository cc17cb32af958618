"""Imports started from the back office: a job, run by the worker, with its progress."""

import dataclasses
import json

from django.db import transaction
from django.utils import timezone

from maillage.core.models import Territory

from .exchange.importer import import_services
from .models import ImportJob

MAX_UPLOAD_BYTES = 200 * 1024 * 1024


@transaction.atomic
def start_import(
    *, territory: Territory, upload, format: str, dry_run: bool, valid_rows_only: bool, by
) -> ImportJob:
    """Store the file and hand the import to the worker (after the commit)."""
    from .tasks import run_import

    job = ImportJob.objects.create(
        territory=territory,
        file=upload,
        format=format,
        dry_run=dry_run,
        valid_rows_only=valid_rows_only,
        created_by=by,
    )
    transaction.on_commit(lambda: run_import.enqueue(job_id=job.pk))
    return job


def run_job(job: ImportJob) -> ImportJob:
    """Run the import, saving the progress as it goes (the page polls it)."""
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)

    def progress(done: int, total: int | None) -> None:
        ImportJob.objects.filter(pk=job.pk).update(done=done, total=total)

    try:
        with job.file.open("rb") as handle:
            report = import_services(
                handle,
                format=job.format,
                territory=job.territory,
                dry_run=job.dry_run,
                valid_rows_only=job.valid_rows_only,
                progress=progress,
            )
    except Exception:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.FAILED, finished_at=timezone.now()
        )
        raise
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.DONE,
        # French messages may be lazy strings: stored as plain text.
        report=json.loads(json.dumps(dataclasses.asdict(report), default=str)),
        done=report.rows,
        total=report.rows,
        finished_at=timezone.now(),
    )
    job.refresh_from_db()
    return job
