"""Background job pages: the list, one job with its progress bar (polled with htmx; a plain
"refresh" link without JavaScript) and result, and the files a job made."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from meetlat import clock
from meetlat.accounts.access import membership_of, role_required
from meetlat.accounts.audit import audit_record
from meetlat.accounts.models import User
from meetlat.jobs import selectors
from meetlat.jobs.models import FILES_KEPT, Job
from meetlat.jobs.progress import output_folder, progress_read
from meetlat.jobs.registry import JOB_ROLES, KINDS
from meetlat.web.pagination import paginate


def _job(request: HttpRequest, pk: int) -> Job:
    membership = membership_of(request)
    job = selectors.job_get(organisation=membership.organisation, role=membership.role_enum, pk=pk)
    if job is None:
        raise Http404
    return job


def _status_context(job: Job) -> dict[str, object]:
    return {"job": job, "progress": progress_read(job.pk), "stale": job.is_stale(clock.now())}


@role_required(*JOB_ROLES)
@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    membership = membership_of(request)
    jobs = selectors.job_list(organisation=membership.organisation, role=membership.role_enum)
    return render(request, "jobs/job_list.html", {"page": paginate(request, jobs)})


@role_required(*JOB_ROLES)
@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    context = _status_context(job) | {
        "result_template": KINDS[job.kind].result_template,
        "files_kept_days": FILES_KEPT.days,
    }
    return render(request, "jobs/job_detail.html", context)


@role_required(*JOB_ROLES)
@require_GET
def job_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment; once the job has finished, htmx reloads the whole page."""
    job = _job(request, pk)
    context = _status_context(job)
    response = render(request, "jobs/_job_status.html", context)
    if job.finished or context["stale"]:
        response["HX-Refresh"] = "true"
    return response


@role_required(*JOB_ROLES)
@require_GET
def job_file(request: HttpRequest, pk: int, name: str) -> FileResponse:
    """A file the job made; only names the job lists in its result, audited."""
    job = _job(request, pk)
    if (
        job.files_expired
        or name not in job.result.get("files", [])
        and name != job.result.get("archive")
    ):
        raise Http404
    path = output_folder(job.pk) / name
    if not path.is_file():
        raise Http404
    assert isinstance(request.user, User)
    audit_record(
        actor=request.user,
        action="jobs.file.downloaded",
        target=job,
        organisation=job.organisation,
        data={"kind": job.kind, "file": name},
    )
    response = FileResponse(path.open("rb"), as_attachment=True, filename=name)
    response["Cache-Control"] = "private, no-store"
    return response
