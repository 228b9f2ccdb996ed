# language: zh-CN
@contract
功能: 运营期年度绩效评价：合同约定的考核指标、居民满意度调查、得分、付费扣减和连续不合格的违约
  PPP项目合同约定：甲方会同丁方每年对乙方的运营服务进行绩效考核（服务质量、设施完好率和居民满意度），
  连续两年考核不合格构成乙方违约。考核条款（指标及目标值、方向、权重，满意度门槛和最低样本量，合格分，
  每低于合格分1分扣减的比例及上限）在合同履行中一次记录；每个运营年度结束后按年度顺序评价一次。
  每项指标是否达标、满意度（满意户数除以调查户数，按分数精确比较，记录保留四位小数）、得分（达标
  项权重之和）、是否合格和扣减金额都由系统按条款计算，不由人填写；第二个连续不合格年度在状态和下一
  步中标出违约情形。依据：财金〔2020〕13号《政府和社会资本合作（PPP）项目绩效管理操作指引》（按效
  付费、公众满意度）；财金〔2014〕113号 第二十八条（未经核实：二者均不在 POLICY.md 中）；合同约定的
  绩效考核条款。

  背景:
    假如 已登记示例项目和供应商
    而且 劲松式示例 "project_jinsong.yaml" 已运行到合同运营期
    而且 录入时间为 "2031-06-01T10:00+08:00"，补录理由为 "按年度绩效考核档案补录"
    而且 "legal:孙律师" 于 "2025-11-03T10:00+08:00" 对 "contract:PPP-JS-001" 触发 "set_performance_terms"：
      """
      clause: 合同第15.1条
      kpis:
        - {id: K1, name: 公共设施完好率, unit: "%", target: "95", direction: ge, weight: "30"}
        - {id: K2, name: 电梯年均故障次数, unit: 次/台·年, target: "2", direction: le, weight: "20"}
        - {id: K3, name: 报修按时响应率, unit: "%", target: "98", direction: ge, weight: "20"}
      satisfaction: {threshold_percent: "80", min_sample: 300, weight: "30"}
      pass_score: "80"
      deduction: {base: "3950000.00", percent_per_point: "1", cap_percent: "20"}
      revenue: {first_year: 2024, shortfall_threshold_percent: "80", adjustments: [price_review, term_extension, subsidy]}
      """

  @contract.performance_terms
  场景: 考核条款只记录一次，指标和满意度的权重合计须为100
    当 "legal:孙律师" 于 "2025-11-04T10:00+08:00" 对 "contract:PPP-JS-001" 触发 "set_performance_terms"：
      """
      clause: 合同第15.1条（修改）
      kpis: [{id: K1, name: 公共设施完好率, unit: "%", target: "90", direction: ge, weight: "70"}]
      satisfaction: {threshold_percent: "80", min_sample: 300, weight: "30"}
      pass_score: "80"
      deduction: {base: "3950000.00", percent_per_point: "1", cap_percent: "20"}
      revenue: {first_year: 2024, shortfall_threshold_percent: "80", adjustments: [subsidy]}
      """
    那么 被规则 "contract.performance_terms" 拒绝，依据 "财金〔2020〕13号"
    而且 拒绝理由写明 "a variation of the agreement"

  @contract.performance_terms
  场景: 权重合计不为100的考核条款被拒绝
    假如 采购 "CN-2023-020" 已按 "negotiation_contract.yaml" 签订合同
    而且 于 "2023-04-10T09:00+08:00" 开始采购 "CN-2023-020" 的合同履行
    当 "legal:孙律师" 于 "2023-04-11T10:00+08:00" 对 "contract:CN-2023-020" 触发 "set_performance_terms"：
      """
      clause: 合同第9条
      kpis: [{id: K1, name: 设施完好率, unit: "%", target: "95", direction: ge, weight: "60"}]
      satisfaction: {threshold_percent: "80", min_sample: 100, weight: "30"}
      pass_score: "80"
      deduction: {base: "100000.00", percent_per_point: "1", cap_percent: "10"}
      revenue: {first_year: 2023, shortfall_threshold_percent: "80", adjustments: [subsidy]}
      """
    那么 被规则 "contract.performance_terms" 拒绝，依据 "财金〔2020〕13号"
    而且 拒绝理由写明 "add up to 90, not 100"

  @contract.performance_year
  场景大纲: 只评价运营期内已经结束的年度
    当 "staff:zhao" 于 "<时间>" 对 "contract:PPP-JS-001" 触发 "evaluate_performance"：
      """
      year: <年度>
      evaluated_on: "<评价日期>"
      kpis: [{id: K1, actual: "96.5"}, {id: K2, actual: "1.6"}, {id: K3, actual: "98.6"}]
      survey: {surveyed: 480, satisfied: 412}
      """
    那么 结果为 "<结果>"

    例子:
      | 年度 | 时间                      | 评价日期   | 结果                               |
      | 2024 | 2025-11-10T10:00+08:00    | 2025-11-10 | 拒绝:contract.performance_year     |
      | 2025 | 2025-12-31T10:00+08:00    | 2025-12-31 | 拒绝:contract.performance_year     |
      | 2025 | 2026-01-02T10:00+08:00    | 2025-12-28 | 拒绝:contract.performance_year     |
      | 2025 | 2026-01-02T10:00+08:00    | 2026-01-03 | 拒绝:contract.performance_year     |
      | 2025 | 2026-01-02T10:00+08:00    | 2026-01-02 | 接受                               |

  @contract.performance_evaluation
  场景大纲: 得分、是否合格和扣减按条款计算（满意度恰为80%即达标）
    当 "staff:zhao" 于 "2026-02-20T15:00+08:00" 对 "contract:PPP-JS-001" 进行 2025 年度绩效评价：指标 "<指标>"，调查 <调查> 户、满意 <满意> 户
    那么 操作成功
    而且 "contract:PPP-JS-001" 的 2025 年度绩效为得分 "<得分>"、"<结论>"、扣减 "<扣减>"，满意度 "<满意度>"

    例子:
      | 指标            | 调查 | 满意 | 得分   | 结论   | 扣减      | 满意度 |
      | 96.5,1.6,98.6   | 480  | 412  | 100.00 | 合格   | 0.00      | 0.8583 |
      | 96.5,1.6,98.6   | 480  | 384  | 100.00 | 合格   | 0.00      | 0.8000 |
      | 96.5,1.6,98.6   | 480  | 383  | 70.00  | 不合格 | 395000.00 | 0.7979 |
      | 96.5,2.0,97.9   | 480  | 412  | 80.00  | 合格   | 0.00      | 0.8583 |
      | 94.9,2.1,98.6   | 480  | 383  | 20.00  | 不合格 | 790000.00 | 0.7979 |

  @contract.performance_evaluation
  场景大纲: 数据不一致、样本不足、指标不全或重复评价的年度被拒绝
    假如 "staff:zhao" 于 "2026-02-20T15:00+08:00" 对 "contract:PPP-JS-001" 进行 2025 年度绩效评价：指标 "96.5,1.6,98.6"，调查 480 户、满意 412 户
    当 "staff:zhao" 于 "2027-02-20T15:00+08:00" 对 "contract:PPP-JS-001" 进行 <年度> 年度绩效评价：指标 "<指标>"，调查 <调查> 户、满意 <满意> 户
    那么 被规则 "contract.performance_evaluation" 拒绝，依据 "财金〔2020〕13号"
    而且 拒绝理由写明 "<理由>"

    例子:
      | 年度 | 指标          | 调查 | 满意 | 理由                            |
      | 2026 | 96.5,1.6,98.6 | 400  | 401  | more satisfied than surveyed    |
      | 2026 | 96.5,1.6,98.6 | 299  | 250  | minimum sample of 300           |
      | 2026 | 96.5,1.6      | 480  | 412  | missing K3                      |
      | 2025 | 96.5,1.6,98.6 | 480  | 412  | already evaluated               |

  @contract.performance_evaluation
  场景: 连续两年考核不合格构成违约情形，在状态和下一步中标出；中间合格则不构成
    假如 "staff:zhao" 于 "2026-02-20T15:00+08:00" 对 "contract:PPP-JS-001" 进行 2025 年度绩效评价：指标 "96.5,1.6,98.6"，调查 480 户、满意 300 户
    而且 "contract:PPP-JS-001" 未标出违约情形
    当 "staff:zhao" 于 "2027-02-20T15:00+08:00" 对 "contract:PPP-JS-001" 进行 2026 年度绩效评价：指标 "94.0,1.6,98.6"，调查 480 户、满意 412 户
    那么 操作成功
    而且 "contract:PPP-JS-001" 的状态和下一步标出 2025 年和 2026 年连续不合格的违约情形
    而且 重放 "contract:PPP-JS-001" 得出同样的决定
