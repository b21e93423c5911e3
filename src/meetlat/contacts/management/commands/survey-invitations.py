"""`meetlat survey-invitations --org CODE --channel C --from D --to D [--sample N]
[--expires-in-days N] [--seed N] [--base-url URL] --output FILE.csv [--json]`: one survey (KTO)
link per answered contact not invited before, written to a CSV file (docs/kto.md)."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from meetlat.calc.calendar import AMSTERDAM
from meetlat.commandline import bad_input, parse_date, to_json
from meetlat.contacts.survey_invitations import (
    INVITATION_CHANNELS,
    MAX_EXPIRY_DAYS,
    MAX_PERIOD_DAYS,
    InvitationRun,
    invitation_links_csv,
    survey_invitations_create_bulk,
)
from meetlat.organisations.models import Organisation
from meetlat.organisations.selectors import organisation_get

MAX_SEED = 2**63 - 1
CHANNELS = ", ".join(c.value for c in INVITATION_CHANNELS)


class Command(BaseCommand):
    help = "Make survey (KTO) links for answered contacts and write them to a CSV file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", required=True, help="organisation code")
        parser.add_argument("--channel", required=True, help=f"one of {CHANNELS}")
        parser.add_argument("--from", required=True, dest="date_from", help="first local date")
        parser.add_argument("--to", required=True, dest="date_to", help="last local date")
        parser.add_argument("--sample", help="invite a random sample of N contacts")
        parser.add_argument(
            "--expires-in-days", default="14", dest="expires_in_days", help="default 14"
        )
        parser.add_argument("--seed", help="seed of the sample (drawn at random without)")
        parser.add_argument(
            "--base-url",
            default="",
            dest="base_url",
            help="the site's address, e.g. https://meetlat.example.nl (without: paths only)",
        )
        parser.add_argument("--output", required=True, help="the CSV file to write (new)")
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = _organisation(options["org"])
        channel = options["channel"]
        if channel not in INVITATION_CHANNELS:
            bad_input(f"--channel: {channel!r} is not one of {CHANNELS}.")
        date_from = parse_date(options["date_from"], "--from")
        date_to = parse_date(options["date_to"], "--to")
        if date_to < date_from:
            bad_input(f"--to: {date_to} is before --from {date_from}.")
        if (date_to - date_from).days > MAX_PERIOD_DAYS:
            bad_input(f"--to: the period is longer than {MAX_PERIOD_DAYS} days.")
        sample = _number(options["sample"], "--sample", 1) if options["sample"] else None
        expires = _number(options["expires_in_days"], "--expires-in-days", 1, MAX_EXPIRY_DAYS)
        seed = _number(options["seed"], "--seed", 0, MAX_SEED) if options["seed"] else None
        base_url = _base_url(options["base_url"])
        output = _output(options["output"])
        with transaction.atomic():  # a file that cannot be written invites no one
            run = survey_invitations_create_bulk(
                organisation=organisation, channel=channel, date_from=date_from,
                date_to=date_to, sample=sample, expires_in_days=expires, actor=None,
                base_url=base_url, seed=seed,
            )  # fmt: skip
            if run.links:
                _write(output, invitation_links_csv(run.links))
        self._report(run, output, options["json"])

    def _report(self, run: InvitationRun, output: Path, as_json: bool) -> None:
        batch = run.batch
        if as_json:
            self.stdout.write(
                to_json(
                    {
                        "invitations": len(run.links),
                        "eligible": batch.eligible if batch else 0,
                        "seed": batch.seed if batch else None,
                        "expires_at": _local(batch.expires_at) if batch else None,
                        "output": str(output) if batch else None,
                    }
                )
            )
        elif batch is None:
            self.stdout.write(
                "No answered contacts of this channel and period that were not invited yet; "
                "no file was written."
            )
        else:
            self.stdout.write(
                f"Wrote {batch.invitation_count} links (of {batch.eligible} contacts, seed "
                f"{batch.seed}) to {output}; they expire at {_local(batch.expires_at)}."
            )


def _local(moment: dt.datetime) -> str:
    return moment.astimezone(AMSTERDAM).isoformat(timespec="seconds")


def _organisation(code: str) -> Organisation:
    organisation = organisation_get(code=code.strip())
    if organisation is None:
        bad_input(f"--org: no organisation with code {code!r}.")
    return organisation


def _number(value: str, option: str, low: int, high: int | None = None) -> int:
    try:
        number = int(value)
    except ValueError:
        bad_input(f"{option}: {value!r} is not a whole number.")
    if number < low or (high is not None and number > high):
        allowed = f"{low} to {high}" if high is not None else f"{low} or more"
        bad_input(f"{option}: {number} is out of range; give {allowed}.")
    return number


def _base_url(value: str) -> str:
    url = value.strip().rstrip("/")
    if url and not url.startswith(("https://", "http://")):
        bad_input(f"--base-url: {value!r} does not start with https:// or http://.")
    return url


def _output(value: str) -> Path:
    path = Path(value)
    if path.exists():
        bad_input(f"--output: {path} exists already; links are made once, choose a new file.")
    if not path.parent.is_dir():
        bad_input(f"--output: the folder {path.parent} does not exist.")
    return path


def _write(path: Path, data: bytes) -> None:
    """Write the file whole or not at all (a temporary file in the same folder, then renamed)."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".invitations-", suffix=".csv")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
