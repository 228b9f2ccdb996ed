"""Documents: contract PDFs from templates, multi-party signatures, the financing package.

Modules (each imports reportlab / pyHanko only inside the functions that need them):

* ``templates`` — load and check ``contracts/*.yaml``; ``placeholders``; ``filling`` —
  ``missing_fields``, ``fill``; ``contract_templates`` — the templates the agreement uses,
  pinned by content hash.
* ``pdf`` — ``render_agreement`` (any contract template), ``render_document`` (reports),
  ``write_pdf``; deterministic bytes with an embedded TrueType CJK font (``fonts``).
* ``keys`` — certificates' identities, PKCS#12 key files, trusted roots, ``make_demo_keys``.
* ``signing`` — ``sign_pdf`` (PAdES, one incremental update per party, in the template's
  order), ``verify_pdf`` → ``VerificationReport``.
* ``verification`` — a signed agreement or package folder verified against the log.
* ``finance`` — payback period and IRR (Decimal, bisection), the financial summary.
* ``package`` — ``build_package`` writing the documents and ``manifest.json`` (SHA-256);
  ``financing_package`` — the package's documents rendered from the record.
* ``record`` — ``record_digest``: the digest of the event a document rests on, printed on every
  page (what the event records, not when it was recorded).
* ``files`` — the files the contract commands read and write (staged until recorded).
"""
