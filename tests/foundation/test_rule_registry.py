"""Honest status everywhere (issue 12 item 17): every rule id a refusal can print has a status
(P | secondary | unconfirmed) in exactly one place and is tagged in a feature, and a refusal on a
secondary or unconfirmed rule says so.

The rule ids are computed from the code, not listed by hand: the guards' rules
(:data:`tenderflow.domain.state.GUARDS`), and an AST scan of ``tenderflow/`` for the rule a
``Refusal(...)``, ``refuse_as(...)``, ``refuse(...)`` (the agreement's) or ``replace(…, rule=…)``
names — a string literal, or a constant (``RULE = "procedure.reopen"``, ``RULE_DATE = …``) — and
class attributes ``rule = "calendar.provisional"`` of the errors. A call whose rule is computed
(a variable) must be one of :data:`COMPUTED`, each saying where its ids come from; a new one
fails here until it is explained. The places a status lives:

* ``workflows/parameters.yaml`` (rules with a number) or ``workflows/rules.yaml`` (rules without)
  — exactly one of the two;
* the eligibility rulesets (``workflows/eligibility/*.yaml``) for their own rule ids, which
  ``candidates_eligible`` prints;
* the fair-competition lint's table (``LINT_SOURCES``) for its finding kinds ``lint.<kind>``.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import tenderflow
from tenderflow.app.common import load_parameters
from tenderflow.domain.eligibility.lint import LINT_SOURCES
from tenderflow.domain.parameters import STATUSES
from tenderflow.domain.rulebook import RuleBook, overlap, status_of, with_status
from tenderflow.domain.state import GUARDS
from tenderflow.errors import InputError, Refusal, TriggerRefused, status_note
from tenderflow.workflow.rulebook import labelled, load_rules
from tenderflow.workflow.rulesets import available_rulesets, load_ruleset, ruleset_path

PACKAGE = Path(tenderflow.__file__).resolve().parent
ROOT = PACKAGE.parent
RULE_ID = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+")
RULE_CONSTANT = re.compile(r"^(RULE|RULE_[A-Z_]+|[A-Z_]+_RULE)$")

# (module path under tenderflow/, enclosing function): where a computed rule comes from.
COMPUTED = {
    ("domain/rules.py", "refuse"): "GuardSpec.refuse: the guard's own rule (GUARDS)",
    ("domain/modes/open_tender/calculators.py", "clarification_period"):
        "tender.clarification_min_days or tender.prequal_clarification_min_days (parameters)",
    ("domain/modes/open_tender/decisions.py", "prequal_pass_min"):
        "tender.prequal_pass_min or ppp.prequal_pass_min (parameters)",
    ("domain/modes/open_tender/decisions.py", "prequal_insufficient"):
        "tender.prequal_pass_min or ppp.prequal_pass_min (parameters)",
    ("domain/modes/delegation/calculators.py", "works_tendering"):
        "regime.must_tender_* (parameters)",
    ("domain/components/eligibility.py", "candidates_eligible"):
        "a rule of the pinned eligibility ruleset (workflows/eligibility/*.yaml)",
    ("domain/eligibility/lint.py", "to_refusal"): "lint.<kind>, the kinds of LINT_SOURCES",
    ("domain/modes/negotiation/group.py", "_composition_refusal"):
        "the rule of the guard refusal it extends",
    ("domain/modes/negotiation/group.py", "group_complete"):
        "the rule of the guard refusal it extends",
    ("domain/components/challenges.py", "complaint_in_window"):
        "the mode's Periods: its complaint and answer period parameters",
    ("domain/modes/open_tender/evaluation.py", "tender_bid_price_flagged"):
        "low_price_rule: award.abnormally_low_ratio or award.abnormally_low_ratio_works",
    ("domain/modes/negotiation/decisions.py", "price_flagged"):
        "low_price_rule: award.abnormally_low_ratio or award.abnormally_low_ratio_works",
    ("domain/modes/negotiation/decisions.py", "low_price_explained"):
        "low_price_rule: award.abnormally_low_ratio or award.abnormally_low_ratio_works",
}
# Calls naming a rule, and the position of the rule among their positional arguments.
RULE_ARG: dict[str, tuple[int | None, str]] = {
    "Refusal": (0, "rule"), "refuse_as": (2, "rule"), "refuse": (3, "rule"),
    "replace": (None, "rule")}


def _tags() -> set[str]:
    found: set[str] = set()
    for feature in (ROOT / "features").rglob("*.feature"):
        found.update(re.findall(r"(?<![\w@])@([\w.\-]+)", feature.read_text(encoding="utf-8")))
    return found


def _constants(tree: ast.Module) -> dict[str, str]:
    out: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and \
                isinstance(node.value.value, str):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    out[target.id] = node.value.value
    return out


def _scan() -> tuple[set[str], list[tuple[str, str, int]]]:
    """The rule ids the code names, and the calls whose rule is computed (file, function,
    line). A function that passes one of its own parameters on as the rule (``refuse_as``,
    ``deadline_reached(ctx, spec, key, rule, what)``, ``check_min_period(…, param, …)``) is
    followed: the ids are then what its callers pass."""
    trees = {p: ast.parse(p.read_text(encoding="utf-8")) for p in PACKAGE.rglob("*.py")}
    rule_constants = {name: value for tree in trees.values()
                      for name, value in _constants(tree).items() if RULE_CONSTANT.match(name)}
    found = {v for v in rule_constants.values() if RULE_ID.fullmatch(v)}
    forwarders: dict[str, tuple[int | None, str]] = dict(RULE_ARG)
    while True:
        computed: list[tuple[str, str, int]] = []
        new = False
        for path, tree in trees.items():
            rel = path.relative_to(PACKAGE).as_posix()
            local = _constants(tree)
            for func, node in _calls(tree):
                name = node.func.id if isinstance(node.func, ast.Name) else None
                if name not in forwarders:
                    continue
                index, keyword = forwarders[name]
                arg = next((k.value for k in node.keywords if k.arg == keyword), None)
                if arg is None and index is not None and len(node.args) > index:
                    arg = node.args[index]
                if arg is None:
                    continue
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found.add(arg.value)
                elif isinstance(arg, ast.Name) and (arg.id in local or arg.id in rule_constants):
                    found.add(local.get(arg.id) or rule_constants[arg.id])
                elif isinstance(arg, ast.Attribute) and arg.attr == "rule" and \
                        isinstance(arg.value, ast.Name) and arg.value.id == "spec":
                    pass  # the guard's own rule: GUARDS
                elif isinstance(arg, ast.Name) and func is not None and \
                        arg.id in [a.arg for a in func.args.args]:
                    if func.name not in forwarders:
                        forwarders[func.name] = ([a.arg for a in func.args.args].index(arg.id),
                                                 arg.id)
                        new = True
                else:
                    computed.append((rel, func.name if func else "<module>", node.lineno))
            for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
                for stmt in cls.body:
                    if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Constant) \
                            and any(isinstance(t, ast.Name) and t.id == "rule"
                                    for t in stmt.targets):
                        found.add(stmt.value.value)
        if not new:
            return found, computed


def _calls(tree: ast.Module) -> list[tuple[ast.FunctionDef | None, ast.Call]]:
    out: list[tuple[ast.FunctionDef | None, ast.Call]] = []

    def visit(node: ast.AST, func: ast.FunctionDef | None) -> None:
        for child in ast.iter_child_nodes(node):
            inner = child if isinstance(child, ast.FunctionDef) else func
            if isinstance(child, ast.Call):
                out.append((func, child))
            visit(child, inner)

    visit(tree, None)
    return out


def _rulesets() -> list[object]:
    return [load_ruleset(ruleset_path(name)) for name in available_rulesets()]


def printable() -> set[str]:
    """Every rule id a refusal can print by name in the code (guards and literal rules)."""
    return {spec.rule for spec in GUARDS.values()} | _scan()[0]


def test_the_scan_finds_the_rules_outside_the_guards() -> None:
    found = printable()
    for rule in ("tender.invitation_grounds", "procedure.reopen", "procedure.reopen_method_change",
                 "delegation.self_build", "agreement.signing_order", "calendar.provisional",
                 "calendar.disputed_year", "eligibility.checked", "committee.recusal"):
        assert rule in found, rule
    assert all(RULE_ID.fullmatch(r) for r in found), sorted(r for r in found
                                                             if not RULE_ID.fullmatch(r))


def test_every_computed_rule_is_explained() -> None:
    sites = {(f, fn) for f, fn, _ in _scan()[1]}
    unexplained = sorted(f"{f}:{line} in {fn}()" for f, fn, line in _scan()[1]
                         if (f, fn) not in COMPUTED)
    assert unexplained == [], ("a refusal whose rule is computed: name a rule id (a literal or "
                               "a RULE_* constant), or explain it in COMPUTED")
    assert sorted(set(COMPUTED) - sites) == [], "COMPUTED lists a call that is gone"


def test_every_printable_rule_has_a_status_in_exactly_one_place() -> None:
    params, rules = load_parameters(), load_rules()
    assert overlap(params, rules) == [], "a rule id is in parameters.yaml and rules.yaml"
    missing = sorted(r for r in printable() if r not in params and r not in rules)
    assert missing == [], (f"no status for {missing}: add each to workflows/rules.yaml "
                           "(title zh/en, source, status) or parameters.yaml")
    stale = sorted(set(rules.keys()) - printable())
    assert stale == [], f"workflows/rules.yaml names rules no refusal prints: {stale}"
    for entry in rules:
        assert entry.status in STATUSES and entry.source


def test_ruleset_and_lint_rules_have_a_status_and_no_second_one() -> None:
    params, rules = load_parameters(), load_rules()
    for ruleset in _rulesets():
        for rule in ruleset.rules:  # type: ignore[attr-defined]
            assert rule.status in STATUSES, rule.id
            assert rule.id not in params and rule.id not in rules, rule.id
    for kind, (source, status) in LINT_SOURCES.items():
        if source is not None:  # unknown_field is a schema error, not a legal rule
            assert status in STATUSES, kind


def test_every_rule_is_tagged_in_a_feature() -> None:
    tags = _tags()
    ids = printable() | {p.key for p in load_parameters()}
    ids |= {r.id for rs in _rulesets() for r in rs.rules}  # type: ignore[attr-defined]
    ids |= {f"lint.{k}" for k, (source, _) in LINT_SOURCES.items() if source is not None}
    untagged = sorted(ids - tags)
    assert untagged == [], f"rules without a feature scenario tagged @rule.id: {untagged}"


def test_the_statuses_agree_with_policy_where_it_marks_them() -> None:
    """Spot checks against ../shared/POLICY.md's P / S / U marks."""
    params, rules = load_parameters(), load_rules()
    # 74号令 第12条 is U in POLICY.md; its text was since found quoted (issue 12 item 5): secondary
    assert params.get("negotiation.recommended_max_share").status == "secondary"
    assert params.get("negotiation.response_min_working_days").status == "secondary"  # 第29条 S
    assert params.get("tender.bid_period_min_days").status == "P"  # 法 第24条 P
    assert rules.get("committee.recusal").status == "P"  # 法 第37条; 条例 第46条 P
    assert rules.get("delegation.ground_recorded").status == "unconfirmed"  # no article given


