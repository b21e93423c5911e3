"""`meetlat calendar due|workdays`: the Dutch working-day calendar (METHODOLOGY.md §5)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from meetlat.calc.calendar import AMSTERDAM, WorkCalendar
from meetlat.commandline import bad_input, parse_date, parse_instant, to_json
from meetlat.organisations.selectors import calendar_for, organisation_get

MAX_RANGE_DAYS = 366 * 50


class Command(BaseCommand):
    help = "Deadlines and working days on the Dutch working-day calendar."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, parser_class=CommandParser)
        due = sub.add_parser("due", help="the deadline N working days after receipt")
        due.add_argument("--received", required=True, help="ISO 8601 date-time of receipt")
        due.add_argument("--working-days", required=True, type=int, dest="working_days")
        due.add_argument("--org", help="organisation code (its closing days count)")
        due.add_argument("--json", action="store_true")
        days = sub.add_parser("workdays", help="the working days in a date range")
        days.add_argument("--from", required=True, dest="date_from")
        days.add_argument("--to", required=True, dest="date_to")
        days.add_argument("--org", help="organisation code (its closing days count)")
        days.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "due":
            self._due(options)
        else:
            self._workdays(options)

    def _calendar(self, code: str | None) -> WorkCalendar:
        if not code:
            return calendar_for(organisation=None)
        organisation = organisation_get(code=code)
        if organisation is None:
            bad_input(f"--org: no organisation with code {code!r}.")
        return calendar_for(organisation=organisation)

    def _due(self, options: dict[str, Any]) -> None:
        received = parse_instant(options["received"], "--received", AMSTERDAM)
        n = options["working_days"]
        if n < 0:
            bad_input(f"--working-days: {n} is negative; give 0 or more.")
        calendar = self._calendar(options.get("org"))
        result = {
            "received": received.astimezone(AMSTERDAM).isoformat(),
            "receipt_day": calendar.receipt_day(received).isoformat(),
            "working_days": n,
            "due": calendar.due(received, n).isoformat(),
        }
        if options["json"]:
            self.stdout.write(to_json(result))
        else:
            self.stdout.write(
                f"Received {result['received']}, receipt day {result['receipt_day']}, "
                f"due {result['due']} ({n} working days)."
            )

    def _workdays(self, options: dict[str, Any]) -> None:
        start = parse_date(options["date_from"], "--from")
        end = parse_date(options["date_to"], "--to")
        if end < start:
            bad_input(f"--to: {end} is before --from {start}.")
        if (end - start).days > MAX_RANGE_DAYS:
            bad_input("--to: the range is longer than 50 years.")
        calendar = self._calendar(options.get("org"))
        days = calendar.workdays(start, end)
        if options["json"]:
            result = {
                "from": start.isoformat(),
                "to": end.isoformat(),
                "workdays": [d.isoformat() for d in days],
                "count": len(days),
            }
            self.stdout.write(to_json(result))
        else:
            for day in days:
                self.stdout.write(day.isoformat())
            self.stdout.write(f"{len(days)} working days from {start} to {end}.")
