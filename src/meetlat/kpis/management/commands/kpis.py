"""`meetlat kpis --org CODE [--channel C] [--from D] [--to D] [--group-by G] [--sl-threshold S]
[--short-abandon S] [--json]`: operational KPIs (METHODOLOGY.md §4).

Beyond the contract: `--mode-24h` (e-mail and web form: how "within 24 hours" is read) and
`--compare-previous-year` (adds `previous_year`, the same dates one year earlier).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

from django.core.management.base import BaseCommand, CommandParser

from meetlat.calc.calendar import Mode24h
from meetlat.calc.kpi import GROUP_BY, PhoneKpis
from meetlat.commandline import bad_input, parse_date, to_json
from meetlat.kpis.selectors import phone_thresholds_get
from meetlat.kpis.selectors.report import KPI_CHANNELS, KpiRequest, kpis_report_json
from meetlat.organisations.models import Channel
from meetlat.organisations.selectors import organisation_get

KNOWN_CHANNELS: Final = (*(c.value for c in Channel), "kto")
MODES_24H: Final = tuple(m.value for m in Mode24h)
MAX_SECONDS: Final = 86_400
_WHOLE = re.compile(r"[0-9]+")


class Command(BaseCommand):
    help = "Operational KPIs of an organisation's contacts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", required=True, help="organisation code")
        parser.add_argument("--channel", default="phone", help="the channel (default phone)")
        parser.add_argument("--from", dest="date_from", help="first local date (inclusive)")
        parser.add_argument("--to", dest="date_to", help="last local date (inclusive)")
        parser.add_argument("--group-by", dest="group_by", help=" | ".join(GROUP_BY))
        parser.add_argument(
            "--sl-threshold",
            dest="sl_threshold",
            help="service level threshold T in seconds (default: the organisation's norm, 20)",
        )
        parser.add_argument(
            "--short-abandon",
            dest="short_abandon",
            help="abandons below S seconds are short (default: the organisation's norm, 5)",
        )
        parser.add_argument(
            "--mode-24h",
            dest="mode_24h",
            default=Mode24h.CLOCK_24H.value,
            help="e-mail: how 'within 24 hours' is read: " + " | ".join(MODES_24H),
        )
        parser.add_argument(
            "--compare-previous-year",
            action="store_true",
            help="add the same KPIs for the same dates one year earlier",
        )
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args: Any, **options: Any) -> None:
        channel = options["channel"].strip().lower()
        if channel not in KNOWN_CHANNELS:
            bad_input(f"--channel: unknown channel {channel!r}; use {', '.join(KNOWN_CHANNELS)}.")
        if channel not in KPI_CHANNELS:
            bad_input(f"--channel: KPIs for channel {channel} are not supported yet.")
        if options["mode_24h"] not in MODES_24H:
            bad_input(f"--mode-24h: unknown {options['mode_24h']!r}; use {', '.join(MODES_24H)}.")
        group_by = options["group_by"]
        if group_by is not None and group_by not in GROUP_BY:
            bad_input(f"--group-by: unknown {group_by!r}; use one of {', '.join(GROUP_BY)}.")
        date_from = parse_date(options["date_from"], "--from") if options["date_from"] else None
        date_to = parse_date(options["date_to"], "--to") if options["date_to"] else None
        if date_from and date_to and date_to < date_from:
            bad_input(f"--to: {date_to} is before --from {date_from}.")
        sl_threshold = _seconds(options["sl_threshold"], "--sl-threshold")
        short_abandon = _seconds(options["short_abandon"], "--short-abandon")
        organisation = organisation_get(code=options["org"].strip())
        if organisation is None:
            bad_input(f"--org: no organisation with code {options['org']!r}.")
        if sl_threshold is None or short_abandon is None:
            norm_t, norm_s = phone_thresholds_get(organisation=organisation)
            sl_threshold = norm_t if sl_threshold is None else sl_threshold
            short_abandon = norm_s if short_abandon is None else short_abandon
        request = KpiRequest(
            channel=channel,
            date_from=date_from,
            date_to=date_to,
            group_by=group_by,
            sl_threshold_s=sl_threshold,
            short_abandon_s=short_abandon,
            mode_24h=options["mode_24h"],
        )
        data = kpis_report_json(
            organisation=organisation,
            request=request,
            compare_previous_year=options["compare_previous_year"],
        )
        if options["json"]:
            self.stdout.write(to_json(data))
        elif channel == Channel.PHONE:
            self.stdout.write(_text(data, organisation.name, group_by))
        else:
            self.stdout.write(_plain_text(data, organisation.name))


def _seconds(value: str | None, option: str) -> int | None:
    if value is None:
        return None
    if not _WHOLE.fullmatch(value.strip()) or int(value) > MAX_SECONDS:
        bad_input(f"{option}: {value!r} is not a whole number of seconds from 0 to {MAX_SECONDS}.")
    return int(value)


# --- readable output ------------------------------------------------------------------------


def _ratio(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.1f} %"


def _number(value: float | None, unit: str = "") -> str:
    if value is None:
        return "–"
    text = str(value) if isinstance(value, int) else f"{value:.1f}"
    return text + unit


def _lines(kpis: PhoneKpis) -> list[tuple[str, str]]:
    sl = kpis["service_level"]
    return [
        ("offered", _number(kpis["offered"])),
        ("answered", _number(kpis["answered"])),
        ("abandoned (short)", f"{kpis['abandoned']} ({kpis['short_abandoned']})"),
        ("abandoned in the menu", _number(kpis["ivr_abandoned"])),
        ("abandon rate", _ratio(kpis["abandon_rate"])),
        ("answer rate", _ratio(kpis["answer_rate"])),
        ("service level (answered)", _ratio(sl["answered"])),
        ("service level (offered)", _ratio(sl["offered"])),
        ("service level (excl. short abandons)", _ratio(sl["offered_excl_short_abandons"])),
        ("service level (answered and abandoned)", _ratio(sl["answered_and_abandoned"])),
        ("average speed of answer", _number(kpis["asa_s"], " s")),
        (
            "wait p50 / p90",
            f"{_number(kpis['wait_p50_s'], ' s')} / {_number(kpis['wait_p90_s'], ' s')}",
        ),
        ("mean wait of abandoned calls", _number(kpis["mean_wait_abandoned_s"], " s")),
        ("longest wait", _number(kpis["max_wait_s"], " s")),
        ("waits over 300 s", _ratio(kpis["wait_over_300s_rate"])),
        ("mean handle time", _number(kpis["mean_handle_s"], " s")),
        ("transfer rate", _ratio(kpis["transfer_rate"])),
        ("first-line resolution", _ratio(kpis["first_line_resolution"])),
        ("first-line resolution (no transfer)", _ratio(kpis["first_line_resolution_proxy"])),
        ("repeat contact (7 days)", _ratio(kpis["repeat_contact_rate"])),
        (
            "callback requests / voicemails / closed",
            f"{kpis['callback_requests']} / {kpis['voicemails']} / {kpis['closed']}",
        ),
        *_callback_lines(kpis),
    ]


def _callback_lines(kpis: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The callback KPIs, in the overall figures only (groups do not have them)."""
    if "callback_within_norm_rate" not in kpis:
        return []
    return [
        ("callbacks done within norm", _ratio(kpis["callback_within_norm_rate"])),
        ("callbacks kept", _ratio(kpis["callback_kept_rate"])),
    ]


