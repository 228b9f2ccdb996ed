"""The incremental update a signature is written as: pyHanko's writer and signer held to the
business time of the signing (never the wall clock), so that the same file, key and time give
the same signed bytes. Used by :func:`tenderflow.documents.signing.sign_pdf`."""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from typing import Any

from tenderflow.errors import InputError


def opened_at(pdf_bytes: bytes, when: dt.datetime, id2: bytes) -> Any:
    """pyHanko's incremental writer over the file, at ``when`` with the second ``/ID`` part
    ``id2`` (:func:`_writer_at`); it parses the file, and its ``prev`` is the reader the
    signing's checks use. InputError if the file is not a readable PDF."""
    from pyhanko.pdf_utils.misc import PdfError

    try:
        return _writer_at(when, id2)(BytesIO(pdf_bytes), strict=False)
    except (PdfError, ValueError, KeyError, IndexError) as exc:
        raise InputError(f"not a readable PDF: {exc}", field="pdf") from None


def signer_at(when: dt.datetime) -> Any:
    """A pyHanko ``PdfSigner`` whose signing session uses ``when`` as its time (pyHanko takes
    the session's ``system_time`` for the signingTime attribute and ``/M``; left alone it
    would read the wall clock)."""
    from pyhanko.sign import signers

    class AtTime(signers.PdfSigner):  # type: ignore[misc]
        def init_signing_session(self, pdf_out: Any, existing_fields_only: bool = False
                                 ) -> Any:
            session = super().init_signing_session(pdf_out,
                                                   existing_fields_only=existing_fields_only)
            session.system_time = when
            return session

    return AtTime


def _writer_at(when: dt.datetime, id2: bytes) -> Any:
    """pyHanko's incremental writer, stamping the document's modification date (``/ModDate``
    in the Info dictionary, and XMP's if the file has it) with ``when`` and giving the updated
    file the second ``/ID`` part ``id2`` (a hash of the input, the time and the field). Left
    alone it writes the wall clock and a random ID, which would put the computer's day into
    the file and make the same signature at the same business time give different bytes; so
    the same file, key and time give the same signed bytes."""
    import dataclasses

    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.metadata.model import DocumentMetadata

    class MetaAt(DocumentMetadata):  # type: ignore[misc]
        def __setattr__(self, name: str, value: Any) -> None:
            if name == "last_modified" and value == "now":
                value = when
            super().__setattr__(name, value)

    class WriterAt(IncrementalPdfFileWriter):  # type: ignore[misc]
        @classmethod
        def _handle_id(cls, prev: Any) -> Any:
            ids = super()._handle_id(prev)  # keeps the first part, as ISO 32000 § 14.4 asks
            return generic.ArrayObject([ids[0], generic.ByteStringObject(id2)])

        def _update_meta(self) -> None:
            current = self._meta
            if not isinstance(current, MetaAt):
                self._meta = MetaAt(**{f.name: getattr(current, f.name)
                                       for f in dataclasses.fields(current)})
            super()._update_meta()

    return WriterAt
