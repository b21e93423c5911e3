"""Report downloads on the web: a viewer's own municipality report of a published wave, and a
research lead's municipality and benchmark reports of their own studies' waves."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from meetlat.accounts.models import AuditEntry
from meetlat.accounts.roles import Role
from meetlat.research.models import WaveStatus
from tests.conftest import Cast, client_for, make_user
from tests.research import factories as rf

pytestmark = pytest.mark.django_db


def test_a_viewer_downloads_the_pdf_of_their_own_published_wave(cast: Cast) -> None:
    wave = rf.observed_wave(rf.own_study(cast))
    response = client_for(cast.vera).get(reverse("research:result_report_pdf", args=[wave.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == (
        'attachment; filename="onderzoek-meetbureau-1-meting-gm9801.pdf"'
    )
    entry = AuditEntry.objects.get(action="reports.report.downloaded")
    assert entry.actor == cast.vera
    assert entry.organisation == cast.voorbeeld
    assert entry.data["municipality"] == "GM9801"
    assert entry.data["format"] == "pdf"


def test_a_viewer_downloads_the_xlsx_of_their_own_published_wave(cast: Cast) -> None:
    wave = rf.observed_wave(rf.own_study(cast))
    response = client_for(cast.vera).get(reverse("research:result_report_xlsx", args=[wave.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename=")
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames


def test_the_result_page_links_the_downloads(cast: Cast) -> None:
    wave = rf.observed_wave(rf.own_study(cast))
    body = client_for(cast.vera).get(reverse("research:result_detail", args=[wave.pk]))
    assert reverse("research:result_report_pdf", args=[wave.pk]) in body.content.decode()
    assert reverse("research:result_report_xlsx", args=[wave.pk]) in body.content.decode()


def test_a_viewer_gets_no_report_of_another_municipality(cast: Cast) -> None:
    own = rf.observed_wave(rf.own_study(cast))
    other = rf.observed_wave(rf.other_study(cast))
    # Dirk's municipality does not take part in Voorbeeld's study; Vera's not in Anders'.
    assert (
        client_for(cast.dirk).get(reverse("research:result_report_pdf", args=[own.pk])).status_code
        == 404
    )
    assert (
        client_for(cast.vera)
        .get(reverse("research:result_report_pdf", args=[other.pk]))
        .status_code
        == 404
    )
    assert not AuditEntry.objects.filter(action="reports.report.downloaded").exists()


def test_a_viewer_gets_no_report_of_an_unpublished_wave(cast: Cast) -> None:
    wave = rf.observed_wave(rf.own_study(cast))
    wave.status = WaveStatus.CLOSED
    wave.save(update_fields=["status"])
    for name in ("research:result_report_pdf", "research:result_report_xlsx"):
        assert client_for(cast.vera).get(reverse(name, args=[wave.pk])).status_code == 404


def test_a_viewer_gets_no_report_without_observations(cast: Cast) -> None:
    wave = rf.published_wave(rf.own_study(cast))
    url = reverse("research:result_report_pdf", args=[wave.pk])
    assert client_for(cast.vera).get(url).status_code == 404


def test_a_lead_downloads_municipality_and_benchmark_reports(cast: Cast) -> None:
    wave = rf.observed_wave(rf.own_study(cast))
    client = client_for(cast.ruben)
    page = client.get(reverse("research:wave_results", args=[wave.pk])).content.decode()
    pdf_url = reverse("research:wave_report_pdf", args=[wave.pk, "GM9801"])
    xlsx_url = reverse("research:wave_report_xlsx", args=[wave.pk, "GM9801"])
    benchmark_url = reverse("research:wave_benchmark_pdf", args=[wave.pk])
    assert pdf_url in page and xlsx_url in page and benchmark_url in page
    assert client.get(pdf_url).content.startswith(b"%PDF")
    openpyxl.load_workbook(io.BytesIO(client.get(xlsx_url).content))
    benchmark = client.get(benchmark_url)
    assert benchmark.content.startswith(b"%PDF")
    assert benchmark["Content-Disposition"] == (
        'attachment; filename="onderzoek-meetbureau-1-meting-benchmark.pdf"'
    )
    entries = AuditEntry.objects.filter(action="reports.report.downloaded")
    assert sorted(e.data["report"] for e in entries) == [
        "benchmark",
        "municipality",
        "municipality",
    ]
    assert {e.organisation for e in entries} == {cast.bureau}


def test_a_lead_gets_no_report_of_a_municipality_outside_the_study(cast: Cast) -> None:
    wave = rf.observed_wave(rf.own_study(cast))
    url = reverse("research:wave_report_pdf", args=[wave.pk, cast.anders.code])
    assert client_for(cast.ruben).get(url).status_code == 404


def test_a_lead_of_another_agency_gets_no_report(cast: Cast) -> None:
    wave = rf.observed_wave(rf.own_study(cast))
    lead = make_user("otto", rf.other_agency(), Role.RESEARCH_LEAD)
    client = client_for(lead)
    for url in (
        reverse("research:wave_report_pdf", args=[wave.pk, "GM9801"]),
        reverse("research:wave_report_xlsx", args=[wave.pk, "GM9801"]),
        reverse("research:wave_benchmark_pdf", args=[wave.pk]),
    ):
        assert client.get(url).status_code == 404, url
