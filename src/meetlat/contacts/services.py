"""Writes for contacts: the import pipeline's commit step (STYLE.md practice 3).

`contacts_import` parses a file with its format's pure parser, checks the rows against what is
stored, and commits every new row or none, with one `ImportBatch` and one audit entry. Rows are
keyed on (organisation, source, contact_id): the same or an overlapping export adds only what is
new. Agent and customer ids are pseudonymised here and never stored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Final, TypeVar

from django.db import IntegrityError, transaction

from meetlat import clock
from meetlat.accounts.audit import audit_record
from meetlat.accounts.models import User
from meetlat.contacts.importers import parser_for
from meetlat.contacts.importers.base import (
    ParsedContact,
    ProblemList,
    Progress,
    RowError,
)
from meetlat.contacts.models import Contact, ImportBatch
from meetlat.organisations.models import ContactPoint, Employee, Organisation
from meetlat.organisations.services import employee_get_or_create, pseudonym_hash

CHUNK: Final = 500
"""Ids per `IN (...)` lookup, well below every database's parameter limit."""
BULK_BATCH: Final = 1000
T = TypeVar("T")


class ImportConflictError(Exception):
    """Another import stored some of the same contacts at the same time; nothing was stored."""


@dataclass(frozen=True)
class ImportResult:
    """What an import did. With errors nothing was stored: `imported` is 0."""

    format: str
    rows: int
    imported: int
    duplicates: int
    errors: tuple[RowError, ...]
    error_count: int
    batch: ImportBatch | None = None

    @property
    def ok(self) -> bool:
        return self.error_count == 0


@dataclass(frozen=True)
class _Stored:
    started_at: dt.datetime
    file_name: str


@transaction.atomic
def contacts_import(
    *,
    organisation: Organisation,
    data: bytes,
    file_name: str,
    format_name: str,
    tz: dt.tzinfo,
    default_contact_point: str = "",
    source: str = "",
    actor: User | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import one file of contacts: every new row or, on any problem, none.

    `source` names the system the contact ids come from (default: the format); a contact id is
    unique per organisation and source. Raises FormatNotAvailableError for a format that is not
    built yet and ImportConflictError when a concurrent import stored the same contacts.
    """
    parse = parser_for(format_name)
    parsed = parse(data, tz=tz, default_contact_point=default_contact_point, progress=progress)
    if not parsed.ok:
        return ImportResult(format_name, parsed.rows, 0, 0, parsed.errors, parsed.error_count)
    source = source.strip() or format_name
    stored = _stored(organisation, source, [c.contact_id for c in parsed.contacts])
    conflicts = _conflicts(parsed.contacts, stored, source)
    if conflicts.count:
        errors = tuple(conflicts.errors)
        return ImportResult(format_name, parsed.rows, 0, 0, errors, conflicts.count)
    new = [c for c in parsed.contacts if c.contact_id not in stored]
    batch = ImportBatch(
        organisation=organisation,
        format=format_name,
        source=source,
        file_name=file_name[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        rows=parsed.rows,
        imported=len(new),
        duplicates=len(parsed.contacts) - len(new),
        created_at=clock.now(),
        actor=actor,
    )
    batch.full_clean()
    batch.save()
    _insert(organisation, batch, source, new)
    audit_record(
        actor=actor,
        action="contacts.import.committed",
        target=batch,
        organisation=organisation,
        data={
            "file": batch.file_name,
            "sha256": batch.sha256,
            "format": format_name,
            "source": source,
            "rows": batch.rows,
            "imported": batch.imported,
            "duplicates": batch.duplicates,
        },
    )
    return ImportResult(format_name, batch.rows, batch.imported, batch.duplicates, (), 0, batch)


def _chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _stored(organisation: Organisation, source: str, ids: Sequence[str]) -> dict[str, _Stored]:
    """The contacts of these ids that are already stored for this organisation and source."""
    stored: dict[str, _Stored] = {}
    for chunk in _chunks(ids):
        rows = Contact.objects.filter(
            organisation=organisation, source=source, contact_id__in=chunk
        ).values_list("contact_id", "started_at", "import_batch__file_name")
        for contact_id, started_at, file_name in rows:
            stored[contact_id] = _Stored(started_at, file_name)
    return stored


def _conflicts(
    contacts: Iterable[ParsedContact], stored: dict[str, _Stored], source: str
) -> ProblemList:
    """A stored contact id with another start is another call: ids of two systems collide."""
    problems = ProblemList()
    for contact in contacts:
        known = stored.get(contact.contact_id)
        if known is None or known.started_at == contact.started_at:
            continue
        problems.add(
            contact.line,
            "contact_id",
            contact.contact_id,
            f"contact_id was already imported for source {source!r} from {known.file_name} "
            f"with another start ({known.started_at.isoformat()}); if this file comes from "
            "another system, import it with its own --source.",
        )
    return problems


def _contact_points(organisation: Organisation, names: set[str]) -> dict[str, ContactPoint]:
    found = ContactPoint.objects.filter(organisation=organisation, name__in=sorted(names))
    return {point.name: point for point in found}


def _employees(organisation: Organisation, agents: set[str]) -> dict[str, Employee]:
    """The pseudonymised employee of every agent id (created when new)."""
    digests = {a: pseudonym_hash(organisation=organisation, source_id=a) for a in agents}
    by_digest: dict[str, Employee] = {}
    for chunk in _chunks(sorted(set(digests.values()))):
        for employee in Employee.objects.filter(organisation=organisation, source_hash__in=chunk):
            by_digest[employee.source_hash] = employee
    employees: dict[str, Employee] = {}
    for agent, digest in sorted(digests.items()):
        if digest not in by_digest:
            by_digest[digest] = employee_get_or_create(organisation=organisation, source_id=agent)
        employees[agent] = by_digest[digest]
    return employees


def _customer_hashes(organisation: Organisation, customers: set[str]) -> dict[str, str]:
    """The keyed hash of every customer id; the ids themselves are never stored."""
    return {c: pseudonym_hash(organisation=organisation, source_id=c) for c in customers}


def _insert(
    organisation: Organisation, batch: ImportBatch, source: str, new: Sequence[ParsedContact]
) -> None:
    points = _contact_points(organisation, {c.contact_point for c in new if c.contact_point})
    employees = _employees(organisation, {c.agent for c in new if c.agent})
    point_ids = {name: point.pk for name, point in points.items()}
    employee_ids = {agent: employee.pk for agent, employee in employees.items()}
    customers = _customer_hashes(organisation, {c.customer for c in new if c.customer})
    rows = [  # ids rather than instances: bulk_create of 100 000 rows is a third faster
        Contact(
            organisation_id=organisation.pk,
            source=source,
            contact_id=c.contact_id,
            channel=c.channel,
            contact_point_id=point_ids.get(c.contact_point),
            contact_point_name=c.contact_point,
            started_at=c.started_at,
            local_date=c.local_date,
            local_hour=c.local_hour,
            outcome=c.outcome,
            wait_s=c.wait_s,
            handle_s=c.handle_s,
            employee_id=employee_ids.get(c.agent),
            transfers=c.transfers,
            topic=c.topic,
            customer_hash=customers.get(c.customer, ""),
            resolved_first_contact=c.resolved_first_contact,
            import_batch_id=batch.pk,
        )
        for c in new
    ]
    try:
        with transaction.atomic():
            Contact.objects.bulk_create(rows, batch_size=BULK_BATCH)
    except IntegrityError as error:
        raise ImportConflictError(
            "another import stored some of these contacts at the same time; nothing was "
            "imported, try again."
        ) from error
