"""The agreement after the award: whose identities sign it, where its data comes from, and the
records of its documents in the procurement's stream.

The agreement's data is the recorded procurement plus the terms the officer records:

* **derived** from the record — the project's name and counts (``ProcurementCreated``), the
  procurement's id, method and award date, the investment (the award price), and each
  signing party's registered identity: the implementing agency, the residents' committee and
  the sub-district office from the project's registration, the social capital from the
  awarded supplier's registration;
* **terms** given by the officer (``tenderflow contract terms``) — everything else the
  template needs (scope, term, revenue sources and plan, payment, bond, risks, handover …).

A field the record provides may not be given another value in the terms; a party's name and
统一社会信用代码 (USCC) never come from the terms. Both are copied into
``AgreementTermsRecorded``, so that a render depends only on that event and the pinned
template (the document prints the event's record digest, tenderflow.documents.record).

Document records (no ``trigger``; they do not change the workflow state)::

    AgreementTermsRecorded   {terms, revenue_plan, operating_costs, derived, sources,
                              parties, template}
    AgreementRendered        {document: agreement, sha256, bytes, pages, terms_digest,
                              terms_seq, template, signing_order, parties, renderer}
    AgreementSigned          {document: agreement, party, field, signer, certificate, sha256,
                              previous_sha256, rendered_sha256, signature, of}
    FinancingPackageAssembled{manifest_sha256, manifest_pdf_sha256, files, agreement_sha256,
                              financing, finance, agreement_signed_digest,
                              agreement_signed_seq, signing_order, left_out}
    FinancingPackageSigned   {document: package, …as AgreementSigned, manifest_sha256}

This module is pure: the application service (:mod:`tenderflow.app.agreements`) reads the store
and renders; the checks and the state they fold into live here, so a replay reaches the same
decisions from the same events.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, time, timedelta
from typing import Any

from tenderflow.domain.fold import State, applies
from tenderflow.domain.money import Money
from tenderflow.domain.timeutil import SHANGHAI, local_date, parse_time
from tenderflow.domain.uscc import uscc_problem
from tenderflow.errors import (
    CheckFailed,
    InputError,
    Refusal,
    RoleNotAllowed,
    TriggerRefused,
)

TERMS = "AgreementTermsRecorded"
RENDERED = "AgreementRendered"
SIGNED = "AgreementSigned"
PACKAGE = "FinancingPackageAssembled"
PACKAGE_SIGNED = "FinancingPackageSigned"
DOCUMENT_EVENTS = (TERMS, RENDERED, SIGNED, PACKAGE, PACKAGE_SIGNED)

AGREEMENT = "agreement"
PACKAGE_DOC = "package"

# A procurement has an award the agreement can follow once the award is recorded
# (``state["award"]``) and the procurement has not ended (failed or cancelled): in the
# awarded state, and in the states some modes move to afterwards (contract_overdue,
# contracted — open tender records the contract's signing as a transition).
ENDED_STATES = ("failed", "cancelled")

# Where each signing role's registered identity comes from: project party fields, in order of
# preference (the purchaser is the implementing agency when the project names no other).
PROJECT_PARTY_FIELDS: dict[str, tuple[str, ...]] = {
    "implementing_agency": ("implementing_agency", "purchaser"),
    "residents_committee": ("residents_committee",),
    "subdistrict_office": ("subdistrict_office",),
}
SOCIAL_CAPITAL = "social_capital"

# Who may do what (the actor's role, ``--as ROLE:NAME``).
ACTION_ROLES: dict[str, tuple[str, ...]] = {
    "record terms": ("staff", "legal"),
    "render": ("staff", "legal"),
    "sign": ("staff", "legal", "supplier", "finance"),
    "package": ("staff", "finance"),
}

# Extra top-level keys of a terms file besides the template's placeholder roots.
PLAN_KEYS = ("revenue_plan", "operating_costs")

RULE_AFTER_AWARD = "agreement.after_award"
SOURCE_AFTER_AWARD = "政府采购法 第46条（中标、成交通知书发出后签订合同）"
RULE_DATE = "agreement.date_within_contract_period"
SOURCE_DATE = "政府采购法 第46条; 招标投标法 第46条（中标、成交通知书发出之日起三十日内订立合同）"
RULE_SIGNER_IDENTITY = "agreement.signer_identity"
SOURCE_SIGNER_IDENTITY = "电子签名法 第13条（电子签名制作数据属于电子签名人专有）"
RULE_SIGNING_ORDER = "agreement.signing_order"
RULE_SIGNED_BY_ALL = "agreement.signed_by_all"
SOURCE_SIGNED_BY_ALL = "电子签名法 第14条; 合同“生效”条款（自最后一方签署之日起生效）"
RULE_TERMS_FIXED = "agreement.terms_fixed_once_signed"
SOURCE_TERMS_FIXED = "民法典 第136条、第543条（合同成立后变更须各方协商一致）"


# ---------------------------------------------------------------------------------------------
# Checks that refuse an action (each names its rule and source)


def check_role(procurement: str, action: str, actor: str) -> None:
    role = actor.split(":", 1)[0]
    allowed = ACTION_ROLES[action]
    if role not in allowed:
        raise RoleNotAllowed(f"{procurement}: role '{role}' may not {action} the agreement "
                             f"(allowed: {', '.join(allowed)})", procurement=procurement,
                             action=action, actor=actor)


def refuse(procurement: str, action: str, st: State, rule: str, reason: str, source: str,
           **numbers: Any) -> TriggerRefused:
    """The refusal of an agreement step, shaped like a guard's (rule, reason, source)."""
    return TriggerRefused(procurement, f"contract {action}", str(st.get("state")),
                          [Refusal(rule=rule, reason=reason, source=source, numbers=numbers,
                                   guard=rule.split(".", 1)[1])])


