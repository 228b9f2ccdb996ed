"""Agreement documents: render, sign and verify times and file sizes (issue 6's closing note).

Runs the example award (examples/negotiation_award.yaml) on a fresh SQLite file, records its
terms, then times in-process, through the application service (what the CLI runs, without the
interpreter's start-up and imports):

* ``render`` — fill the template from the recorded terms and lay out the PDF, cold (first
  call: font registration) and warm (median of repeats; each repeat is identical and records
  nothing new);
* ``sign`` — each of the four parties in turn (key check, turn check, PAdES signature of the
  growing file, the record);
* ``verify`` — the four-signature file against the log;
* ``package`` — the financing package (cover letter, award record, financial summary,
  manifests).

Every step happens at a fixed business time of the example (after its award of 2023-03-15):
terms 2023-04-07 09:30, render 10:00, the four signatures 10:30 to 12:00, the package
2023-04-20 09:30 (+08:00) — recorded as late entries with the reason below.

    python benchmarks/agreement.py [--repeats N] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tenderflow.app.agreements import Agreements
from tenderflow.app.procurement import Services
from tenderflow.app.scenario import run_scenario
from tenderflow.domain.entry import Entry
from tenderflow.domain.timeutil import parse_time
from tenderflow.paths import examples_dir
from tenderflow.store.eventstore import EventStore

PID = "CN-2023-001"
ACTOR = "staff:bench"
REASON = "benchmark: historic record"
AT_TERMS = parse_time("2023-04-07T09:30+08:00")
AT_RENDER = parse_time("2023-04-07T10:00+08:00")
AT_SIGNS = [parse_time(f"2023-04-07T{t}+08:00") for t in ("10:30", "11:00", "11:30", "12:00")]
AT_PACKAGE = parse_time("2023-04-20T09:30+08:00")


def bare_pyhanko(pdf: bytes, keys: dict[str, Path], passphrase: Any, order: list[str]) -> float:
    """The reference: the same four keys signing the same unsigned PDF in turn with bare
    pyHanko (``SimpleSigner.load_pkcs12``, ``signers.sign_pdf`` into a new invisible PAdES
    field, SHA-256, no turn or identity checks, nothing recorded); seconds for all four."""
    from io import BytesIO

    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    pw = passphrase.encode() if isinstance(passphrase, str) else passphrase
    t0 = time.perf_counter()
    for i, party in enumerate(order):
        signer = signers.SimpleSigner.load_pkcs12(str(keys[party]), passphrase=pw)
        meta = signers.PdfSignatureMetadata(field_name=f"Bare{i}", md_algorithm="sha256",
                                            subfilter=fields.SigSeedSubFilter.PADES)
        pdf = signers.sign_pdf(IncrementalPdfFileWriter(BytesIO(pdf), strict=False), meta,
                               signer=signer).getvalue()
    return time.perf_counter() - t0


def seconds(fn: Any, *args: Any, **kwargs: Any) -> tuple[float, Any]:
    t0 = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - t0, result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="tf-bench-agreement-"))
    store = EventStore(f"sqlite:///{tmp / 'bench.db'}")
    store.migrate()
    services = Services(store, entry=Entry(reason=REASON))
    report = run_scenario(services, examples_dir() / "negotiation_award.yaml")
    if not report.ok:
        sys.exit(f"the example award did not run: stopped at step {report.stopped_at}")
    agreements = Agreements(services)
    keys = agreements.demo_keys(PID, tmp / "keys")
    agreements.record_terms(PID, examples_dir() / "agreement" / "CN-2023-001-terms.yaml", ACTOR,
                            AT_TERMS)
    pdf = tmp / "agreement.pdf"
    cold, rendered = seconds(agreements.render, PID, pdf, ACTOR, AT_RENDER)
    warm = [seconds(agreements.render, PID, tmp / "again.pdf", ACTOR, AT_RENDER)[0]
            for _ in range(args.repeats)]
    assert (tmp / "again.pdf").read_bytes() == pdf.read_bytes()
    results: dict[str, Any] = {
        "render_cold_s": round(cold, 3), "render_warm_median_s": round(statistics.median(warm), 3),
        "rendered_bytes": rendered["bytes"], "pages": rendered["pages"], "sign_s": {},
        "signed_bytes": {},
    }
    unsigned = pdf.read_bytes()
    # Warm-up of pyHanko's imports (discarded), so neither side pays them in its timing.
    bare_pyhanko(unsigned, keys.party_keys, keys.passphrase, list(rendered["signing_order"]))
    for party, at in zip(rendered["signing_order"], AT_SIGNS, strict=True):
        took, signed = seconds(agreements.sign, PID, party, keys.party_keys[party],
                               keys.passphrase, pdf, pdf, ACTOR, at)
        results["sign_s"][party] = round(took, 3)
        results["signed_bytes"][party] = signed["bytes"]
    # Bare pyHanko, same keys and unsigned file (median of repeats); tenderflow's four
    # signatures happen once (each is recorded in the log, so they cannot be repeated).
    bare = statistics.median(bare_pyhanko(unsigned, keys.party_keys, keys.passphrase,
                                          list(rendered["signing_order"]))
                             for _ in range(args.repeats))
    results["sign_total_s"] = round(sum(results["sign_s"].values()), 3)
    results["bare_pyhanko_four_s"] = round(bare, 3)
    results["sign_to_bare_ratio"] = round(sum(results["sign_s"].values()) / bare, 3)
    verify = [seconds(agreements.verify, pdf, [keys.ca_cert]) for _ in range(args.repeats)]
    assert all(v[1]["ok"] for v in verify)
    results["verify_median_s"] = round(statistics.median(v[0] for v in verify), 3)
    took, package = seconds(agreements.package, PID, pdf,
                            examples_dir() / "agreement" / "CN-2023-001-financing.yaml",
                            tmp / "package", ACTOR, AT_PACKAGE)
    results["package_s"] = round(took, 3)
    results["package_bytes"] = {f["name"]: f["bytes"] for f in package["files"]}
    store.dispose()
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"render: {results['render_cold_s']} s cold, {results['render_warm_median_s']} s warm "
          f"(median of {args.repeats}); {results['pages']} pages, {results['rendered_bytes']} "
          f"bytes")
    for party, took in results["sign_s"].items():
        print(f"sign {party}: {took} s → {results['signed_bytes'][party]} bytes")
    print(f"four signatures: {results['sign_total_s']} s, bare pyHanko "
          f"{results['bare_pyhanko_four_s']} s (median of {args.repeats}): ratio "
          f"{results['sign_to_bare_ratio']}")
    print(f"verify (4 signatures + log): {results['verify_median_s']} s (median)")
    print(f"package: {results['package_s']} s; "
          + ", ".join(f"{n} {b}" for n, b in results["package_bytes"].items()))


if __name__ == "__main__":
    main()
