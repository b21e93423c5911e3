"""The channel mix: the same figures side by side for every channel, and per topic and channel.

A contact here is the channel's volume: an offered call (answered or abandoned), a received
e-mail or web form, a chat/WhatsApp/social conversation, a counter visit or letter (the rollup
columns `offered` and `received`). Queries, whatever the number of contacts:

- one aggregate of the daily rollups per channel, topic and local date (volume over time,
  contacts per topic, and the basis of the costs); contact rows only when the period has no
  rollups at all;
- the cost versions (one), the current norms (one), KTO counts per channel and topic (one);
- per channel with contacts, its KPI selector grouped by topic (the one `meetlat kpis` uses,
  so the figures equal `kpis_report_json`): phone 5 queries, the others 5 each; letter none.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from django.db.models import Count, Q, Sum
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from meetlat.calc.calendar import AMSTERDAM
from meetlat.calc.costs import CostTotal, cost_total
from meetlat.calc.kpi import ratio
from meetlat.contacts.models import Contact, SurveyAnswer
from meetlat.kpis.models import DailyRollup
from meetlat.kpis.selectors.costs import channel_cost_versions
from meetlat.kpis.selectors.expressions import OFFERED
from meetlat.kpis.selectors.groups import GROUPS
from meetlat.kpis.selectors.kto import KTO_COUNTS, kto_kpis_from_counts
from meetlat.kpis.selectors.norms import kpi_value, norms_compare, norms_current
from meetlat.kpis.selectors.phone import phone_kpis_get, phone_thresholds_get
from meetlat.kpis.selectors.written import WRITTEN_CHANNELS, written_kpis_get
from meetlat.organisations.models import Channel, Organisation, ServiceNorm

INTERVALS: Final = ("week", "month")
#: Periods up to this many days are shown per ISO week unless asked otherwise; longer per month.
WEEKLY_UP_TO_DAYS: Final = 92
PHONE: Final = Channel.PHONE.value
CHANNEL_ORDER: Final = tuple(c.value for c in Channel)


@dataclass(frozen=True)
class MainKpi:
    """The KPI a channel is judged on first, and its key in the channel's `kpis` object."""

    key: str
    label: str | Promise


MAIN_KPIS: Final[Mapping[str, MainKpi]] = {
    PHONE: MainKpi("service_level.offered_excl_short_abandons", _("Service level")),
    **{
        c: MainKpi("answered_within_term_rate", _("Answered within term"))
        for c in (Channel.EMAIL.value, Channel.WEBFORM.value)
    },
    **{
        c: MainKpi("first_response_within_norm_rate", _("First response within the norm"))
        for c in (Channel.CHAT.value, Channel.WHATSAPP.value, Channel.SOCIAL.value)
    },
    Channel.COUNTER.value: MainKpi(
        "served_within_15min_walk_in_rate", _("Walk-ins served within 15 minutes")
    ),
}


@dataclass(frozen=True)
class Satisfaction:
    """KTO answers about a channel (METHODOLOGY.md §4.3), each figure with its n."""

    grade_mean: float | None = None
    grade_n: int = 0
    csat_rate: float | None = None
    csat_n: int = 0


@dataclass(frozen=True)
class ChannelFigures:
    channel: str
    contacts: int
    share: float | None
    main: MainKpi | None
    main_value: float | None
    norm: float | None
    """The share the norm asks for; None when the norm only sets a time limit (or is absent)."""
    norm_met: bool | None
    satisfaction: Satisfaction
    cost: CostTotal

    @property
    def label(self) -> str:
        return str(Channel(self.channel).label)


@dataclass(frozen=True)
class TopicFigures:
    topic: str
    channel: str
    contacts: int
    share_of_topic: float | None
    main_value: float | None
    satisfaction: Satisfaction


