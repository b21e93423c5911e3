"""`meetlat import contacts FILE --org CODE --format F [--mapping M.toml] [--tz ZONE]
[--contact-point NAME] [--source NAME] [--json]`: import contacts, all rows or none."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from meetlat.commandline import bad_input, parse_zone, to_json
from meetlat.contacts.importers import (
    FORMATS,
    MAIL_FORMATS,
    FormatNotAvailableError,
    parser_for,
)
from meetlat.contacts.importers.base import Progress
from meetlat.contacts.importers.csv.mapping import ColumnMapping, MappingError, mapping_load
from meetlat.contacts.importers.eml.folder import folder_archive
from meetlat.contacts.models import Contact
from meetlat.contacts.services import ImportConflictError, ImportResult, contacts_import
from meetlat.organisations.selectors import organisation_get

SOURCE_MAX = Contact._meta.get_field("source").max_length or 100


class Command(BaseCommand):
    help = "Import data: `import contacts FILE --org CODE --format csv`."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True, parser_class=CommandParser)
        contacts = sub.add_parser(
            "contacts", help="import contacts (all rows or none; the same rows twice add nothing)"
        )
        contacts.add_argument("file", help="the file to import")
        contacts.add_argument("--org", required=True, help="organisation code")
        contacts.add_argument(
            "--format", required=True, dest="format_name", help=f"one of {', '.join(FORMATS)}"
        )
        contacts.add_argument(
            "--mapping", help="TOML column mapping of another CSV layout (docs/import-mappings.md)"
        )
        contacts.add_argument(
            "--tz", default="Europe/Amsterdam", help="zone of start times without an offset"
        )
        contacts.add_argument(
            "--contact-point",
            default="",
            dest="contact_point",
            help="contact point for rows that name none",
        )
        contacts.add_argument(
            "--source",
            default="",
            help="the system the contact ids come from (default: the format); ids are unique "
            "per organisation and source",
        )
        contacts.add_argument(
            "--own-domain",
            action="append",
            default=[],
            dest="own_domains",
            help="eml/mbox: a domain of the organisation's own addresses (repeatable; default: "
            "the domains of its e-mail contact points)",
        )
        contacts.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args: Any, **options: Any) -> None:
        file_arg: str = options["file"]
        format_name: str = options["format_name"]
        try:
            parser_for(format_name)
        except FormatNotAvailableError as error:
            bad_input(f"--format: {error}")
        mapping = _mapping(options["mapping"], format_name) if options["mapping"] else None
        if options["own_domains"] and format_name not in MAIL_FORMATS:
            bad_input(f"--own-domain: applies to --format eml or mbox, not {format_name}.")
        if len(options["source"].strip()) > SOURCE_MAX:
            bad_input(f"--source: longer than {SOURCE_MAX} characters.")
        tz = parse_zone(options["tz"])
        organisation = organisation_get(code=options["org"].strip())
        if organisation is None:
            bad_input(f"--org: no organisation with code {options['org']!r}.")
        data = _read_folder(file_arg) if format_name == "eml" else _read(file_arg)
        try:
            with _progress_bar(Path(file_arg).name) as progress:
                result = contacts_import(
                    organisation=organisation,
                    data=data,
                    file_name=Path(file_arg).name,
                    format_name=format_name,
                    tz=tz,
                    default_contact_point=options["contact_point"],
                    source=options["source"],
                    progress=progress,
                    mapping=mapping,
                    own_domains=options["own_domains"],
                )
        except ImportConflictError as error:
            raise CommandError(f"{file_arg}: {error}", returncode=1) from error
        self._report(result, file_arg, as_json=options["json"])

    def _report(self, result: ImportResult, file_arg: str, *, as_json: bool) -> None:
        if as_json:
            self.stdout.write(
                to_json(
                    {
                        "source": file_arg,
                        "format": result.format,
                        "rows": result.rows,
                        "imported": result.imported,
                        "duplicates": result.duplicates,
                        "errors": [error.to_json() for error in result.errors],
                        **({"open": result.open_calls} if result.format == "asterisk" else {}),
                    }
                )
            )
        if not result.ok:
            bad_input(_problems_message(result, file_arg))
        if not as_json:
            self.stdout.write(
                f"{file_arg}: {result.rows} rows, {result.imported} imported, "
                f"{result.duplicates} already present."
                + (
                    f" {result.open_calls} call(s) still open, not counted."
                    if result.open_calls
                    else ""
                )
            )


def _mapping(file_arg: str, format_name: str) -> ColumnMapping:
    if format_name != "csv":
        bad_input(f"--mapping: applies to --format csv, not {format_name}.")
    try:
        return mapping_load(_read(file_arg))
    except MappingError as error:
        bad_input(f"--mapping: {error.describe(file_arg)}")


def _read(file_arg: str) -> bytes:
    path = Path(file_arg)
    if path.is_dir():
        bad_input(f"{file_arg}: is a folder; give a file.")
    try:
        return path.read_bytes()
    except FileNotFoundError:
        bad_input(f"{file_arg}: no such file.")
    except OSError as error:
        bad_input(f"{file_arg}: cannot be read ({error.strerror}).")


def _read_folder(file_arg: str) -> bytes:
    """A file, or a folder of `.eml` files packed as one archive."""
    path = Path(file_arg)
    if not path.is_dir():
        return _read(file_arg)
    try:
        return folder_archive(path)
    except OSError as error:
        bad_input(f"{file_arg}: cannot be read ({error.strerror}).")


def _problems_message(result: ImportResult, file_arg: str) -> str:
    count = result.error_count
    lines = [f"{file_arg}: nothing imported; {count} problem{'s' if count != 1 else ''}:"]
    lines += [f"  {error.describe(file_arg)}" for error in result.errors]
    if count > len(result.errors):
        lines.append(f"  … and {count - len(result.errors)} more.")
    return "\n".join(lines)


@contextmanager
def _progress_bar(name: str) -> Iterator[Progress]:
    """A row counter on stderr when it is a terminal; never on stdout."""
    bar = tqdm(
        desc=name, unit=" rows", file=sys.stderr, disable=not sys.stderr.isatty(), leave=False
    )

    def update(rows: int) -> None:
        bar.update(rows - bar.n)

    try:
        yield update
    finally:
        bar.close()