def check_awarded(procurement: str, action: str, state: State) -> None:
    """The agreement follows the award: refuse unless the procurement is awarded."""
    current = state.get("state")
    if not state.get("award") or state.get("ended") or current in ENDED_STATES:
        why = "has ended" if state.get("ended") or current in ENDED_STATES else \
            "has no award"
        raise refuse(procurement, action, state, RULE_AFTER_AWARD,
                     f"{procurement} is in state '{current}' and {why}: the agreement is "
                     f"made with the awarded supplier after the award",
                     SOURCE_AFTER_AWARD, state=current, award=bool(state.get("award")))


def check_agreement_date(procurement: str, state: State, agreed: date) -> None:
    """The agreement is dated on or after the award, and by the contract deadline the
    procurement recorded (``deadlines.contract_deadline``, where its mode sets one)."""
    awarded_on = award_date(state)
    if awarded_on and agreed < awarded_on:
        raise refuse(procurement, "terms", state, RULE_DATE,
                     f"the agreement is dated {agreed.isoformat()}, before the award of "
                     f"{awarded_on.isoformat()}", SOURCE_AFTER_AWARD,
                     agreement_date=agreed.isoformat(), award_date=awarded_on.isoformat())
    deadline = (state.get("deadlines") or {}).get("contract_deadline")
    if deadline:
        local = parse_time(deadline).astimezone(SHANGHAI)
        # a deadline at 00:00 is 24:00 of the day before (民法典 第203条): the last day to sign
        last = local.date() - timedelta(days=1) if local.time() == time(0) else local.date()
        if agreed > last:
            raise refuse(procurement, "terms", state, RULE_DATE,
                         f"the agreement is dated {agreed.isoformat()}, after the contract "
                         f"deadline {deadline} recorded for the award", SOURCE_DATE,
                         agreement_date=agreed.isoformat(), contract_deadline=deadline)


def check_terms_may_change(procurement: str, state: State) -> None:
    """Terms are fixed once a party has signed the agreement rendered from them."""
    agreement = state.get("agreement") or {}
    signed = agreement.get("signatures") or []
    if signed:
        parties = ", ".join(s["party"] for s in signed)
        raise refuse(procurement, "terms", state, RULE_TERMS_FIXED,
                     f"the agreement is being signed ({parties} signed); its terms cannot "
                     f"change without every party's consent", SOURCE_TERMS_FIXED,
                     signed=[s["party"] for s in signed])


def check_may_render(procurement: str, state: State, sha256: str) -> None:
    """A different rendering is refused once signing of the current one has begun."""
    agreement = state.get("agreement") or {}
    rendered = agreement.get("rendered")
    if rendered and agreement.get("signatures") and rendered["sha256"] != sha256:
        raise refuse(procurement, "render", state, RULE_TERMS_FIXED,
                     f"the agreement rendered at event #{rendered['seq']} is being signed "
                     f"({', '.join(s['party'] for s in agreement['signatures'])}); a different "
                     f"rendering (template or data changed) would not be what they signed",
                     SOURCE_TERMS_FIXED, rendered_sha256=rendered["sha256"], new_sha256=sha256)


