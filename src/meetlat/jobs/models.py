"""Background jobs: long work (imports, all reports of a wave) with progress and a result.

The row holds the durable state (queued, running, done, failed) and the result; the progress
while running lives in a small file next to the job's output (``meetlat.jobs.progress``), so
an import that holds the database's write lock for its whole transaction can still report it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from meetlat.organisations.models import Organisation


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


FINISHED = (JobStatus.DONE, JobStatus.FAILED)
#: A job not finished after this long has stopped with its process (a restart without broker).
STALE_AFTER: Final = dt.timedelta(hours=2)
#: How long the files a job made are kept after it finished.
FILES_KEPT: Final = dt.timedelta(days=30)


class Job(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="jobs")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=50)
    title = models.CharField(_("title"), max_length=200)
    params: models.JSONField[Any] = models.JSONField(_("parameters"), default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    result: models.JSONField[Any] = models.JSONField(_("result"), default=dict)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"))
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    files_expired = models.BooleanField(_("files removed"), default=False)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ("-created_at", "-pk")
        indexes = [models.Index(fields=["organisation", "-created_at"], name="job_org_created")]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    def is_stale(self, now: dt.datetime) -> bool:
        """Waiting or running for longer than any job takes: its runner is gone."""
        return not self.finished and now - (self.started_at or self.created_at) > STALE_AFTER
