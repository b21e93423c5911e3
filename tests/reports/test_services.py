"""Every report of a wave at once, with progress (the web job is in tests/jobs)."""

from __future__ import annotations

from pathlib import Path

import pytest

from meetlat.accounts.models import AuditEntry
from meetlat.reports.services import study_reports_generate
from meetlat.research.models import Study


def test_the_job_writes_every_report_and_reports_progress(
    two_municipalities: Study, tmp_path: Path
) -> None:
    calls: list[tuple[int, int, str]] = []
    wave = two_municipalities.waves.get()
    paths = study_reports_generate(
        study=two_municipalities,
        wave=wave,
        output_dir=tmp_path / "out",
        progress=lambda done, total, label: calls.append((done, total, label)),
        formats=("pdf", "xlsx"),
    )
    names = [p.name for p in paths]
    assert names == [
        "rapport-2026-0-meting-gm9901.pdf",
        "rapport-2026-0-meting-gm9901.xlsx",
        "rapport-2026-0-meting-gm9902.pdf",
        "rapport-2026-0-meting-gm9902.xlsx",
        "rapport-2026-0-meting-benchmark.pdf",
    ]
    assert all(p.stat().st_size > 0 for p in paths)
    assert calls == [(0, 5, ""), *((i + 1, 5, name) for i, name in enumerate(names))]
    entry = AuditEntry.objects.get(action="reports.study_reports.generated")
    assert entry.data["files"] == names and entry.data["municipalities"] == 2


@pytest.mark.parametrize("formats", [("xlsx",)])
def test_a_wave_without_observations_writes_nothing(
    study: Study, tmp_path: Path, formats: tuple[str, ...]
) -> None:
    wave = study.waves.create(name="1-meting", order=2, seed=1)
    written = study_reports_generate(study=study, wave=wave, output_dir=tmp_path, formats=formats)
    assert written == []
