"""Writes for mystery research, one module per domain (STYLE.md: services/<domain>.py).

- :mod:`.imports`: importing an observations file.
- :mod:`.studies`: studies, waves, publishing.
- :mod:`.scenarios`: scenarios, proposed by a municipality and accepted by the research lead.
- :mod:`.planning`: the fieldwork plan of a wave and manual edits of it.
- :mod:`.observations`: an observation recorded by the auditor in the web form.
"""

from meetlat.research.services.imports import (
    ImportResult,
    ObservationImportConflictError,
    ObservationImportError,
    observations_import,
)
from meetlat.research.services.studies import SEED_LIMIT

__all__ = [
    "SEED_LIMIT",
    "ImportResult",
    "ObservationImportConflictError",
    "ObservationImportError",
    "observations_import",
]
