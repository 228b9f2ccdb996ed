# language: zh-CN
@contract
功能: 提前终止合同时按合同约定的公式计算补偿
  PPP项目合同提前终止时，补偿不是由人填写的数字，而是按合同的提前终止补偿条款从已记录的数据计算：
  合同约定的合作期（起算日、年数，合同变更延长的年数计入）、合理利润率、补偿上限、投资回收方式
  （按合作期平均回收，或按约定种类的已收款项回收）以及不可抗力、协商终止时的补偿比例；经审计确认的
  投资额（项目投资与资金筹措条款：“经审计确认的投资额作为……提前终止补偿的依据”）；已记录的付款；
  终止日期。未回收投资 = 经审计确认的投资额减去已回收投资。因政府方原因或公共利益需要终止的，补偿
  未回收投资及剩余合作期的合理利润；因社会资本方违约终止的，补偿未回收投资扣除违约损失后的余额；
  因不可抗力或协商一致终止的，按约定比例补偿未回收投资；补偿均不超过约定上限。缺少计算所需的任何
  数据（补偿条款、审计投资额、违约损失），视为“未核查”并拒绝，写明应记录什么；填写的补偿与公式
  不一致的被拒绝，拒绝理由列出公式和各项数字；终止事件记录补偿的计算明细，审计人员可以重放。
  依据：PPP项目合同指南（试行）（财金〔2014〕156号）提前终止及补偿；民法典 第563条（合同的法定
  解除）、第566条（解除后的赔偿）；合同“违约与提前终止”条款（contracts/agreement.yaml）。以上均未经
  核实（不在 POLICY.md 中）。

  背景:
    假如 已登记示例项目和供应商
    而且 采购 "CN-2023-020" 已按 "negotiation_contract.yaml" 签订合同
    而且 "contract:CN-2023-020" 已于 "2023-10-01" 进入运营期

  @contract.termination_compensation
  场景大纲: 按终止原因计算补偿：合作期10年已过3年，审计投资360万元按合作期平均回收
    假如 "staff:wang" 于 "2023-10-08T10:00+08:00" 对 "contract:CN-2023-020" 触发 "record_audited_investment"：
      """
      {amount: "3600000.00", auditor: 四川华信会计师事务所, report: 川华信审〔2023〕212号, audited_on: "2023-10-08"}
      """
    而且 "legal:sun" 于 "2023-10-09T10:00+08:00" 对 "contract:CN-2023-020" 触发 "record_termination_terms"：
      """
      {clause: 合同第十二条, term_start: "2023-10-01", term_years: 10, return_rate_percent: "6", cap: "4000000.00", recovery: straight_line, force_majeure_share_percent: "100", mutual_agreement_share_percent: "50"}
      """
    当 "legal:sun" 于 "2026-09-30T10:00+08:00" 对 "contract:CN-2023-020" 触发 "terminate"：
      """
      {ground: <原因>, reason: <理由>, <扣除>clause: 合同第十二条}
      """
    那么 操作成功
    而且 "contract:CN-2023-020" 的状态为 "terminated"
    而且 "contract:CN-2023-020" 的提前终止补偿为 "<补偿>"，未回收投资 "2520000.00"，剩余合作期 "7.0000" 年
    而且 重放 "contract:CN-2023-020" 得出同样的决定

    例子:
      | 原因                   | 理由                         | 扣除                                                                          | 补偿       |
      | government_default     | 政府方未按约定履行协调义务   |                                                                               | 3578400.00 |
      | public_interest        | 片区整体征收                 |                                                                               | 3578400.00 |
      | social_capital_default | 连续两年绩效考核不合格       | deductions: [{item: 违约损失, amount: "500000.00", basis: 合同第十二条第三款}],  | 2020000.00 |
      | force_majeure          | 地震致设施损毁               |                                                                               | 2520000.00 |
      | mutual_agreement       | 双方协商一致解除             |                                                                               | 1260000.00 |

  @contract.termination_compensation
  场景: 按已收补助回收投资时，补偿（未回收投资及合理利润）超过约定上限的，以上限为准
    假如 "staff:wang" 于 "2023-10-08T10:00+08:00" 对 "contract:CN-2023-020" 触发 "record_audited_investment"：
      """
      {amount: "3600000.00", auditor: 四川华信会计师事务所, report: 川华信审〔2023〕212号, audited_on: "2023-10-08"}
      """
    而且 "legal:sun" 于 "2023-10-09T10:00+08:00" 对 "contract:CN-2023-020" 触发 "record_termination_terms"：
      """
      {clause: 合同第十二条, term_start: "2023-10-01", term_years: 10, return_rate_percent: "6", cap: "4000000.00", recovery: payments, recovering_kinds: [subsidy], force_majeure_share_percent: "100", mutual_agreement_share_percent: "50"}
      """
    而且 "finance:li" 于 "2024-01-10T10:00+08:00" 对 "contract:CN-2023-020" 触发 "record_payment"：
      """
      {kind: subsidy, payer: 青羊区住建局, payee: 成都华西建设有限公司, amount: "600000.00", paid_on: "2024-01-10"}
      """
    当 "legal:sun" 于 "2026-09-30T10:00+08:00" 对 "contract:CN-2023-020" 触发 "terminate"：
      """
      {ground: government_default, reason: 政府方未按约定履行协调义务, clause: 合同第十二条}
      """
    那么 操作成功
    而且 "contract:CN-2023-020" 的提前终止补偿为 "4000000.00"，未回收投资 "3000000.00"，剩余合作期 "7.0000" 年
    而且 "contract:CN-2023-020" 的补偿明细 "before_cap" 为 "4260000.00"

  @contract.termination_compensation
  场景: 填写的补偿与合同公式不一致的被拒绝，拒绝理由列出公式和各项数字；一致的被接受
    假如 "staff:wang" 于 "2023-10-08T10:00+08:00" 对 "contract:CN-2023-020" 触发 "record_audited_investment"：
      """
      {amount: "3600000.00", auditor: 四川华信会计师事务所, report: 川华信审〔2023〕212号, audited_on: "2023-10-08"}
      """
    而且 "legal:sun" 于 "2023-10-09T10:00+08:00" 对 "contract:CN-2023-020" 触发 "record_termination_terms"：
      """
      {clause: 合同第十二条, term_start: "2023-10-01", term_years: 10, return_rate_percent: "6", cap: "4000000.00", recovery: straight_line, force_majeure_share_percent: "100", mutual_agreement_share_percent: "50"}
      """
    当 "legal:sun" 于 "2026-09-30T10:00+08:00" 对 "contract:CN-2023-020" 触发 "terminate"：
      """
      {ground: force_majeure, reason: 地震致设施损毁, clause: 合同第十二条, compensation: "3600000.00"}
      """
    那么 被规则 "contract.termination_compensation" 拒绝，依据 "财金〔2014〕156号"
    而且 拒绝理由包含 "unrecovered 2520000.00"
    而且 拒绝理由包含 "elapsed_years 3.0000"
    当 "legal:sun" 于 "2026-09-30T10:00+08:00" 对 "contract:CN-2023-020" 触发 "terminate"：
      """
      {ground: force_majeure, reason: 地震致设施损毁, clause: 合同第十二条, compensation: "2520000.00"}
      """
    那么 操作成功

  @contract.termination_compensation
  场景: 未记录补偿条款、审计投资额或违约损失的，补偿未核查，拒绝并写明应记录什么
    当 "legal:sun" 于 "2026-09-30T10:00+08:00" 对 "contract:CN-2023-020" 触发 "terminate"：
      """
      {ground: government_default, reason: 政府方未按约定履行协调义务, clause: 合同第十二条}
      """
    那么 被规则 "contract.termination_compensation" 拒绝，依据 "财金〔2014〕156号"
    而且 拒绝理由包含 "not checked"
    而且 拒绝理由包含 "record_termination_terms"
    假如 "legal:sun" 于 "2026-09-30T11:00+08:00" 对 "contract:CN-2023-020" 触发 "record_termination_terms"：
      """
      {clause: 合同第十二条, term_start: "2023-10-01", term_years: 10, return_rate_percent: "6", cap: "4000000.00", recovery: straight_line, force_majeure_share_percent: "100", mutual_agreement_share_percent: "50"}
      """
    当 "legal:sun" 于 "2026-09-30T12:00+08:00" 对 "contract:CN-2023-020" 触发 "terminate"：
      """
      {ground: government_default, reason: 政府方未按约定履行协调义务, clause: 合同第十二条}
      """
    那么 被规则 "contract.termination_compensation" 拒绝，依据 "财金〔2014〕156号"
    而且 拒绝理由包含 "not checked"
    而且 拒绝理由包含 "record_audited_investment"
    假如 "staff:wang" 于 "2026-09-30T13:00+08:00" 对 "contract:CN-2023-020" 触发 "record_audited_investment"：
      """
      {amount: "3600000.00", auditor: 四川华信会计师事务所, report: 川华信审〔2026〕88号, audited_on: "2026-09-29"}
      """
    当 "legal:sun" 于 "2026-09-30T14:00+08:00" 对 "contract:CN-2023-020" 触发 "terminate"：
      """
      {ground: social_capital_default, reason: 连续两年绩效考核不合格, clause: 合同第十二条}
      """
    那么 被规则 "contract.termination_compensation" 拒绝，依据 "财金〔2014〕156号"
    而且 拒绝理由包含 "deductions"
    当 "legal:sun" 于 "2026-09-30T15:00+08:00" 对 "contract:CN-2023-020" 触发 "terminate"：
      """
      {ground: social_capital_default, reason: 连续两年绩效考核不合格, clause: 合同第十二条, deductions: []}
      """
    那么 操作成功
    而且 "contract:CN-2023-020" 的提前终止补偿为 "2520000.00"，未回收投资 "2520000.00"，剩余合作期 "7.0000" 年

  @contract.termination_terms
  场景: 补偿条款只记录一次；按已收款项回收投资的须写明款项种类
    当 "legal:sun" 于 "2023-10-09T10:00+08:00" 对 "contract:CN-2023-020" 触发 "record_termination_terms"：
      """
      {clause: 合同第十二条, term_start: "2023-10-01", term_years: 10, return_rate_percent: "6", cap: "4000000.00", recovery: payments, force_majeure_share_percent: "100", mutual_agreement_share_percent: "50"}
      """
    那么 被规则 "contract.termination_terms" 拒绝，依据 "财金〔2014〕156号"
    当 "legal:sun" 于 "2023-10-09T10:00+08:00" 对 "contract:CN-2023-020" 触发 "record_termination_terms"：
      """
      {clause: 合同第十二条, term_start: "2023-10-01", term_years: 10, return_rate_percent: "6", cap: "4000000.00", recovery: straight_line, force_majeure_share_percent: "100", mutual_agreement_share_percent: "50"}
      """
    那么 操作成功
    当 "legal:sun" 于 "2023-10-10T10:00+08:00" 对 "contract:CN-2023-020" 触发 "record_termination_terms"：
      """
      {clause: 合同第十二条, term_start: "2023-10-01", term_years: 12, return_rate_percent: "6", cap: "4000000.00", recovery: straight_line, force_majeure_share_percent: "100", mutual_agreement_share_percent: "50"}
      """
    那么 被规则 "contract.termination_terms" 拒绝，依据 "财金〔2014〕156号"
