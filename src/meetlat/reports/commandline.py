"""`meetlat study report` and `meetlat study benchmark-report` (DESIGN.md, command line).

The `study` command (research app) registers these subcommands and resolves the study and the
wave; this module checks the rest, renders and writes. Progress goes to stderr; on success the
path is printed on stdout. Exit 2 for bad input, 1 when rendering or writing fails.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, OutputWrapper

from meetlat.calc.observations import ObservationError
from meetlat.commandline import bad_input
from meetlat.organisations.selectors import organisation_get
from meetlat.reports.exporters import Exporter, UnknownFormatError, format_of
from meetlat.reports.research_reports import ReportInputError
from meetlat.reports.services import benchmark_report_build, municipality_report_build
from meetlat.research.models import Study, Wave

OTHER_FAILURE = 1
LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)


def add_report_parsers(sub: Any) -> None:
    """Add ``report`` and ``benchmark-report`` to the ``study`` command's subparsers."""
    report = sub.add_parser(
        "report",
        help="the municipality's report; .pdf or .xlsx by the extension of --output",
    )
    report.add_argument("name", help="the study")
    report.add_argument("--org", required=True, help="the municipality's code (GM0505)")
    _common(report)
    bench = sub.add_parser("benchmark-report", help="the report over all municipalities")
    bench.add_argument("name", help="the study")
    _common(bench)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--output", required=True, help="the file to write: .pdf or .xlsx")
    parser.add_argument("--wave", help="the wave (default: the latest)")
    parser.add_argument(
        "--language",
        choices=LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help=f"language of the report (default {settings.LANGUAGE_CODE})",
    )


def output_path(value: str, formats: tuple[str, ...] = ("pdf", "xlsx")) -> Path:
    """``--output`` checked before any work: a known extension and an existing folder."""
    path = Path(value)
    try:
        fmt = format_of(path)
    except UnknownFormatError as error:
        bad_input(f"--output: {error}")
    if fmt not in formats:
        bad_input(f"--output: {path.name}: this report is written as {', '.join(formats)}.")
    if not path.parent.is_dir():
        bad_input(f"--output: the folder {path.parent} does not exist.")
    return path


def municipality_report(
    *, study: Study, wave: Wave | None, options: dict[str, Any], stdout: OutputWrapper,
    stderr: OutputWrapper,
) -> None:  # fmt: skip
    path = output_path(options["output"])
    code = options["org"]
    organisation = organisation_get(code=code)
    if organisation is None:
        bad_input(f"--org: {code!r}: no such organisation.")
    if wave is None:
        bad_input(f"study {study.name!r} has no wave yet.")
    stderr.write(f"Scoring study {study.name!r}, wave {wave.name!r} …")
    try:
        exporter: Exporter = municipality_report_build(
            study=study, wave=wave, organisation=organisation, language=options["language"]
        )
    except ReportInputError as error:
        bad_input(f"--org: {error}")
    except ObservationError as error:
        raise _unscorable(error) from error
    _write(exporter, path, stdout, stderr)


def benchmark_report(
    *, study: Study, wave: Wave | None, options: dict[str, Any], stdout: OutputWrapper,
    stderr: OutputWrapper,
) -> None:  # fmt: skip
    path = output_path(options["output"])
    if wave is None:
        bad_input(f"study {study.name!r} has no wave yet.")
    stderr.write(f"Scoring study {study.name!r}, wave {wave.name!r} …")
    try:
        exporter: Exporter = benchmark_report_build(
            study=study, wave=wave, language=options["language"]
        )
    except ReportInputError as error:
        bad_input(str(error))
    except ObservationError as error:
        raise _unscorable(error) from error
    _write(exporter, path, stdout, stderr)


def _write(exporter: Exporter, path: Path, stdout: OutputWrapper, stderr: OutputWrapper) -> None:
    stderr.write(f"Writing {path.suffix.lstrip('.').upper()} …")
    try:
        exporter.write(path)
    except OSError as error:
        raise CommandError(
            f"--output: {path} cannot be written ({error.strerror}).", returncode=OTHER_FAILURE
        ) from error
    except ObservationError as error:
        raise _unscorable(error) from error
    stdout.write(str(path))


def _unscorable(error: ObservationError) -> CommandError:
    return CommandError(f"an observation cannot be scored: {error}", returncode=OTHER_FAILURE)
