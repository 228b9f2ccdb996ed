"""The event catalogue: every event type tenderflow writes, its ``schema_version``, its payload
schema and its upcasters, in one place (DESIGN §4, issue 13 item 4).

- ``schemas/<Type>.json``: one file per event type (data, shipped with the code) — the contract
  of the stored log, independent of the workflow YAML from which the transition events' ``data``
  shapes were first copied.
- :mod:`tenderflow.events.catalogue`: loads the files, validates a payload on the write path and
  upcasts an old version on the read path.
- :mod:`tenderflow.events.upcasters`: the upcasters, version n → n+1, each saying what changed.
"""
