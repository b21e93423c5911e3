"""Writes for contacts: the import pipeline's commit step (STYLE.md practice 3).

`contacts_import` parses a file with its format's pure parser, checks the rows against what is
stored, and commits every new row or none, with one `ImportBatch` and one audit entry. Rows are
keyed on (organisation, source, contact_id): the same or an overlapping export adds only what is
new. Agent and customer ids are pseudonymised here and never stored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Final, TypeVar

from django.db import IntegrityError, transaction

from meetlat import clock
from meetlat.accounts.audit import audit_record
from meetlat.accounts.models import User
from meetlat.contacts.bulk import (
    cycle_collection_paused,
    date_adapter,
    datetime_adapter,
    rows_insert,
)
from meetlat.contacts.importers import (
    ANSWER_FORMATS,
    MAIL_FORMATS,
    FormatNotAvailableError,
    mail_parser_for,
    parser_for,
)
from meetlat.contacts.importers.base import (
    MailParser,
    ParsedContact,
    Parser,
    ParseResult,
    ProblemList,
    Progress,
    RowError,
)
from meetlat.contacts.importers.csv.mapping import ColumnMapping, mapped_parser
from meetlat.contacts.models import Contact, ImportBatch
from meetlat.contacts.selectors import own_domains_get
from meetlat.contacts.surveys import answers_check, answers_insert
from meetlat.kpis.services import rollups_refresh
from meetlat.organisations.models import ContactPoint, Employee, Organisation
from meetlat.organisations.services import employee_get_or_create, pseudonym_hash

CHUNK: Final = 500
"""Ids per `IN (...)` lookup, well below every database's parameter limit."""
BULK_BATCH: Final = 1000
INSERT_COLUMNS: Final = (
    "organisation_id",
    "source",
    "contact_id",
    "channel",
    "contact_point_id",
    "contact_point_name",
    "started_at",
    "local_date",
    "local_hour",
    "outcome",
    "wait_s",
    "handle_s",
    "employee_id",
    "transfers",
    "topic",
    "customer_hash",
    "resolved_first_contact",
    "acknowledged_at",
    "answered_at",
    "term_notice_at",
    "first_response_at",
    "closed_at",
    "callback_due_at",
    "callback_done_at",
    "appointment_at",
    "subject_masked",
    "import_batch_id",
)
"""The contact fields an import writes, in the order of the row tuples of `_insert`."""
CONTACT_KEY: Final = ("organisation", "source", "contact_id")
"""The fields of the unique constraint a contact is known by."""
CONFLICT_MESSAGE: Final = (
    "another import stored some of these contacts at the same time; nothing was imported, "
    "try again."
)
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
    open_calls: int = 0

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
    mapping: ColumnMapping | None = None,
    own_domains: Sequence[str] = (),
) -> ImportResult:
    """Import one file of contacts: every new row or, on any problem, none.

    `source` names the system the contact ids come from (default: the format); a contact id is
    unique per organisation and source. Raises FormatNotAvailableError for a format that is not
    built yet and ImportConflictError when a concurrent import stored the same contacts.
    A `mapping` (`--mapping`, csv only) reads another CSV layout. E-mail formats take the
    organisation's `own_domains` (default: those of its e-mail contact points); `survey-csv`
    stores survey answers (keyed on answer_id) instead of contacts.
    """
    parse = _parser(format_name, mapping, organisation, default_contact_point, own_domains)
    with cycle_collection_paused():
        parsed = parse(data, tz=tz, default_contact_point=default_contact_point, progress=progress)
    if not parsed.ok:
        return ImportResult(format_name, parsed.rows, 0, 0, parsed.errors, parsed.error_count)
    source = source.strip() or format_name
    batch_of = partial(
        _batch_commit, organisation, format_name, source, file_name, data, parsed.rows, actor
    )
    if format_name in ANSWER_FORMATS:
        return _answers_import(organisation, format_name, source, parsed, batch_of)
    stored = _stored(organisation, source, [c.contact_id for c in parsed.contacts])
    conflicts = _conflicts(parsed.contacts, stored, source)
    if conflicts.count:
        errors = tuple(conflicts.errors)
        return ImportResult(format_name, parsed.rows, 0, 0, errors, conflicts.count)
    new = [c for c in parsed.contacts if c.contact_id not in stored] if stored else parsed.contacts
    batch = batch_of(len(new), len(parsed.contacts) - len(new))
    with cycle_collection_paused():
        dates = _insert(organisation, batch, source, new)
    known = [c for c in parsed.contacts if c.contact_id in stored] if stored else []
    filled = _events_fill(organisation, source, known)
    rollups_refresh(organisation=organisation, dates=dates | filled)
    return ImportResult(
        format_name,
        batch.rows,
        batch.imported,
        batch.duplicates,
        (),
        0,
        batch,
        open_calls=parsed.open_calls,
    )