def check_fully_signed(procurement: str, state: State) -> None:
    """The financing package rests on the agreement signed by every party."""
    agreement = state.get("agreement") or {}
    rendered = agreement.get("rendered")
    if not rendered:
        raise refuse(procurement, "package", state, RULE_SIGNED_BY_ALL,
                     "no agreement has been rendered and signed", SOURCE_SIGNED_BY_ALL)
    signed = [s["party"] for s in agreement.get("signatures", [])]
    due = [r for r in rendered["signing_order"] if r not in signed]
    if due:
        raise refuse(procurement, "package", state, RULE_SIGNED_BY_ALL,
                     f"the agreement is not signed by every party: {', '.join(due)} still "
                     f"to sign", SOURCE_SIGNED_BY_ALL, signed=signed, waiting_for=due)


def check_package_may_change(procurement: str, state: State) -> None:
    """A different package is refused once a party has signed its manifest."""
    package = state.get("financing_package") or {}
    if package.get("signatures"):
        raise refuse(procurement, "package", state, RULE_TERMS_FIXED,
                     f"the package assembled at event #{package['rendered']['seq']} is being "
                     f"signed ({', '.join(s['party'] for s in package['signatures'])}); a "
                     f"different package would not be what they signed", SOURCE_TERMS_FIXED,
                     manifest_sha256=package.get("manifest_sha256"))


def signing_turn(procurement: str, state: State, document: str, party: str,
                 template_label: str) -> int:
    """Check that ``party`` is due to sign ``document``; its 1-based turn."""
    doc = document_state(state, document)
    order = doc["signing_order"]
    if party not in order:
        raise InputError(f"'{party}' is not a signing party of the {document}",
                         field="--party", expected=" | ".join(order))
    signed = [s["party"] for s in doc["signatures"]]
    source = f"{template_label}: signing_parties（依次签署）"
    if party in signed:
        raise refuse(procurement, "sign", state, RULE_SIGNING_ORDER,
                     f"{party} has already signed the {document}", source,
                     signed=signed, order=order)
    due = [r for r in order[: order.index(party)] if r not in signed]
    if due:
        raise refuse(procurement, "sign", state, RULE_SIGNING_ORDER,
                     f"{party} cannot sign the {document} yet: {', '.join(due)} must sign "
                     f"first (order: {', '.join(order)})", source,
                     waiting_for=due, order=order)
    return len(signed) + 1


def identity_refusal(procurement: str, state: State, party: str,
                     problems: list[str]) -> TriggerRefused:
    return refuse(procurement, "sign", state, RULE_SIGNER_IDENTITY,
                  f"the key does not belong to {party} as registered: " + "; ".join(problems),
                  SOURCE_SIGNER_IDENTITY, party=party)


def document_state(state: State, document: str) -> dict[str, Any]:
    """The recorded rendering of a document and its signatures; CheckFailed if there is none."""
    key = "agreement" if document == AGREEMENT else "financing_package"
    doc = state.get(key) or {}
    rendered = doc.get("rendered")
    if not rendered:
        what = ("no agreement has been rendered: tenderflow contract render "
                f"{state.get('id')} --out agreement.pdf") if document == AGREEMENT else (
            f"no financing package has been assembled: tenderflow contract package "
            f"{state.get('id')} --agreement agreement.pdf --out DIR")
        raise CheckFailed(f"{state.get('id')}: {what}", procurement=state.get("id"))
    return {"signing_order": rendered["signing_order"], "signatures": doc.get("signatures", []),
            "rendered": rendered, "sha256": doc.get("sha256", rendered["sha256"]),
            "parties": doc.get("parties") or (state.get("agreement") or {}).get("parties", {})}


# ---------------------------------------------------------------------------------------------
# The agreement's data: derived from the record, plus the officer's terms


def signing_parties(state: State, project: Mapping[str, Any] | None,
                    supplier: Mapping[str, Any] | None, roles: Iterable[str]
                    ) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """Each role's registered identity (name, uscc, address, representative where registered)
    and where it came from. Roles the registry says nothing about are left out (the terms may
    then give them; missing fields are reported by the template)."""
    parties: dict[str, dict[str, Any]] = {}
    sources: dict[str, str] = {}
    project = project or {}
    for role in roles:
        if role == SOCIAL_CAPITAL:
            if supplier:
                entry = {"name": supplier.get("name"), "uscc": supplier.get("uscc"),
                         "representative": supplier.get("legal_representative"),
                         "address": supplier.get("address")}
                parties[role] = {k: v for k, v in entry.items() if v}
                sources[f"parties.{role}"] = f"supplier {supplier.get('id')} (registered profile)"
            continue
        for fld in PROJECT_PARTY_FIELDS.get(role, ()):
            value = project.get(fld)
            if isinstance(value, Mapping) and value.get("name"):
                parties[role] = {k: value[k] for k in ("name", "uscc", "address",
                                                        "representative") if value.get(k)}
                sources[f"parties.{role}"] = f"project {project.get('id')} ({fld})"
                break
    return parties, sources