def _heading(data: dict[str, Any], name: str, what: str) -> str:
    period = f"{data['from']} to {data['to']}" if data["from"] else "no contacts yet"
    return f"{what} KPIs of {data['org']} ({name}), {period}"


def _norm_lines(data: dict[str, Any]) -> list[str]:
    lines = []
    for key, norm in data["kpis"]["norms"].items():
        met = {True: "met", False: "not met", None: "–"}[norm["met"]]
        lines.append(f"  norm {key:<35} {norm['target']:g} ({norm['unit']}): {met}")
    return lines


def _text(data: dict[str, Any], name: str, group_by: str | None) -> str:
    out = [
        f"{_heading(data, name, 'Phone')}; service level within {data['sl_threshold_s']} s, "
        f"short abandon under {data['short_abandon_s']} s.",
    ]
    out += [f"  {label:<40} {value}" for label, value in _lines(data["kpis"])]
    out += _norm_lines(data)
    if group_by:
        out.append("")
        out.append(
            f"  {group_by:<12} {'offered':>8} {'answered':>9} {'abandon':>9} "
            f"{'SL ans.':>9} {'ASA':>8}"
        )
        for group in data["groups"]:
            kpis = group["kpis"]
            out.append(
                f"  {group['key'] or '(empty)':<12} {kpis['offered']:>8} {kpis['answered']:>9} "
                f"{_ratio(kpis['abandon_rate']):>9} "
                f"{_ratio(kpis['service_level']['answered']):>9} "
                f"{_number(kpis['asa_s'], ' s'):>8}"
            )
    return "\n".join(out)


def _value(key: str, value: Any) -> str:
    if isinstance(value, float) and key.endswith("_rate"):
        return _ratio(value)
    if isinstance(value, float | int) and not isinstance(value, bool):
        return _number(value)
    return "–" if value is None else str(value)


def _plain_text(data: dict[str, Any], name: str) -> str:
    out = [f"{_heading(data, name, data['channel'].capitalize())}."]
    out += [f"  {key:<40} {_value(key, value)}" for key, value in data["kpis"].items()]
    out += _norm_lines(data)
    for group in data["groups"]:
        out.append(f"  [{group['key'] or '(empty)'}]")
        out += [f"    {k:<38} {_value(k, v)}" for k, v in group["kpis"].items()]
    return "\n".join(out)
