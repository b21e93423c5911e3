"""The research lead's edits of a municipality's findings, applied to the automatic ones.

Edits are stored apart from the derivation (METHODOLOGY.md §3), so scoring again after new
observations keeps them: an edit names an item and the decision it was made for (keep or
improve) and is used while that item is still decided that way. An edit of an item that is
no longer decided so is *unused*: kept, but not shown, so the lead can look at it again.
A free-text finding (no item) is always shown, as written, after the automatic ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from meetlat.calc.findings import (
    PERCENT_DECIMALS,
    Finding,
    MunicipalityFindings,
    finding_parts,
)

Kind = Literal["keep", "improve"]
KINDS: tuple[Kind, Kind] = ("improve", "keep")


@dataclass(frozen=True)
class Edit:
    """A change of the findings: new wording (``text``, empty to keep the automatic one) or
    ``hidden`` for the automatic finding of ``item``; or, with ``item`` empty, a free-text
    finding. ``key`` identifies a free-text finding (e.g. its database id)."""

    item: str
    kind: Kind
    text: str = ""
    hidden: bool = False
    key: str = ""

    @property
    def free(self) -> bool:
        return not self.item


@dataclass(frozen=True)
class ShownFinding:
    """A finding as the report words it: the automatic wording, or the lead's."""

    kind: Kind
    number: str
    text: str
    automatic: str
    edited: bool
    hidden: bool
    finding: Finding | None
    key: str

    @property
    def free(self) -> bool:
        return self.finding is None


@dataclass(frozen=True)
class EditedFindings:
    """A municipality's keep and improve findings after the edits, in §3 order (free-text
    ones last, hidden ones flagged), and the edits that no longer apply."""

    improve: tuple[ShownFinding, ...]
    keep: tuple[ShownFinding, ...]
    unused: tuple[Edit, ...]

    def group(self, kind: Kind) -> tuple[ShownFinding, ...]:
        return self.improve if kind == "improve" else self.keep

    def shown(self, kind: Kind, limit: int) -> list[ShownFinding]:
        """What a report shows: the first ``limit`` visible automatic findings, then every
        free-text one (the lead added it to be read)."""
        group = self.group(kind)
        automatic = [f for f in group if not f.free and not f.hidden][:limit]
        return automatic + [f for f in group if f.free]


def _automatic(findings: MunicipalityFindings | None, kind: Kind) -> Sequence[Finding]:
    if findings is None:
        return ()
    return findings.improve if kind == "improve" else findings.keep


def apply_edits(
    findings: MunicipalityFindings | None,
    edits: Iterable[Edit],
    *,
    language: str = "nl",
    decimals: int = PERCENT_DECIMALS,
) -> EditedFindings:
    """The findings with the lead's wording, hidden flags and free-text findings."""
    edits = tuple(edits)
    by_item = {(e.item, e.kind): e for e in edits if not e.free}
    used: set[tuple[str, Kind]] = set()
    groups: dict[Kind, list[ShownFinding]] = {}
    for kind in KINDS:
        shown: list[ShownFinding] = []
        for finding in _automatic(findings, kind):
            parts = finding_parts(finding, decimals, language)
            automatic = parts[1] if parts is not None else ""
            edit = by_item.get((finding.number, kind))
            if edit is not None:
                used.add((finding.number, kind))
            text = edit.text.strip() if edit is not None and edit.text.strip() else automatic
            shown.append(
                ShownFinding(
                    kind=kind,
                    number=finding.number,
                    text=text,
                    automatic=automatic,
                    edited=text != automatic,
                    hidden=edit is not None and edit.hidden,
                    finding=finding,
                    key=finding.number,
                )
            )
        shown += [
            ShownFinding(kind, "", e.text.strip(), "", True, False, None, e.key)
            for e in edits
            if e.free and e.kind == kind and e.text.strip()
        ]
        groups[kind] = shown
    unused = tuple(e for e in edits if not e.free and (e.item, e.kind) not in used)
    return EditedFindings(tuple(groups["improve"]), tuple(groups["keep"]), unused)
