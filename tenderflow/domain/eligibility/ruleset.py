"""A ruleset built from parsed data (a YAML file read by :mod:`tenderflow.workflow.rulesets`,
or a pinned copy): strict validation naming file, location, field and what was expected;
expressions compiled against a typed context built from the profile schema (never ``eval``);
the content hash (SHA-256 of the canonical JSON of the data) that pins it."""

from __future__ import annotations

import copy
import decimal
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import rule_engine

from tenderflow.domain.credit import CREDIT_LISTS
from tenderflow.domain.eligibility.checks import (
    CHECKS,
    KNOWN_PARAMETERS,
    OPTIONAL_PARAMETERS,
)
from tenderflow.domain.eligibility.model import FieldSpec, Parameter, Rule
from tenderflow.domain.eligibility.schema import (
    BASE_FIELDS,
    GRADE_RANK,
    SEVERITIES,
    SIMPLE_TYPES,
    STATUSES,
    UNGRADED,
    Where,
    check_decimal,
    check_keys,
    check_str_list,
    check_text,
    json_plain,
)

_RULE_ID = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+")
_FIELD_NAME = re.compile(r"[a-z][a-z0-9_]*")
# Field types an expression may read. rule-engine is imported where an expression is compiled,
# not at import: building its parser costs ~0.3 s, which `status` and `next` never need.
_EXPR_TYPES = ("boolean", "string", "decimal", "date", "list[string]")


def _expr_type(kind: str) -> Any:
    from rule_engine import DataType

    return {"boolean": DataType.BOOLEAN, "string": DataType.STRING,
            "decimal": DataType.FLOAT, "date": DataType.DATETIME,
            "list[string]": DataType.ARRAY(DataType.STRING)}[kind]
_FORBIDDEN_BUILTINS = frozenset({"now", "today"})


@dataclass(frozen=True)
class Ruleset:
    """A loaded ruleset; ``content_hash`` identifies the exact data it was built from."""

    id: str
    version: str
    title_zh: str
    title_en: str
    fields: Mapping[str, FieldSpec]
    parameters: Mapping[str, Parameter]
    rules: tuple[Rule, ...]
    content_hash: str
    file: str | None = None
    _data: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_data(cls, data: Mapping[str, Any], *, file: str | None = None) -> Ruleset:
        """Build and validate a ruleset from parsed data (a YAML file or a pinned copy)."""
        return build_ruleset(data, file=file, strict=True)

    def to_data(self) -> dict[str, Any]:
        """The parsed data, a deep copy: ``Ruleset.from_data(r.to_data())`` has the same hash."""
        return copy.deepcopy(dict(self._data))

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    @property
    def rule_ids(self) -> tuple[str, ...]:
        return tuple(r.id for r in self.rules)


def canonical_json(data: Any) -> str:
    """The canonical JSON text hashed for a ruleset."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_hash(data: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the canonical JSON of a parsed ruleset."""
    return hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()


def _build_fields(data: Any, where: Where) -> dict[str, FieldSpec]:
    where = where.at("fields")
    if not isinstance(data, dict):
        raise where.error("must map each profile field to {type, description}", field="fields")
    fields: dict[str, FieldSpec] = {}
    for name, spec in data.items():
        if not isinstance(name, str) or not _FIELD_NAME.fullmatch(name):
            raise where.error(f"field names are lower_snake_case, got {name!r}", field=str(name))
        w = where.at(f"fields.{name}")
        check_keys(spec, w, required=("type", "description"), what=f"field {name}")
        ftype = spec["type"]
        base_type = BASE_FIELDS.get(name)
        if base_type is not None and ftype != base_type:
            raise w.error(f"is a base profile field of type {base_type}, declared {ftype!r}",
                          field="type", expected=base_type)
        if base_type is None and ftype not in SIMPLE_TYPES:
            raise w.error(f"unknown type {ftype!r}", field="type",
                          expected=" | ".join(SIMPLE_TYPES))
        fields[name] = FieldSpec(name, ftype, check_text(spec["description"], w, "description"),
                                 base_type is not None)
    for name, ftype in BASE_FIELDS.items():
        fields.setdefault(name, FieldSpec(name, ftype, "", True))
    return fields


def _check_parameter_value(name: str, value: Any, w: Where) -> Any:
    kind = KNOWN_PARAMETERS[name]
    if kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise w.error(f"must be a positive integer, got {value!r}", field="value")
    elif kind == "decimal":
        number = check_decimal(value, w, "value")
        if number <= 0 or not isinstance(value, str):
            raise w.error(f"must be a positive decimal string, got {value!r}", field="value",
                          expected='a string like "0.20"')
    elif kind == "qualification":
        qualification_requirement(value, w)
    return value


