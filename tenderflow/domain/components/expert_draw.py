"""Experts drawn at random from a pool (评标专家 / 评审专家 随机抽取).

招标投标法 第37条 and 招标投标法实施条例 第46条: the experts of a tender's evaluation committee
are drawn at random from the expert pool (评标专家库) of the relevant field; 政府采购法实施条例
第39条: the experts of a government-procurement review (a negotiating group) are drawn at random
from the review-expert pool. The trigger ``draw_experts`` (event ``ExpertsDrawn``, a self-loop
before the committee or group is formed) records the draw:

    data = {"pool": [expert, ...],   # the experts eligible for this draw, as they will be
                                     # named on the committee (member ``name``)
            "seed": text,            # the draw's seed, announced before the draw
            "count": n,              # how many experts are drawn
            "witness": text,         # who supervised the draw (监督人)
            "drawn": [expert, ...],  # the experts the draw gave, in draw order
            "note"?: text}

The draw (:func:`draw`) is deterministic and needs nothing but SHA-256, so anyone can redo it
by hand: the pool is taken without duplicates; each expert's ticket is
``sha256(seed + "\\n" + expert)`` (UTF-8, hexadecimal); the experts are ordered by (ticket,
expert) and the first ``count`` are drawn. The pool is identified by :func:`pool_hash`: the
SHA-256 of the experts sorted by code point, joined by "\\n" (UTF-8).

The guard :func:`experts_drawn` redraws from the recorded pool and seed and refuses a record
whose ``drawn`` is not what the draw gives (a tampered or mistyped member); it notes the pool's
hash and the method in the event's findings, so ``audit replay`` redraws and checks it again.
:func:`members_drawn` guards forming the committee (group): when a draw is recorded, the
members in an expert role are exactly the experts drawn.

Without a recorded draw the committee may still be formed (the procurements opened before
this rule, and 招标投标法 第37条第3款 / 条例 第47条 allow experts chosen directly for special
projects, a ground the formation does not record): that path stays open, and the state shows
no ``experts_draw`` — an auditor sees that the experts were not drawn in tenderflow.

What a seed cannot guarantee: whoever picks the seed after seeing the pool could try seeds
until the draw suits them. The seed should come from a source fixed before the pool is known
(the witness's dice, a published lottery number); the event records both for the witness and
the auditor to judge.
"""

from __future__ import annotations

import hashlib
from typing import Any

from tenderflow.domain.components.committee import EXPERT_ROLES
from tenderflow.domain.fold import State, applies
from tenderflow.domain.rules import GuardContext, GuardSpec, guard
from tenderflow.errors import Refusal

RULE = "committee.random_draw"
SOURCE = "招标投标法 第37条; 招标投标法实施条例 第46条; 政府采购法实施条例 第39条"
METHOD = "sha256(seed + '\\n' + expert), ascending, first count"


def pool_hash(pool: list[str]) -> str:
    """SHA-256 of the pool: the experts without duplicates, sorted by code point, joined by
    a line feed, UTF-8."""
    return hashlib.sha256("\n".join(sorted(set(pool))).encode("utf-8")).hexdigest()


def draw(pool: list[str], seed: str, count: int) -> list[str]:
    """The first ``count`` experts of the pool ordered by ``sha256(seed + "\\n" + expert)``."""
    def ticket(expert: str) -> tuple[str, str]:
        return hashlib.sha256(f"{seed}\n{expert}".encode()).hexdigest(), expert

    return sorted(set(pool), key=ticket)[:count]


@guard("experts_drawn", rule=RULE, source=SOURCE,
       needs=("pool", "seed", "count", "witness", "drawn"))
def experts_drawn(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The recorded experts are what the draw from the recorded pool and seed gives; the
    draw names its witness (监督人) and the pool has enough experts."""
    data = ctx.data
    pool, seed, count = list(data["pool"]), str(data["seed"]), int(data["count"])
    if not str(data["witness"]).strip() or not seed.strip():
        return spec.refuse(ctx, "a draw names its seed and the witness who supervised it",
                           missing=[k for k in ("seed", "witness") if not str(data[k]).strip()])
    if count > len(set(pool)):
        return spec.refuse(ctx, f"{count} experts cannot be drawn from a pool of "
                                f"{len(set(pool))}", count=count, pool=len(set(pool)))
    expected = draw(pool, seed, count)
    digest = pool_hash(pool)
    if list(data["drawn"]) != expected:
        return spec.refuse(ctx, f"the draw from pool {digest[:12]}… ({len(set(pool))} experts) "
                                f"with seed {seed!r} gives {', '.join(expected)}; the record "
                                f"names {', '.join(data['drawn']) or 'nobody'}",
                           expected=expected, recorded=list(data["drawn"]), pool_sha256=digest,
                           seed=seed, method=METHOD)
    ctx.note("draw", {"pool_sha256": digest, "pool_size": len(set(pool)), "method": METHOD})
    return None


@guard("members_drawn", rule=RULE, source=SOURCE, needs=("members",))
def members_drawn(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """With a draw recorded, the committee's (group's) expert members are exactly the experts
    drawn; without one the formation is not checked here (see the module's note)."""
    recorded = ctx.state.get("experts_draw")
    if not recorded:
        return None
    experts = [m["name"] for m in ctx.data["members"] if m.get("role") in EXPERT_ROLES]
    drawn = recorded["drawn"]
    not_drawn = sorted(set(experts) - set(drawn))
    missing = [d for d in drawn if d not in experts]
    if not_drawn or missing:
        parts = []
        if not_drawn:
            parts.append(f"{', '.join(not_drawn)} were not drawn")
        if missing:
            parts.append(f"{', '.join(missing)} drawn but not seated")
        return spec.refuse(ctx, f"the expert members differ from the draw of {recorded['at']} "
                                f"(witness {recorded['witness']}): {'; '.join(parts)}",
                           not_drawn=not_drawn, missing=missing, drawn=drawn)
    return None


@applies("ExpertsDrawn")
def _drawn(state: State, payload: dict[str, Any], at: str) -> None:
    data = payload["data"]
    found = (payload.get("findings") or {}).get("draw") or {}
    state["experts_draw"] = {"drawn": list(data["drawn"]), "seed": data["seed"],
                             "witness": data["witness"], "count": data["count"],
                             "pool_sha256": found.get("pool_sha256"), "at": at}