@dataclass(frozen=True)
class ChannelMix:
    date_from: dt.date
    date_to: dt.date
    interval: str
    buckets: list[str]
    """The weeks (`2026-W23`) or months (`2026-06`) of the period, in order."""
    volume: dict[str, dict[str, int]]
    """Channel → bucket → contacts."""
    channels: list[ChannelFigures]
    topics: list[TopicFigures]

    @property
    def total(self) -> int:
        return sum(c.contacts for c in self.channels)

    @property
    def costs_missing(self) -> bool:
        return any(c.cost.total is None for c in self.channels)


def interval_for(date_from: dt.date, date_to: dt.date, interval: str | None) -> str:
    if interval in INTERVALS:
        return interval
    return "week" if (date_to - date_from).days < WEEKLY_UP_TO_DAYS else "month"


def _days(date_from: dt.date, date_to: dt.date) -> list[dt.date]:
    return [date_from + dt.timedelta(days=i) for i in range((date_to - date_from).days + 1)]


DailyVolume = dict[tuple[str, str, dt.date], int]
"""(channel, topic, local date) → contacts."""


def _volume(organisation: Organisation, date_from: dt.date, date_to: dt.date) -> DailyVolume:
    """Contacts per channel, topic and date from the rollups, else from contact rows."""
    keys = ("channel", "topic", "local_date")
    period = {"organisation": organisation, "local_date__gte": date_from}
    rollups = (
        DailyRollup.objects.filter(**period, local_date__lte=date_to)
        .values(*keys)
        .annotate(offered=Sum("offered"), received=Sum("received"))
        .order_by()
    )
    rows = list(rollups)
    if not rows:
        rows = list(
            Contact.objects.filter(**period, local_date__lte=date_to)
            .values(*keys)
            .annotate(
                offered=Count("pk", filter=OFFERED),
                received=Count("pk", filter=~Q(channel=PHONE)),
            )
            .order_by()
        )
    volume: DailyVolume = {}
    for row in rows:
        count = row["offered"] if row["channel"] == PHONE else row["received"]
        if count:
            volume[(row["channel"], row["topic"], row["local_date"])] = count
    return volume


def _satisfaction(counts: Mapping[str, int]) -> Satisfaction:
    kpis = kto_kpis_from_counts(counts)
    return Satisfaction(kpis["grade_mean"], kpis["grade_n"], kpis["csat_rate"], kpis["csat_n"])


def _kto_counts(
    organisation: Organisation, date_from: dt.date, date_to: dt.date
) -> dict[tuple[str, str], dict[str, int]]:
    """KTO counts per (channel asked about, topic), in one query (as `kto_kpis_get` counts)."""
    start = dt.datetime.combine(date_from, dt.time(0), tzinfo=AMSTERDAM)
    end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time(0), tzinfo=AMSTERDAM)
    rows = (
        SurveyAnswer.objects.filter(
            organisation=organisation, answered_at__gte=start, answered_at__lt=end
        )
        .exclude(channel="")
        .values("channel", "topic")
        .annotate(**KTO_COUNTS)
        .order_by()
    )
    counts: dict[tuple[str, str], dict[str, int]] = {}
    for row in rows:
        values: dict[str, Any] = dict(row)
        counts[(values["channel"], values["topic"])] = {name: values[name] for name in KTO_COUNTS}
    return counts


def _summed(counts: list[dict[str, int]]) -> dict[str, int]:
    return {name: sum(c[name] for c in counts) for name in KTO_COUNTS}


def _channel_kpis(
    organisation: Organisation,
    channel: str,
    period: tuple[dt.date, dt.date],
    now: dt.datetime | None,
) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """The channel's `kpis` object and its `kpis` per topic (empty for a channel without)."""
    if channel == PHONE:
        t_s, s_s = phone_thresholds_get(organisation=organisation)
        report = phone_kpis_get(
            organisation=organisation,
            date_from=period[0],
            date_to=period[1],
            sl_threshold_s=t_s,
            short_abandon_s=s_s,
            group_by="topic",
            with_waits=False,  # the page shows no wait percentiles
        )
        groups = {g["key"]: dict(g["kpis"]) for g in report.groups}
        return dict(report.kpis), groups
    if channel in WRITTEN_CHANNELS:
        written = written_kpis_get(
            organisation=organisation,
            channel=channel,
            date_from=period[0],
            date_to=period[1],
            group_by="topic",
            now=now,
        )
        return written.kpis, {g["key"]: g["kpis"] for g in written.groups}
    return {}, {}


