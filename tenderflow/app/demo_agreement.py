"""The demo's signed agreement: after the example scenarios, the example award's agreement
recorded, rendered and signed by every party with the shipped demo keys, verified, packaged
for financing, its manifest signed and the package verified — through the agreements service
(:class:`tenderflow.app.agreements.Agreements`), which knows nothing of the demo. Which
procurements the demo may sign, with their terms and financing files
(``examples/agreement/``) and keys (``examples/keys/PID/``), is said here."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from tenderflow.app.agreements import Agreements
from tenderflow.app.procurement import Services
from tenderflow.documents.contract_templates import (
    AGREEMENT_TEMPLATE,
    MANIFEST_PDF,
    MANIFEST_TEMPLATE,
    TemplateDef,
)
from tenderflow.documents.files import read_yaml_mapping
from tenderflow.domain import agreement as dom
from tenderflow.domain.state import State
from tenderflow.domain.timeutil import SHANGHAI, iso, local_date, parse_time
from tenderflow.errors import CheckFailed, InputError

# (procurement, terms, financing) in order of preference: the PPP example suits the PPP
# agreement best; the competitive negotiation example is always there.
DEMO_AWARDS = (
    ("PPP-2023-001", "PPP-2023-001-terms.yaml", "PPP-2023-001-financing.yaml"),
    ("CN-2023-001", "CN-2023-001-terms.yaml", "CN-2023-001-financing.yaml"),
)


# Why the demo's agreement steps are late entries: like the example scenarios, they record
# a 2023 procurement after the fact (tenderflow.domain.entry).
DEMO_ENTRY_REASON = "示例：按已办结采购项目的档案补录（合同签署与融资材料）"
DEMO_STEP = timedelta(minutes=30)
DEMO_DAY_STARTS = time(9, 0)


def demo_times(after: datetime, day: date, count: int) -> list[datetime]:
    """``count`` business times, half an hour apart, on ``day`` from 09:00 (Asia/Shanghai) —
    or, if the record has already passed that, from half an hour after its last step."""
    start = max(datetime.combine(day, DEMO_DAY_STARTS, SHANGHAI), after)
    return [start + DEMO_STEP * (i + 1) for i in range(count)]


def demo_signed_package(services: Services, out: Path) -> dict[str, Any]:
    """After the example scenarios: the shipped demo keys, terms, render, the four parties sign in turn,
    verify, package, the parties sign its manifest, verify the package — into ``out``.
    Returns what was done with its timings and sizes.

    Every step happens at a business time of the example, never at the wall clock: the
    agreement is recorded, rendered and signed on the date it bears (``agreement.date``, the
    procurement's ContractSigned), the package assembled and its manifest signed on the
    financing letter's date (``financing.date``), each step half an hour after the one before;
    the demo keys are the fixed ones shipped in ``examples/keys/PID/``. So the cover letter,
    the award record, the signatures and every recorded event are the same on any run
    date."""
    import json
    import shutil
    import time as clock_time

    from tenderflow.domain.entry import Entry
    from tenderflow.paths import examples_dir

    examples = examples_dir() / "agreement"
    chosen = None
    states = services.states([candidate for candidate, _terms, _financing in DEMO_AWARDS])
    for candidate, terms_name, financing_name in DEMO_AWARDS:
        state = states.get(candidate)
        if state and state.get("award") and not state.get("ended") \
                and (examples / terms_name).exists():
            chosen = (candidate, examples / terms_name, examples / financing_name)
            break
    if chosen is None:
        raise CheckFailed("no example procurement was awarded: no agreement to sign")
    pid, terms, financing = chosen
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    services = services.with_entry(Entry(reason=DEMO_ENTRY_REASON))
    agreements = Agreements(services)
    actor = "staff:demo"
    timings: dict[str, Any] = {}
    times: dict[str, str] = {}

    def timed(name: str, fn: Any, *args: Any, **kwargs: Any) -> Any:
        t0 = clock_time.perf_counter()
        result = fn(*args, **kwargs)
        timings[name] = round(clock_time.perf_counter() - t0, 3)
        return result

    def last_at() -> datetime:
        return parse_time(services.state(pid)["last_event_at"])

    keys = timed("keys", shipped_demo_keys, pid, signing_roles(agreements), out / "keys")
    state = services.state(pid)
    tdef = agreements.template(AGREEMENT_TEMPLATE)
    signing_order = tdef.template.signing_order
    agreed = _demo_date(agreements, pid, state, tdef, terms, "agreement.date")
    at_terms, at_render, *at_signs = demo_times(last_at(), agreed, 2 + len(signing_order))
    times.update(terms=iso(at_terms), render=iso(at_render))
    timed("terms", agreements.record_terms, pid, terms, actor, at_terms)
    pdf = out / "agreement.pdf"
    rendered = timed("render", agreements.render, pid, pdf, actor, at_render)
    signed = []
    for party, at in zip(rendered["signing_order"], at_signs, strict=True):
        result = timed(f"sign {party}", agreements.sign, pid, party,
                       keys.party_keys[party], keys.passphrase, pdf, pdf, actor, at)
        times[f"sign {party}"] = result["signed_at"]
        signed.append(result)
    verified = timed("verify", agreements.verify, pdf, [keys.ca_cert])
    package_dir = out / "package"
    fin_date = _financing_date(financing)
    mtdef = agreements.template(MANIFEST_TEMPLATE)
    at_package, *at_manifest = demo_times(last_at(), fin_date or local_date(last_at()),
                                          1 + len(mtdef.template.signing_order))
    times["package"] = iso(at_package)
    package = timed("package", agreements.package, pid, pdf, financing, package_dir, actor,
                    at_package)
    manifest = package_dir / MANIFEST_PDF
    for party, at in zip(package["signing_order"], at_manifest, strict=True):
        result = timed(f"sign manifest {party}", agreements.sign, pid, party,
                       keys.party_keys[party], keys.passphrase, manifest, manifest, actor, at)
        times[f"sign manifest {party}"] = result["signed_at"]
    package_verified = timed("verify package", agreements.verify, package_dir, [keys.ca_cert])
    (out / "verification.json").write_text(
        json.dumps({"agreement": verified, "package": package_verified}, ensure_ascii=False,
                   indent=2, default=str), encoding="utf-8")
    if not (verified["ok"] and package_verified["ok"]):
        raise CheckFailed(f"the demo's signed agreement or package does not verify: see "
                          f"{out / 'verification.json'}")
    files = [pdf, *sorted(package_dir.iterdir()), out / "verification.json", keys.ca_cert,
             keys.readme]
    return {
        "procurement": pid, "terms": str(terms), "financing": str(financing),
        "rendered": {"sha256": rendered["sha256"], "bytes": rendered["bytes"],
                     "pages": rendered["pages"],
                     "terms_digest": rendered["terms_digest"]},
        "signed": {"sha256": signed[-1]["sha256"], "bytes": signed[-1]["bytes"],
                   "parties": [s["party"] for s in signed]},
        "verified": verified["ok"], "package_verified": package_verified["ok"],
        "manifest_sha256": package["manifest_sha256"], "finance": package["finance"],
        "left_out": package["left_out"], "business_times": times, "seconds": timings,
        "files": {str(f): f.stat().st_size for f in files},
    }


# The demo's keys: made once (examples/keys/README.md) and shipped, so that the same record
# gives the same signatures on any run date — fresh keys would give other certificates,
# other signatures and other recorded hashes every time.
DEMO_KEYS_DIR = "keys"
DEMO_CA = "demo-ca.pem"
DEMO_README = "README-DEMO.txt"


def signing_roles(agreements: Agreements) -> list[str]:
    """Who signs the agreement and the package manifest, in the templates' orders."""
    roles = list(agreements.template(AGREEMENT_TEMPLATE).template.signing_order)
    roles += [r for r in agreements.template(MANIFEST_TEMPLATE).template.signing_order
              if r not in roles]
    return roles


def shipped_demo_keys(pid: str, roles: Sequence[str], out_dir: Path) -> Any:
    """The demo keys shipped for ``pid`` in ``examples/keys/PID/`` (the demo CA, one PKCS#12
    per role, the DEMO notice, and ``ROLE.seal.png`` for the parties that supply a seal
    image), copied into ``out_dir``; CheckFailed naming what is missing.
    The parties' identities and validity are checked when each signs."""
    import shutil

    from tenderflow.documents.keys import DEMO_PASSPHRASE, DemoKeys
    from tenderflow.documents.signature_page import SEAL_SUFFIX
    from tenderflow.paths import examples_dir

    source = examples_dir() / DEMO_KEYS_DIR / pid
    wanted = [DEMO_CA, DEMO_README, *(f"{role}.p12" for role in roles)]
    missing = [name for name in wanted if not (source / name).is_file()]
    if missing:
        raise CheckFailed(f"{source}: the demo keys for {pid} lack {', '.join(missing)}; make "
                          f"them as {source.parent / 'README.md'} says", procurement=pid)
    out_dir.mkdir(parents=True, exist_ok=True)
    seals = [f"{role}{SEAL_SUFFIX}" for role in roles
             if (source / f"{role}{SEAL_SUFFIX}").is_file()]
    for name in [*wanted, *seals]:  # a party's seal image, where it supplies one, beside its key
        shutil.copyfile(source / name, out_dir / name)
    return DemoKeys(out_dir / DEMO_CA, {role: out_dir / f"{role}.p12" for role in roles},
                    DEMO_PASSPHRASE, out_dir / DEMO_README)


def _demo_date(agreements: Agreements, pid: str, state: State, tdef: TemplateDef,
               terms: Path, field: str) -> date:
    """The date the agreement bears: recorded by the procurement (ContractSigned), else the
    terms file's."""
    from tenderflow.documents.filling import as_date, lookup

    derived, _sources = agreements.derived(pid, state, tdef)
    data = dom.merge(derived, read_yaml_mapping(terms, "the terms file"))
    try:
        return as_date(lookup(data, field), field)
    except (KeyError, InputError):
        return local_date(parse_time(state["last_event_at"]))


def _financing_date(financing: Path) -> date | None:
    from tenderflow.documents.filling import as_date

    raw = read_yaml_mapping(financing, "the financing file")
    value = (raw.get("financing") or {}).get("date")
    return as_date(value, "financing.date") if value else None
