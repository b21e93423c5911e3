"""Background jobs for tests: a finished job of a kind, with its files on disk."""

from __future__ import annotations

from meetlat import clock
from meetlat.accounts.models import User
from meetlat.accounts.roles import Role
from meetlat.jobs.models import Job, JobStatus
from meetlat.jobs.progress import output_folder
from meetlat.jobs.registry import kinds_for
from meetlat.organisations.models import Organisation

FILE_NAME = "rapport-gm9801.pdf"


def finished_job(
    organisation: Organisation, *, kind: str, actor: User | None = None, files: tuple[str, ...] = ()
) -> Job:
    job = Job.objects.create(
        organisation=organisation,
        created_by=actor,
        kind=kind,
        title=f"{kind} {organisation.code}",
        status=JobStatus.DONE,
        result={"files": list(files)},
        created_at=clock.now(),
        finished_at=clock.now(),
    )
    for name in files:
        (output_folder(job.pk) / name).write_bytes(b"%PDF-1.7 test\n")
    return job


def job_for_role(organisation: Organisation, role: Role | None) -> Job:
    """A finished job with one file, of a kind the role sees (any kind for other roles)."""
    kinds = kinds_for(role) if role is not None else []
    return finished_job(
        organisation, kind=kinds[0] if kinds else "contacts.import", files=(FILE_NAME,)
    )