def _norm(
    channel: str, main: MainKpi | None, kpis: Mapping[str, Any], norms: Mapping[str, ServiceNorm]
) -> tuple[float | None, bool | None]:
    """The share the norm asks (None for a time limit only) and whether it was met."""
    if main is None:
        return None, None
    entry = norms_compare(channel=channel, kpis=kpis, norms=norms).get(main.key)
    if entry is None or entry["comparison"] is None:
        return None, None
    return entry["target"], entry["met"]


def channel_mix_get(
    *,
    organisation: Organisation,
    date_from: dt.date,
    date_to: dt.date,
    interval: str | None = None,
    now: dt.datetime | None = None,
) -> ChannelMix:
    """The channel mix of local dates `date_from`…`date_to` (see the module docstring).

    `interval` is `week` or `month` (None: by the length of the period); `now` is the moment
    the written channels' open items are judged at (default: now).
    """
    interval = interval_for(date_from, date_to, interval)
    bucket_of = GROUPS[interval][1]
    buckets = list(dict.fromkeys(bucket_of(day) for day in _days(date_from, date_to)))
    daily = _volume(organisation, date_from, date_to)
    volume: defaultdict[str, defaultdict[str, int]] = defaultdict(lambda: defaultdict(int))
    per_day: defaultdict[str, defaultdict[dt.date, int]] = defaultdict(lambda: defaultdict(int))
    per_topic: defaultdict[tuple[str, str], int] = defaultdict(int)
    for (channel, topic, day), count in daily.items():
        volume[channel][bucket_of(day)] += count
        per_day[channel][day] += count
        per_topic[(topic, channel)] += count
    channels = [c for c in CHANNEL_ORDER if c in per_day]
    versions = channel_cost_versions(organisation=organisation)
    norms = norms_current(organisation=organisation) if channels else {}
    kto = _kto_counts(organisation, date_from, date_to) if channels else {}
    total = sum(daily.values())
    topic_totals: defaultdict[str, int] = defaultdict(int)
    for (topic, _channel), count in per_topic.items():
        topic_totals[topic] += count
    figures: list[ChannelFigures] = []
    topics: list[TopicFigures] = []
    for channel in channels:
        kpis, by_topic = _channel_kpis(organisation, channel, (date_from, date_to), now)
        main = MAIN_KPIS.get(channel)
        contacts = sum(per_day[channel].values())
        norm, met = _norm(channel, main, kpis, norms)
        figures.append(
            ChannelFigures(
                channel=channel,
                contacts=contacts,
                share=ratio(contacts, total),
                main=main,
                main_value=None if main is None else kpi_value(kpis, main.key),
                norm=norm,
                norm_met=met,
                satisfaction=_satisfaction(
                    _summed([c for (ch, _t), c in kto.items() if ch == channel])
                ),
                cost=cost_total(per_day[channel].items(), versions.get(channel, [])),
            )
        )
        for (topic, of_channel), count in per_topic.items():
            if of_channel != channel:
                continue
            topic_kpis = by_topic.get(topic, {})
            topics.append(
                TopicFigures(
                    topic=topic,
                    channel=channel,
                    contacts=count,
                    share_of_topic=ratio(count, topic_totals[topic]),
                    main_value=None if main is None else kpi_value(topic_kpis, main.key),
                    satisfaction=_satisfaction(kto.get((channel, topic), _summed([]))),
                )
            )
    topics.sort(key=lambda t: (t.topic == "", t.topic.lower(), CHANNEL_ORDER.index(t.channel)))
    return ChannelMix(
        date_from=date_from,
        date_to=date_to,
        interval=interval,
        buckets=buckets,
        volume={c: dict(volume[c]) for c in channels},
        channels=figures,
        topics=topics,
    )
