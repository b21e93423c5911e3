"""The upload page for e-mail (mbox, .eml, a ZIP of .eml files) and chat conversations:
preview with the written channels' columns, own domains, and the import job."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from meetlat.contacts.models import Contact
from meetlat.jobs.models import Job, JobStatus
from tests.conftest import Cast, client_for

pytestmark = pytest.mark.django_db
IMPORTERS = Path(__file__).resolve().parents[2] / "src/meetlat/contacts/importers"
MAILBOX = IMPORTERS / "eml/samples/voorbeeld.mbox"
EML_FOLDER = IMPORTERS / "eml/samples/map"
CHATS = IMPORTERS / "chat/samples/conversations.json"
LIST = "/contacts/import/"


def _upload(client: Client, data: bytes, name: str, fmt: str, **extra: str) -> str:
    post: dict[str, Any] = {
        "file": SimpleUploadedFile(name, data),
        "format": fmt,
        "tz": "Europe/Amsterdam",
        **extra,
    }
    response = client.post(LIST, post)
    assert response.status_code == 302, response.content.decode()[:2000]
    return str(response["Location"])


def _import(client: Client, preview_url: str) -> Job:
    preview = client.get(preview_url)
    client.post(preview_url, preview.context["options"].data)
    return Job.objects.latest("pk")


def test_an_mbox_is_previewed_with_written_columns_and_imported(cast: Cast) -> None:
    client = client_for(cast.anouk)
    url = _upload(client, MAILBOX.read_bytes(), "postbus.mbox", "mbox", own_domains="Voorbeeld.nl")
    response = client.get(url)
    body = response.content.decode()
    assert response.context["preview"].ok and response.context["preview"].rows == 6
    assert "voorbeeld.nl" in body  # the own domains are shown, normalised
    headers = response.context["shown"]["labels"]
    assert [str(h) for h in headers][3:9] == [
        "Ontvangen",
        "Contactpunt",
        "Onderwerp (gemaskeerd)",
        "Ontvangst bevestigd",
        "Beantwoord",
        "Eerste reactie",
    ]
    job = _import(client, url)
    assert job.status == JobStatus.DONE and job.result["imported"] == 3
    assert Contact.objects.filter(organisation=cast.voorbeeld, channel="email").count() == 3


def test_without_own_domains_the_preview_says_what_to_give(cast: Cast) -> None:
    client = client_for(cast.anouk)
    url = _upload(client, MAILBOX.read_bytes(), "postbus.mbox", "mbox")
    preview = client.get(url).context["preview"]
    assert not preview.ok
    assert "own e-mail domains are not known" in preview.errors[0].message
    assert not Job.objects.exists()


def test_a_zip_of_eml_files_imports_as_one_folder(cast: Cast) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(EML_FOLDER.glob("*.eml")):
            archive.writestr(path.name, path.read_bytes())
    client = client_for(cast.anouk)
    url = _upload(client, buffer.getvalue(), "map.zip", "eml", own_domains="voorbeeld.nl")
    job = _import(client, url)
    assert job.status == JobStatus.DONE and job.result["imported"] >= 1
    assert Contact.objects.filter(channel="email").count() == job.result["imported"]


def test_chat_conversations_are_previewed_and_imported(cast: Cast) -> None:
    client = client_for(cast.ada)
    url = _upload(client, CHATS.read_bytes(), "chats.json", "chat-json")
    preview = client.get(url).context["preview"]
    assert preview.ok and preview.new > 0
    job = _import(client, url)
    assert job.status == JobStatus.DONE and job.result["imported"] == preview.new
    assert not Contact.objects.filter(channel="phone").exists()


def test_own_domains_are_ignored_for_a_call_export(cast: Cast) -> None:
    client = client_for(cast.anouk)
    data = b"contact_id,started_at,outcome,wait_s\nx1,2026-03-10T09:00:00+01:00,answered,5\n"
    url = _upload(client, data, "calls.csv", "csv", own_domains="voorbeeld.nl")
    response = client.get(url)
    assert response.context["preview"].ok
    assert response.context["options"].domains() == []
