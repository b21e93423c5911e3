"""All reports of a wave as a background job, started by the research lead on the web."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from django.urls import reverse

from meetlat.accounts.models import AuditEntry
from meetlat.jobs.models import Job, JobStatus
from meetlat.jobs.progress import Snapshot, output_folder, progress_read
from tests.conftest import Cast, client_for
from tests.research import factories as rf

pytestmark = pytest.mark.django_db


def test_the_lead_confirms_and_gets_every_report_with_a_zip(cast: Cast) -> None:
    wave = rf.observed_wave(rf.own_study(cast))
    client = client_for(cast.ruben)
    url = reverse("research:wave_reports_job", args=[wave.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200 and not Job.objects.exists()
    response = client.post(url, {"language": "nl"})
    job = Job.objects.get()
    assert response["Location"] == reverse("jobs:job_detail", args=[job.pk])
    assert (job.status, job.kind, job.created_by) == (
        JobStatus.DONE,
        "reports.study_reports",
        cast.ruben,
    )
    files = job.result["files"]
    assert files == [
        "onderzoek-meetbureau-1-meting-gm9801.pdf",
        "onderzoek-meetbureau-1-meting-gm9801.xlsx",
        "onderzoek-meetbureau-1-meting-benchmark.pdf",
    ]
    assert progress_read(job.pk) == Snapshot(3, 3, files[-1])
    page = client.get(response["Location"]).content.decode()
    for name in files:
        assert reverse("jobs:job_file", args=[job.pk, name]) in page
    archive = client.get(reverse("jobs:job_file", args=[job.pk, job.result["archive"]]))
    content = b"".join(archive.streaming_content)  # type: ignore[attr-defined]
    assert sorted(zipfile.ZipFile(io.BytesIO(content)).namelist()) == sorted(files)
    generated = AuditEntry.objects.get(action="reports.study_reports.generated")
    assert generated.actor == cast.ruben and generated.data["municipalities"] == 1


def test_a_wave_without_observations_fails_with_a_clear_message(cast: Cast) -> None:
    wave = rf.open_wave(rf.own_study(cast))
    client_for(cast.ruben).post(
        reverse("research:wave_reports_job", args=[wave.pk]), {"language": "nl"}
    )
    job = Job.objects.get()
    assert job.status == JobStatus.FAILED and "geen waarnemingen" in job.error


def test_another_agencys_wave_is_not_found_and_starts_nothing(cast: Cast) -> None:
    wave = rf.observed_wave(rf.other_study(cast))
    url = reverse("research:wave_reports_job", args=[wave.pk])
    response = client_for(cast.ruben).post(url, {"language": "nl"})
    assert response.status_code == 404 and not Job.objects.exists()


def test_reports_in_english_on_request_and_an_unknown_language_is_refused(cast: Cast) -> None:
    wave = rf.observed_wave(rf.own_study(cast))
    client = client_for(cast.ruben)
    url = reverse("research:wave_reports_job", args=[wave.pk])
    refused = client.post(url, {"language": "fr"})
    assert refused.status_code == 200 and not Job.objects.exists()
    assert 'aria-invalid="true"' in refused.content.decode()
    client.post(url, {"language": "en"})
    job = Job.objects.get()
    assert job.params["report_language"] == "en" and job.params["language"] == "nl"
    assert job.status == JobStatus.DONE
    workbook = openpyxl.load_workbook(output_folder(job.pk) / job.result["files"][1])
    assert workbook.sheetnames[:2] == ["Observations", "Scores"]  # Dutch: Waarnemingen, Scores