@dataclass(frozen=True)
class ImportPreview:
    """What an import would do (nothing is written): the first rows and every problem."""

    rows: int
    sample: tuple[ParsedContact, ...]
    new: int
    duplicates: int
    open_calls: int
    errors: tuple[RowError, ...]
    error_count: int

    @property
    def ok(self) -> bool:
        return self.error_count == 0


def contacts_import_preview(
    *,
    organisation: Organisation,
    data: bytes,
    format_name: str,
    tz: dt.tzinfo,
    default_contact_point: str = "",
    source: str = "",
    mapping: ColumnMapping | None = None,
    sample_size: int = 20,
    own_domains: Sequence[str] = (),
) -> ImportPreview:
    """The import's dry run for the preview page: parse and check, write nothing."""
    parse = _parser(format_name, mapping, organisation, default_contact_point, own_domains)
    parsed = parse(data, tz=tz, default_contact_point=default_contact_point)
    if not parsed.ok:
        return ImportPreview(
            parsed.rows, (), 0, 0, parsed.open_calls, parsed.errors, parsed.error_count
        )
    source = source.strip() or format_name
    stored = _stored(organisation, source, [c.contact_id for c in parsed.contacts])
    conflicts = _conflicts(parsed.contacts, stored, source)
    new = sum(1 for c in parsed.contacts if c.contact_id not in stored)
    return ImportPreview(
        rows=parsed.rows,
        sample=parsed.contacts[:sample_size],
        new=new,
        duplicates=len(parsed.contacts) - new,
        open_calls=parsed.open_calls,
        errors=tuple(conflicts.errors),
        error_count=conflicts.count,
    )


def _parser(
    format_name: str,
    mapping: ColumnMapping | None,
    organisation: Organisation,
    default_contact_point: str,
    own_domains: Sequence[str],
) -> Parser:
    """The format's parser; an e-mail parser gets the organisation's own domains (given, or
    those of its e-mail contact points)."""
    if mapping is not None:
        if format_name != "csv":
            raise FormatNotAvailableError(f"a mapping applies to format csv, not {format_name}.")
        return mapped_parser(mapping)
    if format_name in MAIL_FORMATS:
        domains = own_domains or own_domains_get(
            organisation=organisation, contact_point=default_contact_point
        )
        return _with_domains(mail_parser_for(format_name), domains)
    return parser_for(format_name)


