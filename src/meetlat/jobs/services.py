"""Starting and running background jobs.

``job_start`` stores the job and hands it to a runner once the transaction commits:
- with ``MEETLAT_BROKER_URL`` set, a Celery worker (``meetlat.jobs.tasks``);
- otherwise ``MEETLAT_JOBS_RUNNER``: ``thread`` (default; a background thread of the web
  process, so the page can show progress) or ``inline`` (in the request or command itself).
``job_execute`` claims a queued job once (a redelivered task does nothing), runs its handler
with a progress recorder and stores the result or the error.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import threading
from typing import Any

from django.conf import settings
from django.db import connections, transaction
from django.utils import translation
from django.utils.module_loading import import_string

from meetlat import clock
from meetlat.accounts.audit import audit_record
from meetlat.accounts.models import User
from meetlat.jobs.models import FILES_KEPT, Job, JobStatus
from meetlat.jobs.progress import Snapshot, job_folder, progress_recorder, progress_write
from meetlat.jobs.registry import KINDS, JobInputError
from meetlat.organisations.models import Organisation

logger = logging.getLogger(__name__)


def job_start(
    *,
    organisation: Organisation,
    actor: User | None,
    kind: str,
    title: str,
    params: dict[str, Any],
) -> Job:
    """Store a job and run it: inline right away (``MEETLAT_JOBS_RUNNER=inline``), else in a
    thread or on a worker once the current transaction commits. The job's messages are in
    the language that is active now. First removes the files of the organisation's jobs
    that finished more than FILES_KEPT ago."""
    if kind not in KINDS:
        raise ValueError(f"unknown job kind {kind!r}")
    job_files_prune(organisation=organisation, now=clock.now())
    job = Job.objects.create(
        organisation=organisation,
        created_by=actor,
        kind=kind,
        title=title[:200],
        params={**params, "language": translation.get_language() or settings.LANGUAGE_CODE},
        created_at=clock.now(),
    )
    progress_write(job.pk, Snapshot(0, None, ""))
    audit_record(
        actor=actor,
        action="jobs.job.started",
        target=job,
        organisation=organisation,
        data={"kind": kind, "title": job.title},
    )
    if settings.BROKER_URL == "-" and settings.JOBS_RUNNER == "inline":
        return job_execute(job_id=job.pk)
    transaction.on_commit(lambda: job_dispatch(job_id=job.pk))
    return job


def job_files_prune(*, organisation: Organisation, now: dt.datetime) -> int:
    """Remove the folders of the organisation's jobs finished before ``now - FILES_KEPT``
    and mark them expired; returns how many jobs were pruned."""
    old = Job.objects.filter(
        organisation=organisation, finished_at__lt=now - FILES_KEPT, files_expired=False
    )
    pruned = 0
    for job in old:
        shutil.rmtree(job_folder(job.pk), ignore_errors=True)
        job.files_expired = True
        job.save(update_fields=["files_expired"])
        pruned += 1
    return pruned


def job_dispatch(*, job_id: int) -> None:
    """Hand a stored job to a Celery worker, or to a background thread."""
    if settings.BROKER_URL != "-":
        from meetlat.jobs.tasks import job_execute_task  # the task module imports this one

        job_execute_task.delay(job_id)
    else:
        threading.Thread(
            target=_in_thread, args=(job_id,), name=f"meetlat-job-{job_id}", daemon=True
        ).start()


def _in_thread(job_id: int) -> None:
    try:
        job_execute(job_id=job_id)
    finally:
        connections.close_all()


def _claim(job_id: int) -> bool:
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=clock.now()
    )
    return claimed == 1


def _finish(job: Job, status: JobStatus, *, result: dict[str, Any], error: str) -> None:
    job.status, job.result, job.error, job.finished_at = status, result, error, clock.now()
    job.save(update_fields=["status", "result", "error", "finished_at"])


def job_execute(*, job_id: int) -> Job:
    """Run a queued job to the end; never raises for a failing handler (the job says it)."""
    if not _claim(job_id):
        return Job.objects.get(pk=job_id)
    job = Job.objects.select_related("organisation", "created_by").get(pk=job_id)
    handler = import_string(KINDS[job.kind].handler)
    try:
        with translation.override(job.params.get("language") or settings.LANGUAGE_CODE):
            result = handler(job=job, progress=progress_recorder(job.pk))
    except JobInputError as error:
        _finish(job, JobStatus.FAILED, result={"details": error.details}, error=str(error))
    except Exception:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        _finish(job, JobStatus.FAILED, result={"unexpected": True}, error="")
    else:
        _finish(job, JobStatus.DONE, result=result, error="")
    return job
