"""What ``contract verify`` prints: a verification in the words a bank uses (签名有效、文件未被
改动、签署人、签署时间), in the ``--lang`` language, with pyHanko's technical terms (coverage,
modification level, hashes) only under ``--verbose``.

A report is the dict :func:`tenderflow.documents.verification.verify` returns, plus ``why_no_log``
when the log was not consulted (``"no_database"``: no database given and none here;
``"no_log"``: ``--no-log``).
"""

from __future__ import annotations

from typing import Any

from tenderflow.i18n import _

# What pyHanko's checks mean to a reader, by the start of the problem signing.py reports.
PROBLEM_WORDS = {
    "not intact": "the signed content was changed after signing",
    "the signature value does not verify": "the signature does not verify",
    "the signer's certificate does not chain": "the signer's certificate is not from a trusted "
                                               "authority",
    "covers ": "the signature does not cover the document as signed",
    "later changes go beyond adding signatures": "the file was changed after signing (more "
                                                 "than later signatures were added)",
    "later changes are not permitted": "the file was changed after signing in a way the "
                                       "document does not permit",
}


def _word(value: Any) -> str:
    return {True: _("yes"), False: _("NO"), None: _("not checked")}[value]


def _time(value: str | None) -> str:
    """2023-11-10T11:30:00+08:00 → 2023-11-10 11:30 (Beijing time)."""
    if not value:
        return _("none declared")
    from tenderflow.app.common import beijing_minute

    return _("{time} (Beijing time)").format(time=beijing_minute(value))


def _problem(text: str) -> str:
    for start, words in PROBLEM_WORDS.items():
        if text.startswith(start):
            return _(words)
    return text


def _changed_after(sig: dict[str, Any]) -> bool | None:
    """Whether the file is unchanged since this signature, beyond later signatures."""
    if sig.get("intact") is None:
        return None
    later = [p for p in sig["problems"] if p.startswith(("covers ", "later changes"))]
    return bool(sig["intact"]) and not later


def _document(report: dict[str, Any]) -> str:
    names = {"agreement": _("agreement"), "package": _("financing package manifest")}
    doc = names.get(report.get("document") or "", _("signed document"))
    pid = report.get("procurement")
    return _("{document} of {procurement}").format(document=doc, procurement=pid) if pid \
        else doc


def file_text(report: dict[str, Any], verbose: bool) -> list[str]:
    """The lines for one signed PDF."""
    lines = [f"{report['file']} — {_document(report)}"]
    if verbose:
        lines.append("  SHA-256 " + report["sha256"])
    sigs = report["signatures"]
    for n, s in enumerate(sigs, start=1):
        ok = not s["problems"]
        lines.append("  " + _("Signature {n} of {of}: {verdict}").format(
            n=n, of=len(sigs), verdict=_("valid") if ok else _("NOT valid")))
        lines.append("    " + _("Signer: {name} (unified social credit code {uscc})").format(
            name=s["signer"], uscc=s["signer_uscc"]))
        lines.append("    " + _("Signing time: {time}, as declared by the signer").format(
            time=_time(s["signing_time"])))
        lines.append("    " + _("Signature valid: {valid}; certificate trusted: {trusted}; "
                              "file not changed since: {unchanged}").format(
            valid=_word(s["valid"] and s["intact"] if s["valid"] is not None else None),
            trusted=_word(s["trusted"]), unchanged=_word(_changed_after(s))))
        for p in s["problems"]:
            lines.append("    " + _("Problem: {what}").format(what=_problem(p)))
        if verbose:
            lines.append(f"    field {s['field']}, coverage {s['coverage']}, modification level "
                         f"{s['modification_level']}, intact {s['intact']}, valid {s['valid']}, "
                         f"identity {s.get('identity_ok')}; time: {s.get('time_basis')}")
            lines += [f"    pyHanko: {p}" for p in s["problems"]]
    if report["missing"]:
        lines.append("  " + _("Not signed yet by: {parties}").format(
            parties=", ".join(report["missing"])))
    lines += ["  " + _("Problem: {what}").format(what=p) for p in report["problems"]
              if not p.startswith("Sig_") and not p.startswith("not signed")]
    if verbose:
        if report.get("original_sha256"):
            lines.append(f"  first revision SHA-256 {report['original_sha256']}")
        if report.get("record_digest"):
            lines.append(f"  record digest printed on every page {report['record_digest']}")
    lines += ["  " + line for line in _log_lines(report["log"], verbose)]
    return lines


def _log_lines(log: dict[str, Any], verbose: bool) -> list[str]:
    if not log["consulted"]:
        return []
    if not log["ok"]:
        return [_("Log: does NOT match: {what}").format(what=p) for p in log["problems"]]
    lines = [_("Log: the file is the one the procurement log recorded ({event})").format(
        event=log["matches"])]
    times = log.get("signing_times") or []
    if times:
        lines.append(_("Log: each signing time equals the time the log recorded the "
                       "signature ({events})").format(
            events=", ".join(f"{t['event']} #{t['seq']}" for t in times)))
    digest = log.get("record_digest")
    if digest:
        lines.append(_("Log: the record digest on every page is that of event #{seq} as "
                       "stored").format(seq=digest["event_seq"]))
        if verbose:
            lines.append(f"  {digest}")
    return lines


def verify_text(report: dict[str, Any], verbose: bool = False) -> str:
    """The whole verification, ending with its conclusion."""
    lines: list[str] = []
    if "files" in report:  # a package folder
        lines.append(_("Financing package {folder}").format(folder=report["folder"]))
        for r in report["files"].values():
            lines += file_text(r, verbose)
        lines += [_("Problem: {what}").format(what=p) for p in report["problems"]]
        if not report["problems"]:
            lines.append(_("Every file of the package is the one the signed manifest lists "
                           "(SHA-256)."))
    else:
        lines += file_text(report, verbose)
    lines.append("")
    verdict = _("Result: VALID — every signature is valid and the file has not been changed") \
        if report["ok"] else _("Result: NOT VALID — see the problems above")
    lines.append(verdict)
    why = report.get("why_no_log")
    if why:
        reason = (_("no database was given (no --db, and no tenderflow.db in this folder)")
                  if why == "no_database" else _("--no-log was given"))
        lines.append(_("The file alone was checked: {reason}; it was not compared with the "
                       "procurement log.").format(reason=reason))
        lines.append(_("The signing times are the signers' own statements (no time-stamp "
                       "authority)."))
    return "\n".join(lines)
