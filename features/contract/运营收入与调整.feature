# language: zh-CN
@contract
功能: 运营收入按来源与计划对照，收入不足超过合同门槛时开启合同约定的调整，调整前不得移交
  每个运营年度结束后，按收入来源（物业服务费、停车服务费、便民服务空间租金、养老服务、电梯运营服务费等）
  记录一次实际收入，与立项时项目收益测算（同一收益模型）的当年计划对照；缺口比例（1 减去实际收入与计划之比）
  由系统计算。实际收入低于合同约定门槛（如计划的80%）时，开启合同约定的调整（价格复核、延长期限或
  政府补贴），绝不默默略过：状态和下一步写明，须经政府方和社会资本方批准的调整（adjust）才能关闭，
  调整未完成前不得期满移交；延长期限后的合作期限不得超过特许经营期限上限。投资回收期、内部收益率和
  偿债备付率以已记录年度的实际收入替换计划数后重新测算（其余年度仍按计划）。依据：国办发〔2020〕23号
  四（二）（社会资本通过提供服务获得合理回报，POLICY.md 列为 S）；PPP项目合同指南（试行）（财金〔2014〕
  156号）第二章、财金〔2014〕113号 第二十八条（未经核实）；基础设施和公用事业特许经营管理办法（2024年
  令第17号）特许经营期限；合同约定的收入计划与调整条款。

  背景:
    假如 已登记示例项目和供应商
    而且 劲松式示例 "project_jinsong.yaml" 已运行到合同运营期
    而且 录入时间为 "2031-06-01T10:00+08:00"，补录理由为 "按年度收入审计报告补录"
    而且 "legal:孙律师" 于 "2025-11-03T10:00+08:00" 对 "contract:PPP-JS-001" 触发 "set_performance_terms"：
      """
      clause: 合同第15.1条、第16.2条（收入不足调整）
      kpis:
        - {id: K1, name: 公共设施完好率, unit: "%", target: "95", direction: ge, weight: "70"}
      satisfaction: {threshold_percent: "80", min_sample: 300, weight: "30"}
      pass_score: "80"
      deduction: {base: "3950000.00", percent_per_point: "1", cap_percent: "20"}
      revenue: {first_year: 2024, shortfall_threshold_percent: "80", adjustments: [price_review, term_extension]}
      """

  @contract.revenue_against_plan @contract.revenue_adjustment
  场景大纲: 缺口比例按收益测算的当年计划计算，低于计划80%时开启调整
    当 "finance:钱敏" 于 "2026-01-20T10:00+08:00" 记录 "contract:PPP-JS-001" 2025 年收入：物业服务费 "<物业>"，停车服务费 "<停车>"，其余按计划
    那么 操作成功
    而且 "contract:PPP-JS-001" 2025 年收入合计 "<合计>"、计划 "5124000.00"、缺口比例 "<缺口>"，<调整>

    例子:
      | 物业       | 停车       | 合计       | 缺口   | 调整         |
      | 2600000.00 | 1224000.00 | 5124000.00 | 0.0000 | 未开启调整   |
      | 2100000.00 | 824800.00  | 4224800.00 | 0.1755 | 未开启调整   |
      | 2000000.00 | 799200.00  | 4099200.00 | 0.2000 | 未开启调整   |
      | 2000000.00 | 799199.99  | 4099199.99 | 0.2000 | 已开启调整   |
      | 2000000.00 | 723999.99  | 4023999.99 | 0.2147 | 已开启调整   |

  @contract.revenue_against_plan
  场景: 每个年度按顺序记录一次，计划中的收入来源须逐项填写
    当 "finance:钱敏" 于 "2026-01-20T10:00+08:00" 对 "contract:PPP-JS-001" 触发 "record_revenue"：
      """
      {year: 2025, streams: {物业服务费: "2600000.00", 停车服务费: "1224000.00"}}
      """
    那么 被规则 "contract.revenue_against_plan" 拒绝，依据 "国办发〔2020〕23号"
    而且 拒绝理由写明 "missing 便民服务空间租金, 养老服务, 电梯运营服务费"
    当 "finance:钱敏" 于 "2027-01-20T10:00+08:00" 记录 "contract:PPP-JS-001" 2026 年收入：物业服务费 "2600000.00"，停车服务费 "1248480.00"，其余按计划
    那么 被规则 "contract.revenue_against_plan" 拒绝，依据 "国办发〔2020〕23号"
    而且 拒绝理由写明 "is not next: record 2025 first"

  @contract.revenue_adjustment
  场景: 调整开启后下一步写明，期满移交被拒绝；双方批准的价格复核关闭调整后方可移交
    假如 "finance:钱敏" 于 "2026-01-20T10:00+08:00" 记录 "contract:PPP-JS-001" 2025 年收入：物业服务费 "2000000.00"，停车服务费 "500000.00"，其余按计划
    那么 "contract:PPP-JS-001" 的下一步写明收入不足调整尚未完成
    当 "staff:zhao" 于 "2026-03-01T10:00+08:00" 对 "contract:PPP-JS-001" 触发 "hand_over"：
      """
      {handed_over_on: "2026-03-01", receiver: 劲松街道办事处, assets: [{name: 停车设施, condition: good}]}
      """
    那么 被规则 "contract.revenue_adjustment" 拒绝，依据 "财金〔2014〕156号"
    当 "legal:孙律师" 于 "2026-04-15T10:00+08:00" 对 "contract:PPP-JS-001" 作出收入不足调整 "subsidy"，批准方 "government,social_capital"
    那么 被规则 "contract.revenue_adjustment" 拒绝，依据 "财金〔2014〕156号"
    而且 拒绝理由写明 "not subsidy"
    当 "legal:孙律师" 于 "2026-04-15T10:00+08:00" 对 "contract:PPP-JS-001" 作出收入不足调整 "price_review"，批准方 "government"
    那么 被规则 "contract.variation_agreed" 拒绝，依据 "民法典 第543条"
    当 "legal:孙律师" 于 "2026-04-15T10:00+08:00" 对 "contract:PPP-JS-001" 作出收入不足调整 "price_review"，批准方 "government,social_capital"
    那么 操作成功
    而且 "contract:PPP-JS-001" 没有未完成的调整
    当 "staff:zhao" 于 "2026-05-01T10:00+08:00" 对 "contract:PPP-JS-001" 触发 "hand_over"：
      """
      {handed_over_on: "2026-05-01", receiver: 劲松街道办事处, assets: [{name: 停车设施, condition: good}]}
      """
    那么 "contract:PPP-JS-001" 的状态为 "handed_over"
    而且 重放 "contract:PPP-JS-001" 得出同样的决定

  @ppp.concession_max_years
  场景大纲: 延长期限的调整使合作期限不超过特许经营期限上限（2024年起40年）
    假如 "finance:钱敏" 于 "2026-01-20T10:00+08:00" 记录 "contract:PPP-JS-001" 2025 年收入：物业服务费 "2000000.00"，停车服务费 "500000.00"，其余按计划
    当 "legal:孙律师" 于 "2026-04-15T10:00+08:00" 对 "contract:PPP-JS-001" 作出延长 <年数> 年的收入不足调整
    那么 结果为 "<结果>"

    例子:
      | 年数 | 结果                               |
      | 30   | 接受                               |
      | 31   | 拒绝:ppp.concession_max_years      |

  @contract.revenue_against_plan
  场景: 投资回收期、内部收益率和偿债备付率以实际收入重新测算
    当 "finance:钱敏" 于 "2026-01-20T10:00+08:00" 记录 "contract:PPP-JS-001" 2025 年收入：物业服务费 "2210000.00"，停车服务费 "1020000.00"，其余按计划
    那么 "contract:PPP-JS-001" 的收益测算：计划内部收益率 "0.33"%，按实际收入重新测算后低于计划

  @contract.revenue_against_plan
  场景: 项目没有收益测算时，考核条款须载明合同约定的逐年收入计划
    假如 采购 "CN-2023-020" 已按 "negotiation_contract.yaml" 签订合同
    而且 于 "2023-04-10T09:00+08:00" 开始采购 "CN-2023-020" 的合同履行
    当 "legal:孙律师" 于 "2023-04-11T10:00+08:00" 对 "contract:CN-2023-020" 触发 "set_performance_terms"：
      """
      clause: 合同第9条
      kpis: [{id: K1, name: 电梯年均故障次数, unit: 次/台·年, target: "3", direction: le, weight: "60"}]
      satisfaction: {threshold_percent: "75", min_sample: 100, weight: "40"}
      pass_score: "60"
      deduction: {base: "100000.00", percent_per_point: "1", cap_percent: "10"}
      revenue: {first_year: 2024, shortfall_threshold_percent: "80", adjustments: [subsidy]}
      """
    那么 被规则 "contract.revenue_against_plan" 拒绝，依据 "国办发〔2020〕23号"
    而且 拒绝理由写明 "no revenue plan"
    当 "legal:孙律师" 于 "2023-04-11T10:00+08:00" 对 "contract:CN-2023-020" 触发 "set_performance_terms"：
      """
      clause: 合同第9条
      kpis: [{id: K1, name: 电梯年均故障次数, unit: 次/台·年, target: "3", direction: le, weight: "60"}]
      satisfaction: {threshold_percent: "75", min_sample: 100, weight: "40"}
      pass_score: "60"
      deduction: {base: "100000.00", percent_per_point: "1", cap_percent: "10"}
      revenue:
        first_year: 2024
        plan:
          - {year: 2024, streams: {电梯运营服务费: "240000.00"}, operating_costs: "80000.00"}
          - {year: 2025, streams: {电梯运营服务费: "240000.00"}, operating_costs: "80000.00"}
        shortfall_threshold_percent: "80"
        adjustments: [subsidy]
      """
    那么 操作成功
