"""Writes for mystery research: importing observations (creating study, wave, municipalities
and scenarios when missing).

An import is a staged pipeline (STYLE.md practice 3): read the file and hash it, parse every
row with the pure :mod:`meetlat.research.parsing`, check what needs stored data, and only when
no row has a problem commit everything in one transaction with one :class:`ImportBatch` and one
audit entry. Rows are keyed on wave, municipality, scenario, channel and planned_at: a row
already stored with the same values is a duplicate and adds nothing; one stored with other
values is an error (an import never changes a stored observation).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from meetlat.accounts.audit import audit_record
from meetlat.accounts.models import User
from meetlat.organisations.models import Organisation, OrganisationKind
from meetlat.organisations.selectors import reference_municipality_get
from meetlat.organisations.services import organisation_create
from meetlat.research.models import (
    DEFAULT_WAVE_NAME,
    OBSERVATION_FIELDS,
    ImportBatch,
    Observation,
    Scenario,
    Study,
    StudyMunicipality,
    Wave,
)
from meetlat.research.parsing import (
    MAX_ERRORS,
    Key,
    ParsedFile,
    ParsedRow,
    RowError,
    clip,
    parse_observations,
)
from meetlat.research.reconcile import (
    KnownOrganisation,
    differing_fields,
    municipality_names,
    scenario_channels,
)
from meetlat.research.services.studies import wave_create


@dataclass(frozen=True)
class ImportResult:
    file: str
    study: str
    wave: str
    rows: int
    imported: int
    duplicates: int
    municipalities_created: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        """The object ``study import-observations --json`` prints (DESIGN.md)."""
        return {
            "study": self.study,
            "wave": self.wave,
            "rows": self.rows,
            "imported": self.imported,
            "municipalities_created": len(self.municipalities_created),
            "errors": [],
        }


class ObservationImportError(Exception):
    """Bad input: nothing was imported. ``errors`` holds every problem found, by line."""

    def __init__(
        self, *, file: str, study: str, wave: str, rows: int, errors: Sequence[RowError]
    ) -> None:
        self.file, self.study, self.wave, self.rows = file, study, wave, rows
        self.errors = sorted(errors, key=lambda e: e.line or 0)
        super().__init__(self.describe())

    def as_json(self) -> dict[str, Any]:
        return {
            "study": self.study,
            "wave": self.wave,
            "rows": self.rows,
            "imported": 0,
            "municipalities_created": 0,
            "errors": [e.as_dict() for e in self.errors[:MAX_ERRORS]],
        }

    def describe(self) -> str:
        lines = [e.describe(self.file) for e in self.errors[:MAX_ERRORS]]
        if len(self.errors) > MAX_ERRORS:
            lines.append(f"… and {len(self.errors) - MAX_ERRORS} more problems.")
        lines.append(f"{self.file}: nothing was imported.")
        return "\n".join(lines)


class ObservationImportConflictError(Exception):
    """Another import changed the same wave at the same moment; nothing was imported."""


def observations_import(
    *,
    study_name: str,
    path: Path,
    wave_name: str = DEFAULT_WAVE_NAME,
    actor: User | None = None,
) -> ImportResult:
    """Import an observations file into a wave of a study: every row or none (DESIGN.md)."""
    _check_names(path=path, study=study_name, wave=wave_name)
    data = _read(path, study=study_name, wave=wave_name)
    parsed = parse_observations(data)
    try:
        with transaction.atomic():
            return _commit(
                study_name=study_name,
                wave_name=wave_name,
                source=str(path),
                digest=hashlib.sha256(data).hexdigest(),
                parsed=parsed,
                actor=actor,
            )
    except IntegrityError as error:
        raise ObservationImportConflictError(
            f"{path.name}: another import changed study {study_name!r} at the same time; "
            "nothing was imported. Run the import again."
        ) from error


def _file_error(path: Path, study: str, wave: str, error: RowError) -> ObservationImportError:
    return ObservationImportError(file=str(path), study=study, wave=wave, rows=0, errors=[error])


def _check_names(*, path: Path, study: str, wave: str) -> None:
    for label, value, limit in (("study", study, 100), ("wave", wave, 50)):
        if not value.strip() or len(value) > limit or value != value.strip():
            message = f"the {label} name must be 1 to {limit} characters, without outer spaces."
            raise _file_error(path, study, wave, RowError(None, label, clip(value), message))


def _read(path: Path, *, study: str, wave: str) -> bytes:
    def fail(message: str) -> ObservationImportError:
        return _file_error(path, study, wave, RowError(None, None, "", message))

    try:
        size = path.stat().st_size
        if size > settings.MAX_UPLOAD_MB * 1024 * 1024:
            raise fail(f"the file is larger than {settings.MAX_UPLOAD_MB} MB.")
        return path.read_bytes()
    except IsADirectoryError as error:
        raise fail("a folder, not a file.") from error
    except FileNotFoundError as error:
        raise fail("no such file.") from error
    except OSError as error:
        raise fail(f"cannot be read ({error.strerror}).") from error


@dataclass(frozen=True)
class _Plan:
    """What a checked file will change: nothing is written until every row is known good."""

    study: Study | None
    wave: Wave | None
    new_rows: list[ParsedRow]
    municipalities: dict[str, str]
    scenarios: dict[str, str]


def _plan(*, study_name: str, wave_name: str, source: str, parsed: ParsedFile) -> _Plan:
    """Check the parsed rows against stored data; raise with every problem, or return a plan."""
    study = Study.objects.select_for_update().filter(name=study_name).first()
    wave = study.waves.filter(name=wave_name).first() if study is not None else None
    codes = {ref.code for ref in parsed.municipalities}
    known = _known_organisations(codes)
    municipalities, municipality_errors = municipality_names(
        parsed.municipalities, known=known, reference=_reference_names(codes - set(known))
    )
    scenarios, scenario_errors = scenario_channels(parsed.parsed, known=_known_scenarios(study))
    new_rows, stored_errors = _new_rows(parsed.parsed, wave)
    errors = [*parsed.errors, *municipality_errors, *scenario_errors, *stored_errors]
    if errors:
        raise ObservationImportError(
            file=source, study=study_name, wave=wave_name, rows=parsed.rows, errors=errors
        )
    return _Plan(study, wave, new_rows, municipalities, scenarios)


def _commit(
    *,
    study_name: str,
    wave_name: str,
    source: str,
    digest: str,
    parsed: ParsedFile,
    actor: User | None,
) -> ImportResult:
    plan = _plan(study_name=study_name, wave_name=wave_name, source=source, parsed=parsed)
    study = plan.study or _study_create(name=study_name, actor=actor)
    wave = plan.wave or wave_create(study=study, name=wave_name, actor=actor)
    created = [
        organisation_create(code=code, name=name, kind=OrganisationKind.MUNICIPALITY, actor=actor)
        for code, name in sorted(plan.municipalities.items())
    ]
    codes = {ref.code for ref in parsed.municipalities}
    organisations = {o.code: o for o in Organisation.objects.filter(code__in=codes)}
    _participants_add(study=study, organisations=organisations.values())
    Scenario.objects.bulk_create(
        Scenario(study=study, code=code, channel=channel)
        for code, channel in plan.scenarios.items()
    )
    scenarios = {s.code: s for s in study.scenarios.all()}
    result = ImportResult(
        file=Path(source).name,
        study=study.name,
        wave=wave.name,
        rows=parsed.rows,
        imported=len(plan.new_rows),
        duplicates=parsed.rows - len(plan.new_rows),
        municipalities_created=tuple(o.code for o in created),
    )
    batch = _batch_create(study=study, wave=wave, result=result, digest=digest, actor=actor)
    Observation.objects.bulk_create(
        _observation(row, wave, batch, organisations, scenarios) for row in plan.new_rows
    )
    return result


def _batch_create(
    *, study: Study, wave: Wave, result: ImportResult, digest: str, actor: User | None
) -> ImportBatch:
    batch = ImportBatch.objects.create(
        study=study,
        wave=wave,
        file_name=result.file[:255],
        sha256=digest,
        rows=result.rows,
        imported=result.imported,
        duplicates=result.duplicates,
        actor=actor,
    )
    audit_record(
        actor=actor,
        action="research.observations.imported",
        target=batch,
        organisation=study.owner,
        data={
            "study": study.name,
            "wave": wave.name,
            "file": result.file,
            "sha256": digest,
            "rows": result.rows,
            "imported": result.imported,
            "duplicates": result.duplicates,
            "municipalities_created": list(result.municipalities_created),
        },
    )
    return batch


def _known_organisations(codes: Iterable[str]) -> dict[str, KnownOrganisation]:
    return {
        o.code: KnownOrganisation(o.name, o.kind == OrganisationKind.MUNICIPALITY)
        for o in Organisation.objects.filter(code__in=list(codes))
    }


def _reference_names(codes: Iterable[str]) -> dict[str, str]:
    names: dict[str, str] = {}
    for code in codes:
        reference = reference_municipality_get(cbs_code=code)
        if reference is not None:
            names[code] = reference.display_name
    return names


def _known_scenarios(study: Study | None) -> dict[str, str]:
    if study is None:
        return {}
    return dict(study.scenarios.values_list("code", "channel"))


def _new_rows(rows: list[ParsedRow], wave: Wave | None) -> tuple[list[ParsedRow], list[RowError]]:
    """Rows not stored yet, and errors for rows stored with other values."""
    if wave is None:
        return rows, []
    stored: dict[Key, Observation] = {}
    for obs in wave.observations.select_related("organisation", "scenario"):
        stored[(obs.organisation.code, obs.scenario.code, obs.channel, obs.planned_at)] = obs
    new: list[ParsedRow] = []
    errors: list[RowError] = []
    for row in rows:
        existing = stored.get(row.key)
        if existing is None:
            new.append(row)
            continue
        changed = differing_fields(existing.as_values(), row.observation)
        if changed:
            value = _cell(getattr(row.observation, changed[0]))
            message = (
                "this question is already stored with other values in "
                f"{', '.join(changed)}; an import does not change stored observations."
            )
            errors.append(RowError(row.line, changed[0], clip(value), message))
    return new, errors


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return str(value)


@transaction.atomic
def _study_create(*, name: str, actor: User | None) -> Study:
    study = Study(name=name)
    study.full_clean()
    study.save()
    audit_record(
        actor=actor,
        action="research.study.created",
        target=study,
        data={"name": study.name, "weights": study.weights},
    )
    return study


def _participants_add(*, study: Study, organisations: Iterable[Organisation]) -> None:
    present = set(study.participants.values_list("organisation_id", flat=True))
    StudyMunicipality.objects.bulk_create(
        StudyMunicipality(study=study, organisation=o) for o in organisations if o.pk not in present
    )


def _observation(
    row: ParsedRow,
    wave: Wave,
    batch: ImportBatch,
    organisations: dict[str, Organisation],
    scenarios: dict[str, Scenario],
) -> Observation:
    obs = row.observation
    return Observation(
        wave=wave,
        organisation=organisations[obs.municipality],
        scenario=scenarios[obs.scenario],
        import_batch=batch,
        **{name: getattr(obs, name) for name in OBSERVATION_FIELDS},
    )
