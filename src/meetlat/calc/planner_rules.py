"""Checks a fieldwork plan against the hard rules of METHODOLOGY.md §2.2, pure Python.

:func:`validate_plan` is used by the tests on generated plans and by the web pages after a
manual edit. It returns every violation found (an empty list for a valid plan).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from meetlat.calc.fieldwork import (
    FRIDAY,
    PHONE,
    WRITTEN_CHANNELS,
    ChannelWindow,
    Municipality,
    Plan,
    PlannedItem,
    Rule,
    Violation,
    is_afternoon,
    slot_of,
    uneven,
    week_of,
)


def validate_plan(plan: Plan) -> list[Violation]:
    """Every rule broken by the plan, per municipality, in the order of the rules."""
    violations: list[Violation] = []
    for municipality in plan.request.municipalities:
        items = [i for i in plan.items if i.municipality == municipality.code]
        violations.extend(_municipality_violations(plan, municipality, items))
    known = {m.code for m in plan.request.municipalities}
    violations.extend(
        Violation(Rule.OPENING_HOURS, item.municipality, "not a municipality of the plan.")
        for item in plan.items
        if item.municipality not in known
    )
    violations.extend(_auditor_busy(plan))
    return violations


def _municipality_violations(
    plan: Plan, municipality: Municipality, items: list[PlannedItem]
) -> Iterable[Violation]:
    windows = {
        channel: ChannelWindow(plan.request, municipality, channel)
        for channel in sorted({i.channel for i in items})
    }
    for item in items:
        window = windows[item.channel]
        if not window.fits(item.at):
            yield Violation(
                Rule.OPENING_HOURS,
                municipality.code,
                f"{item.question} at {_show(window, item.at)} is not on a working day in the "
                "window, inside the opening hours.",
                (item.question,),
            )
    phone = [i for i in items if i.channel == PHONE]
    if phone:
        window = windows[PHONE]
        yield from _spread(window, phone)
        yield from _friday_afternoon(window, phone)
        yield from _gaps(window, phone)
        yield from _rotation(window, phone)
    for channel in sorted(WRITTEN_CHANNELS):
        written = [i for i in items if i.channel == channel]
        if written:
            yield from _written(windows[channel], written)


def _show(window: ChannelWindow, moment: dt.datetime) -> str:
    return window.local(moment).strftime("%Y-%m-%d %H:%M")


def _spread(window: ChannelWindow, items: Sequence[PlannedItem]) -> Iterable[Violation]:
    code = window.municipality.code
    local = [window.local(i.at) for i in items]
    outside = [i.question for i, t in zip(items, local, strict=True) if slot_of(t.time()) is None]
    if outside:
        yield Violation(Rule.SPREAD, code, "calls outside the five slots.", tuple(outside))
    weekdays = Counter(t.weekday() for t in local)
    if uneven(weekdays, window.usable_weekdays):
        yield Violation(Rule.SPREAD, code, f"uneven over the weekdays: {_counts(weekdays, 5)}.")
    slots = Counter(s for t in local if (s := slot_of(t.time())) is not None)
    if uneven(slots, window.usable_slots):
        yield Violation(Rule.SPREAD, code, f"uneven over the slots: {_counts(slots, 5)}.")
    weeks = Counter(week_of(window.request.start, t.date()) for t in local)
    if uneven(weeks, window.usable_weeks):
        count = max([*weeks, *window.usable_weeks]) + 1
        yield Violation(Rule.WEEKS, code, f"uneven over the weeks: {_counts(weeks, count)}.")


def _counts(counter: Counter[int], size: int) -> str:
    return ", ".join(str(counter.get(key, 0)) for key in range(size))


def _friday_afternoon(window: ChannelWindow, items: Sequence[PlannedItem]) -> Iterable[Violation]:
    fridays = [window.local(i.at) for i in items if window.local(i.at).weekday() == FRIDAY]
    afternoon = [t for t in fridays if (s := slot_of(t.time())) is not None and is_afternoon(s)]
    need = min(window.request.settings.friday_afternoon_calls, len(fridays))
    if len(afternoon) < need:
        yield Violation(
            Rule.FRIDAY_AFTERNOON,
            window.municipality.code,
            f"{len(afternoon)} of {len(fridays)} Friday calls after 12:00; at least {need} needed.",
        )


def _gaps(window: ChannelWindow, items: Sequence[PlannedItem]) -> Iterable[Violation]:
    ordered = sorted(items, key=lambda i: i.at)
    gap = window.request.settings.min_gap
    for first, second in zip(ordered, ordered[1:], strict=False):
        if second.at - first.at < gap:
            yield Violation(
                Rule.GAP,
                window.municipality.code,
                f"{first.question} and {second.question} are less than "
                f"{int(gap.total_seconds() // 60)} minutes apart.",
                (first.question, second.question),
            )


def _rotation(window: ChannelWindow, items: Sequence[PlannedItem]) -> Iterable[Violation]:
    code = window.municipality.code
    limit = window.request.settings.max_calls_per_auditor
    missing = [i.question for i in items if i.auditor is None]
    if missing:
        yield Violation(Rule.ROTATION, code, "calls without an auditor.", tuple(missing))
    per_wave: dict[str, list[str]] = defaultdict(list)
    per_day: dict[tuple[str, dt.date], list[str]] = defaultdict(list)
    for item in items:
        if item.auditor is not None:
            per_wave[item.auditor].append(item.question)
            per_day[(item.auditor, window.local(item.at).date())].append(item.question)
    for auditor, questions in sorted(per_wave.items()):
        if len(questions) > limit:
            message = f"auditor {auditor} makes {len(questions)} calls; at most {limit}."
            yield Violation(Rule.ROTATION, code, message, tuple(questions))
    for (auditor, day), questions in sorted(per_day.items()):
        if len(questions) > 1:
            message = f"auditor {auditor} calls more than once on {day.isoformat()}."
            yield Violation(Rule.ROTATION, code, message, tuple(questions))


def _written(window: ChannelWindow, items: Sequence[PlannedItem]) -> Iterable[Violation]:
    code, channel = window.municipality.code, window.channel
    settings = window.request.settings
    local = {i.question: window.local(i.at) for i in items}
    start = window.request.start
    late = [q for q, t in local.items() if week_of(start, t.date()) >= settings.written_weeks]
    if late:
        message = f"{channel} after week {settings.written_weeks}."
        yield Violation(Rule.WRITTEN, code, message, tuple(late))
    checks = (
        ("day", lambda t: t.date().isoformat()),
        ("weekday", lambda t: str(t.weekday())),
    )
    for what, key_of in checks:
        groups: dict[str, list[str]] = defaultdict(list)
        for question, moment in local.items():
            groups[key_of(moment)].append(question)
        for questions in groups.values():
            if len(questions) > 1:
                message = f"more than one {channel} on the same {what}."
                yield Violation(Rule.WRITTEN, code, message, tuple(questions))
    personas: dict[str, list[str]] = defaultdict(list)
    for item in items:
        if item.persona:
            personas[item.persona].append(item.question)
    for persona, questions in personas.items():
        if len(questions) > 1:
            message = f"{channel} questions share the persona {persona!r}."
            yield Violation(Rule.WRITTEN, code, message, tuple(questions))


def _auditor_busy(plan: Plan) -> Iterable[Violation]:
    gap = plan.request.settings.auditor_gap
    calls: dict[str, list[PlannedItem]] = defaultdict(list)
    for item in plan.items:
        if item.channel == PHONE and item.auditor is not None:
            calls[item.auditor].append(item)
    for auditor, items in sorted(calls.items()):
        ordered = sorted(items, key=lambda i: i.at)
        for first, second in zip(ordered, ordered[1:], strict=False):
            if second.at - first.at < gap:
                yield Violation(
                    Rule.AUDITOR_BUSY,
                    second.municipality,
                    f"auditor {auditor} has two calls less than "
                    f"{int(gap.total_seconds() // 60)} minutes apart.",
                    (first.question, second.question),
                )