def qualification_requirement(value: Any, w: Where) -> dict[str, str]:
    check_keys(value, w, required=("type", "min_grade"), what="a qualification requirement")
    check_text(value["type"], w, "type")
    if not isinstance(value["min_grade"], str) or (
            value["min_grade"] not in GRADE_RANK and value["min_grade"] != UNGRADED):
        raise w.error(f"unknown grade {value['min_grade']!r}", field="min_grade",
                      expected=" | ".join([*GRADE_RANK, UNGRADED]))
    return {"type": value["type"], "min_grade": value["min_grade"]}


def _build_parameters(data: Any, where: Where) -> dict[str, Parameter]:
    where = where.at("parameters")
    if not isinstance(data, dict):
        raise where.error("must map parameter names to {value, source, status}",
                          field="parameters")
    out: dict[str, Parameter] = {}
    for name, spec in data.items():
        w = where.at(f"parameters.{name}")
        if name not in KNOWN_PARAMETERS:
            raise w.error("unknown parameter", field=str(name),
                          expected="one of " + ", ".join(sorted(KNOWN_PARAMETERS)))
        check_keys(spec, w, required=("value", "source", "status"), optional=("note",),
              what=f"parameter {name}")
        if spec["status"] not in STATUSES:
            raise w.error(f"unknown status {spec['status']!r}", field="status",
                          expected=" | ".join(STATUSES))
        out[name] = Parameter(name, _check_parameter_value(name, spec["value"], w),
                              check_text(spec["source"], w, "source"), spec["status"],
                              spec.get("note"))
    return out


def _make_context(fields: Mapping[str, FieldSpec], seen: list[str],
                  strict: bool) -> rule_engine.Context:
    import rule_engine
    from rule_engine import DataType

    types = {name: _expr_type(spec.type) for name, spec in fields.items()
             if spec.type in _EXPR_TYPES}

    def resolve(name: str) -> Any:
        seen.append(name)
        if name in types:
            return types[name]
        if strict:
            raise rule_engine.SymbolResolutionError(name)
        return DataType.UNDEFINED

    return rule_engine.Context(type_resolver=resolve, default_timezone=UTC,
                               decimal_context=decimal.Context(prec=28))


def _walk(node: Any, attributes: list[str], literals: list[str], builtins: list[str],
          depth: int = 0) -> None:
    """Collect attribute names, string literals and built-in symbols from a rule-engine AST."""
    import rule_engine.ast

    if depth > 200:
        return
    if isinstance(node, rule_engine.ast.GetAttributeExpression):
        attributes.append(node.name)
    elif isinstance(node, rule_engine.ast.StringExpression):
        literals.append(node.value)
    elif isinstance(node, rule_engine.ast.SymbolExpression) and node.scope == "built-in":
        builtins.append(node.name)
    children: list[Any] = []
    values = list(getattr(node, "__dict__", {}).values())
    for klass in type(node).__mro__:  # some nodes (Statement) keep their children in slots
        values.extend(getattr(node, slot, None) for slot in getattr(klass, "__slots__", ()))
    for value in values:
        if isinstance(value, (rule_engine.ast.ExpressionBase, rule_engine.ast.Statement)):
            children.append(value)
        elif isinstance(value, (list, tuple)):
            children.extend(v for v in value if isinstance(v, rule_engine.ast.ExpressionBase))
        elif isinstance(value, dict):
            for k, v in value.items():
                children.extend(x for x in (k, v) if isinstance(x, rule_engine.ast.ExpressionBase))
    for child in children:
        _walk(child, attributes, literals, builtins, depth + 1)


