"""``audit export``: JSONL anyone can verify without tenderflow; OCDS release packages of every
example scenario that validate against the PPP profile schema (resolved locally, no network);
and no export reveals a sealed offer before its opening."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from tenderflow.audit.export import export_jsonl, export_ocds
from tenderflow.audit.ocds import INTERNAL, PUBLISHES, SCHEMA_DIR
from tenderflow.errors import CheckFailed
from tenderflow.paths import examples_dir, project_root
from tenderflow.store.canonical import GENESIS
from tests.audit.conftest import AWARD, FAILED, PREFIX, processes

EXAMPLES = examples_dir()
SHARED_SCHEMA = project_root().parent / "shared" / "data" / "ocds-ppp"


# --- an independent validator: jsonschema + a local referencing registry ---------------------

def validator() -> Any:
    from jsonschema import Draft4Validator, FormatChecker
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    package = json.loads((SCHEMA_DIR / "release-package-schema.json").read_text("utf-8"))
    release = json.loads((SCHEMA_DIR / "release-schema.json").read_text("utf-8"))
    ref = package["properties"]["releases"]["items"]["$ref"]
    assert ref == release["id"]  # the package refers to the release schema by its URL ...
    registry = Registry().with_resource(  # ... which resolves here, to the local copy
        ref, Resource.from_contents(release, default_specification=DRAFT4))
    checker = FormatChecker(formats=())

    @checker.checks("date-time")
    def rfc3339(value: object) -> bool:
        import re
        from datetime import datetime

        if not isinstance(value, str):
            return True
        ok = re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)", value)
        return bool(ok) and datetime.fromisoformat(value) is not None

    return Draft4Validator(package, registry=registry, format_checker=checker)


def errors_of(package: dict[str, Any]) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator().iter_errors(package)]


def codelist(name: str) -> set[str]:
    with (SCHEMA_DIR / name).open(encoding="utf-8") as fh:
        return {row["Code"] for row in csv.DictReader(fh)}


def test_vendored_schema_is_the_copied_one() -> None:
    """The schema files are the PPP profile's, unchanged: their SHA-256 are those recorded in
    SOURCE.md when they were copied from the project's shared data folder."""
    import re

    recorded = dict(re.findall(r"\| (\S+\.(?:json|csv)) \| ([0-9a-f]{64}) \|",
                               (SCHEMA_DIR / "SOURCE.md").read_text(encoding="utf-8")))
    assert set(recorded) == {"release-schema.json", "release-package-schema.json",
                             "partyRole.csv", "documentType.csv"}
    for name, digest in recorded.items():
        assert hashlib.sha256((SCHEMA_DIR / name).read_bytes()).hexdigest() == digest, name
    if SHARED_SCHEMA.is_dir():  # where the project's shared data sits beside the checkout
        assert (SCHEMA_DIR / "release-schema.json").read_bytes() == (
            SHARED_SCHEMA / "release-schema.json").read_bytes()


def test_the_validator_rejects_what_the_profile_forbids() -> None:
    """The test's validator has teeth: a wrong method, a float-less amount, a bad date."""
    release = {"ocid": "ocds-tndrfl-X", "id": "X-1", "date": "2023-03-01T09:00:00+08:00",
               "tag": ["tender"], "initiationType": "tender",
               "tender": {"id": "X", "procurementMethod": "open"}}
    good = {"uri": "urn:x", "version": "1.1", "publishedDate": "2023-03-01T09:00:00+08:00",
            "publisher": {"name": "p"}, "releases": [release]}
    assert errors_of(good) == []
    for path, value in ((("tender", "procurementMethod"), "negotiated"),
                        (("date",), "2023-03-01T09:00+08:00"),
                        (("tag",), ["bidding"]),
                        (("tender", "value"), {"amount": "3245000.00", "currency": "CNY"})):
        bad = json.loads(json.dumps(good))
        target = bad["releases"][0]
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        assert errors_of(bad), path


# --- JSONL -----------------------------------------------------------------------------------