def _batch_commit(
    organisation: Organisation,
    format_name: str,
    source: str,
    file_name: str,
    data: bytes,
    rows: int,
    actor: User | None,
    imported: int,
    duplicates: int,
) -> ImportBatch:
    """The import's one `ImportBatch` row and its audit entry."""
    batch = ImportBatch(
        organisation=organisation,
        format=format_name,
        source=source,
        file_name=file_name[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        rows=rows,
        imported=imported,
        duplicates=duplicates,
        created_at=clock.now(),
        actor=actor,
    )
    batch.full_clean()
    batch.save()
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
    return batch


def _with_domains(parse: MailParser, domains: Sequence[str]) -> Parser:
    """An e-mail parser with the organisation's own domains filled in."""
    return partial(parse, own_domains=domains)


def _answers_import(
    organisation: Organisation,
    format_name: str,
    source: str,
    parsed: ParseResult,
    batch_of: Callable[[int, int], ImportBatch],
) -> ImportResult:
    """The commit step of survey answers: the new ones, keyed on answer_id."""
    new, conflicts = answers_check(organisation=organisation, source=source, answers=parsed.answers)
    if conflicts.count:
        errors = tuple(conflicts.errors)
        return ImportResult(format_name, parsed.rows, 0, 0, errors, conflicts.count)
    batch = batch_of(len(new), len(parsed.answers) - len(new))
    answers_insert(organisation=organisation, batch=batch, source=source, answers=new)
    return ImportResult(format_name, batch.rows, batch.imported, batch.duplicates, (), 0, batch)


EVENTS: Final = (
    "acknowledged_at",
    "answered_at",
    "term_notice_at",
    "first_response_at",
    "closed_at",
    "callback_due_at",
    "callback_done_at",
)
"""Events that a later, overlapping export may add: of written and chat contacts, and the
promise and the doing of a callback."""


def _events_fill(
    organisation: Organisation, source: str, known: Sequence[ParsedContact]
) -> set[dt.date]:
    """Fill events of stored contacts that were still open (an answer in a later export).

    Only empty events are filled, never changed; returns the local dates of updated contacts.
    """
    with_events = {c.contact_id: c for c in known if any(getattr(c, e) for e in EVENTS)}
    changed: list[Contact] = []
    for chunk in _chunks(sorted(with_events)):
        for contact in Contact.objects.filter(
            organisation=organisation, source=source, contact_id__in=chunk
        ).only("pk", "contact_id", "local_date", "outcome", *EVENTS):
            parsed = with_events[contact.contact_id]
            fills = {
                e: getattr(parsed, e)
                for e in EVENTS
                if getattr(contact, e) is None and getattr(parsed, e) is not None
            }
            for event_name, value in fills.items():
                setattr(contact, event_name, value)
            if fills:
                if parsed.answered_at or parsed.first_response_at:
                    contact.outcome = "answered"
                changed.append(contact)
    Contact.objects.bulk_update(changed, [*EVENTS, "outcome"], batch_size=BULK_BATCH)
    return {c.local_date for c in changed}


def _chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _stored(organisation: Organisation, source: str, ids: Sequence[str]) -> dict[str, _Stored]:
    """The contacts of these ids that are already stored for this organisation and source.

    One query when the source has no contacts yet (a first import); else one per CHUNK ids.
    """
    stored: dict[str, _Stored] = {}
    if not ids or not Contact.objects.filter(organisation=organisation, source=source).exists():
        return stored
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
) -> set[dt.date]:
    """Insert the new contacts in one statement or COPY (`contacts.bulk`); returns their local
    dates. A contact stored by a concurrent import in the meantime raises ImportConflictError
    (the caller rolls back)."""
    points = _contact_points(organisation, {c.contact_point for c in new if c.contact_point})
    employees = _employees(organisation, {c.agent for c in new if c.agent})
    point_ids = {name: point.pk for name, point in points.items()}
    employee_ids = {agent: employee.pk for agent, employee in employees.items()}
    customers = _customer_hashes(organisation, {c.customer for c in new if c.customer})
    customers[""] = ""
    at, day = datetime_adapter(), date_adapter()
    days = {date: day(date) for date in {c.local_date for c in new}}
    organisation_id, batch_id = organisation.pk, batch.pk
    # tuples in INSERT_COLUMNS order, streamed to the database
    rows = (
        (
            organisation_id,
            source,
            c.contact_id,
            c.channel,
            point_ids.get(c.contact_point),
            c.contact_point,
            at(c.started_at),
            days[c.local_date],
            c.local_hour,
            c.outcome,
            c.wait_s,
            c.handle_s,
            employee_ids.get(c.agent),
            c.transfers,
            c.topic,
            customers[c.customer],
            c.resolved_first_contact,
            c.acknowledged_at and at(c.acknowledged_at),
            c.answered_at and at(c.answered_at),
            c.term_notice_at and at(c.term_notice_at),
            c.first_response_at and at(c.first_response_at),
            c.closed_at and at(c.closed_at),
            c.callback_due_at and at(c.callback_due_at),
            c.callback_done_at and at(c.callback_done_at),
            c.appointment_at and at(c.appointment_at),
            c.subject_masked,
            batch_id,
        )
        for c in new
    )
    try:
        with transaction.atomic():
            inserted = rows_insert(
                Contact, INSERT_COLUMNS, rows, unique=CONTACT_KEY, count=len(new)
            )
    except IntegrityError as error:
        raise ImportConflictError(CONFLICT_MESSAGE) from error
    if inserted != len(new):
        raise ImportConflictError(CONFLICT_MESSAGE)
    return set(days)
