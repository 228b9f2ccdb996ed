"""The relation rules use indexes; they must decide exactly as comparing every pair does."""

from __future__ import annotations

import re
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tenderflow.domain.eligibility import evaluate
from tenderflow.workflow.rulesets import load_ruleset

from ._builders import RENOVATION, consortium, procurement, supplier

RULESET = load_ruleset(RENOVATION)
RULES = ("relation.shared_legal_representative", "relation.control_link",
         "consortium.member_also_bidding")
REPS = ["张伟", "张 伟", "李娜", "王芳"]
CONTROLLERS = ["S0", "S1", "某集团", "另一集团", "S2"]


def norm(text: str) -> str:
    return re.sub(r"\s+", "", text)


def names(s: dict[str, Any]) -> set[str]:
    return {str(s[k]) for k in ("id", "uscc", "name") if s.get(k)}


def brute(cands: list[dict[str, Any]], profiles: dict[str, dict[str, Any]]
          ) -> dict[tuple[str, str], str]:
    """Every pair of participants compared, as 实施条例 第18、22条 read."""
    def parts(c: dict[str, Any]) -> list[dict[str, Any]]:
        return [profiles[m] for m in c["consortium"]["members"]] if "consortium" in c else [c]

    out = {}
    for c in cands:
        rep = ctl = twice = "pass"
        for o in cands:
            if o["id"] == c["id"]:
                continue
            for mine in parts(c):
                for theirs in parts(o):
                    if mine["id"] == theirs["id"]:
                        twice = "fail"
                        continue
                    ida, idb = mine.get("legal_representative_id"), theirs.get(
                        "legal_representative_id")
                    same = ida == idb if ida and idb else norm(
                        mine["legal_representative"]) == norm(theirs["legal_representative"])
                    if same:
                        rep = "fail"
                    mb, tb = set(mine["controlled_by"]), set(theirs["controlled_by"])
                    if mb & names(theirs) or tb & names(mine):
                        ctl = "fail"
                    elif mb & tb and ctl == "pass":
                        ctl = "warn"
        out.update({(c["id"], RULES[0]): rep, (c["id"], RULES[1]): ctl,
                    (c["id"], RULES[2]): twice})
    return out


suppliers_st = st.lists(st.tuples(st.sampled_from(REPS),
                                  st.one_of(st.none(), st.sampled_from(["ID1", "ID2"])),
                                  st.lists(st.sampled_from(CONTROLLERS), max_size=2)),
                        min_size=2, max_size=7)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(suppliers_st, st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6)), max_size=2),
       st.data())
def test_indexed_relations_match_pairwise_comparison(specs: list[Any],
                                                     pairs: list[tuple[int, int]],
                                                     data: Any) -> None:
    profiles = {}
    for i, (rep, rep_id, ctl) in enumerate(specs):
        extra: dict[str, Any] = {"legal_representative": rep, "controlled_by": ctl}
        if rep_id:
            extra["legal_representative_id"] = rep_id
        profiles[f"S{i}"] = supplier(f"S{i}", i + 1, **extra)
    n = len(specs)
    cands: list[dict[str, Any]] = []
    for k, (a, b) in enumerate(pairs):
        a, b = a % n, b % n
        if a != b:
            cands.append(consortium(f"C{k}", [f"S{a}", f"S{b}"]))
    alone = data.draw(st.lists(st.sampled_from(sorted(profiles)), unique=True, max_size=n))
    cands += [profiles[s] for s in alone]
    if not cands:
        return
    result = evaluate(RULESET, cands, procurement=procurement(),
                      suppliers=list(profiles.values()))
    got = {(c.candidate, o.rule): o.verdict for c in result.candidates for o in c.outcomes
           if o.rule in RULES}
    assert got == brute(cands, profiles)
