"""Runs the eligibility gate features (features/eligibility/准入门槛.feature, 信用名单时效.feature,
信用查询时段.feature) through the services: credit lists imported, check_eligibility fired,
invite and submit_response gated."""

from __future__ import annotations

import re

from pytest_bdd import given, parsers, scenarios, then

from tenderflow.app.common import parse_time
from tenderflow.paths import examples_dir

scenarios("eligibility/准入门槛.feature", "eligibility/信用名单时效.feature",
          "eligibility/信用查询时段.feature")


@then(parsers.re(r'拒绝理由包含 (?P<texts>.+)$'))
def _reason_names(world, texts: str) -> None:  # type: ignore[no-untyped-def]
    assert world.error is not None, "not refused"
    for text in re.findall(r'"([^"]+)"', texts):
        assert text in world.error.message, (text, world.error.message)


@then(parsers.parse('"{pid}" 的资格审查报告列明 "{text}"'))
def _report_names(world, pid: str, text: str) -> None:  # type: ignore[no-untyped-def]
    from tenderflow.app.eligibility import recorded, report_sections

    basis = report_sections(recorded(world.services, pid))[0]["body"]
    assert any(text in line for line in basis), basis


@given(parsers.parse('已于 "{at}" 导入信用名单 "{name}"'))
def _credit(world, at: str, name: str) -> None:  # type: ignore[no-untyped-def]
    from tenderflow.app.eligibility import import_credit_lists

    import_credit_lists(world.services, examples_dir() / "data" / name, "staff:wang",
                        parse_time(at))


def _latest(world, pid: str, cid: str):  # type: ignore[no-untyped-def]
    from tenderflow.app.eligibility import recorded

    report = recorded(world.services, pid)
    return next(c for c in report["candidates"] if c["candidate"] == cid)


@then(parsers.parse('"{pid}" 最近一次资格审查中 "{cid}" 的 "{rule}" 结论为 "{verdict}"，'
                    '依据 "{source}"'))
def _verdict(world, pid: str, cid: str, rule: str, verdict: str,  # type: ignore[no-untyped-def]
             source: str) -> None:
    outcome = next(o for o in _latest(world, pid, cid)["outcomes"] if o["rule"] == rule)
    assert outcome["verdict"] == verdict and source in outcome["source"], outcome
    assert outcome["value"] is not None and outcome["threshold"], outcome
    summary = world.services.status(pid)["eligibility"]
    assert (cid in summary["eligible"]) == (verdict != "fail")


@given(parsers.parse('"{pid}" 最近一次资格审查中 "{cid}" 的 "{rule}" 未核查'))
def _not_checked(world, pid: str, cid: str, rule: str) -> None:  # type: ignore[no-untyped-def]
    candidate = _latest(world, pid, cid)
    outcome = next(o for o in candidate["outcomes"] if o["rule"] == rule)
    assert outcome["verdict"] == "not_checked", outcome
    assert candidate["eligible"] is False, candidate
    assert cid not in world.services.status(pid)["eligibility"]["eligible"]


@then(parsers.parse('"{pid}" 最近一次资格审查中 "{cid}" 资格合格'))
def _eligible(world, pid: str, cid: str) -> None:  # type: ignore[no-untyped-def]
    assert _latest(world, pid, cid)["eligible"] is True
