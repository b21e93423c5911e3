"""Reads of background jobs, always scoped to the organisation and the kinds a role sees."""

from __future__ import annotations

from django.db.models import QuerySet

from meetlat.accounts.roles import Role
from meetlat.jobs.models import Job
from meetlat.jobs.registry import kinds_for
from meetlat.organisations.models import Organisation


def job_list(*, organisation: Organisation, role: Role) -> QuerySet[Job]:
    return Job.objects.filter(organisation=organisation, kind__in=kinds_for(role)).select_related(
        "created_by"
    )


def job_get(*, organisation: Organisation, role: Role, pk: int) -> Job | None:
    return job_list(organisation=organisation, role=role).filter(pk=pk).first()
