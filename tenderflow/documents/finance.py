"""The financial summary (财务摘要) of the financing package: the return model's figures
(:mod:`tenderflow.domain.finance`) laid out for a bank's credit officer.

Nothing is computed here: the model gives every figure; this module chooses the unit (万元),
splits the year tables so that they fit A4 (revenue by stream; cash flow; the loan's repayment
schedule with the DSCR of each year), adds the totals, the cumulative cash-flow chart and, for
each input, the record it came from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from tenderflow.domain.finance.inputs import plan_inputs
from tenderflow.domain.finance.loan import Loan
from tenderflow.domain.finance.returns import Returns, compute_returns
from tenderflow.domain.money import Money

SOURCE_LABELS = {
    "property_fees": "物业服务",
    "parking": "停车",
    "elevators": "加装电梯运营",
    "elderly_care": "养老服务",
    "convenience_services": "便民服务",
    "idle_space": "闲置空间租赁",
    "total": "收入",
}
TEN_THOUSAND = Decimal(10000)


def wan(amount: Decimal) -> str:
    """An amount in 万元 with two places and separators: 40,000,000 → ``4,000.00``."""
    value = (amount / TEN_THOUSAND).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return f"{value:,.2f}"


def _ratio(value: Decimal | None) -> str:
    return "—" if value is None else f"{value.quantize(Decimal('0.01'), ROUND_HALF_UP)}"


@dataclass(frozen=True)
class FinancialSummary:
    """The model's result with where its inputs came from: ``provenance`` is a list of
    (input, source) in words, printed in the summary's last section."""

    returns: Returns
    provenance: tuple[tuple[str, str], ...] = field(default=())

    # --- the figures for the templates and the log ------------------------------------------
    @property
    def payback_years(self) -> Decimal | None:
        return self.returns.payback_years

    @property
    def irr(self) -> Decimal | None:
        return self.returns.irr

    def fields(self) -> dict[str, str]:
        """The agreement terms' ``finance.*`` fields (payback and IRR)."""
        f = self.returns.figures()
        return {"payback_years": f["payback_years"], "irr_percent": f["irr_percent"]}

    def package_fields(self) -> dict[str, str]:
        """The financing package's ``finance.*`` fields: every headline figure, the NPV in
        万元 and the loan as the model read it (还款方式 in Chinese)."""
        r = self.returns
        out = {**r.figures(), "npv_wan": wan(r.npv) if r.npv is not None else "—"}
        if r.inputs.loan:
            loan = r.inputs.loan
            out.update(loan_rate_percent=f"{(loan.rate * 100).quantize(Decimal('0.01'))}",
                       grace_years=str(loan.grace_years), repayment=loan.method_zh)
        return out

    def with_provenance(self, provenance: Sequence[tuple[str, str]]) -> FinancialSummary:
        return FinancialSummary(self.returns, tuple(provenance))

    # --- the document ----------------------------------------------------------------------
    def streams(self) -> list[str]:
        known = list(SOURCE_LABELS)
        return sorted(self.returns.streams,
                      key=lambda s: known.index(s) if s in known else len(known))

    def sections(self) -> list[dict[str, Any]]:
        """Sections for :func:`tenderflow.documents.pdf.render_document` (财务摘要)."""
        from tenderflow.documents import finance_layout as lay

        r = self.returns
        inv = Money(r.inputs.investment)
        totals = r.totals()
        n = len(r.years)
        loan = r.inputs.loan
        sections: list[dict[str, Any]] = [{"heading": "测算结论", "body": [
            self._conclusion(),
            lay.key_figures(self._key_rows()),
        ]}]
        streams = self.streams()
        rows = [[f"第{y.year}年", *(wan(y.revenue.get(s, Decimal(0))) for s in streams),
                 wan(y.total_revenue)] for y in r.years]
        sums = ["合计", *(wan(sum((y.revenue.get(s, Decimal(0)) for y in r.years), Decimal(0)))
                          for s in streams), wan(totals["revenue"])]
        sections.append({"heading": "收入计划（单位：万元）", "body": [
            *lay.year_tables(["年度", *(SOURCE_LABELS.get(s, s) for s in streams),
                              "收入合计"], rows, sums),
            (f"注：计划期{n}年，收入合计{wan(totals['revenue'])}万元"
            f"（{Money(totals['revenue']).chinese()}），按使用者付费来源逐年列示。")]})
        rows = [[f"第{y.year}年", wan(y.total_revenue), wan(y.costs), wan(y.net),
                 wan(y.after_debt) if loan else "—", wan(y.cumulative)] for y in r.years]
        sums = ["合计", wan(totals["revenue"]), wan(totals["costs"]), wan(totals["net"]),
                wan(sum((y.after_debt for y in r.years), Decimal(0))) if loan else "—",
                wan(r.years[-1].cumulative)]
        sections.append({"heading": "现金流量（单位：万元）", "body": [
            *lay.year_tables(["年度", "收入合计", "运营成本", "经营净现金流", "偿债后净现金流",
                              "累计净现金流"], [["第0年", "", "", "", "", wan(-inv.amount)],
                                                 *rows], sums),
            (f"注：第0年末投入总投资{wan(inv.amount)}万元；经营净现金流＝收入－运营成本，为可用于"
            f"偿债的现金流（税前）；偿债后净现金流＝经营净现金流－当年还本付息；累计净现金流自"
            f"－{wan(inv.amount)}万元起逐年累加。")]})
        if loan:
            sections.append(self._loan_section(loan))
        sections.append({"heading": "累计净现金流图",
                         "body": [lay.cumulative_chart(r)]})
        sections.append({"heading": "测算口径与数据来源", "body": [self._method(), *(
            [tuple(f"{what}：{source}" for what, source in self.provenance)]
            if self.provenance else []),
            "以上测算仅供融资审批参考，不构成任何一方对收益的承诺。"]})
        return sections

    def _conclusion(self) -> str:
        r, f = self.returns, self.returns.figures()
        text = (f"项目总投资{wan(r.inputs.investment)}万元，计划期{len(r.years)}年。"
                + (f"静态投资回收期{f['payback_years']}年" if r.payback_years is not None
                   else "计划期内不能收回投资")
                + (f"，全投资内部收益率（税前）{f['irr_percent']}%" if r.irr is not None
                   else "，全投资内部收益率无解"))
        if r.npv is not None:
            text += f"，按{f['discount_rate_percent']}%折现的净现值{wan(r.npv)}万元"
        if r.inputs.loan:
            text += (f"；贷款期内最低偿债备付率{f['min_dscr']}，平均{f['average_dscr']}"
                     + ("（低于1.00的年份经营净现金流不足以偿还当年本息）"
                        if r.min_dscr is not None and r.min_dscr < 1 else ""))
        text += "。"
        if r.unserved_years:
            text += (f"注意：贷款第{r.unserved_years[0]}年起的还本付息超出收入计划期，"
                     f"计划未列示其偿债现金流。")
        return text

    def _key_rows(self) -> list[list[str]]:
        r, f = self.returns, self.returns.figures()
        inv = r.inputs.investment
        rows = [["项目总投资", f"{wan(inv)}万元", "第0年末一次投入"],
                ["收入合计", f"{wan(r.totals()['revenue'])}万元", f"计划期{len(r.years)}年"],
                ["经营净现金流合计", f"{wan(r.totals()['net'])}万元", "收入－运营成本（税前）"],
                ["静态投资回收期", f"{f['payback_years']}年" if r.payback_years is not None
                 else f["payback_years"], "累计经营净现金流收回总投资，末年按比例折算"]]
        if r.inputs.discount_rate is not None:
            rows += [["动态投资回收期", f"{f['discounted_payback_years']}年"
                      if r.discounted_payback_years is not None else "计划期内不能收回",
                      f"按{f['discount_rate_percent']}%折现"],
                     ["净现值", f"{wan(r.npv or Decimal(0))}万元",
                      f"折现率{f['discount_rate_percent']}%"]]
        rows.append(["全投资内部收益率", f"{f['irr_percent']}%" if r.irr is not None else "无解",
                     "税前，净现值为零的折现率"])
        loan = r.inputs.loan
        if loan:
            rate = (loan.rate * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
            rows += [["贷款金额", f"{wan(loan.amount)}万元",
                      (f"年利率{rate}%，期限{loan.years}年（宽限期{loan.grace_years}年），"
                      f"{loan.method_zh}")],
                     ["最低偿债备付率", _ratio(r.min_dscr), "各年经营净现金流÷当年还本付息"],
                     ["平均偿债备付率", _ratio(r.average_dscr), "贷款期经营净现金流合计÷还本付息合计"]]
        return rows

    def _loan_section(self, loan: Loan) -> dict[str, Any]:
        from tenderflow.documents import finance_layout as lay

        r = self.returns
        nets = {y.year: y for y in r.years}
        rows = []
        for d in r.schedule:
            y = nets.get(d.year)
            rows.append([f"第{d.year}年", wan(d.opening), wan(d.interest), wan(d.principal),
                         wan(d.payment), wan(d.closing), wan(y.net) if y else "—",
                         _ratio(y.dscr) if y else "—"])
        totals = r.totals()
        served = [y for y in r.years if y.dscr is not None]
        sums = ["合计", "", wan(totals["interest"]), wan(totals["principal"]),
                wan(totals["interest"] + totals["principal"]), "",
                wan(sum((y.net for y in served), Decimal(0))), _ratio(r.average_dscr)]
        rate = (loan.rate * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
        grace = (f"前{loan.grace_years}年为宽限期，只付息不还本，其后" if loan.grace_years
                 else "")
        return {"heading": "贷款还本付息计划与偿债备付率（单位：万元）", "body": [
            *lay.year_tables(["年度", "年初本金余额", "付息", "还本", "还本付息合计",
                              "年末本金余额", "经营净现金流", "偿债备付率"], rows, sums),
            (f"注：贷款{wan(loan.amount)}万元（{Money(loan.amount).chinese()}），于第0年末与总投资同时"
            f"到位，年利率{rate}%，期限{loan.years}年；{grace}按{loan.method_zh}方式逐年偿还。"
            f"利息按年初本金余额计算，保留到分，末年偿还剩余本金。偿债备付率＝当年经营净现金流"
            f"÷当年还本付息额，合计行为平均值。")]}

    def _method(self) -> str:
        return ("测算口径：总投资于第0年末投入，收入和运营成本于各年末发生，均为税前数；"
                "净现值、内部收益率和等额本息年还款额由开源财务函数库numpy-financial计算，"
                "其余按逐年累加计算；金额以元为单位保留到分计算，表中以万元列示，"
                "合计数按元计算后换算，可能与各行万元数之和有尾差。")


def financial_summary(investment: Any, revenue_plan: Sequence[Any], *,
                      operating_costs: Sequence[Any] | None = None,
                      discount_rate: Decimal | None = None,
                      loan: Loan | None = None) -> FinancialSummary:
    """The summary from the agreement's per-year plan (``revenue_plan``: one entry per year,
    an amount or a mapping stream → amount; ``operating_costs``: one amount per year), with
    the loan and the discount rate of the financing when given."""
    inputs = plan_inputs(investment, revenue_plan, operating_costs,
                         discount_rate=discount_rate, with_loan=loan)
    return FinancialSummary(compute_returns(inputs))
