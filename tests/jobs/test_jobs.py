"""Background jobs: progress, running inline / in a thread / on Celery, failures, pages."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse

from meetlat import clock
from meetlat.accounts.models import AuditEntry
from meetlat.jobs.models import FILES_KEPT, STALE_AFTER, Job, JobStatus
from meetlat.jobs.progress import (
    Progress,
    Snapshot,
    job_folder,
    progress_read,
    progress_recorder,
    progress_write,
)
from meetlat.jobs.registry import KINDS, JobInputError, JobKind
from meetlat.jobs.services import job_execute, job_start
from tests.conftest import Cast, client_for
from tests.jobs.factories import FILE_NAME, finished_job

TEST_KIND = "tests.count"


def counting_handler(*, job: Job, progress: Progress) -> dict[str, Any]:
    """Counts to params["n"], reporting progress; fails as the params ask."""
    if job.params.get("fail") == "input":
        raise JobInputError("Het bestand is kapot.", ["regel 3: kolom wait_s"])
    if job.params.get("fail") == "crash":
        raise RuntimeError("boom")
    n = int(job.params["n"])
    for done in range(n + 1):
        progress(done, n, f"stap {done}")
    return {"counted": n, "thread": threading.current_thread().name}


@pytest.fixture
def test_kind(monkeypatch: pytest.MonkeyPatch) -> str:
    kind = JobKind(
        handler="tests.jobs.test_jobs.counting_handler",
        roles=KINDS["contacts.import"].roles,
        result_template="jobs/result_files.html",
        label=KINDS["contacts.import"].label,
    )
    monkeypatch.setitem(KINDS, TEST_KIND, kind)
    return TEST_KIND


def test_percent_is_whole_and_capped_and_unknown_without_total() -> None:
    assert Snapshot(1, 3, "").percent == 33
    assert Snapshot(5, 4, "").percent == 100
    assert Snapshot(5, None, "").percent is None and Snapshot(0, 0, "").percent is None


def test_the_recorder_throttles_but_always_writes_a_new_label_and_the_end(
    settings: Any,
) -> None:
    ticks = iter([0.0, 0.1, 0.2, 0.3, 0.31])
    record = progress_recorder(7, clock=lambda: next(ticks))
    record(1, 10, "a")
    record(2, 10, "a")  # 0.1 s later, same label: skipped
    assert progress_read(7) == Snapshot(1, 10, "a")
    record(3, 10, "b")  # new label: written
    assert progress_read(7) == Snapshot(3, 10, "b")
    record(4, 10, "b")  # 0.3 - 0.2 < 0.25: skipped
    assert progress_read(7) == Snapshot(3, 10, "b")
    record(10, 10, "b")  # complete: always written
    assert progress_read(7) == Snapshot(10, 10, "b")


def test_an_unreadable_progress_file_reads_as_none(settings: Any) -> None:
    progress_write(8, Snapshot(1, 2, "x"))
    (settings.MEDIA_ROOT / "jobs" / "8" / "progress.json").write_text("{kapot")
    assert progress_read(8) is None


@pytest.mark.django_db
def test_inline_the_job_runs_in_start_and_stores_result_progress_and_audit(
    cast: Cast, test_kind: str
) -> None:
    job = job_start(
        organisation=cast.voorbeeld, actor=cast.anouk, kind=test_kind, title="Tel", params={"n": 3}
    )
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.result["counted"] == 3
    assert job.started_at is not None and job.finished_at is not None
    assert progress_read(job.pk) == Snapshot(3, 3, "stap 3")
    entry = AuditEntry.objects.get(action="jobs.job.started")
    assert (entry.actor, entry.data["kind"]) == (cast.anouk, test_kind)


@pytest.mark.django_db
def test_a_user_error_fails_the_job_with_its_message_and_details(
    cast: Cast, test_kind: str
) -> None:
    job = job_start(
        organisation=cast.voorbeeld, actor=None, kind=test_kind, title="x", params={"fail": "input"}
    )
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.error == "Het bestand is kapot."
    assert job.result == {"details": ["regel 3: kolom wait_s"]}
    body = client_for(cast.anouk).get(reverse("jobs:job_detail", args=[job.pk])).content.decode()
    assert "Het bestand is kapot." in body and "regel 3: kolom wait_s" in body
    assert 'role="alert"' in body


@pytest.mark.django_db
def test_an_unexpected_error_is_logged_and_shown_without_a_traceback(
    cast: Cast, test_kind: str, caplog: pytest.LogCaptureFixture
) -> None:
    job = job_start(
        organisation=cast.voorbeeld, actor=None, kind=test_kind, title="x", params={"fail": "crash"}
    )
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.result == {"unexpected": True}
    assert "boom" in caplog.text
    body = client_for(cast.anouk).get(reverse("jobs:job_detail", args=[job.pk])).content.decode()
    assert "boom" not in body and "RuntimeError" not in body
    assert "onverwachte fout" in body


@pytest.mark.django_db
def test_a_job_runs_once_even_when_delivered_twice(cast: Cast, test_kind: str) -> None:
    job = job_start(
        organisation=cast.voorbeeld, actor=None, kind=test_kind, title="x", params={"n": 1}
    )
    job.refresh_from_db()
    finished_at = job.finished_at
    again = job_execute(job_id=job.pk)
    assert again.status == JobStatus.DONE and again.finished_at == finished_at


@pytest.mark.django_db(transaction=True)
def test_the_thread_runner_starts_after_the_commit(
    cast: Cast, test_kind: str, settings: Any
) -> None:
    settings.JOBS_RUNNER = "thread"
    with transaction.atomic():
        job = job_start(
            organisation=cast.voorbeeld, actor=None, kind=test_kind, title="x", params={"n": 2}
        )
        assert not [t for t in threading.enumerate() if t.name == f"meetlat-job-{job.pk}"]
    for thread in threading.enumerate():
        if thread.name == f"meetlat-job-{job.pk}":
            thread.join(timeout=60)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.result["thread"] == f"meetlat-job-{job.pk}"


@pytest.mark.django_db
def test_with_a_broker_the_job_goes_to_celery_after_the_commit(
    cast: Cast,
    test_kind: str,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.BROKER_URL = "redis://broker.invalid:6379/0"  # the Celery app itself stays eager
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = job_start(
            organisation=cast.voorbeeld, actor=None, kind=test_kind, title="x", params={"n": 2}
        )
        assert Job.objects.get(pk=job.pk).status == JobStatus.QUEUED
    assert len(callbacks) == 1
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.result["thread"] == "MainThread"


@pytest.mark.django_db
def test_a_running_job_shows_a_progress_bar_that_polls_until_done(
    cast: Cast, test_kind: str
) -> None:
    job = finished_job(cast.voorbeeld, kind=test_kind)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, finished_at=None)
    progress_write(job.pk, Snapshot(12, 31, "gm9801.pdf"))
    client = client_for(cast.anouk)
    body = client.get(reverse("jobs:job_detail", args=[job.pk])).content.decode()
    assert 'max="100" value="38"' in body
    assert "12 van 31" in body and "gm9801.pdf" in body
    assert f'hx-get="{reverse("jobs:job_status", args=[job.pk])}"' in body
    fragment = client.get(reverse("jobs:job_status", args=[job.pk]))
    assert "HX-Refresh" not in fragment and 'hx-trigger="every 1s"' in fragment.content.decode()
    Job.objects.filter(pk=job.pk).update(status=JobStatus.DONE)
    done = client.get(reverse("jobs:job_status", args=[job.pk]))
    assert done["HX-Refresh"] == "true" and "hx-get" not in done.content.decode()


@pytest.mark.django_db
def test_only_files_the_job_lists_are_served_and_each_download_is_audited(
    cast: Cast, settings: Any
) -> None:
    job = finished_job(cast.voorbeeld, kind="contacts.import", files=(FILE_NAME,))
    (settings.MEDIA_ROOT / "jobs" / str(job.pk) / "files" / "geheim.pdf").write_bytes(b"x")
    client = client_for(cast.anouk)
    response = client.get(reverse("jobs:job_file", args=[job.pk, FILE_NAME]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    assert response["Content-Disposition"] == f'attachment; filename="{FILE_NAME}"'
    assert client.get(reverse("jobs:job_file", args=[job.pk, "geheim.pdf"])).status_code == 404
    entry = AuditEntry.objects.get(action="jobs.file.downloaded")
    assert (entry.actor, entry.data["file"]) == (cast.anouk, FILE_NAME)


@pytest.mark.django_db
def test_the_list_shows_only_the_kinds_of_the_role_and_an_empty_state(cast: Cast) -> None:
    empty = client_for(cast.anouk).get(reverse("jobs:job_list")).content.decode()
    assert "Er zijn voor deze organisatie nog geen achtergrondtaken" in empty
    finished_job(cast.voorbeeld, kind="contacts.import")
    finished_job(cast.voorbeeld, kind="reports.study_reports")
    listing = client_for(cast.anouk).get(reverse("jobs:job_list")).content.decode()
    assert "contacts.import GM9801" in listing and "reports.study_reports" not in listing


@pytest.mark.django_db
def test_a_job_left_running_by_a_stopped_process_says_so_and_stops_polling(
    cast: Cast, test_kind: str
) -> None:
    job = finished_job(cast.voorbeeld, kind=test_kind)
    started = clock.now() - STALE_AFTER - dt.timedelta(minutes=1)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=started)
    client = client_for(cast.anouk)
    body = client.get(reverse("jobs:job_detail", args=[job.pk])).content.decode()
    assert "opnieuw werd gestart" in body and "hx-get" not in body
    assert client.get(reverse("jobs:job_status", args=[job.pk]))["HX-Refresh"] == "true"


@pytest.mark.django_db
def test_files_of_old_jobs_are_removed_when_a_new_job_starts(cast: Cast, test_kind: str) -> None:
    reports = "reports.study_reports"
    old = finished_job(cast.bureau, kind=reports, files=(FILE_NAME,))
    young = finished_job(cast.bureau, kind=reports, files=(FILE_NAME,))
    other = finished_job(cast.anders, kind=reports, files=(FILE_NAME,))
    long_ago = clock.now() - FILES_KEPT - dt.timedelta(days=1)
    Job.objects.filter(pk__in=[old.pk, other.pk]).update(finished_at=long_ago)
    job_start(organisation=cast.bureau, actor=None, kind=test_kind, title="x", params={"n": 1})
    old.refresh_from_db()
    assert old.files_expired and not job_folder(old.pk).exists()
    assert job_folder(young.pk).exists() and job_folder(other.pk).exists()
    client = client_for(cast.ruben)
    assert client.get(reverse("jobs:job_file", args=[old.pk, FILE_NAME])).status_code == 404
    page = client.get(reverse("jobs:job_detail", args=[old.pk])).content.decode()
    assert "30 dagen nadat de taak klaar was verwijderd" in page
    assert reverse("jobs:job_file", args=[old.pk, FILE_NAME]) not in page
