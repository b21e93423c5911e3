"""The contact import pages: upload, preview (nothing stored), commit (all or nothing)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from meetlat.accounts.models import AuditEntry
from meetlat.contacts.jobs import contacts_import_job_params
from meetlat.contacts.models import Contact, ImportBatch
from meetlat.contacts.uploads import upload_discard, upload_read
from meetlat.jobs.models import Job
from meetlat.jobs.services import job_start
from tests.conftest import Cast, client_for
from tests.contacts.samples import BAD_ROWS, KPI_ROWS, csv_bytes

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).resolve().parents[2] / "src/meetlat/contacts/importers/csv/samples"
LIST = "/contacts/import/"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(client: Client, data: bytes, name: str = "gesprekken.csv", **extra: object) -> str:
    post = {"file": SimpleUploadedFile(name, data), "format": "csv", "tz": "Europe/Amsterdam"}
    response = client.post(LIST, post | extra)
    assert response.status_code == 302, response.content.decode()[:2000]
    location: str = response["Location"]
    return location


def test_the_list_shows_an_empty_state_and_the_upload_form(cast: Cast) -> None:
    body = client_for(cast.anouk).get(LIST).content.decode()
    assert "No contacts have been imported" in body or "Er zijn nog geen" in body
    assert 'enctype="multipart/form-data"' in body and 'name="mapping_file"' in body


def test_a_preview_stores_nothing_and_import_commits_every_row(cast: Cast) -> None:
    client = client_for(cast.anouk)
    preview_url = upload(client, csv_bytes(KPI_ROWS))
    body = client.get(preview_url).content.decode()
    assert "c01" in body and "c10" in body and not Contact.objects.exists()
    response = client.post(preview_url, client.get(preview_url).context["options"].data)
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:job_detail", kwargs={"pk": job.pk})
    assert (job.kind, job.status, job.created_by) == ("contacts.import", "done", cast.anouk)
    assert job.result == {"name": "gesprekken.csv", "rows": 10, "imported": 10, "duplicates": 0}
    job_page = client.get(response["Location"]).content.decode()
    assert "gesprekken.csv" in job_page and 'id="job-status"' in job_page
    assert "hx-get" not in job_page  # finished: no more polling
    assert Contact.objects.filter(organisation=cast.voorbeeld).count() == 10
    batch = ImportBatch.objects.get()
    assert (batch.file_name, batch.imported, batch.actor) == ("gesprekken.csv", 10, cast.anouk)
    assert AuditEntry.objects.filter(action="contacts.import.committed").count() == 1
    listing = client.get(LIST).content.decode()
    assert "gesprekken.csv" in listing
    assert upload_read(organisation=cast.voorbeeld, sha256=batch.sha256) is None  # cleaned up


def test_problems_are_listed_with_line_column_and_value_and_nothing_is_imported(
    cast: Cast,
) -> None:
    client = client_for(cast.ada)
    preview_url = upload(client, csv_bytes(BAD_ROWS), "kapot.csv")
    response = client.get(preview_url)
    preview = response.context["preview"]
    assert [(e.line, e.column, e.value) for e in preview.errors] == [(4, "wait_s", "abc")]
    assert '<td class="utrecht-table__cell">4</td>' in response.content.decode()
    client.post(preview_url, response.context["options"].data)
    assert not Contact.objects.exists() and not ImportBatch.objects.exists()
    assert not Job.objects.exists()  # a preview with problems never starts the job


def test_a_mapped_export_is_previewed_and_imported_with_its_mapping(cast: Cast) -> None:
    client = client_for(cast.anouk)
    mapping = SimpleUploadedFile("acd.toml", (SAMPLES / "acd-export-nl.toml").read_bytes())
    data = (SAMPLES / "acd-export-nl.csv").read_bytes()
    preview_url = upload(client, data, "acd.csv", mapping_file=mapping)
    response = client.get(preview_url)
    assert response.context["preview"].rows == 11 and response.context["preview"].new == 11
    client.post(preview_url, response.context["options"].data)
    assert Contact.objects.count() == 11


def test_a_bad_mapping_is_refused_on_the_form_naming_the_key(cast: Cast) -> None:
    client = client_for(cast.anouk)
    bad = SimpleUploadedFile("acd.toml", b'delimiter = ";;"\n[columns]\n')
    post = {"file": SimpleUploadedFile("a.csv", b"x"), "format": "csv", "tz": "Europe/Amsterdam",
            "mapping_file": bad}  # fmt: skip
    response = client.post(LIST, post)
    assert response.status_code == 200
    assert "acd.toml, key delimiter" in response.content.decode()


def test_a_queue_log_preview_reports_open_calls(cast: Cast) -> None:
    client = client_for(cast.anouk)
    log = Path(__file__).resolve().parents[2] / "src/meetlat/contacts/importers/asterisk/samples"
    data = (log / "queue_log-new-layout.txt").read_bytes()
    preview_url = upload(client, data, "queue_log", format="asterisk")
    preview = client.get(preview_url).context["preview"]
    assert (preview.rows, preview.new, preview.open_calls) == (7, 7, 2)


@pytest.mark.parametrize("sha256", ["../../etc/passwd", "0" * 64, "ABC"])
def test_an_unknown_or_malformed_reference_is_not_found(cast: Cast, sha256: str) -> None:
    client = client_for(cast.anouk)
    assert client.get(f"{LIST}{sha256}/").status_code == 404


def test_the_navigation_offers_contact_data_to_admins_and_quality_coaches(cast: Cast) -> None:
    assert LIST in client_for(cast.anouk).get("/").content.decode()
    assert LIST not in client_for(cast.tim).get("/").content.decode()


def test_a_mapping_gone_before_the_preview_or_the_job_is_named_and_nothing_imported(
    cast: Cast,
) -> None:
    client = client_for(cast.anouk)
    mapping = SimpleUploadedFile("acd.toml", (SAMPLES / "acd-export-nl.toml").read_bytes())
    data = (SAMPLES / "acd-export-nl.csv").read_bytes()
    preview_url = upload(client, data, "acd.csv", mapping_file=mapping)
    options = client.get(preview_url).context["options"].data
    upload_discard(organisation=cast.voorbeeld, sha256=options["mapping"])
    gone = "Het mappingbestand is niet meer beschikbaar"
    assert gone in client.get(preview_url).content.decode()
    # the job reads the options again: started before the file went, it fails the same way
    job = job_start(
        organisation=cast.voorbeeld,
        actor=cast.anouk,
        kind="contacts.import",
        title="acd",
        params=contacts_import_job_params(sha256=preview_url.split("/")[-2], options=options),
    )
    job.refresh_from_db()
    assert job.status == "failed" and gone in job.error
    assert not Contact.objects.exists() and not ImportBatch.objects.exists()
