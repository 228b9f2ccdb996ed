"""Runs features/agreement/: the agreement follows the award, is dated within the contract
period, is signed by each party with its own key in the template's order, is fixed once signing
began, and the financing package waits for every signature. The steps drive the CLI on the
example award (tests/agreements/conftest.py), as staff would."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from pytest_bdd import given, parsers, scenarios, then, when

from tests.agreements.conftest import FINANCING, ORDER, PID, TERMS, Workspace
from tests.conftest import at

scenarios("agreement")


class Step:
    """The workspace, the last command's result and the stream's length before it."""

    def __init__(self) -> None:
        self.ws: Workspace | None = None
        self.res: Any = None
        self.pid = PID
        self.before = 0


@pytest.fixture
def step() -> Step:
    return Step()


def _events(ws: Workspace, pid: str) -> list[Any]:
    from tenderflow.store.eventstore import EventStore

    store = EventStore(ws.db)
    try:
        with store.reading() as tx:
            return list(tx.read_stream(f"procurement:{pid}"))
    finally:
        store.dispose()


def _run(step: Step, pid: str, *args: str) -> None:
    assert step.ws is not None
    step.pid = pid
    step.before = len(_events(step.ws, pid))
    step.res = step.ws.run(*args, lang="zh")  # the features read the officer's Chinese


def _terms_file(ws: Workspace, date: str | None) -> Path:
    if date is None:
        return TERMS
    data = yaml.safe_load(TERMS.read_text(encoding="utf-8"))
    data["agreement"]["date"] = date
    out = ws.path(f"terms-{date}.yaml")
    out.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return out


@given(parsers.parse('采购 "{pid}" 已成交给 "{supplier}"，四方的演示密钥已生成'))
def _awarded(step: Step, awarded: Workspace, pid: str, supplier: str) -> None:
    step.ws = awarded
    services = awarded.services()
    try:
        assert services.state(pid)["award"]["supplier"] == supplier
    finally:
        services.store.dispose()


@given(parsers.parse('项目 "{project}" 另开启竞争性谈判采购 "{pid}"，尚未成交'))
def _other(step: Step, project: str, pid: str) -> None:
    assert step.ws is not None
    services = step.ws.services()
    try:
        services.open_procurement(pid, project, "competitive_negotiation", "staff:wang",
                                  at("2023-03-20T09:00+08:00"))
    finally:
        services.store.dispose()


@when(parsers.parse('对 "{pid}" 记录示例协议条款'))
def _terms(step: Step, pid: str) -> None:
    _run(step, pid, "contract", "terms", pid, str(TERMS))


@when(parsers.parse('对 "{pid}" 记录协议日期为 "{date}" 的示例协议条款'))
def _terms_dated(step: Step, pid: str, date: str) -> None:
    assert step.ws is not None
    _run(step, pid, "contract", "terms", pid, str(_terms_file(step.ws, date)))


@given("示例协议条款已记录，协议已呈现")
def _rendered(step: Step) -> None:
    assert step.ws is not None
    res = step.ws.run("contract", "terms", PID, str(TERMS))
    assert res.exit_code == 0, res.output
    res = step.ws.run("contract", "render", PID, "--out", str(step.ws.path("agreement.pdf")))
    assert res.exit_code == 0, res.output


@given(parsers.parse('"{party}" 用 "{key}" 的密钥签署协议'))
def _signed_before(step: Step, party: str, key: str) -> None:
    assert step.ws is not None
    res = step.ws.sign(party, key=key)
    assert res.exit_code == 0, res.output


@when(parsers.parse('"{party}" 用 "{key}" 的密钥签署协议'))
def _sign(step: Step, party: str, key: str) -> None:
    assert step.ws is not None
    step.pid = PID
    step.before = len(_events(step.ws, PID))
    step.res = step.ws.sign(party, dst="signed.pdf" if party != key else None, key=key,
                            lang="zh")


@given("四方依次签署协议")
def _all_sign(step: Step) -> None:
    assert step.ws is not None
    for party in ORDER:
        res = step.ws.sign(party)
        assert res.exit_code == 0, res.output


@when("组装融资资料包")
def _package(step: Step) -> None:
    assert step.ws is not None
    _run(step, PID, "contract", "package", PID, "--agreement",
         str(step.ws.path("agreement.pdf")), "--financing", str(FINANCING),
         "--out", str(step.ws.path("package")))


@then("协议步骤成功")
def _ok(step: Step) -> None:
    assert step.res.exit_code == 0, step.res.output


@then(parsers.parse('协议步骤被规则 "{rule}" 拒绝，依据 "{source}"'))
def _refused(step: Step, rule: str, source: str) -> None:
    assert step.ws is not None
    assert step.res.exit_code == 1, step.res.output
    assert f"[{rule}]" in step.res.output, step.res.output
    assert source in step.res.output, step.res.output
    assert len(_events(step.ws, step.pid)) == step.before, "a refused step writes nothing"


@then(parsers.parse('协议步骤的结果为 "{outcome}"'))
def _outcome(step: Step, outcome: str) -> None:
    if outcome == "接受":
        assert step.res.exit_code == 0, step.res.output
    else:
        _refused(step, outcome.split(":", 1)[1], "")


@then(parsers.parse('拒绝注明 "{text}"'))
def _says(step: Step, text: str) -> None:
    assert text in step.res.output, step.res.output


@then("没有记录任何协议事件")
def _no_agreement_events(step: Step) -> None:
    assert step.ws is not None
    assert not [e for e in _events(step.ws, step.pid) if e.type.startswith("Agreement")]


@then("没有记录任何签署")
def _no_signature(step: Step) -> None:
    assert step.ws is not None
    assert not [e for e in _events(step.ws, PID) if e.type == "AgreementSigned"]
    assert not step.ws.path("signed.pdf").exists()
