"""The fieldwork planner of METHODOLOGY.md §2.2, pure Python.

:func:`plan_fieldwork` turns a :class:`PlanRequest` (municipalities with their questions,
calendars and opening hours; auditors; the fieldwork window; a seed) into a :class:`Plan` that
keeps every hard rule. The same request and seed always give the same plan. When no valid plan
exists (or none is found in ``settings.attempts`` tries) it raises :class:`PlanningError`
naming the rule that could not be met; it never relaxes a rule.

Calls of one municipality are planned in steps, each a small random choice within the rules:
targets per weekday, slot and week ("as even as possible": counts differ by at most one),
weekday/slot pairs, a date per pair (a max-flow over weeks), a time per call (at least the
minimum gap apart), and an auditor per call (a max-flow under the rotation rule). Written
questions get different weekdays in weeks 1–3. :func:`validate_plan` checks any plan, for
instance one edited by hand.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import Counter, defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field

from meetlat.calc.fieldwork import (
    FRIDAY,
    PHONE,
    WRITTEN_CHANNELS,
    ChannelWindow,
    Municipality,
    Plan,
    PlannedItem,
    PlannerSettings,
    PlanningError,
    PlanRequest,
    Question,
    Rule,
    Violation,
    is_afternoon,
    slot_of,
    week_of,
)
from meetlat.calc.flow import FlowNetwork
from meetlat.calc.planner_rules import validate_plan

__all__ = [
    "Municipality",
    "Plan",
    "PlanRequest",
    "PlannedItem",
    "PlannerSettings",
    "PlanningError",
    "Question",
    "Rule",
    "Violation",
    "plan_fieldwork",
    "validate_plan",
]

#: Options tried per call when fitting the times of one day (keeps the search small).
_TIME_OPTIONS = 8


class _AttemptError(Exception):
    """One attempt failed on ``rule``; the planner tries again with other random choices."""

    def __init__(self, rule: Rule, message: str) -> None:
        super().__init__(message)
        self.rule, self.message = rule, message


@dataclass
class _Auditors:
    """What the auditors already do across municipalities: call times and number of items."""

    names: tuple[str, ...]
    calls: dict[str, list[dt.datetime]] = field(default_factory=lambda: defaultdict(list))
    load: Counter[str] = field(default_factory=Counter)

    def add(self, item: PlannedItem) -> None:
        if item.auditor is None:
            return
        self.load[item.auditor] += 1
        if item.channel == PHONE:
            self.calls[item.auditor].append(item.at)

    def busy(self, auditor: str, moment: dt.datetime, gap: dt.timedelta) -> bool:
        return any(abs(moment - other) < gap for other in self.calls[auditor])


def plan_fieldwork(request: PlanRequest) -> Plan:
    """A plan keeping every rule, or :class:`PlanningError` naming the rule that cannot be met."""
    rng = random.Random(request.seed)  # noqa: S311 - a reproducible plan, not a secret
    auditors = _Auditors(request.auditors)
    for item in request.fixed:
        auditors.add(item)
    items = list(request.fixed)
    for municipality in sorted(request.municipalities, key=lambda m: m.code):
        items.extend(_plan_municipality(request, municipality, rng, auditors))
    items.sort(key=lambda i: (i.at, i.municipality, i.question))
    return Plan(request, tuple(items))


def _plan_municipality(
    request: PlanRequest, municipality: Municipality, rng: random.Random, auditors: _Auditors
) -> list[PlannedItem]:
    fixed = [i for i in request.fixed if i.municipality == municipality.code]
    done = {i.question for i in fixed}
    new = [q for q in municipality.questions if q.key not in done]
    unknown = sorted({q.channel for q in new} - {PHONE, *WRITTEN_CHANNELS})
    if unknown:
        raise ValueError(f"The planner does not plan channel {unknown[0]!r}.")
    items: list[PlannedItem] = []
    calls = [q for q in new if q.channel == PHONE]
    if calls:
        fixed_calls = [i for i in fixed if i.channel == PHONE]
        items.extend(_plan_calls(request, municipality, calls, fixed_calls, rng, auditors))
    for channel in sorted(WRITTEN_CHANNELS):
        questions = [q for q in new if q.channel == channel]
        if questions:
            fixed_written = [i for i in fixed if i.channel == channel]
            window = ChannelWindow(request, municipality, channel)
            items.extend(_plan_written(window, questions, fixed_written, rng, auditors))
    return items


# -- calls -----------------------------------------------------------------------------------


def _plan_calls(
    request: PlanRequest,
    municipality: Municipality,
    questions: Sequence[Question],
    fixed: Sequence[PlannedItem],
    rng: random.Random,
    auditors: _Auditors,
) -> list[PlannedItem]:
    _check_auditor_count(request, municipality.code, len(questions) + len(fixed))
    planner = _CallPlanner(ChannelWindow(request, municipality, PHONE), fixed, rng, auditors)
    if not planner.future:
        raise PlanningError(
            Rule.OPENING_HOURS,
            "no working day with phone opening hours left in the fieldwork window.",
            municipality.code,
        )
    failures: Counter[Rule] = Counter()
    messages: dict[Rule, str] = {}
    attempts = request.settings.attempts
    for attempt in range(attempts):
        # First spread the calls over as many days as possible, then allow fuller days; only
        # the failures of the last, least restricted attempts name the rule.
        slack = 0 if attempt < attempts // 2 else 1 if attempt < 3 * attempts // 4 else None
        try:
            items = planner.attempt(questions, slack)
        except _AttemptError as failed:
            if slack is None:
                failures[failed.rule] += 1
                messages[failed.rule] = failed.message
            continue
        for item in items:
            auditors.add(item)
        return items
    rule = max(failures, key=lambda r: (failures[r], -list(Rule).index(r)))
    raise PlanningError(rule, messages[rule], municipality.code)


def _check_auditor_count(request: PlanRequest, code: str, calls: int) -> None:
    limit = request.settings.max_calls_per_auditor
    needed = math.ceil(calls / limit)
    if len(request.auditors) < needed:
        raise PlanningError(
            Rule.ROTATION,
            f"{calls} calls to {code} need at least {needed} auditors (at most {limit} calls "
            f"each); {len(request.auditors)} available.",
            code,
        )


def _future(window: ChannelWindow) -> dict[dt.date, tuple[dt.datetime, ...]]:
    """The candidate times after ``not_before``, per day."""
    after = window.request.not_before
    result: dict[dt.date, tuple[dt.datetime, ...]] = {}
    for day, times in window.candidates.items():
        kept = tuple(t for t in times if after is None or t > after)
        if kept:
            result[day] = kept
    return result


Cell = tuple[int, int]  # (weekday, slot)


class _CallPlanner:
    """Plans the new calls of one municipality; each :meth:`attempt` makes fresh choices."""

    def __init__(
        self,
        window: ChannelWindow,
        fixed: Sequence[PlannedItem],
        rng: random.Random,
        auditors: _Auditors,
    ) -> None:
        self.window, self.fixed, self.rng, self.auditors = window, fixed, rng, auditors
        self.settings = window.request.settings
        self.start = window.request.start
        self.future = _future(window)
        self.fixed_local = [window.local(i.at) for i in fixed]
        self.fixed_days = Counter(t.date() for t in self.fixed_local)
        self.cell_days: dict[Cell, list[dt.date]] = defaultdict(list)
        self.slot_times: dict[tuple[dt.date, int], list[dt.datetime]] = defaultdict(list)
        for day, times in self.future.items():
            for moment in times:
                slot = slot_of(moment.time())
                if slot is not None:
                    self.slot_times[(day, slot)].append(moment)
            for slot in sorted({s for d, s in self.slot_times if d == day}):
                self.cell_days[(day.weekday(), slot)].append(day)

    def attempt(self, questions: Sequence[Question], slack: int | None) -> list[PlannedItem]:
        total = len(questions) + len(self.fixed)
        window, rng = self.window, self.rng
        weekdays = [t.weekday() for t in self.fixed_local]
        weekday_target = _targets(rng, window.usable_weekdays, total, weekdays, Rule.SPREAD)
        slots = [slot_of(t.time()) for t in self.fixed_local]
        slot_target = _targets(rng, window.usable_slots, total, slots, Rule.SPREAD)
        weeks = [week_of(self.start, t.date()) for t in self.fixed_local]
        week_target = _targets(rng, window.usable_weeks, total, weeks, Rule.WEEKS)
        cells = self._cells(weekday_target, slot_target)
        dates = self._dates(cells, week_target, slack)
        times = self._times(cells, dates)
        chosen = self._auditors(times)
        return [
            PlannedItem(window.municipality.code, q.key, PHONE, moment, auditor, q.persona)
            for q, moment, auditor in zip(questions, times, chosen, strict=True)
        ]

    def _cells(
        self, weekday_target: Mapping[int, int], slot_target: Mapping[int, int]
    ) -> list[Cell]:
        """A (weekday, slot) pair per new call, with the targets as margins and rule 3 kept."""
        fixed = [(t.weekday(), s) for t in self.fixed_local if (s := slot_of(t.time())) is not None]
        weekdays = _demand(weekday_target, Counter(t.weekday() for t in self.fixed_local))
        slots = _demand(slot_target, Counter(s for _, s in fixed))
        self.rng.shuffle(slots)
        cells = list(zip(weekdays, slots, strict=True))
        need = min(self.settings.friday_afternoon_calls, weekday_target.get(FRIDAY, 0))
        have = sum(1 for wd, s in fixed if wd == FRIDAY and is_afternoon(s))
        afternoons = [c for c in self.cell_days if c[0] == FRIDAY and is_afternoon(c[1])]
        _friday_afternoon(cells, need - have if afternoons else need - have + len(cells))
        if any(cell not in self.cell_days for cell in cells):
            raise _AttemptError(
                Rule.SPREAD, "the calls cannot be spread evenly over the weekdays and slots."
            )
        self.rng.shuffle(cells)
        return cells

    def _dates(
        self, cells: Sequence[Cell], week_target: Mapping[int, int], slack: int | None
    ) -> list[dt.date]:
        """A date per cell: week counts as targeted, at most one call per auditor per day, and
        (with ``slack`` 0) the calls of a weekday spread over as many days as possible."""
        fixed_weeks = Counter(week_of(self.start, d) for d in self.fixed_days.elements())
        week_demand = Counter(week_target) - fixed_weeks
        per_weekday = Counter(weekday for weekday, _ in cells)
        net: FlowNetwork[Hashable] = FlowNetwork()
        day_nodes: set[dt.date] = set()
        for index in range(len(cells)):
            net.add_edge("source", ("cell", index), 1)
            days = list(self.cell_days[cells[index]])
            self.rng.shuffle(days)
            for day in days:
                net.add_edge(("cell", index), ("day", day), 1)
                day_nodes.add(day)
        weekday_days = Counter(day.weekday() for day in self.future)
        auditors = len(self.window.request.auditors)
        for day in sorted(day_nodes):
            room = auditors - self.fixed_days[day]
            if slack is not None:
                even = math.ceil(per_weekday[day.weekday()] / weekday_days[day.weekday()])
                room = min(room, even + slack)
            net.add_edge(("day", day), ("week", week_of(self.start, day)), room)
        for week, demand in sorted(week_demand.items()):
            net.add_edge(("week", week), "sink", demand)
        if net.max_flow("source", "sink") < len(cells):
            if slack is None and self._dates_fit_without_auditor_limit(cells, week_demand):
                raise _AttemptError(
                    Rule.ROTATION,
                    f"with {auditors} auditors calling at most once a day, the calls do not fit "
                    "the days of the window.",
                )
            raise _AttemptError(Rule.WEEKS, "the calls cannot be spread evenly over the weeks.")
        ordered = sorted(day_nodes)
        return [
            next(day for day in ordered if net.flow(("cell", i), ("day", day)))
            for i in range(len(cells))
        ]

    def _dates_fit_without_auditor_limit(
        self, cells: Sequence[Cell], week_demand: Mapping[int, int]
    ) -> bool:
        net: FlowNetwork[Hashable] = FlowNetwork()
        for index, cell in enumerate(cells):
            net.add_edge("source", ("cell", index), 1)
            for day in self.cell_days[cell]:
                net.add_edge(("cell", index), ("week", week_of(self.start, day)), 1)
        for week, demand in sorted(week_demand.items()):
            net.add_edge(("week", week), "sink", demand)
        return net.max_flow("source", "sink") == len(cells)

    def _times(self, cells: Sequence[Cell], dates: Sequence[dt.date]) -> list[dt.datetime]:
        """A start time per call within its slot, keeping the minimum gap on each day."""
        times: dict[int, dt.datetime] = {}
        by_day: dict[dt.date, list[int]] = defaultdict(list)
        for index, day in enumerate(dates):
            by_day[day].append(index)
        for day, indices in sorted(by_day.items()):
            taken = [i.at for i in self.fixed if self.window.local(i.at).date() == day]
            options = {index: self.slot_times[(day, cells[index][1])] for index in indices}
            fitted = _fit(indices, options, taken, self.settings.min_gap, self.rng)
            if fitted is None:
                raise _AttemptError(
                    Rule.GAP, "the calls of one day cannot be kept far enough apart."
                )
            times.update(fitted)
        return [times[index] for index in range(len(cells))]

    def _auditors(self, times: Sequence[dt.datetime]) -> list[str]:
        """An auditor per call: rotation (rule 6) kept, and no auditor in two calls at once."""
        chosen = self._match(times, busy=True)
        if chosen is not None:
            return chosen
        if self._match(times, busy=False) is not None:
            raise _AttemptError(
                Rule.AUDITOR_BUSY, "the auditors are busy with other calls at these times."
            )
        raise _AttemptError(Rule.ROTATION, "the auditors cannot be rotated over the calls.")

    def _match(self, times: Sequence[dt.datetime], *, busy: bool) -> list[str] | None:
        names = list(self.auditors.names)
        self.rng.shuffle(names)
        done = Counter(i.auditor for i in self.fixed if i.auditor is not None)
        done_days = {
            (i.auditor, t.date()) for i, t in zip(self.fixed, self.fixed_local, strict=True)
        }
        days = [self.window.local(t).date() for t in times]
        net: FlowNetwork[Hashable] = FlowNetwork()
        for name in names:
            net.add_edge(
                "source", ("auditor", name), self.settings.max_calls_per_auditor - done[name]
            )
            for day in sorted(set(days)):
                if (name, day) not in done_days:
                    net.add_edge(("auditor", name), ("day", name, day), 1)
        gap = self.settings.auditor_gap
        for index, (moment, day) in enumerate(zip(times, days, strict=True)):
            for name in names:
                if not (busy and self.auditors.busy(name, moment, gap)):
                    net.add_edge(("day", name, day), ("call", index), 1)
            net.add_edge(("call", index), "sink", 1)
        if net.max_flow("source", "sink") < len(times):
            return None
        return [
            next(n for n in names if net.flow(("day", n, days[index]), ("call", index)))
            for index in range(len(times))
        ]


def _targets(
    rng: random.Random,
    usable: Sequence[int],
    total: int,
    fixed_keys: Sequence[int | None],
    rule: Rule,
) -> dict[int, int]:
    """Counts per key that differ by at most one, sum to ``total`` and hold the fixed ones."""
    if any(key not in usable for key in fixed_keys):
        raise _AttemptError(rule, "a call already done lies outside the usable days or slots.")
    fixed = Counter(fixed_keys)
    base, extra = divmod(total, len(usable))
    must = [key for key in usable if fixed.get(key, 0) == base + 1]
    if any(fixed.get(key, 0) > base + 1 for key in usable) or len(must) > extra:
        raise _AttemptError(rule, "the calls already done cannot be spread evenly any more.")
    rest = [key for key in usable if key not in must]
    lucky = set(must) | set(rng.sample(rest, extra - len(must)))
    return {key: base + (1 if key in lucky else 0) for key in usable}


def _demand(target: Mapping[int, int], fixed: Counter[int]) -> list[int]:
    return [key for key in sorted(target) for _ in range(target[key] - fixed.get(key, 0))]


def _friday_afternoon(cells: list[Cell], missing: int) -> None:
    """Swap slots so that enough new Friday calls are in the afternoon (rule 3)."""
    friday_afternoon = sum(1 for wd, s in cells if wd == FRIDAY and is_afternoon(s))
    for i, (weekday, slot) in enumerate(cells):
        if friday_afternoon >= missing:
            return
        if weekday != FRIDAY or is_afternoon(slot):
            continue
        for j, (other_weekday, other_slot) in enumerate(cells):
            if other_weekday != FRIDAY and is_afternoon(other_slot):
                cells[i], cells[j] = (weekday, other_slot), (other_weekday, slot)
                friday_afternoon += 1
                break
    if friday_afternoon < missing:
        raise _AttemptError(
            Rule.FRIDAY_AFTERNOON,
            "not enough Friday calls can be placed on Friday afternoon (after 12:00).",
        )


def _fit(
    indices: Sequence[int],
    options: Mapping[int, Sequence[dt.datetime]],
    taken: Sequence[dt.datetime],
    gap: dt.timedelta,
    rng: random.Random,
) -> dict[int, dt.datetime] | None:
    """Times for the calls of one day, each at least ``gap`` from every other (depth-first)."""
    if not indices:
        return {}
    index, rest = indices[0], indices[1:]
    free = [t for t in options[index] if all(abs(t - other) >= gap for other in taken)]
    for moment in rng.sample(free, min(len(free), _TIME_OPTIONS)):
        found = _fit(rest, options, [*taken, moment], gap, rng)
        if found is not None:
            return {index: moment, **found}
    return None


# -- written questions -------------------------------------------------------------------------


def _plan_written(
    window: ChannelWindow,
    questions: Sequence[Question],
    fixed: Sequence[PlannedItem],
    rng: random.Random,
    auditors: _Auditors,
) -> list[PlannedItem]:
    """Rule 7: one a day, in weeks 1–3, on different weekdays, from different personas."""
    code, channel = window.municipality.code, window.channel
    personas = [q.persona for q in questions if q.persona] + [i.persona for i in fixed if i.persona]
    shared = sorted({p for p in personas if personas.count(p) > 1})
    if shared:
        message = f"{channel} questions to {code} share the persona {shared[0]!r}."
        raise PlanningError(Rule.WRITTEN, message, code)
    weeks = window.request.settings.written_weeks
    start = window.request.start
    early = {day for day in window.candidates if week_of(start, day) < weeks}
    total = len(questions) + len(fixed)
    weekdays = sorted({day.weekday() for day in early})
    if total > len(weekdays):
        message = (
            f"{total} {channel} questions to {code} need {total} different weekdays in weeks "
            f"1-{weeks}; {len(weekdays)} available."
        )
        raise PlanningError(Rule.WRITTEN, message, code)
    future = {day: times for day, times in _future(window).items() if day in early}
    used = {window.local(i.at).weekday() for i in fixed}
    free = sorted({day.weekday() for day in future} - used)
    if len(free) < len(questions):
        message = f"not enough weekdays left in weeks 1-{weeks} for the {channel} questions."
        raise PlanningError(Rule.WRITTEN, message, code)
    items: list[PlannedItem] = []
    for question, weekday in zip(questions, rng.sample(free, len(questions)), strict=True):
        day = rng.choice(sorted(d for d in future if d.weekday() == weekday))
        moment = rng.choice(future[day])
        auditor = _least_loaded(auditors, rng)
        item = PlannedItem(code, question.key, channel, moment, auditor, question.persona)
        auditors.add(item)
        items.append(item)
    return items


def _least_loaded(auditors: _Auditors, rng: random.Random) -> str | None:
    if not auditors.names:
        return None
    names = list(auditors.names)
    rng.shuffle(names)
    return min(names, key=lambda name: auditors.load[name])
