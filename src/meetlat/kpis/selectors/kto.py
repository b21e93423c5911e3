"""KTO (customer satisfaction survey) KPIs in SQL (METHODOLOGY.md §4.3).

`grade_mean` of 1–10 answers, `csat_rate` = 4 or 5 / all 1–5 answers, `nps` = %9–10 − %0–6
(×100) of the 0–10 question, each with its n; empty answers are NULL and left out. One query
of additive counts per group (so groups coarser than a day merge exactly); a survey answer
counts in the period of its local answer date. `calc.kpi_written.kto_kpis` is the reference.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Final

from django.db.models import Count, Max, Min, Q, QuerySet, Sum, Value
from django.db.models.functions import ExtractHour, TruncDate

from meetlat.calc.calendar import AMSTERDAM
from meetlat.calc.kpi import ratio
from meetlat.calc.kpi_counts import mean_of_sum
from meetlat.calc.kpi_written import KtoKpis
from meetlat.contacts.models import SurveyAnswer
from meetlat.kpis.selectors.groups import GROUPS, check_group_by, grouped_rows
from meetlat.kpis.selectors.written import WrittenReport
from meetlat.organisations.models import Organisation

KTO: Final = "kto"
KTO_COUNTS: Final[Mapping[str, Any]] = {
    "grade_sum": Sum("grade", default=0),
    "grade_n": Count("grade"),
    "csat_good": Count("pk", filter=Q(csat__gte=4)),
    "csat_n": Count("csat"),
    "promoters": Count("pk", filter=Q(recommend__gte=9)),
    "detractors": Count("pk", filter=Q(recommend__lte=6)),
    "nps_n": Count("recommend"),
}


def kto_kpis_from_counts(c: Mapping[str, int]) -> KtoKpis:
    return {
        "grade_mean": mean_of_sum(c["grade_sum"], c["grade_n"]),
        "grade_n": c["grade_n"],
        "csat_rate": ratio(c["csat_good"], c["csat_n"]),
        "csat_n": c["csat_n"],
        "nps": ratio(100 * (c["promoters"] - c["detractors"]), c["nps_n"]),
        "nps_n": c["nps_n"],
    }


def _local_bound(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=AMSTERDAM)


def _answers(organisation: Organisation, group_by: str | None) -> QuerySet[SurveyAnswer]:
    answers = SurveyAnswer.objects.filter(organisation=organisation).order_by()
    if group_by is None or GROUPS[group_by][0] in ("channel", "topic"):
        return answers
    return answers.alias(
        local_date=TruncDate("answered_at", tzinfo=AMSTERDAM),
        local_hour=ExtractHour("answered_at", tzinfo=AMSTERDAM),
        contact_point_name=Value(""),
    )


def kto_kpis_get(
    *,
    organisation: Organisation,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    group_by: str | None = None,
) -> WrittenReport:
    """KTO KPIs of the answers given on local dates `date_from`…`date_to`.

    One query, plus one for the range of the data when a bound is missing.
    """
    check_group_by(group_by)
    if date_from is None or date_to is None:
        bounds = SurveyAnswer.objects.filter(organisation=organisation).aggregate(
            first=Min("answered_at"), last=Max("answered_at")
        )
        if bounds["first"] is not None:
            date_from = date_from or bounds["first"].astimezone(AMSTERDAM).date()
            date_to = date_to or max(bounds["last"].astimezone(AMSTERDAM).date(), date_from)
    merged: dict[str, dict[str, int]] = {}
    if date_from is not None and date_to is not None:
        answers = _answers(organisation, group_by).filter(
            answered_at__gte=_local_bound(date_from),
            answered_at__lt=_local_bound(date_to + dt.timedelta(days=1)),
        )
        for key, row in grouped_rows(answers, group_by, KTO_COUNTS):
            before = merged.get(key, dict.fromkeys(KTO_COUNTS, 0))
            merged[key] = {name: before[name] + row[name] for name in KTO_COUNTS}
    total = {name: sum(c[name] for c in merged.values()) for name in KTO_COUNTS}
    return WrittenReport(
        organisation=organisation,
        channel=KTO,
        date_from=date_from,
        date_to=date_to,
        group_by=group_by,
        kpis=dict(kto_kpis_from_counts(total)),
        groups=[
            {"key": key, "kpis": dict(kto_kpis_from_counts(merged[key]))} for key in sorted(merged)
        ]
        if group_by
        else [],
    )


__all__ = ["kto_kpis_from_counts", "kto_kpis_get"]
