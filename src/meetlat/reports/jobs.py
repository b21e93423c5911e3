"""The reports' background job: every report of a wave (PDF and XLSX per municipality, the
benchmark PDF) and one ZIP with all of them, with progress per file."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from meetlat.jobs.models import Job
from meetlat.jobs.progress import Progress, output_folder
from meetlat.jobs.registry import JobInputError
from meetlat.reports.services import report_file_name, study_reports_generate
from meetlat.research.models import Study, Wave

KIND = "reports.study_reports"
WEB_FORMATS = ("pdf", "xlsx")


def study_reports_job_params(*, wave: Wave, language: str) -> dict[str, Any]:
    return {"study": wave.study_id, "wave": wave.pk, "report_language": language}


def _archive(folder: Path, paths: list[Path], name: str) -> str:
    with zipfile.ZipFile(folder / name, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in paths:
            archive.write(path, arcname=path.name)
    return name


def study_reports_job(*, job: Job, progress: Progress) -> dict[str, Any]:
    study = Study.objects.filter(pk=job.params["study"], owner=job.organisation).first()
    wave = study.waves.filter(pk=job.params["wave"]).first() if study else None
    if study is None or wave is None:
        raise JobInputError(_("The study or wave no longer exists."))
    folder = output_folder(job.pk)
    paths = study_reports_generate(
        study=study,
        wave=wave,
        output_dir=folder,
        progress=progress,
        language=job.params.get("report_language"),
        formats=WEB_FORMATS,
        actor=job.created_by,
    )
    if not paths:
        raise JobInputError(_("This wave has no observations yet, so there are no reports."))
    archive = _archive(folder, paths, report_file_name(study, wave, "rapporten", "zip"))
    return {"files": [p.name for p in paths], "archive": archive}
