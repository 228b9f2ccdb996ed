"""Documents: contract PDFs from templates, multi-party signatures, the financing package.

Modules (each imports reportlab / pyHanko only inside the functions that need them):

* ``templates`` — load and check ``contracts/*.yaml``; ``missing_fields``; ``fill``.
* ``pdf`` — ``render_agreement`` (any contract template), ``render_document`` (reports),
  ``write_pdf``; deterministic bytes with an embedded TrueType CJK font (``fonts``).
* ``signing`` — ``make_demo_keys``, ``sign_pdf`` (PAdES, one incremental update per party, in
  the template's order), ``verify_pdf`` → ``VerificationReport``.
* ``finance`` — payback period and IRR (Decimal, bisection), the financial summary.
* ``package`` — ``build_package`` writing the documents and ``manifest.json`` (SHA-256).
* ``record`` — ``record_digest``: the digest of the event a document rests on, printed on every
  page (what the event records, not when it was recorded).
"""
