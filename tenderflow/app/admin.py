"""The administration facade: open the store a ``--db`` URL names (creating or upgrading its
schema, or requiring it to be current; for the read-only commands on SQLite, the sqlite3 read
path of :mod:`tenderflow.store.lite`), the default actor of a PostgreSQL user, ``init``'s
rebuild of stale procurement snapshots, and the list of procurements from the read model."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tenderflow.store.records import normalise_url

if TYPE_CHECKING:
    from tenderflow.store.eventstore import EventStore


def open_store(url: str, *, create: bool = False) -> EventStore:
    """The store at ``url``: with ``create`` the schema is created or migrated to the head
    revision; otherwise it must already be current (else an error naming ``tenderflow
    init``). The caller disposes of it when done."""
    from tenderflow.store.eventstore import EventStore

    store = EventStore(url)
    try:
        if create:
            store.migrate()
        else:
            store.require_schema()
    except BaseException:
        store.dispose()  # no connection left open behind a refusal
        raise
    return store


def open_reader(url: str) -> Any:
    """A store to read from (``status``, ``next``, ``list``; nothing may be written through
    it): on a plain SQLite file, the standard library's sqlite3 without SQLAlchemy
    (:mod:`tenderflow.store.lite`, the same schema checks and messages); otherwise, or when
    sqlite3 cannot read the file as a database, :func:`open_store`. The caller disposes of it."""
    from tenderflow.store.lite import open_reader as open_lite

    return open_lite(url) or open_store(url)


def default_actor(url: str, role: str) -> str | None:
    """On PostgreSQL, ``role:<database user>``; elsewhere None (the caller must say who)."""
    if not normalise_url(url).startswith("postgresql"):
        return None
    from tenderflow.store.eventstore import EventStore

    store = EventStore(url)
    try:
        return store.default_actor(role)
    finally:
        store.dispose()


def rebuild_snapshots(store: EventStore) -> dict[str, Any]:
    """Rebuild every procurement snapshot folded by other code (or before migration 0004
    stamped them) from the events: ``rebuilt`` ids and ``failed`` (id → why)."""
    from tenderflow.app.procurement import Services

    return Services(store).rebuild_snapshots()


#: What ``list`` lists: the procurements (their read model), the projects' intakes
#: (``intake:<project>``, named by the project id as status/fire take it) and the contracts
#: after signing (``contract:<procurement>``).
LIST_KINDS = ("procurement", "intake", "contract")


def list_procurements(store: EventStore, kinds: tuple[str, ...] = LIST_KINDS
                      ) -> list[dict[str, Any]]:
    """Every procurement in the read model, then every intake and contract (folded from their
    snapshots), of the ``kinds`` asked: id, kind, project, mode, state, version, next due."""
    from tenderflow.app.common import CONTRACT_PREFIX, PROJECT_PREFIX, workflow_of
    from tenderflow.app.snapshots import find_state
    from tenderflow.workflow import engine

    rows: list[dict[str, Any]] = []
    with store.reading() as tx:
        if "procurement" in kinds:
            rows += [{"id": r.id, "kind": "procurement", "project": r.project, "mode": r.mode,
                      "state": r.state, "version": r.version, "next_due": r.next_due}
                     for r in tx.procurement_rows()]
        for kind, prefix, named in (("intake", "intake:", PROJECT_PREFIX),
                                    ("contract", "contract:", CONTRACT_PREFIX)):
            if kind not in kinds:
                continue
            for sid in sorted(tx.stream_ids(prefix)):
                bare = sid[len(prefix):]
                state = find_state(tx, f"{named}{bare}")
                if state is None:
                    continue
                wf = workflow_of(state["mode"])
                rows.append({"id": bare if kind == "intake" else f"{named}{bare}", "kind": kind,
                             "project": (state.get("project") or {}).get("id", bare),
                             "mode": state["mode"], "state": state["state"],
                             "version": state["version"],
                             "next_due": engine.next_due(wf, state)})
    return rows


def project_names(store: EventStore, rows: list[dict[str, Any]] | None = None
                  ) -> dict[str, str]:
    """Registered project id → name, for the projects that have a procurement (or of the
    ``rows`` listed)."""
    from tenderflow.app.snapshots import stored_snapshot  # not the services (issue 17)

    with store.reading() as tx:
        ids = {r["project"] for r in rows} if rows is not None else \
            {r.project for r in tx.procurement_rows()}
        profiles = {pid: stored_snapshot(tx, f"project:{pid}") for pid in ids}
    return {pid: (snap[1] if snap else {}).get("name", "") for pid, snap in profiles.items()}