# --------------------------------------------------------------------------- saying so

def _refusal(rule: str, source: str = "财政部令第74号 第33条") -> Refusal:
    return Refusal(rule, "too few final quotations", source, {}, guard="final_quotes_min")


def test_a_refusal_on_an_unconfirmed_rule_says_so() -> None:
    params, rules = load_parameters(), load_rules()
    refusal = labelled([_refusal("negotiation.final_quotes_min")], params, rules=rules)[0]
    assert refusal.status == "unconfirmed"
    assert refusal.to_dict()["status"] == "unconfirmed"
    assert "(source unconfirmed)" in str(refusal)
    assert status_note(refusal.status, "zh") == "（依据未经核实：unconfirmed）"
    err = TriggerRefused("CN-1", "open_final_quotes", "final_quotation", [refusal])
    assert "(source unconfirmed)" in err.message
    assert err.to_dict()["refusals"][0]["status"] == "unconfirmed"


def test_a_citation_that_already_names_the_status_is_not_repeated() -> None:
    refusal = labelled([_refusal("negotiation.final_quotes_min",
                                 "财政部令第74号 第33条, unconfirmed")], load_parameters())[0]
    assert refusal.status == "unconfirmed"
    assert str(refusal).endswith("(财政部令第74号 第33条, unconfirmed)")
    assert status_note("unconfirmed", "zh", refusal.source) == ""


