"""The channel mix page's tables and chart, from `selectors.channel_mix.channel_mix_get`.

Three tables, each on the page, in CSV and in XLSX: contacts per channel per week or month
(with the stacked bar chart above it), the channels side by side, and topics per channel.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from meetlat.kpis.charts import Spec, spec_base
from meetlat.kpis.selectors.channel_mix import ChannelFigures, ChannelMix
from meetlat.kpis.tables import Cell, Column, Table
from meetlat.organisations.models import Channel


@dataclass(frozen=True)
class ChannelMixPage:
    mix: ChannelMix
    volume: Table
    channels: Table
    topics: Table

    @property
    def total(self) -> int:
        return self.mix.total

    def tables(self) -> list[Table]:
        return [self.volume, self.channels, self.topics]


def _label(channel: str) -> str:
    return str(Channel(channel).label)


def bucket_label(bucket: str) -> str:
    """`2026-06` → "June 2026"; `2026-W23` → "week 23, 2026" (in the active language)."""
    year, _sep, rest = bucket.partition("-")
    if rest.startswith("W"):
        return gettext("week %(week)d, %(year)s") % {"week": int(rest[1:]), "year": year}
    first = dt.date(int(year), int(rest), 1)
    return str(formats.date_format(first, "YEAR_MONTH_FORMAT"))


def _volume(mix: ChannelMix) -> Table:
    channels = list(mix.volume)
    columns = [
        Column("period", _("Period"), "text"),
        *(Column(channel, Channel(channel).label) for channel in channels),
        Column("total", _("Total")),
    ]
    rows: list[list[Cell]] = []
    for bucket in mix.buckets:
        counts = [mix.volume[c].get(bucket, 0) for c in channels]
        rows.append([bucket_label(bucket), *counts, sum(counts)])
    if mix.interval == "week":
        return Table("volume", _("Contacts per channel per week"), columns, rows)
    return Table("volume", _("Contacts per channel per month"), columns, rows)


def _met(value: bool | None) -> str:
    if value is None:
        return "–"
    return gettext("met") if value else gettext("not met")


def _channel_row(figures: ChannelFigures) -> list[Cell]:
    satisfaction, cost = figures.satisfaction, figures.cost
    return [
        figures.label,
        figures.contacts,
        figures.share,
        "–" if figures.main is None else str(figures.main.label),
        figures.main_value,
        figures.norm,
        _met(figures.norm_met),
        satisfaction.grade_mean,
        satisfaction.grade_n,
        satisfaction.csat_rate,
        satisfaction.csat_n,
        cost.per_contact,
        cost.total,
    ]


def _channels(mix: ChannelMix) -> Table:
    columns = [
        Column("channel", _("Channel"), "text"),
        Column("contacts", _("Contacts")),
        Column("share", _("Share of all contacts"), "ratio"),
        Column("main_kpi", _("Main KPI"), "text"),
        Column("main_value", _("Value"), "ratio"),
        Column("norm", _("Norm"), "ratio"),
        Column("norm_met", _("Norm met"), "text"),
        Column("grade_mean", _("KTO grade"), "grade"),
        Column("grade_n", _("KTO grade (n)")),
        Column("csat_rate", _("CSAT (4 or 5)"), "ratio"),
        Column("csat_n", _("CSAT (n)")),
        Column("cost_per_contact", _("Cost per contact"), "money"),
        Column("total_cost", _("Total cost"), "money"),
    ]
    rows = [_channel_row(figures) for figures in mix.channels]
    return Table("channels", _("Channels side by side"), columns, rows)


def _topics(mix: ChannelMix) -> Table:
    main = {f.channel: f.main for f in mix.channels}
    columns = [
        Column("topic", _("Topic"), "text"),
        Column("channel", _("Channel"), "text"),
        Column("contacts", _("Contacts")),
        Column("share_of_topic", _("Share of the topic"), "ratio"),
        Column("main_kpi", _("Main KPI"), "text"),
        Column("main_value", _("Value"), "ratio"),
        Column("grade_mean", _("KTO grade"), "grade"),
        Column("grade_n", _("KTO grade (n)")),
    ]
    rows: list[list[Cell]] = []
    for topic in mix.topics:
        kpi = main.get(topic.channel)
        rows.append(
            [
                topic.topic or gettext("(no topic)"),
                _label(topic.channel),
                topic.contacts,
                topic.share_of_topic,
                "–" if kpi is None else str(kpi.label),
                topic.main_value,
                topic.satisfaction.grade_mean,
                topic.satisfaction.grade_n,
            ]
        )
    return Table("topics", _("Topics per channel"), columns, rows)


def channel_mix_page(mix: ChannelMix) -> ChannelMixPage:
    return ChannelMixPage(
        mix=mix, volume=_volume(mix), channels=_channels(mix), topics=_topics(mix)
    )


def volume_spec(page: ChannelMixPage) -> Spec:
    """Contacts per week or month as bars stacked by channel, in the order of the table."""
    table = page.volume
    spec = spec_base(table, gettext("Contacts per period, stacked by channel."))
    channels = list(table.columns[1:-1])
    spec["data"] = {
        "values": [
            {"period": row[0], "channel": str(column.label), "contacts": row[index + 1]}
            for row in table.rows
            for index, column in enumerate(channels)
        ]
    }
    spec.update(
        {
            "height": 260,
            "mark": {"type": "bar"},
            "encoding": {
                "x": {
                    "field": "period",
                    "type": "ordinal",
                    "title": gettext("Period"),
                    "sort": None,
                },
                "y": {
                    "field": "contacts",
                    "type": "quantitative",
                    "stack": "zero",
                    "title": gettext("Contacts"),
                },
                "color": {
                    "field": "channel",
                    "type": "nominal",
                    "title": gettext("Channel"),
                    "sort": [str(c.label) for c in channels],
                },
            },
        }
    )
    return spec
