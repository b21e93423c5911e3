"""`meetlat load-municipalities [FILE] [--reference-date D]`: load the CBS reference list."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from meetlat.commandline import bad_input, parse_date
from meetlat.organisations.reference import BUNDLED_FILE, BUNDLED_REFERENCE_DATE, InputError
from meetlat.organisations.services import reference_municipalities_load


class Command(BaseCommand):
    help = "Load the CBS list of municipalities as reference data for a reference date."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", default=str(BUNDLED_FILE))
        parser.add_argument(
            "--reference-date",
            default=BUNDLED_REFERENCE_DATE.isoformat(),
            help="the date the list is valid from (default: that of the bundled list)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            bad_input(f"{path}: no such file.")
        reference_date = parse_date(options["reference_date"], "--reference-date")
        try:
            result = reference_municipalities_load(path=path, reference_date=reference_date)
        except InputError as error:
            bad_input("\n".join(error.problems))
        self.stdout.write(
            f"{result.rows} municipalities for {result.reference_date}: {result.created} new."
        )
