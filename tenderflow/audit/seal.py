"""``audit seal`` and ``audit verify --checkpoint``: signed checkpoints of every stream head.

The chain of each stream proves its events were not altered one by one; it cannot prove that
a whole stream was not deleted, that a tail was not cut with the head moved back, or that a
stream was not rewritten with every hash recomputed. A checkpoint can: it lists each stream's
head (stream id, version, hash of the event at that version), hashes the list into a Merkle
root and is signed with the auditor's Ed25519 key. The auditor keeps the file outside the
database; the database keeps a copy (table ``checkpoints``, append-only).

Checkpoint file (JSON, UTF-8)::

    {
      "checkpoint": {
        "format": "tenderflow-checkpoint/1",
        "sealed_at": "2024-05-06T10:00:00+08:00",      # wall-clock time of sealing
        "sealed_by": "auditor:zhao",
        "last_global_seq": 1234,                         # every event ≤ this was sealed
        "events": 1234,                                  # how many events that is
        "streams": [["procurement:CN-2023-001", 19, "<hash of event 19>"], …],  # sorted
        "merkle": {"algorithm": "RFC6962-SHA256", "leaf": "[stream_id, version, head_hash]",
                   "root": "<hex>"},
        "previous": "<digest of the checkpoint sealed before, or null>"
      },
      "digest": "<SHA-256 of the canonical JSON of 'checkpoint'>",
      "signature": {"algorithm": "Ed25519", "key_id": "<SHA-256 of the raw public key>",
                    "public_key": "<base64 raw 32 bytes>", "value": "<base64 64 bytes>"}
    }

The signature is over the canonical JSON bytes of ``checkpoint`` (DESIGN §4's canonical form).
The Merkle tree follows RFC 6962 §2.1: leaf = SHA-256(0x00 ‖ canonical JSON of the leaf),
node = SHA-256(0x01 ‖ left ‖ right), split at the largest power of two below n.

Verifying a checkpoint against the database proves, for every sealed stream, that the stream
still has at least the sealed number of events and that its event at the sealed version still
has the sealed hash — with the chain verified, every earlier event is then unchanged too. It
also proves that no event was slipped in under an already sealed global sequence number.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tenderflow.audit.verify import Problem, VerifyReport, verify_store
from tenderflow.errors import CheckFailed, InputError
from tenderflow.store.canonical import canonical_json

FORMAT = "tenderflow-checkpoint/1"
MERKLE_ALGORITHM = "RFC6962-SHA256"
PASSWORD_ENV = "TENDERFLOW_KEY_PASSWORD"
KEY_HINT = "an Ed25519 private key in PEM (make one with 'tenderflow audit keygen --out FILE')"


# --- Merkle tree ----------------------------------------------------------------------------

def leaf_hash(stream_id: str, version: int, head_hash: str) -> bytes:
    return hashlib.sha256(b"\x00" + canonical_json([stream_id, version, head_hash])
                          .encode("utf-8")).digest()


def merkle_root(leaves: list[bytes]) -> str:
    """RFC 6962 Merkle Tree Hash over already hashed leaves (hex)."""
    if not leaves:
        return hashlib.sha256(b"").hexdigest()
    return _mth(leaves).hex()


def _mth(nodes: list[bytes]) -> bytes:
    if len(nodes) == 1:
        return nodes[0]
    k = 1
    while k * 2 < len(nodes):
        k *= 2
    return hashlib.sha256(b"\x01" + _mth(nodes[:k]) + _mth(nodes[k:])).digest()


def root_of(streams: list[list[Any]]) -> str:
    return merkle_root([leaf_hash(s, v, h) for s, v, h in streams])


# --- keys -----------------------------------------------------------------------------------

def _password() -> bytes | None:
    value = os.environ.get(PASSWORD_ENV)
    return value.encode("utf-8") if value else None


def generate_key(out: Path, pub_out: Path | None = None) -> tuple[Path, Path, str]:
    """Write a new Ed25519 key pair (private PKCS#8 PEM, mode 0600, encrypted with
    ``$TENDERFLOW_KEY_PASSWORD`` when set; public SubjectPublicKeyInfo PEM)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    pub_out = pub_out or default_public_path(out)
    for path, what in ((out, "--out"), (pub_out, "--pub-out")):
        check_new_file(path, what)
    if out.resolve() == pub_out.resolve():
        raise InputError("the private and public key files must differ", file=str(out),
                         field="--pub-out")
    key = Ed25519PrivateKey.generate()
    password = _password()
    encryption: Any = (serialization.BestAvailableEncryption(password) if password
                       else serialization.NoEncryption())
    private_pem = key.private_bytes(serialization.Encoding.PEM,
                                    serialization.PrivateFormat.PKCS8, encryption)
    public_pem = key.public_key().public_bytes(serialization.Encoding.PEM,
                                               serialization.PublicFormat.SubjectPublicKeyInfo)
    _write_new(out, private_pem, 0o600)
    try:
        _write_new(pub_out, public_pem, 0o644)
    except BaseException:
        out.unlink(missing_ok=True)
        raise
    return out, pub_out, key_id(key.public_key())


def default_public_path(private: Path) -> Path:
    stem = private.name.removesuffix(".pem")
    return private.with_name(f"{stem}.pub.pem")


def check_new_file(path: Path, option: str) -> None:
    if path.exists():
        raise InputError("already exists; choose a new file name (nothing was written)",
                         file=str(path), field=option)
    if not path.parent.is_dir():
        raise InputError("the folder does not exist", file=str(path), field=option,
                         expected="a file in an existing folder")


def _write_new(path: Path, data: bytes, mode: int) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    except FileExistsError:
        raise InputError("already exists; choose a new file name", file=str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror}", file=str(path)) from None
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


def _read_bytes(path: Path, option: str) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError("file not found", file=str(path), field=option) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a file", file=str(path), field=option) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=str(path), field=option) from None


def load_private_key(path: Path) -> Any:
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    data = _read_bytes(path, "--key")
    try:
        key = load_pem_private_key(data, password=_password())
    except TypeError as exc:
        if "encrypted" in str(exc) and _password() is None:
            raise InputError(f"the key is encrypted: set {PASSWORD_ENV} to its password",
                             file=str(path), field="--key") from None
        raise InputError("not a usable private key", file=str(path), field="--key",
                         expected=KEY_HINT) from None
    except ValueError:
        hint = f" (or the password in {PASSWORD_ENV} is wrong)" if _password() else ""
        raise InputError(f"not a PEM private key{hint}", file=str(path), field="--key",
                         expected=KEY_HINT) from None
    except UnsupportedAlgorithm:
        raise InputError("not a usable private key", file=str(path), field="--key",
                         expected=KEY_HINT) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise InputError(f"a {type(key).__name__.replace('_', '')} key, not Ed25519",
                         file=str(path), field="--key", expected=KEY_HINT)
    return key


def load_public_key(path: Path) -> Any:
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    data = _read_bytes(path, "--pubkey")
    expected = "the auditor's Ed25519 public key in PEM (the .pub.pem that keygen wrote)"
    try:
        key = load_pem_public_key(data)
    except (ValueError, UnsupportedAlgorithm):
        raise InputError("not a PEM public key", file=str(path), field="--pubkey",
                         expected=expected) from None
    if not isinstance(key, Ed25519PublicKey):
        raise InputError("not an Ed25519 public key", file=str(path), field="--pubkey",
                         expected=expected)
    return key


def raw_public(public_key: Any) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return bytes(public_key.public_bytes(serialization.Encoding.Raw,
                                         serialization.PublicFormat.Raw))


def key_id(public_key: Any) -> str:
    """The SHA-256 (hex) of the raw 32-byte public key."""
    return hashlib.sha256(raw_public(public_key)).hexdigest()


# --- sealing --------------------------------------------------------------------------------

@dataclass
class SealResult:
    number: int
    digest: str
    file: str
    streams: int
    events: int
    last_global_seq: int
    merkle_root: str
    key_id: str
    previous: str | None

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def seal(store: Any, key: Any, out: Path, sealed_by: str, sealed_at: str,
         progress: Any = None) -> SealResult:
    """Verify the whole log, then sign a checkpoint of every stream head, record it in the
    database and write it to ``out`` (a new file). A log that does not verify is not sealed."""
    check_new_file(out, "--out")
    report, verifier = verify_store(store, progress)
    _refuse_broken(report)
    wrote = False
    try:
        with store.transaction() as tx:
            # Events appended since the walk: verify them too, under the write lock.
            verifier.feed_all(tx.raw_events(after=verifier.last_global))
            heads = tx.heads()
            verifier.catch_up(tx, heads)
            _refuse_broken(verifier.finish(heads, tx.definitions()))
            streams = [[sid, version, head] for sid, (version, head) in sorted(heads.items())]
            events = tx.count_events()
            last_global = tx.max_global_seq()
            earlier = tx.checkpoints()
            previous = earlier[-1].digest if earlier else None
            body = {
                "format": FORMAT, "sealed_at": sealed_at, "sealed_by": sealed_by,
                "last_global_seq": last_global, "events": events, "streams": streams,
                "merkle": {"algorithm": MERKLE_ALGORITHM,
                           "leaf": "[stream_id, version, head_hash]", "root": root_of(streams)},
                "previous": previous,
            }
            document = sign_checkpoint(body, key)
            text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
            number = tx.add_checkpoint(
                digest=document["digest"], sealed_at=sealed_at, sealed_by=sealed_by,
                last_global_seq=last_global, streams=len(streams), events=events,
                merkle_root=body["merkle"]["root"], key_id=document["signature"]["key_id"],
                document=text)
            _write_new(out, text.encode("utf-8"), 0o644)
            wrote = True
    except BaseException:
        if wrote:  # the database did not commit: no file without its database record
            out.unlink(missing_ok=True)
        raise
    return SealResult(number, document["digest"], str(out), len(streams), events, last_global,
                      body["merkle"]["root"], document["signature"]["key_id"], previous)


def _refuse_broken(report: VerifyReport) -> None:
    if not report.ok:
        first = "; ".join(p.text for p in report.problems[:3])
        more = f" (and {len(report.problems) - 3} more)" if len(report.problems) > 3 else ""
        raise CheckFailed(f"the log does not verify, so it is not sealed: {first}{more}; "
                          f"run 'tenderflow audit verify' for the full report",
                          problems=[p.to_dict() for p in report.problems])


def sign_checkpoint(body: dict[str, Any], key: Any) -> dict[str, Any]:
    message = canonical_json(body).encode("utf-8")
    public = key.public_key()
    return {
        "checkpoint": body,
        "digest": hashlib.sha256(message).hexdigest(),
        "signature": {
            "algorithm": "Ed25519", "key_id": key_id(public),
            "public_key": base64.b64encode(raw_public(public)).decode("ascii"),
            "value": base64.b64encode(key.sign(message)).decode("ascii"),
        },
    }


# --- verifying a checkpoint -----------------------------------------------------------------

@dataclass
class Checkpoint:
    """A parsed checkpoint file (shape checked; signature not yet)."""

    file: str
    body: dict[str, Any]
    digest: str
    signature: dict[str, Any]
    public_raw: bytes
    signature_raw: bytes

    @property
    def streams(self) -> list[list[Any]]:
        return list(self.body["streams"])


def read_checkpoint(path: Path) -> Checkpoint:
    """Parse and shape-check a checkpoint file; a malformed one is bad input (exit 2)."""
    raw = _read_bytes(path, "--checkpoint")
    file = str(path)

    def bad(message: str, fld: str | None = None, expected: str | None = None) -> InputError:
        return InputError(message, file=file, field=fld,
                          expected=expected or "a checkpoint written by 'tenderflow audit seal'")

    try:
        doc = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise bad(f"not UTF-8 text (byte {exc.start})") from None
    except (ValueError, RecursionError) as exc:
        raise bad(f"not valid JSON: {exc}") from None
    if not isinstance(doc, dict) or set(doc) != {"checkpoint", "digest", "signature"}:
        raise bad("not a checkpoint document", "top",
                  "exactly the keys checkpoint, digest, signature")
    body, sig = doc["checkpoint"], doc["signature"]
    if not isinstance(body, dict):
        raise bad("must be an object", "checkpoint")
    if body.get("format") != FORMAT:
        raise bad(f"format {body.get('format')!r}", "checkpoint.format", repr(FORMAT))
    needed = {"format", "sealed_at", "sealed_by", "last_global_seq", "events", "streams",
              "merkle", "previous"}
    if set(body) != needed:
        missing, extra = sorted(needed - set(body)), sorted(set(body) - needed)
        raise bad(f"missing {missing}" if missing else f"unknown {extra}", "checkpoint",
                  ", ".join(sorted(needed)))
    for name in ("last_global_seq", "events"):
        if not isinstance(body[name], int) or isinstance(body[name], bool) or body[name] < 0:
            raise bad(f"{body[name]!r}", f"checkpoint.{name}", "a whole number ≥ 0")
    streams = body["streams"]
    if not isinstance(streams, list):
        raise bad("must be a list", "checkpoint.streams", "[[stream_id, version, head_hash], …]")
    for i, leaf in enumerate(streams):
        if not (isinstance(leaf, list) and len(leaf) == 3 and isinstance(leaf[0], str)
                and isinstance(leaf[1], int) and not isinstance(leaf[1], bool) and leaf[1] >= 1
                and isinstance(leaf[2], str) and _is_hex64(leaf[2])):
            raise bad(f"{leaf!r}", f"checkpoint.streams[{i}]",
                      "[stream_id, version ≥ 1, 64 hex digits]")
    merkle = body["merkle"]
    if not (isinstance(merkle, dict) and merkle.get("algorithm") == MERKLE_ALGORITHM
            and isinstance(merkle.get("root"), str) and _is_hex64(merkle["root"])):
        raise bad("not a known Merkle description", "checkpoint.merkle",
                  f"{{algorithm: {MERKLE_ALGORITHM}, leaf, root: 64 hex digits}}")
    if not isinstance(doc["digest"], str) or not _is_hex64(doc["digest"]):
        raise bad("not 64 hex digits", "digest")
    if not (isinstance(sig, dict) and sig.get("algorithm") == "Ed25519"):
        raise bad("not an Ed25519 signature", "signature.algorithm", "Ed25519")
    try:
        public_raw = base64.b64decode(str(sig.get("public_key", "")), validate=True)
        signature_raw = base64.b64decode(str(sig.get("value", "")), validate=True)
    except (binascii.Error, ValueError):
        raise bad("not base64", "signature.public_key/value") from None
    if len(public_raw) != 32 or len(signature_raw) != 64:
        raise bad("wrong length", "signature.public_key/value",
                  "a 32-byte public key and a 64-byte signature, base64")
    return Checkpoint(file, body, doc["digest"], sig, public_raw, signature_raw)


def _is_hex64(text: str) -> bool:
    return len(text) == 64 and all(c in "0123456789abcdef" for c in text)


def check_checkpoint(store: Any, cp: Checkpoint, pubkey: Any | None = None
                     ) -> tuple[list[Problem], dict[str, Any]]:
    """Check the file itself (digest, signature, key, Merkle root), then the database
    against it. Returns the problems and a summary for the report."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    where = f"checkpoint {cp.file}"
    problems: list[Problem] = []
    message = canonical_json(cp.body).encode("utf-8")
    digest = hashlib.sha256(message).hexdigest()
    signer_id = hashlib.sha256(cp.public_raw).hexdigest()
    summary: dict[str, Any] = {
        "file": cp.file, "digest": digest, "sealed_at": cp.body["sealed_at"],
        "sealed_by": cp.body["sealed_by"], "streams": len(cp.body["streams"]),
        "events": cp.body["events"], "last_global_seq": cp.body["last_global_seq"],
        "key_id": signer_id, "key_pinned": pubkey is not None, "signature_valid": False}
    if digest != cp.digest:
        problems.append(Problem(where, None, "checkpoint", [
            (f"the checkpoint's content hashes to {digest[:16]}…, the file says "
            f"{cp.digest[:16]}…: the file was altered")]))
    try:
        Ed25519PublicKey.from_public_bytes(cp.public_raw).verify(cp.signature_raw, message)
        summary["signature_valid"] = True
    except InvalidSignature:
        problems.append(Problem(where, None, "checkpoint", [
            "the signature does not verify: the checkpoint was altered after signing"]))
    if pubkey is not None:
        expected = raw_public(pubkey)
        if expected != cp.public_raw:
            problems.append(Problem(where, None, "checkpoint", [
                (f"signed by key {signer_id[:16]}…, not by the given auditor key "
                f"{hashlib.sha256(expected).hexdigest()[:16]}…")]))
    streams = cp.streams
    names = [s[0] for s in streams]
    if names != sorted(set(names)):
        problems.append(Problem(where, None, "checkpoint", [
            "the streams are not sorted and unique"]))
    root = root_of(streams)
    if root != cp.body["merkle"]["root"]:
        problems.append(Problem(where, None, "checkpoint", [
            (f"the streams hash to Merkle root {root[:16]}…, the checkpoint says "
            f"{cp.body['merkle']['root'][:16]}…")]))
    sealed_total = sum(v for _, v, _ in streams)
    if sealed_total != cp.body["events"]:
        problems.append(Problem(where, None, "checkpoint", [
            (f"the stream versions add up to {sealed_total} events, the checkpoint says "
            f"{cp.body['events']}")]))
    if problems:  # an untrustworthy checkpoint proves nothing about the database
        return problems, summary
    with store.reading() as tx:
        for sid, version, head in streams:
            found = tx.event_hash_at(sid, version)
            if found == head:
                continue
            length = tx.stream_length(sid)
            if length == 0:
                details = [(f"the stream is gone: sealed with {version} events, head "
                           f"{head[:16]}…, it has none now")]
            elif found is None:
                details = [(f"the stream ends at event {length}, sealed at {version}: events "
                           f"{length + 1}–{version} were removed")]
            else:
                details = [(f"event {version} has hash {found[:16]}…, sealed as {head[:16]}…: "
                           f"the stream was rewritten at or before event {version}")]
            problems.append(Problem(sid, version, "checkpoint", details))
        upto = cp.body["last_global_seq"]
        now_count = tx.count_events(upto_global=upto)
        if now_count > cp.body["events"]:
            problems.append(Problem("events", None, "checkpoint", [
                (f"{now_count - cp.body['events']} event(s) with global_seq ≤ {upto} were not in "
                f"the sealed log: inserted afterwards under old sequence numbers")]))
        recorded = tx.checkpoint(digest)
        summary["recorded_in_database"] = recorded is not None
        if recorded is None:
            problems.append(Problem("checkpoints", None, "checkpoint", [
                (f"checkpoint {digest[:16]}… is not recorded in this database (removed, or "
                f"sealed on another database)")]))
    return problems, summary


def verify_with_checkpoint(store: Any, path: Path, pubkey_path: Path | None = None,
                           progress: Any = None) -> VerifyReport:
    """``audit verify --checkpoint F [--pubkey P]``: the chain, then the checkpoint."""
    cp = read_checkpoint(path)
    pubkey = load_public_key(pubkey_path) if pubkey_path is not None else None
    report, _ = verify_store(store, progress)
    problems, summary = check_checkpoint(store, cp, pubkey)
    report.problems.extend(problems)
    report.checkpoint = summary
    if pubkey is None:
        signer = summary["key_id"][:16]
        report.notes.append(
            f"the checkpoint's signature was checked with the key inside it ({signer}…); pass "
            f"--pubkey with the auditor's public key to prove who sealed it")
    return report

