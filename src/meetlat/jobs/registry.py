"""The kinds of job: which function does the work, who may see it, how its result shows.

A handler is ``handler(*, job: Job, progress: Progress) -> dict`` (JSON-serialisable result);
it raises :class:`JobInputError` for a problem the user can fix (shown as written).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from meetlat.accounts.roles import Role


class JobInputError(Exception):
    """The job cannot be done as asked; the message (Dutch, for the user) says why.

    ``details`` are lines shown under it, e.g. an import's problems with line and column."""

    def __init__(self, message: str, details: list[str] | None = None) -> None:
        super().__init__(message)
        self.details = details or []


@dataclass(frozen=True)
class JobKind:
    handler: str
    roles: frozenset[Role]
    result_template: str
    label: Promise


KINDS: dict[str, JobKind] = {
    "reports.study_reports": JobKind(
        handler="meetlat.reports.jobs.study_reports_job",
        roles=frozenset({Role.RESEARCH_LEAD}),
        result_template="jobs/result_files.html",
        label=_("Reports of a wave"),
    ),
    "contacts.import": JobKind(
        handler="meetlat.contacts.jobs.contacts_import_job",
        roles=frozenset({Role.ADMIN, Role.QUALITY_COACH}),
        result_template="jobs/result_import.html",
        label=_("Contact import"),
    ),
}

#: Roles that see at least one kind of job.
JOB_ROLES: frozenset[Role] = frozenset(role for kind in KINDS.values() for role in kind.roles)


def kinds_for(role: Role) -> list[str]:
    return [name for name, kind in KINDS.items() if role in kind.roles]
