"""Making research reports: one municipality's report, the benchmark, or every report of a
wave as one job with progress (the web page shows it as a progress bar)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from django.utils.text import slugify

from meetlat.accounts.audit import audit_record
from meetlat.accounts.models import User
from meetlat.organisations.models import Organisation
from meetlat.reports.research_reports import BenchmarkReport, MunicipalityReport, ReportInputError
from meetlat.reports.selectors import WaveData, wave_data_get
from meetlat.research.models import Study, Wave

#: progress(done, total, label): called after each file, and once with done = 0 at the start.
Progress = Callable[[int, int, str], None]
JOB_FORMATS: Final = ("pdf",)


def municipality_report_build(
    *,
    study: Study,
    wave: Wave,
    organisation: Organisation,
    language: str | None = None,
    data: WaveData | None = None,
) -> MunicipalityReport:
    """The report of ``organisation``; :class:`ReportInputError` if it is not in the study or
    has no observations in the wave."""
    if not study.participants.filter(organisation=organisation).exists():
        raise ReportInputError(
            f"{organisation.code} is not a municipality of study {study.name!r}."
        )
    return MunicipalityReport(
        data or wave_data_get(study=study, wave=wave), organisation.code, language=language
    )


def benchmark_report_build(
    *, study: Study, wave: Wave, language: str | None = None, data: WaveData | None = None
) -> BenchmarkReport:
    data = data or wave_data_get(study=study, wave=wave)
    if not data.score["municipalities"]:
        raise ReportInputError(f"wave {wave.name!r} of study {study.name!r} has no observations.")
    return BenchmarkReport(data, language=language)


def report_file_name(study: Study, wave: Wave, part: str, fmt: str) -> str:
    """``<study>-<wave>-<part>.<fmt>`` with the names slugified (``gm0505``, ``benchmark``)."""
    return f"{slugify(study.name) or 'study'}-{slugify(wave.name) or 'wave'}-{part}.{fmt}"


@dataclass(frozen=True)
class ReportFile:
    """A rendered report for a download: its bytes, file name and content type."""

    content: bytes
    name: str
    content_type: str


CONTENT_TYPES: Final = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def report_download(
    *,
    study: Study,
    wave: Wave,
    fmt: str,
    actor: User,
    actor_organisation: Organisation,
    organisation: Organisation | None = None,
    language: str | None = None,
) -> ReportFile:
    """Render one report for a web download and audit it: the municipality report of
    ``organisation`` (PDF or XLSX), or the benchmark (PDF) when ``organisation`` is None.

    Raises :class:`ReportInputError` when the report cannot be made (the municipality is not
    in the study or has no observations, or the wave has none). The caller checks that the
    actor may see the wave and the municipality; the audit entry goes to
    ``actor_organisation`` (the one the actor acts for).
    """
    if fmt not in CONTENT_TYPES:
        raise ReportInputError(f"unknown report format {fmt!r}.")
    if organisation is None:
        if fmt != "pdf":
            raise ReportInputError("the benchmark is a PDF only.")
        exporter: MunicipalityReport | BenchmarkReport = benchmark_report_build(
            study=study, wave=wave, language=language
        )
        part = "benchmark"
    else:
        exporter = municipality_report_build(
            study=study, wave=wave, organisation=organisation, language=language
        )
        part = organisation.code.lower()
    content = exporter.render(fmt)
    name = report_file_name(study, wave, part, fmt)
    audit_record(
        actor=actor,
        action="reports.report.downloaded",
        target=wave,
        organisation=actor_organisation,
        data={
            "study": study.name,
            "wave": wave.name,
            "report": "benchmark" if organisation is None else "municipality",
            "municipality": organisation.code if organisation is not None else "",
            "format": fmt,
            "file": name,
        },
    )
    return ReportFile(content, name, CONTENT_TYPES[fmt])


def study_reports_generate(
    *,
    study: Study,
    wave: Wave,
    output_dir: Path,
    progress: Progress | None = None,
    language: str | None = None,
    formats: Sequence[str] = JOB_FORMATS,
    actor: User | None = None,
) -> list[Path]:
    """Write every municipality's report (in ``formats``) and the benchmark PDF of a wave into
    ``output_dir``; the study is scored once. Returns the files in the order written."""
    data = wave_data_get(study=study, wave=wave)
    codes = [m["code"] for m in data.score["municipalities"]]
    total = len(codes) * len(formats) + (1 if codes else 0)
    report = progress or (lambda done, total, label: None)
    report(0, total, "")
    output_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for code in codes:
        exporter = MunicipalityReport(data, code, language=language)
        for fmt in formats:
            path = output_dir / report_file_name(study, wave, code.lower(), fmt)
            written.append(exporter.write(path))
            report(len(written), total, path.name)
    if codes:
        path = output_dir / report_file_name(study, wave, "benchmark", "pdf")
        written.append(BenchmarkReport(data, language=language).write(path))
        report(len(written), total, path.name)
    audit_record(
        actor=actor,
        action="reports.study_reports.generated",
        target=wave,
        organisation=study.owner,
        data={
            "study": study.name,
            "wave": wave.name,
            "files": [p.name for p in written],
            "municipalities": len(codes),
        },
    )
    return written