def derive(procurement: str, state: State, method_title: str,
           parties: Mapping[str, Mapping[str, Any]], party_sources: Mapping[str, str]
           ) -> tuple[dict[str, Any], dict[str, str]]:
    """The fields of the agreement that the procurement record provides, and their sources."""
    project = state.get("project") or {}
    award = state.get("award") or {}
    data: dict[str, Any] = {"project": {}, "procurement": {}, "investment": {}, "parties": {},
                            "term": {}}
    sources: dict[str, str] = {}
    created = f"ProcurementCreated (project {project.get('id')} as registered when opened)"
    for key in ("name", "buildings", "households"):
        if project.get(key) not in (None, ""):
            data["project"][key] = project[key]
            sources[f"project.{key}"] = created
    if project.get("concession_years"):
        data["term"] = {"concession_years": project["concession_years"]}
        sources["term.concession_years"] = created.replace("(", "(concession_years of ", 1)
    data["procurement"]["id"] = procurement
    sources["procurement.id"] = "the procurement's id"
    if method_title:
        data["procurement"]["method"] = method_title
        sources["procurement.method"] = f"mode {state.get('mode')}"
    if award.get("at"):
        data["procurement"]["award_date"] = local_date(parse_time(award["at"])).isoformat()
        sources["procurement.award_date"] = f"ProcurementAwarded at {award['at']}"
    if award.get("price"):
        data["investment"]["total"] = str(Money.parse(award["price"], field="award.price"))
        sources["investment.total"] = f"award price of supplier {award.get('supplier')}"
    contract = state.get("contract")
    if isinstance(contract, Mapping):  # the mode recorded the contract's signing (ContractSigned)
        if contract.get("at"):
            data["agreement"] = {"date": local_date(parse_time(contract["at"])).isoformat()}
            sources["agreement.date"] = f"ContractSigned at {contract['at']}"
        if contract.get("performance_bond"):
            data["bond"] = {"construction": str(Money.parse(contract["performance_bond"],
                                                            field="contract.performance_bond"))}
            sources["bond.construction"] = "performance bond of the ContractSigned record"
    for role, identity in parties.items():
        data["parties"][role] = dict(identity)
        for key in identity:
            sources[f"parties.{role}.{key}"] = party_sources.get(f"parties.{role}", "registry")
    return {k: v for k, v in data.items() if v}, sources


def flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Dotted paths of the leaves of nested mappings (lists are leaves)."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping) and value:
            out.update(flatten(value, f"{path}."))
        else:
            out[path] = value
    return out


def merge(derived: Mapping[str, Any], terms: Mapping[str, Any]) -> dict[str, Any]:
    """The template's data: the terms with the derived fields laid over them."""
    out: dict[str, Any] = {}
    for source in (terms, derived):
        for path, value in flatten(source).items():
            node = out
            *parents, leaf = path.split(".")
            for key in parents:
                node = node.setdefault(key, {})
            node[leaf] = value
    return out


def terms_problems(terms: Any, fields: Iterable[str], derived: Mapping[str, Any],
                   sources: Mapping[str, str], template: str) -> list[str]:
    """What is wrong with a terms mapping: fields the template does not use, fields the record
    provides, identities, and values that cannot be written into a contract."""
    if not isinstance(terms, Mapping):
        return ["the terms are a mapping of template fields (agreement, scope, term, …)"]
    wanted = set(fields)
    roots = {f.split(".")[0] for f in wanted}
    problems: list[str] = []
    body = {k: v for k, v in terms.items() if k not in PLAN_KEYS}
    provided = flatten(derived)
    for path, value in flatten(body).items():
        root = path.split(".")[0]
        if path.startswith("parties.") and path.rsplit(".", 1)[-1] in ("name", "uscc") \
                and path.split(".")[1] in (*PROJECT_PARTY_FIELDS, SOCIAL_CAPITAL):
            problems.append(f"field '{path}': a party's name and 统一社会信用代码 come from its "
                            f"registration, never from the terms (register it with the project "
                            f"or the supplier)")
        elif path in provided:
            if value != provided[path]:
                problems.append(f"field '{path}' comes from the procurement record "
                                f"({sources.get(path, 'record')}: {provided[path]!r}), the "
                                f"terms say {value!r}; leave it out of the terms")
        elif path not in wanted:
            near = sorted(f for f in wanted if f.startswith(f"{root}.") or f == root)
            hint = (f"; fields under '{root}': {', '.join(near)}" if near and root in roots
                    else f"; known sections: {', '.join(sorted(roots | set(PLAN_KEYS)))}")
            problems.append(f"field '{path}' is not used by the template {template}{hint}")
        elif isinstance(value, (bool, float)):
            problems.append(f"field '{path}': {value!r} — write numbers with decimals and "
                            f"amounts as quoted text, e.g. \"4800000.00\"")
        elif isinstance(value, (list, dict)) or value is None:
            problems.append(f"field '{path}': expected text, a whole number or an amount, got "
                            f"{type(value).__name__ if value is not None else 'nothing'}")
        elif path.endswith(".uscc") and uscc_problem(str(value)):
            problems.append(f"field '{path}': 统一社会信用代码 {value!r} "
                            f"{uscc_problem(str(value))}")
    for key in PLAN_KEYS:
        if key in terms and not isinstance(terms[key], list):
            problems.append(f"field '{key}': expected a list with one entry per year")
    if "revenue_plan" not in terms:
        problems.append("field 'revenue_plan': missing (one entry per year of operation: an "
                        "amount, or a mapping of revenue source to amount)")
    return problems


