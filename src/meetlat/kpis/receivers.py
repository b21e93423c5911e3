"""Receivers of other apps' signals: keep the KPI rollups in step with the organisation.

When an organisation's opening hours, closing days, norms or contact point names change
(`organisations.signals.settings_changed`), its rollups are rebuilt once the transaction
commits; nothing happens when it rolls back. Several changes in one transaction rebuild once:
the first of their callbacks rebuilds (after the commit, so it sees every change) and the others
find nothing pending. The refresh takes the organisation's primary key, so it can become a
background job without changing the senders.
"""

from __future__ import annotations

import threading
from typing import Any

from django.db import transaction

from meetlat.kpis.services import rollups_refresh_all
from meetlat.organisations.models import Organisation

_state = threading.local()
"""Per thread (one connection, its transactions one after another): organisation pk → the
tokens of the refreshes registered and not yet run."""


def _pending() -> dict[int, set[object]]:
    pending: dict[int, set[object]] | None = getattr(_state, "pending", None)
    if pending is None:
        pending = _state.pending = {}
    return pending


def rollups_refresh_on_commit(sender: Any, *, organisation: Organisation, **kwargs: Any) -> None:
    """Rebuild the organisation's rollups after the current transaction commits."""
    pk = organisation.pk
    token = object()
    _pending().setdefault(pk, set()).add(token)
    transaction.on_commit(lambda: _refresh(pk, token))


def _refresh(pk: int, token: object) -> None:
    pending = _pending()
    if token not in pending.get(pk, ()):
        return  # an earlier callback of the same commit rebuilt the rollups already
    del pending[pk]
    organisation = Organisation.objects.filter(pk=pk).first()
    if organisation is not None:
        rollups_refresh_all(organisation=organisation)
