"""Supplier eligibility (准入): versioned rulesets, an explained check, and a fairness lint.

A ruleset is data (``workflows/eligibility/*.yaml``, read by :mod:`tenderflow.workflow.rulesets`):
each rule has an id, zh/en titles, its legal source and status, a severity (``disqualify`` or
``warn``), the evidence it needs, and either

* an ``expression`` over the supplier profile in the `rule-engine` language, compiled against a
  typed context built from the profile schema, so a misspelt field fails when the ruleset is
  built (never ``eval``); or
* a named built-in ``check`` (see :data:`CHECKS`) for what an expression cannot say: dated
  records, credit lists, qualifications, the project's investment, and relations between the
  candidates on the same lot.

Everything here is pure: it receives parsed data (dates are passed in, nothing reads a file,
the clock or a database). The modules, each with one job:

* :mod:`.schema` - verdicts, the base profile, grades, and the validators naming file and field;
* :mod:`.model` - fields, parameters, rules, a check's spec and finding;
* :mod:`.ruleset` - :meth:`Ruleset.from_data` / :meth:`Ruleset.to_data`: strict building from
  data, content hash (SHA-256 of the canonical JSON of the data) for pinning and replay;
* :mod:`.checks` - the built-in checks (:data:`CHECKS`), over :mod:`.context`;
* :mod:`.lint` - :func:`lint_ruleset`, the fair-competition review (公平竞争审查);
* :mod:`.pinned` - :func:`pin_ruleset` / :func:`ruleset_from_pinned`: what opening a
  procurement stores, refusing a ruleset that fails the lint, and its rebuild with a hash check;
* :mod:`.profile` - :func:`normalise_profile`: a supplier profile as registered, validated;
* :mod:`.evaluation` - :func:`evaluate`: every rule for every candidate: verdict, value seen,
  threshold, source.
"""

from tenderflow.domain.eligibility.checks import CHECKS, KNOWN_PARAMETERS
from tenderflow.domain.eligibility.evaluation import (
    CandidateResult,
    EligibilityResult,
    RuleOutcome,
    evaluate,
)
from tenderflow.domain.eligibility.lint import (
    LINT_SOURCES,
    LintFinding,
    concepts,
    lint_ruleset,
)
from tenderflow.domain.eligibility.model import (
    CheckSpec,
    FieldSpec,
    Finding,
    Parameter,
    Rule,
)
from tenderflow.domain.eligibility.pinned import (
    PinnedRuleset,
    pin_ruleset,
    ruleset_from_pinned,
)
from tenderflow.domain.eligibility.profile import (
    check_options,
    normalise_profile,
    normalise_value,
)
from tenderflow.domain.eligibility.ruleset import (
    Ruleset,
    build_ruleset,
    canonical_json,
    content_hash,
)
from tenderflow.domain.eligibility.schema import (
    BASE_FIELDS,
    FAIL,
    GRADE_RANK,
    IDENTITY_FIELDS,
    MAJOR_RECORD_KINDS,
    NOT_APPLICABLE,
    NOT_CHECKED,
    PASS,
    RECORD_KINDS,
    SEVERITIES,
    SIMPLE_TYPES,
    SIZE_FIELDS,
    STATUSES,
    STRUCTURED_TYPES,
    UNGRADED,
    VERDICTS,
    WARN,
)
from tenderflow.errors import RulesetRefused

__all__ = [
    "BASE_FIELDS", "CHECKS", "FAIL", "GRADE_RANK", "IDENTITY_FIELDS", "KNOWN_PARAMETERS",
    "LINT_SOURCES", "MAJOR_RECORD_KINDS", "NOT_APPLICABLE", "NOT_CHECKED", "PASS", "RECORD_KINDS", "SEVERITIES",
    "SIMPLE_TYPES", "SIZE_FIELDS", "STATUSES", "STRUCTURED_TYPES", "UNGRADED", "VERDICTS", "WARN",
    "CandidateResult", "CheckSpec", "EligibilityResult", "FieldSpec", "Finding", "LintFinding",
    "Parameter", "PinnedRuleset", "Rule", "RuleOutcome", "Ruleset", "RulesetRefused",
    "build_ruleset", "canonical_json", "check_options", "concepts", "content_hash", "evaluate",
    "lint_ruleset", "normalise_profile", "normalise_value", "pin_ruleset", "ruleset_from_pinned",
]