def identities(data: Mapping[str, Any], roles: Iterable[str]) -> dict[str, dict[str, str]]:
    """``{role: {name, uscc}}`` from the template data, for signing and verification."""
    parties = data.get("parties") or {}
    return {r: {"name": str(parties[r]["name"]), "uscc": str(parties[r]["uscc"])}
            for r in roles if isinstance(parties.get(r), Mapping)
            and parties[r].get("name") and parties[r].get("uscc")}


def award_date(state: State) -> date | None:
    award = state.get("award") or {}
    return local_date(parse_time(award["at"])) if award.get("at") else None


# ---------------------------------------------------------------------------------------------
# What the records add to the state


@applies(TERMS)
def _terms(state: State, payload: dict[str, Any], at: str) -> None:
    state["agreement"] = {
        "terms": {"seq": state["version"], "at": at, "template": payload.get("template")},
        "parties": payload.get("parties", {}),
        "rendered": None,
        "signatures": [],
    }


def _basis(payload: dict[str, Any], digest_field: str) -> dict[str, Any]:
    """The record a rendering rests on: its record digest (``digest_field``), or in a
    rendering from before the record digest, the event's chain hash (``log_hash``,
    ``log_seq``), kept as it was so that older snapshots still agree."""
    if "log_hash" in payload:
        return {"log_hash": payload["log_hash"], "log_seq": payload["log_seq"]}
    return {digest_field: payload[digest_field]}


@applies(RENDERED)
def _rendered(state: State, payload: dict[str, Any], at: str) -> None:
    agreement = state.setdefault("agreement", {"parties": {}})
    agreement["rendered"] = {
        "seq": state["version"], "at": at, "sha256": payload["sha256"],
        **_basis(payload, "terms_digest"),
        "signing_order": payload["signing_order"],
    }
    agreement["signatures"] = []
    agreement["sha256"] = payload["sha256"]
    if payload.get("parties"):
        agreement["parties"] = payload["parties"]


def _signed(doc: dict[str, Any], state: State, payload: dict[str, Any], at: str) -> None:
    doc.setdefault("signatures", []).append({
        "party": payload["party"], "seq": state["version"], "at": at,
        "sha256": payload["sha256"], "signer": (payload.get("signer") or {}).get("name")})
    doc["sha256"] = payload["sha256"]


@applies(SIGNED)
def _agreement_signed(state: State, payload: dict[str, Any], at: str) -> None:
    _signed(state.setdefault("agreement", {}), state, payload, at)


@applies(PACKAGE)
def _package(state: State, payload: dict[str, Any], at: str) -> None:
    state["financing_package"] = {
        "rendered": {"seq": state["version"], "at": at, "sha256": payload["manifest_pdf_sha256"],
                     **_basis(payload, "agreement_signed_digest"),
                     "signing_order": payload["signing_order"]},
        "manifest_sha256": payload["manifest_sha256"],
        "files": [f["name"] for f in payload.get("files", [])],
        "signatures": [],
        "sha256": payload["manifest_pdf_sha256"],
        "parties": (state.get("agreement") or {}).get("parties", {}),
    }


@applies(PACKAGE_SIGNED)
def _package_signed(state: State, payload: dict[str, Any], at: str) -> None:
    _signed(state.setdefault("financing_package", {}), state, payload, at)
