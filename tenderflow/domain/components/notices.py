"""The notices a procurement published (``NoticeRendered``, tenderflow.documents.notices): a
document record like the agreement's renderings — no trigger, no change of workflow state —
kept in the state by kind, so that rendering the same notice from the same log again records
nothing new.

    NoticeRendered  {kind, title, sha256, bytes, pages, source_type, source_seq,
                     source_digest, template, renderer}
"""

from __future__ import annotations

from typing import Any

from tenderflow.domain.fold import State, applies

NOTICE_RENDERED = "NoticeRendered"


@applies(NOTICE_RENDERED)
def _notice(state: State, payload: dict[str, Any], at: str) -> None:
    state.setdefault("notices", {})[payload["kind"]] = {
        "seq": state["version"], "at": at, "sha256": payload["sha256"],
        "source_seq": payload["source_seq"], "title": payload["title"]}
