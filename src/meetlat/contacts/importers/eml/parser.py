"""E-mail threads (`--format eml`, `--format mbox`), parsed as pure functions.

`eml`: one message, or a ZIP archive of `.eml` files (the command packs a folder into one, so a
folder imports as one file with one hash). `mbox`: messages separated by "From " lines. The
organisation's own domains tell outgoing messages from incoming ones. Only headers, times and
signals are read; bodies are never kept, and the subject is stored PII-masked. A message that
cannot be read stops the import with a problem naming the file (or, in an mbox, the message
number and line).

Pure Python: no Django, no database.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Final

from meetlat.calc.calendar import AMSTERDAM
from meetlat.contacts.importers.base import ParseResult, ProblemList, Progress
from meetlat.contacts.importers.csv.parser import failed
from meetlat.contacts.importers.eml.message import Mail, MailError, read_mail
from meetlat.contacts.importers.eml.threads import thread_contacts

__all__ = ["MAX_MESSAGE_BYTES", "parse_eml", "parse_mbox"]

MAX_MESSAGE_BYTES: Final = 50 * 1024 * 1024
MAX_MESSAGES: Final = 200_000
PROGRESS_EVERY: Final = 500
_ZIP_MAGIC: Final = b"PK\x03\x04"
_FROM_LINE: Final = re.compile(rb"From ")
_ESCAPED_FROM: Final = re.compile(rb"^>(>*From )")
_DOMAIN: Final = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9-]+)+")


@dataclass(frozen=True)
class _Raw:
    """One message's bytes and how problems name it."""

    data: bytes
    line: int
    where: str  # "" for a single .eml file: the file name says it all


def parse_eml(
    data: bytes,
    *,
    tz: dt.tzinfo = AMSTERDAM,
    default_contact_point: str = "",
    progress: Progress | None = None,
    own_domains: Sequence[str] = (),
) -> ParseResult:
    """One `.eml` message, or a ZIP archive of `.eml` files (a folder)."""
    problems = ProblemList()
    if data.startswith(_ZIP_MAGIC):
        raws = list(_archive(data, problems))
    else:
        raws = [_Raw(data, 1, "")]
    return _parse(raws, problems, tz, default_contact_point, progress, own_domains)


def parse_mbox(
    data: bytes,
    *,
    tz: dt.tzinfo = AMSTERDAM,
    default_contact_point: str = "",
    progress: Progress | None = None,
    own_domains: Sequence[str] = (),
) -> ParseResult:
    """An mbox file: messages each starting with a "From " line."""
    problems = ProblemList()
    raws = list(_mbox(data, problems))
    return _parse(raws, problems, tz, default_contact_point, progress, own_domains)


def _domains(own_domains: Sequence[str], problems: ProblemList) -> tuple[str, ...]:
    domains = tuple(dict.fromkeys(d.strip().lower().lstrip("@") for d in own_domains if d.strip()))
    if not domains:
        problems.add(
            1,
            "",
            "",
            "the organisation's own e-mail domains are not known, so incoming and outgoing "
            "messages cannot be told apart: give --own-domain (e.g. --own-domain gemeente.nl) "
            "or the e-mail address of the contact point.",
        )
    for domain in domains:
        if not _DOMAIN.fullmatch(domain):
            problems.add(1, "own-domain", domain, "is not a domain name (e.g. gemeente.nl).")
    return domains


def _parse(
    raws: Sequence[_Raw],
    problems: ProblemList,
    tz: dt.tzinfo,
    default_contact_point: str,
    progress: Progress | None,
    own_domains: Sequence[str],
) -> ParseResult:
    domains = _domains(own_domains, problems)
    if problems.count:
        return failed(problems, len(raws))
    mails: list[Mail] = []
    seen: set[str] = set()
    for index, raw in enumerate(raws, start=1):
        if progress is not None and index % PROGRESS_EVERY == 0:
            progress(index)
        prefix = f"{raw.where}: " if raw.where else ""
        if len(raw.data) > MAX_MESSAGE_BYTES:
            problems.add(raw.line, "", "", f"{prefix}the message is larger than 50 MB.")
            continue
        try:
            mail = read_mail(
                raw.data, index=index, line=raw.line, where=raw.where, own_domains=domains, tz=tz
            )
        except MailError as error:
            problems.add(raw.line, error.column, error.value, f"{prefix}{error.message}")
            continue
        if mail.message_id not in seen:  # the same message twice (a copy): read once
            seen.add(mail.message_id)
            mails.append(mail)
    if progress is not None:
        progress(len(raws))
    if problems.count:
        return failed(problems, len(raws))
    contacts = thread_contacts(mails, domains, default_contact_point.strip())
    return ParseResult(len(raws), tuple(contacts), (), 0)


def _archive(data: bytes, problems: ProblemList) -> Iterator[_Raw]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = sorted(
            (
                m
                for m in archive.infolist()
                if not m.is_dir() and m.filename.lower().endswith(".eml")
            ),
            key=lambda m: m.filename,
        )
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        problems.add(1, "", "", f"the ZIP archive cannot be read ({error}).")
        return
    if not members:
        problems.add(1, "", "", "the archive holds no .eml files.")
    if len(members) > MAX_MESSAGES:
        problems.add(1, "", "", f"the archive holds more than {MAX_MESSAGES} messages.")
        return
    for member in members:
        if member.file_size > MAX_MESSAGE_BYTES:
            problems.add(1, "", "", f"{member.filename}: the message is larger than 50 MB.")
            continue
        try:
            yield _Raw(archive.read(member), 1, member.filename)
        except (zipfile.BadZipFile, ValueError, OSError, NotImplementedError) as error:
            problems.add(
                1, "", "", f"{member.filename}: cannot be read from the archive ({error})."
            )


def _mbox(data: bytes, problems: ProblemList) -> Iterator[_Raw]:
    """The messages of an mbox: each starts at a line beginning with "From " (writers escape
    such body lines as ">From "); a ">From " line (mboxrd) loses one ">"."""
    lines = data.splitlines(keepends=True)
    if not any(line.strip() for line in lines):
        problems.add(1, "", "", "the file is empty; expected messages each starting with 'From '.")
        return
    current: list[bytes] = []
    start = 0
    number = 0
    for line_number, line in enumerate(lines, start=1):
        if _FROM_LINE.match(line):
            if number:
                yield _Raw(b"".join(current), start, f"message {number} (line {start})")
            number += 1
            start = line_number
            current = []
        elif not number:
            if line.strip():
                problems.add(
                    line_number,
                    "",
                    "",
                    "this is not an mbox file: it must start with a 'From ' line.",
                )
                return
        else:
            current.append(_ESCAPED_FROM.sub(rb"\1", line))
        if number > MAX_MESSAGES:
            problems.add(line_number, "", "", f"the file holds more than {MAX_MESSAGES} messages.")
            return
    if number:
        yield _Raw(b"".join(current), start, f"message {number} (line {start})")
