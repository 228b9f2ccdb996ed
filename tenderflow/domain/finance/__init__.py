"""The return model of a renovation project (issue 14 item 6): one model for intake
(``status``), the agreement's terms and the financing package.

* :mod:`.loan` — the loan's repayment schedule (equal principal or equal instalment, grace years);
* :mod:`.returns` — the model: cash flows by year, payback, NPV, IRR and DSCR;
* :mod:`.inputs` — the input formats (the project record's ``revenue_sources`` and ``returns``,
  the agreement's per-year ``revenue_plan``), validated with errors naming the field.
"""
