"""Celery task of the jobs: a thin wrapper around ``job_execute`` (used with a broker only)."""

from __future__ import annotations

from meetlat.celery import app
from meetlat.jobs.services import job_execute


@app.task  # type: ignore[untyped-decorator]
def job_execute_task(job_id: int) -> str:
    return str(job_execute(job_id=job_id).status)
