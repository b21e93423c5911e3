"""Celery tasks of the reports: thin wrappers that load objects by primary key and call a
service. Without ``MEETLAT_BROKER_URL`` Celery runs them eagerly, inline (settings.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from meetlat.celery import app
from meetlat.reports.services import study_reports_generate
from meetlat.research.models import Study


@app.task(bind=True)  # type: ignore[untyped-decorator]
def study_reports_generate_task(
    self: Any, study_id: int, wave_id: int, output_dir: str, language: str | None = None
) -> list[str]:
    """Every report of a wave; progress goes to the result backend as state ``PROGRESS``."""
    study = Study.objects.get(pk=study_id)
    wave = study.waves.get(pk=wave_id)

    def progress(done: int, total: int, label: str) -> None:
        if not self.request.is_eager:
            self.update_state(
                state="PROGRESS", meta={"done": done, "total": total, "current": label}
            )

    paths = study_reports_generate(
        study=study, wave=wave, output_dir=Path(output_dir), progress=progress, language=language
    )
    return [str(p) for p in paths]
