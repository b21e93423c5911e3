"""Writes for the findings of a wave before it is published (METHODOLOGY.md §3):

- the manual items 15, 20, 22 and the self-assessment 25-34 of a municipality;
- the research lead's edits of the automatic findings: new wording, hidden, reset to
  automatic, and free-text findings of their own.

Every write is refused once the wave is published (the report is then final) and audited.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from meetlat import clock
from meetlat.accounts.audit import audit_record
from meetlat.accounts.models import User
from meetlat.calc.findings import ITEM_BY_NUMBER
from meetlat.organisations.models import Organisation
from meetlat.research.models import (
    ASSESSMENT_ITEMS,
    MANUAL_ITEMS,
    AssessmentValue,
    FindingEdit,
    FindingKind,
    ManualAssessment,
    Wave,
)

MAX_TEXT = 2000


@dataclass(frozen=True)
class AssessmentInput:
    """One item of the form: ``value`` empty for not answered."""

    value: str
    note: str = ""


def _open_wave(wave: Wave, organisation: Organisation) -> Wave:
    """The wave locked for the write; refused when published or the municipality is not in
    the study."""
    locked = Wave.objects.select_for_update(of=("self",)).select_related("study").get(pk=wave.pk)
    if locked.is_published:
        raise ValidationError(
            _("This wave is published: its findings and answers can no longer change.")
        )
    if not locked.study.participants.filter(organisation=organisation).exists():
        raise ValidationError(_("This municipality does not take part in the study."))
    return locked


def _check_value(item: str, value: str) -> None:
    allowed = {AssessmentValue.YES, AssessmentValue.NO}
    if item not in MANUAL_ITEMS:
        allowed.add(AssessmentValue.PARTLY)
    if value and value not in allowed:
        raise ValidationError(
            _("Item %(item)s cannot be answered with %(value)s.") % {"item": item, "value": value}
        )


@transaction.atomic
def assessments_save(
    *,
    wave: Wave,
    organisation: Organisation,
    answers: Mapping[str, AssessmentInput],
    actor: User | None,
    allowed: Collection[str] = ASSESSMENT_ITEMS,
    audit_organisation: Organisation | None = None,
) -> list[str]:
    """Store a municipality's answers; an empty value removes the answer. ``allowed`` limits
    the items (a municipality fills in only its self-assessment). Returns the items changed."""
    wave = _open_wave(wave, organisation)
    unknown = sorted(set(answers) - set(allowed))
    if unknown:
        raise ValidationError(_("Unknown items: %(items)s.") % {"items": ", ".join(unknown)})
    existing = {
        row.item: row
        for row in ManualAssessment.objects.filter(wave=wave, organisation=organisation)
    }
    changed: dict[str, dict[str, str]] = {}
    for item, given in sorted(answers.items()):
        value, note = given.value, given.note.strip()
        _check_value(item, value)
        row = existing.get(item)
        if not value:
            if row is not None:
                row.delete()
                changed[item] = {"value": "", "note": ""}
            continue
        if row is not None and (row.value, row.note) == (value, note):
            continue
        row = row or ManualAssessment(wave=wave, organisation=organisation, item=item)
        row.value, row.note = value, note
        row.updated_by, row.updated_at = actor, clock.now()
        row.full_clean()
        row.save()
        changed[item] = {"value": value, "note": note}
    if changed:
        audit_record(
            actor=actor,
            action="research.assessment.saved",
            target=wave,
            organisation=audit_organisation or wave.study.owner,
            data={"wave": wave.name, "municipality": organisation.code, "items": changed},
        )
    return sorted(changed)


# -- the lead's edits of the findings -------------------------------------------------------


def _check_finding(item: str, kind: str) -> None:
    if kind not in FindingKind.values:
        raise ValidationError(_("A finding is to keep or to improve."))
    if item not in ITEM_BY_NUMBER:
        raise ValidationError(_("There is no item %(item)s.") % {"item": item})


def _clean_text(text: str, *, required: bool) -> str:
    text = text.strip()
    if required and not text:
        raise ValidationError(_("Write the text of the finding."))
    if len(text) > MAX_TEXT:
        raise ValidationError(_("A finding has at most %(max)s characters.") % {"max": MAX_TEXT})
    return text


def _audit(
    wave: Wave, organisation: Organisation, actor: User, action: str, **data: object
) -> None:
    audit_record(
        actor=actor,
        action=f"research.finding.{action}",
        target=wave,
        organisation=wave.study.owner,
        data={"wave": wave.name, "municipality": organisation.code, **data},
    )


def _edit_of(wave: Wave, organisation: Organisation, item: str, kind: str) -> FindingEdit:
    edit = FindingEdit.objects.filter(
        wave=wave, organisation=organisation, item=item, kind=kind
    ).first()
    return edit or FindingEdit(wave=wave, organisation=organisation, item=item, kind=kind)


def _store(edit: FindingEdit, actor: User) -> None:
    """Save the edit, or delete it when it changes nothing any more."""
    if not edit.text and not edit.hidden:
        if edit.pk is not None:
            edit.delete()
        return
    edit.updated_by, edit.updated_at = actor, clock.now()
    edit.full_clean()
    edit.save()


@transaction.atomic
def finding_wording_save(
    *,
    wave: Wave,
    organisation: Organisation,
    item: str,
    kind: str,
    text: str,
    actor: User,
) -> None:
    """New wording for the automatic finding of ``item``; empty text restores the automatic
    wording (a hidden finding stays hidden)."""
    wave = _open_wave(wave, organisation)
    _check_finding(item, kind)
    edit = _edit_of(wave, organisation, item, kind)
    before = edit.text
    edit.text = _clean_text(text, required=False)
    if edit.text == before:
        return
    _store(edit, actor)
    _audit(wave, organisation, actor, "edited", item=item, kind=kind, before=before, text=edit.text)


@transaction.atomic
def finding_hidden_set(
    *,
    wave: Wave,
    organisation: Organisation,
    item: str,
    kind: str,
    hidden: bool,
    actor: User,
) -> None:
    """Hide the automatic finding of ``item`` from the reports, or show it again."""
    wave = _open_wave(wave, organisation)
    _check_finding(item, kind)
    edit = _edit_of(wave, organisation, item, kind)
    if edit.hidden == hidden:
        return
    edit.hidden = hidden
    _store(edit, actor)
    _audit(wave, organisation, actor, "hidden" if hidden else "shown", item=item, kind=kind)


@transaction.atomic
def finding_reset(
    *, wave: Wave, organisation: Organisation, item: str, kind: str, actor: User
) -> None:
    """Back to the automatic finding: its wording, shown."""
    wave = _open_wave(wave, organisation)
    _check_finding(item, kind)
    deleted, _rows = FindingEdit.objects.filter(
        wave=wave, organisation=organisation, item=item, kind=kind
    ).delete()
    if deleted:
        _audit(wave, organisation, actor, "reset", item=item, kind=kind)


@transaction.atomic
def finding_free_add(
    *, wave: Wave, organisation: Organisation, kind: str, text: str, actor: User
) -> FindingEdit:
    """A finding of the lead's own, shown as written after the automatic ones."""
    wave = _open_wave(wave, organisation)
    if kind not in FindingKind.values:
        raise ValidationError(_("A finding is to keep or to improve."))
    edit = FindingEdit(
        wave=wave,
        organisation=organisation,
        item="",
        kind=kind,
        text=_clean_text(text, required=True),
        updated_by=actor,
        updated_at=clock.now(),
    )
    edit.full_clean()
    edit.save()
    _audit(wave, organisation, actor, "added", id=edit.pk, kind=kind, text=edit.text)
    return edit


@transaction.atomic
def finding_free_update(
    *, wave: Wave, organisation: Organisation, pk: int, text: str, actor: User
) -> None:
    """New text for a free-text finding."""
    wave = _open_wave(wave, organisation)
    edit = _free_edit(wave, organisation, pk)
    before, edit.text = edit.text, _clean_text(text, required=True)
    edit.updated_by, edit.updated_at = actor, clock.now()
    edit.save(update_fields=["text", "updated_by", "updated_at"])
    _audit(
        wave, organisation, actor, "edited", id=pk, kind=edit.kind, before=before, text=edit.text
    )


@transaction.atomic
def finding_free_delete(*, wave: Wave, organisation: Organisation, pk: int, actor: User) -> None:
    wave = _open_wave(wave, organisation)
    edit = _free_edit(wave, organisation, pk)
    text, kind = edit.text, edit.kind
    edit.delete()
    _audit(wave, organisation, actor, "deleted", id=pk, kind=kind, text=text)


def _free_edit(wave: Wave, organisation: Organisation, pk: int) -> FindingEdit:
    edit = FindingEdit.objects.filter(wave=wave, organisation=organisation, item="", pk=pk).first()
    if edit is None:
        raise ValidationError(_("This finding no longer exists."))
    return edit