def test_a_refusal_on_a_primary_rule_adds_nothing() -> None:
    refusal = labelled([_refusal("tender.invited_min", "招标投标法 第17条")],
                       load_parameters())[0]
    assert refusal.status == "P"
    assert str(refusal) == "[tender.invited_min] too few final quotations (招标投标法 第17条)"
    assert status_note("P") == "" and status_note(None) == ""


def test_status_comes_from_the_one_place_that_holds_it() -> None:
    params, rules = load_parameters(), load_rules()
    ruleset = load_ruleset(ruleset_path("renovation"))
    assert status_of("tender.invitation_grounds", params=params, rules=rules) == "secondary"
    assert status_of("credit.major_tax_violation", ruleset=ruleset) == "secondary"
    assert status_of("no.such_rule", params=params, rules=rules, ruleset=ruleset) is None
    labelled_once = with_status(_refusal("x.y"), "secondary")
    assert with_status(labelled_once, "P") is labelled_once  # a label is not overwritten


@pytest.mark.parametrize(("data", "field"), [
    ({"a.b": {"title": {"zh": "甲", "en": "A"}, "source": "法 第1条", "status": "S"}}, "status"),
    ({"a.b": {"title": {"zh": "甲", "en": "A"}, "status": "P"}}, "source"),
    ({"a.b": {"title": {"zh": "甲", "en": "A"}, "source": " ", "status": "P"}}, "source"),
    ({"a.b": {"title": {"zh": "甲"}, "source": "法 第1条", "status": "P"}}, "title"),
    ({"a.b": {"title": {"zh": "甲", "en": "A"}, "source": "法", "status": "P", "x": 1}}, "x"),
])
def test_a_bad_rule_file_names_the_file_the_rule_and_the_field(data: dict[str, object],
                                                               field: str) -> None:
    with pytest.raises(InputError) as err:
        RuleBook(data, file="workflows/rules.yaml")
    assert "workflows/rules.yaml" in err.value.message
    assert "a.b" in err.value.message
    assert field in err.value.message


def test_a_rule_id_must_be_dotted() -> None:
    with pytest.raises(InputError, match="committee"):
        RuleBook({"committee": {"title": {"zh": "甲", "en": "A"}, "source": "法", "status": "P"}},
                 file="rules.yaml")