def _compile_expression(text: str, fields: Mapping[str, FieldSpec], w: Where,
                        strict: bool) -> dict[str, Any]:
    import rule_engine

    seen: list[str] = []
    context = _make_context(fields, seen, strict)
    try:
        compiled = rule_engine.Rule(text, context=context)
    except rule_engine.SymbolResolutionError as exc:
        name = exc.symbol_name
        if name in fields:
            hint = f" ({fields[name].type} is read by built-in checks only)"
        else:
            import difflib

            close = difflib.get_close_matches(name, list(fields), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise w.error(f"expression refers to unknown field {name!r}{hint}",
                      field="expression",
                      expected="a field declared in fields: or the base profile") from None
    except rule_engine.RuleSyntaxError as exc:
        raise w.error(f"expression syntax error: {exc.message}", field="expression") from None
    except rule_engine.EngineError as exc:
        raise w.error(f"expression refused: {exc.message}", field="expression") from None
    attributes: list[str] = []
    literals: list[str] = []
    builtins: list[str] = []
    _walk(compiled.statement, attributes, literals, builtins)
    bad = sorted(set(builtins) & _FORBIDDEN_BUILTINS)
    if bad:
        raise w.error(f"expression reads the clock (${bad[0]}); eligibility is evaluated at the "
                      "procurement's date", field="expression")
    result_type = compiled.statement.expression.result_type
    if strict and result_type is not _expr_type("boolean"):
        raise w.error(f"expression gives {result_type.name}, not true/false",
                      field="expression", expected="a condition")
    symbols = tuple(dict.fromkeys(seen))
    unknown = tuple(s for s in symbols if s not in fields or fields[s].type not in _EXPR_TYPES)
    return {"compiled": compiled, "symbols": symbols, "unknown_symbols": unknown,
            "attributes": tuple(dict.fromkeys(attributes)),
            "literals": tuple(dict.fromkeys(literals))}


def _build_rule(data: Any, index: int, fields: Mapping[str, FieldSpec],
                parameters: Mapping[str, Parameter], where: Where, strict: bool) -> Rule:
    rid = data.get("id") if isinstance(data, dict) else None
    w = where.at(f"rules[{index}]" + (f" ({rid})" if isinstance(rid, str) else ""))
    check_keys(data, w, required=("id", "title", "source", "status", "severity", "evidence"),
          optional=("expression", "check", "params", "note"), what="a rule")
    if not isinstance(rid, str) or not _RULE_ID.fullmatch(rid):
        raise w.error(f"rule ids are dotted lower_snake_case like gpl22.tax, got {rid!r}",
                      field="id")
    w = where.at(f"rule {rid}")
    title = check_keys(data["title"], w, required=("zh", "en"), what="a title")
    if data["status"] not in STATUSES:
        raise w.error(f"unknown status {data['status']!r}", field="status",
                      expected=" | ".join(STATUSES))
    if data["severity"] not in SEVERITIES:
        raise w.error(f"unknown severity {data['severity']!r}", field="severity",
                      expected=" | ".join(SEVERITIES))
    evidence = check_str_list(data["evidence"], w, "evidence")
    if not evidence:
        raise w.error("must name the evidence the rule needs", field="evidence")
    has_expr, has_check = "expression" in data, "check" in data
    if has_expr == has_check:
        raise w.error("a rule has either an expression or a check", field="expression",
                      expected="exactly one of expression, check")
    common: dict[str, Any] = {
        "id": rid, "title_zh": check_text(title["zh"], w, "title.zh"),
        "title_en": check_text(title["en"], w, "title.en"),
        "source": check_text(data["source"], w, "source"), "status": data["status"],
        "severity": data["severity"], "evidence": evidence, "note": data.get("note")}
    if has_expr:
        if "params" in data:
            raise w.error("params belong to a check", field="params")
        text = check_text(data["expression"], w, "expression")
        return Rule(expression=text, **common, **_compile_expression(text, fields, w, strict))
    name = data["check"]
    spec = CHECKS.get(name)
    if spec is None:
        raise w.error(f"unknown check {name!r}", field="check",
                      expected=" | ".join(sorted(CHECKS)))
    params = data.get("params", {})
    check_keys(params, w, required=tuple(spec.params), what=f"params of check {name}")
    if name == "credit_lists" and params["list"] not in CREDIT_LISTS:
        raise w.error(f"unknown credit list {params['list']!r}", field="params.list",
                      expected=" | ".join(CREDIT_LISTS))
    for needed in spec.parameters:
        if needed not in parameters and needed not in OPTIONAL_PARAMETERS:
            raise w.error(f"check {name} needs the ruleset parameter {needed}",
                          field=f"parameters.{needed}")
    return Rule(check=name, params=dict(params), **common)


def build_ruleset(data: Mapping[str, Any], *, file: str | None, strict: bool) -> Ruleset:
    where = Where(file, "ruleset")
    data = dict(data) if isinstance(data, Mapping) else data
    check_keys(data, where, required=("id", "version", "title", "fields", "parameters", "rules"),
          optional=("description",), what="a ruleset")
    json_plain(data, where, "")
    rs_id = check_text(data["id"], where, "id")
    version = data["version"]
    if not isinstance(version, str) or not version.strip():
        raise where.error(f"version must be quoted text like \"2025.1\", got {version!r}",
                          field="version")
    title = check_keys(data["title"], where, required=("zh", "en"), what="a title")
    fields = _build_fields(data["fields"], where)
    parameters = _build_parameters(data["parameters"], where)
    if not isinstance(data["rules"], list) or not data["rules"]:
        raise where.error("must list at least one rule", field="rules")
    rules: list[Rule] = []
    for index, rule_data in enumerate(data["rules"]):
        rule = _build_rule(rule_data, index, fields, parameters, where, strict)
        if any(r.id == rule.id for r in rules):
            raise where.at(f"rule {rule.id}").error("duplicate rule id", field="id")
        rules.append(rule)
    frozen = copy.deepcopy(data)
    return Ruleset(id=rs_id, version=version, title_zh=check_text(title["zh"], where, "title.zh"),
                   title_en=check_text(title["en"], where, "title.en"), fields=fields,
                   parameters=parameters, rules=tuple(rules), content_hash=content_hash(frozen),
                   file=file, _data=frozen)
