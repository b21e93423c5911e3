"""The progress of a running job, and its output folder, under ``MEDIA_ROOT/jobs/<id>/``.

Progress is a small JSON file written atomically (write, then rename): a runner in another
thread or process (a Celery worker on the same data directory) writes it, the web page reads
it. Writes are throttled so a fast loop does not spend its time on the file system.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from django.conf import settings

#: progress(done, total, label); total None when not known (yet).
Progress = Callable[[int, int | None, str], None]
MIN_INTERVAL_S: Final = 0.25


@dataclass(frozen=True)
class Snapshot:
    done: int
    total: int | None
    label: str

    @property
    def percent(self) -> int | None:
        """Whole percent done, None when the total is unknown; never above 100."""
        if not self.total:
            return None
        return min(100, self.done * 100 // self.total)


def job_folder(job_id: int) -> Path:
    return Path(settings.MEDIA_ROOT) / "jobs" / str(job_id)


def output_folder(job_id: int) -> Path:
    """Where a job writes the files it offers for download."""
    folder = job_folder(job_id) / "files"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _progress_file(job_id: int) -> Path:
    return job_folder(job_id) / "progress.json"


def progress_write(job_id: int, snapshot: Snapshot) -> None:
    folder = job_folder(job_id)
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".progress-")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump({"done": snapshot.done, "total": snapshot.total, "label": snapshot.label}, out)
    Path(temporary).replace(_progress_file(job_id))


def progress_read(job_id: int) -> Snapshot | None:
    """The last progress written, or None (not started, or unreadable)."""
    try:
        raw = json.loads(_progress_file(job_id).read_text(encoding="utf-8"))
        total = raw["total"]
        return Snapshot(int(raw["done"]), None if total is None else int(total), str(raw["label"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


class _Recorder:
    """Writes at most every MIN_INTERVAL_S seconds, and always when the label changes or the
    work is complete."""

    def __init__(self, job_id: int, clock: Callable[[], float]) -> None:
        self.job_id = job_id
        self.clock = clock
        self.last_at = float("-inf")
        self.last_label: str | None = None

    def __call__(self, done: int, total: int | None, label: str) -> None:
        now = self.clock()
        complete = total is not None and done >= total
        fresh = now - self.last_at < MIN_INTERVAL_S
        if fresh and not complete and label == self.last_label:
            return
        self.last_at, self.last_label = now, label
        progress_write(self.job_id, Snapshot(done, total, label))


def progress_recorder(job_id: int, *, clock: Callable[[], float] = time.monotonic) -> Progress:
    """A throttled progress callback for the job."""
    return _Recorder(job_id, clock)