def test_jsonl_is_the_stored_body_plus_hash_and_verifies_without_tenderflow(
        recorded: Any, tmp_path: Path) -> None:
    out = tmp_path / "events.jsonl"
    count = export_jsonl(recorded.store, out)
    lines = out.read_text(encoding="utf-8").splitlines()
    with recorded.store.reading() as tx:
        rows = list(tx.raw_events())
    assert count == len(lines) == len(rows)
    heads: dict[str, str] = {}
    for line, row in zip(lines, rows):
        event = json.loads(line)
        assert json.dumps(event, sort_keys=True, separators=(",", ":"),
                          ensure_ascii=False) == line  # canonical
        digest = event.pop("hash")
        body = json.dumps(event, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        assert body == row.body and digest == row.hash  # exactly the stored body plus hash
        assert hashlib.sha256(body.encode("utf-8")).hexdigest() == digest
        assert event["prev_hash"] == heads.get(event["stream_id"], GENESIS)
        heads[event["stream_id"]] = digest
    assert [json.loads(x)["global_seq"] for x in lines] == sorted(r.global_seq for r in rows)


def test_jsonl_of_one_procurement(recorded: Any, tmp_path: Path) -> None:
    out = tmp_path / "one.jsonl"
    export_jsonl(recorded.store, out, ["CN-2023-002"])
    streams = {json.loads(x)["stream_id"] for x in out.read_text("utf-8").splitlines()}
    assert streams == {FAILED}


def test_jsonl_refuses_a_tampered_log_and_leaves_the_old_file(attacker: Any, recorded: Any,
                                                              tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    out = folder / "events.jsonl"
    out.write_text("previous export\n", encoding="utf-8")
    row = attacker.event(AWARD, 4)
    attacker.set_column(AWARD, 4, "body", row["body"].replace("staff:", "staff:x", 1))
    with pytest.raises(CheckFailed, match=rf"{AWARD} #4 .*does not hash to the stored hash"):
        export_jsonl(recorded.store, out)
    assert out.read_text(encoding="utf-8") == "previous export\n"
    assert [p.name for p in folder.iterdir()] == ["events.jsonl"]  # no temporary left


# --- OCDS: every example scenario --------------------------------------------------------------

def test_every_example_exports_a_valid_ppp_package(package: dict[str, Any],
                                                   all_examples: Path) -> None:
    from tenderflow.store.eventstore import EventStore

    assert errors_of(package) == []
    store = EventStore(f"sqlite:///{all_examples}")
    try:
        with store.reading() as tx:
            ids = {s.split(":", 1)[1] for s in tx.stream_ids("procurement:")}
            # and one per project whose intake was funded (its planning release)
            ids |= {f"project-{s.split(':', 1)[1]}" for s in tx.stream_ids("intake:")
                    if any(e.type == "ProjectFunded" for e in tx.read_stream(s))}
    finally:
        store.dispose()
    assert set(processes(package)) == ids  # one contracting process per procurement
    roles, documents = codelist("partyRole.csv"), codelist("documentType.csv")
    for release in package["releases"]:
        assert {r for p in release.get("parties", []) for r in p["roles"]} <= roles
        for c in release.get("contracts", []):
            assert {d.get("documentType") for d in c.get("documents", [])} <= documents
        ids_ = [r["id"] for r in package["releases"]]
        assert len(ids_) == len(set(ids_))


def test_negotiation_award_releases(package: dict[str, Any]) -> None:
    releases = processes(package)["CN-2023-001"]
    tags = [r["tag"] for r in releases]
    assert tags[0] == ["planning"] and ["tender"] in tags and tags[-1] == ["award"]
    tender_release = next(r for r in releases if r["tag"] == ["tender"])
    assert "政府采购法第30条" in tender_release["tender"]["procurementMethodRationale"]
    assert tender_release["tender"]["tenderPeriod"]["endDate"] == "2023-03-08T09:30:00+08:00"
    assert "tenderers" not in tender_release["tender"]
    award = releases[-1]
    [active] = [a for a in award["awards"] if a["status"] == "active"]
    assert [s["id"] for s in active["suppliers"]] == ["S-HXJS"]
    assert active["value"] == {"amount": 3245000, "currency": "CNY"}
    assert award["tender"]["status"] == "complete" and award["tender"]["numberOfTenderers"] == 3
    parties = {p["id"]: p for p in award["parties"]}
    assert parties["S-HXJS"]["roles"] == ["tenderer", "supplier"]
    assert parties["S-HXJS"]["identifier"]["scheme"] == "CN-SAMR"
    assert parties["purchaser:CD-HH-2023"]["roles"] == ["buyer", "procuringEntity"]


def test_failed_negotiation_is_unsuccessful(package: dict[str, Any]) -> None:
    last = processes(package)["CN-2023-002"][-1]
    assert last["tag"] == ["tenderUpdate"] and last["tender"]["status"] == "unsuccessful"
    assert last["tender"]["numberOfTenderers"] == 2 and "awards" not in last


def test_agreement_signatures_become_the_contract_signatories(recorded: Any,
                                                             tmp_path: Path) -> None:
    """Each party's signature of the agreement (AgreementSigned) is published as a
    contractUpdate; the contract is active once the last has signed; the financing package's
    signatures are not published."""
    from tenderflow.store.eventstore import NewEvent

    def signed(n: int, name: str, uscc: str, document: str = "agreement",
               day: int = 0) -> NewEvent:
        return NewEvent("AgreementSigned" if document == "agreement" else
                        "FinancingPackageSigned",
                        {"document": document, "party": f"p{n}", "signature": n, "of": 2,
                         "sha256": f"{n}" * 64, "signer": {"name": name, "uscc": uscc},
                         "field": f"p{n}", "bytes": 1000 + n, "certificate": {},
                         "previous_sha256": f"{n - 1}" * 64, "rendered_sha256": "0" * 64,
                         **({"manifest_sha256": "f" * 64} if document == "package" else {})},
                        f"2023-04-0{day or n}T10:00:00+08:00", "staff:wang", {})

    with recorded.store.reading() as tx:
        version = tx.head(AWARD)[0]
    with recorded.store.transaction() as tx:
        tx.append(AWARD, version, [
            signed(1, "成都市青羊区住房和城乡建设局", "11510105MB1234567X"),
            signed(2, "四川华西城市建设有限公司", "91510105MA6CJK8P31"),
            signed(1, "成都市青羊区住房和城乡建设局", "11510105MB1234567X", "package", day=3),
        ], "2023-04-03T10:00:00+08:00")
    out = tmp_path / "o.json"
    package = export_ocds(recorded.store, out, ["CN-2023-001"], prefix=PREFIX, publisher="p")
    assert errors_of(package) == []
    updates = [r for r in package["releases"] if r["tag"] == ["contractUpdate"]]
    assert len(updates) == 2  # the package's signature is not a release
    first, second = (u["contracts"][-1] for u in updates)
    assert first["status"] == "pending" and "dateSigned" not in first
    assert second["status"] == "active" and second["dateSigned"] == "2023-04-02T10:00:00+08:00"
    assert [s["name"] for s in second["signatories"]] == ["成都市青羊区住房和城乡建设局",
                                                          "四川华西城市建设有限公司"]
    [award] = [a for a in updates[-1]["awards"] if a["status"] == "active"]
    assert second["awardID"] == award["id"]
    parties = {p["id"]: p for p in updates[-1]["parties"]}
    # the buyer (found by its name, now with its USCC) and the supplier (found by its USCC)
    assert [s["id"] for s in second["signatories"]] == ["purchaser:CD-HH-2023", "S-HXJS"]
    assert parties["purchaser:CD-HH-2023"]["identifier"]["id"] == "11510105MB1234567X"


def test_export_is_deterministic(all_examples: Path, tmp_path: Path) -> None:
    from tenderflow.store.eventstore import EventStore

    store = EventStore(f"sqlite:///{all_examples}")
    try:
        for fmt in ("a", "b"):
            export_ocds(store, tmp_path / f"{fmt}.json", prefix=PREFIX, publisher="p")
            export_jsonl(store, tmp_path / f"{fmt}.jsonl")
    finally:
        store.dispose()
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()


def test_every_event_type_is_classified_for_publication(all_examples: Path) -> None:
    """Publication is a whitelist; each event of every mode, each document record and each
    event in the examples' log is either published (with the fields its handler names) or
    deliberately internal — a new event type needs a decision."""
    from tenderflow.domain.agreement import DOCUMENT_EVENTS
    from tenderflow.store.eventstore import EventStore

    events = set(DOCUMENT_EVENTS) | {"ProcurementCreated"}
    for path in sorted((project_root() / "workflows").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and "transitions" in data:
            events |= {t["event"] for t in data["transitions"]}
    store = EventStore(f"sqlite:///{all_examples}")
    try:
        with store.reading() as tx:
            events |= {row.type for row in tx.raw_events()
                       if row.stream_id.startswith("procurement:")}
    finally:
        store.dispose()
    from tenderflow.audit.ocds_contract import INTERNAL_CONTRACT, PUBLISHES_CONTRACT
    from tenderflow.audit.ocds_project import INTERNAL_PROJECT, PUBLISHES_PROJECT

    unclassified = sorted(events - set(PUBLISHES) - INTERNAL - PUBLISHES_PROJECT
                          - INTERNAL_PROJECT - set(PUBLISHES_CONTRACT) - INTERNAL_CONTRACT)
    assert not unclassified, f"decide whether these are public: {unclassified}"
    assert not set(PUBLISHES) & INTERNAL and not PUBLISHES_PROJECT & INTERNAL_PROJECT
    assert not set(PUBLISHES_CONTRACT) & INTERNAL_CONTRACT


# --- the command line ---------------------------------------------------------------------------

def test_cli_export(recorded: Any, invoke: Any, tmp_path: Path) -> None:
    out = tmp_path / "ocds.json"
    result = invoke("audit", "export", "--format", "ocds", "--out", str(out),
                    "--ocid-prefix", "ocds-abc123", "--publisher", "青羊区财政局")
    assert result.exit_code == 0, result.output
    assert "releases of 2 contracting processes" in result.stdout
    package = json.loads(out.read_text(encoding="utf-8"))
    assert errors_of(package) == [] and package["publisher"] == {"name": "青羊区财政局"}
    assert {r["ocid"] for r in package["releases"]} == {"ocds-abc123-CN-2023-001",
                                                        "ocds-abc123-CN-2023-002"}
    data = json.loads(invoke("--json", "audit", "export", "--format", "jsonl", "--out",
                             str(tmp_path / "e.jsonl"), "--procurement", "CN-2023-001").stdout)
    assert data["ok"] is True and data["events"] == len(
        (tmp_path / "e.jsonl").read_text("utf-8").splitlines())
    to_stdout = invoke("audit", "export", "--format", "jsonl", "--out", "-")
    assert to_stdout.exit_code == 0
    assert all(json.loads(line)["hash"] for line in to_stdout.stdout.splitlines())
    assert "wrote" in to_stdout.stderr


@pytest.mark.parametrize(("args", "message"), [
    (("--ocid-prefix", "tenderflow"), "--ocid-prefix"),
    (("--publisher", " "), "--publisher"),
    (("--procurement", "NOPE"), "no procurement 'NOPE'"),
    (("--out", "/nonexistent-folder/x.json"), "the folder does not exist"),
])
def test_cli_export_bad_input_exits_2(recorded: Any, invoke: Any, tmp_path: Path,
                                      args: tuple[str, ...], message: str) -> None:
    base = {"--out": str(tmp_path / "x.json")}
    extra = dict(zip(args[::2], args[1::2]))
    options = [*sum(({**base, **extra}.items()), ())]
    result = invoke("audit", "export", "--format", "ocds", *options)
    assert result.exit_code == 2, result.output
    assert message in result.stderr and "Traceback" not in result.output
    assert not (tmp_path / "x.json").exists()


def test_cli_export_of_an_empty_database_exits_2(store: Any, invoke: Any,
                                                 tmp_path: Path) -> None:
    result = invoke("audit", "export", "--format", "ocds", "--out", str(tmp_path / "o.json"))
    assert result.exit_code == 2 and "nothing to export" in result.stderr


def test_a_funded_project_publishes_its_planning_stage(package: dict[str, Any]) -> None:
    """The 劲松-like example's accepted fund step: budget with its financing, the project,
    the PPP terms and the planned agreement's risk allocation (OCDS for PPPs), validated
    with the rest of the package above."""
    (release,) = processes(package)["project-BJ-JS-PJ"]
    assert release["tag"] == ["planning"]
    planning = release["planning"]
    assert planning["budget"]["amount"] == {"amount": 40000000, "currency": "CNY"}
    assert [f["type"] for f in planning["budget"]["finance"]] == ["shares.unlisted"]
    assert planning["project"]["totalValue"]["amount"] == 40000000
    assert planning["project"]["sector"]["scheme"] == "COFOG"
    assert "使用者付费" in planning["rationale"]
    (contract,) = release["contracts"]
    assert contract["status"] == "pending"
    assert {r["category"]: r["allocation"] for r in contract["riskAllocation"]} == {
        "construction": "privateParty", "revenue": "privateParty",
        "changeInLaw": "publicAuthority", "forceMajeure": "undefined"}
    assert contract["financeSummary"]["shareCapital"]["amount"] == 40000000
