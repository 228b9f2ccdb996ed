"""The procurement modes, one package each: ``decisions`` (guards that pass or refuse with
rule, numbers and source), ``calculators`` (guards that compute findings: deadlines, rankings,
verdicts) and ``fold`` (one applier per event type). A mode builds on the shared
:mod:`tenderflow.domain.components`; :mod:`tenderflow.domain.state` lists every module
explicitly and builds the guard and applier tables from that list. A new mode is a package
here, its modules added to that list, and its workflow YAML under ``workflows/``.
"""
