"""Which code folded a stored procurement snapshot.

A snapshot is a cache of :func:`tenderflow.domain.state.fold_all` over a stream's events. It is
stamped with :data:`FOLD_VERSION` when saved, and trusted only while the stamp equals the
current value (and its version is the stream's head); otherwise the state is rebuilt from the
events, on read or by ``tenderflow init`` (tenderflow.app.procurement.Services.rebuild_snapshots).

Kept in a module of its own (importing nothing) so that the store, the services and the fold
can all name it without import cycles.
"""

from __future__ import annotations

FOLD_VERSION: int = 2
"""The version of the procurement fold: bump it whenever an applier (anything registered with
``tenderflow.domain.state.applies``, or :func:`~tenderflow.domain.state.fold` itself) or the
shape of the folded state changes, so that every stored snapshot folded by the old code is
rebuilt from the events instead of being trusted."""
