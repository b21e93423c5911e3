"""`meetlat study import-observations|score|report|benchmark-report`: mystery research
(DESIGN.md, command-line contract). The two report subcommands live in
:mod:`meetlat.reports.commandline`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from meetlat.calc.observations import CHANNELS, ObservationError
from meetlat.commandline import bad_input, to_json
from meetlat.reports.commandline import add_report_parsers, benchmark_report, municipality_report
from meetlat.research.formatting import EMPTY, format_number
from meetlat.research.models import DEFAULT_WAVE_NAME, Study, Wave
from meetlat.research.selectors import study_get, study_score_get, wave_get, wave_latest
from meetlat.research.services import (
    ObservationImportConflictError,
    ObservationImportError,
    observations_import,
)

OTHER_FAILURE = 1
REPORTS = {"report": municipality_report, "benchmark-report": benchmark_report}


class Command(BaseCommand):
    help = "Mystery research: import observations and score a study."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, parser_class=CommandParser)
        imp = sub.add_parser(
            "import-observations",
            help="import mystery observations, one row per planned question (all rows or none)",
        )
        imp.add_argument("file", help="the observations CSV (UTF-8)")
        imp.add_argument("--study", required=True, help="the study; created when missing")
        imp.add_argument(
            "--wave",
            default=DEFAULT_WAVE_NAME,
            help=f"the wave; created when missing (default {DEFAULT_WAVE_NAME})",
        )
        imp.add_argument("--json", action="store_true", help="print one JSON object")
        score = sub.add_parser(
            "score", help="grades, potential grades, bands and ranks per municipality"
        )
        score.add_argument("name", help="the study")
        score.add_argument("--wave", help="the wave (default: the latest)")
        score.add_argument("--json", action="store_true", help="print one JSON object")
        add_report_parsers(sub)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "import-observations":
            self._import(options)
        elif action in REPORTS:
            study, wave = self._wave(options)
            REPORTS[action](
                study=study, wave=wave, options=options, stdout=self.stdout, stderr=self.stderr
            )
        else:
            self._score(options)

    # -- import-observations ---------------------------------------------------------------------

    def _import(self, options: dict[str, Any]) -> None:
        try:
            result = observations_import(
                study_name=options["study"], path=Path(options["file"]), wave_name=options["wave"]
            )
        except ObservationImportError as error:
            if options["json"]:
                self.stdout.write(to_json(error.as_json()))
            bad_input(error.describe())
        except ObservationImportConflictError as error:
            raise CommandError(str(error), returncode=OTHER_FAILURE) from error
        if options["json"]:
            self.stdout.write(to_json(result.as_json()))
            return
        created = ", ".join(result.municipalities_created) or "none"
        self.stdout.write(
            f"{result.file}: {result.rows} rows, {result.imported} imported, "
            f"{result.duplicates} already present (study {result.study!r}, wave "
            f"{result.wave!r}); municipalities created: {created}."
        )

    # -- score -----------------------------------------------------------------------------------

    def _wave(self, options: dict[str, Any]) -> tuple[Study, Wave | None]:
        study = study_get(name=options["name"])
        if study is None:
            bad_input(f"study {options['name']!r}: no such study.")
        if not options.get("wave"):
            return study, wave_latest(study=study)
        wave = wave_get(study=study, name=options["wave"])
        if wave is None:
            bad_input(f"--wave: study {study.name!r} has no wave {options['wave']!r}.")
        return study, wave

    def _score(self, options: dict[str, Any]) -> None:
        study, wave = self._wave(options)
        try:
            result = study_score_get(study=study, wave=wave)
        except ObservationError as error:
            raise CommandError(
                f"study {study.name!r}: an observation cannot be scored: {error}",
                returncode=OTHER_FAILURE,
            ) from error
        if options["json"]:
            self.stdout.write(to_json(result))
            return
        wave_name = wave.name if wave is not None else EMPTY
        norm = format_number(float(study.norm), 1)
        self.stdout.write(f"Study {study.name}, wave {wave_name}; norm {norm}.")
        self.stdout.write(score_table(result["municipalities"]))


def score_table(municipalities: list[dict[str, Any]]) -> str:
    """A plain-text table of the grades, with Dutch decimal commas (5,68)."""
    channels = [c for c in CHANNELS if any(c in m for m in municipalities)]
    header = ["code", "name"]
    for channel in channels:
        header += [channel, "potential", "answered"]
    header += ["overall", "band", "rank"]
    rows = [header]
    for entry in municipalities:
        row = [entry["code"], entry["name"]]
        for channel in channels:
            result = entry.get(channel)
            if result is None:
                row += [EMPTY, EMPTY, EMPTY]
            else:
                answered = f"{result['answered']}/{result['planned']}"
                row += [
                    format_number(result["grade"]),
                    format_number(result["potential"]),
                    answered,
                ]
        rank = entry["rank"]
        row += [format_number(entry["overall"]), entry["band"] or EMPTY, str(rank or EMPTY)]
        rows.append(row)
    if len(rows) == 1:
        return "No observations in this wave."
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )
