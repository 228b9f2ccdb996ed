"""The contract templates the agreement commands use (``contracts/*.yaml``), each as read
with the content hash that pins it in the events, and the missing-fields error that names
the file the fields belong in."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tenderflow.store.canonical import canonical_json, content_hash

AGREEMENT_TEMPLATE = "agreement.yaml"
COVER_TEMPLATE = "financing_cover.yaml"
MANIFEST_TEMPLATE = "package_manifest.yaml"
MANIFEST_PDF = "manifest.pdf"
MANIFEST_TABLE_CLAUSE = "files"


@dataclass(frozen=True)
class TemplateDef:
    """A contract template as read, with the hash that pins it in the events."""

    template: Any  # documents.templates.Template
    raw: dict[str, Any]
    path: Path

    @property
    def hash(self) -> str:
        return content_hash(self.raw)

    def pin(self) -> tuple[str, str, str, str]:
        return (self.hash, "template", self.template.id, canonical_json(self.raw))

    def describe(self) -> dict[str, str]:
        return {"id": self.template.id, "version": self.template.version, "sha256": self.hash,
                "file": self.path.name}


def load_template_def(path: Path) -> TemplateDef:
    from tenderflow.documents.templates import read_template

    template, raw = read_template(path)
    return TemplateDef(template, raw, path)


def missing_error(exc: Any, file: str | None, tdef: TemplateDef, hint: str = "") -> Any:
    """MissingFields naming the file the fields should be in, with what to do."""
    from tenderflow.documents.templates import MissingFields

    parties = [f for f in exc.missing if f.startswith("parties.")
               and f.rsplit(".", 1)[-1] in ("name", "uscc")]
    new = MissingFields(exc.missing, file=file, template=tdef.path.name)
    notes = []
    if parties:
        notes.append(f"{', '.join(parties)} come from the registry: register them with the "
                     f"project's parties or the supplier")
    if hint:
        notes.append(hint)
    if notes:
        new.message += " — " + "; ".join(notes)
    return new
