# language: zh-CN
@open_tender
功能: 确定中标人、订立合同与履约保证金
  国有资金占控股或者主导地位的项目，招标人应当确定排名第一的中标候选人为中标人；排名第一的
  放弃或者不符合中标条件的，可以按排序依次确定其他中标候选人。中标通知书发出之日起30日内订立
  书面合同，合同不得背离中标的实质性内容，履约保证金不得超过中标合同金额的10%。
  法律依据：《招标投标法》第46条；《招标投标法实施条例》第55条、第58条。

  背景:
    假如 已登记示例项目和供应商
    而且 已登记示例项目、供应商和实施主体

  @tender.state_funded_award_rank
  场景大纲: 国有资金项目应当确定排名第一的中标候选人为中标人
    假如 公开招标"OT-A" 已进行到 "publicity_ended"
    当 "staff:wang" 于 "2023-03-28T10:00+08:00" 对 "OT-A" 触发 "award"：
      """
      supplier: <中标人>
      """
    那么 结果为 "<结果>"

    例子: 排序为 S-CDJG、S-SLGC、S-HXJS
      | 中标人  | 结果                                  |
      | S-CDJG  | 接受                                  |
      | S-SLGC  | 拒绝:tender.state_funded_award_rank   |
      | S-YXWY  | 拒绝:tender.state_funded_award_rank   |

  @tender.state_funded_award_rank
  场景大纲: 排名第一的中标候选人放弃中标的，依次确定排名第二的为中标人
    假如 公开招标"OT-A" 已进行到 "publicity_ended"
    而且 "staff:wang" 于 "2023-03-28T09:00+08:00" 对 "OT-A" 触发 "record_withdrawal"：
      """
      {supplier: S-CDJG, reason: declined, detail: 书面放弃中标}
      """
    当 "staff:wang" 于 "2023-03-28T10:00+08:00" 对 "OT-A" 触发 "award"：
      """
      supplier: <中标人>
      """
    那么 结果为 "<结果>"

    例子:
      | 中标人  | 结果                                  |
      | S-CDJG  | 拒绝:tender.state_funded_award_rank   |
      | S-SLGC  | 接受                                  |
      | S-HXJS  | 拒绝:tender.state_funded_award_rank   |

  @tender.state_funded_award_rank
  场景大纲: 非国有资金控股的项目可以在中标候选人中确定中标人
    假如 已登记项目：
      """
      {id: PRIV-1, name: 民营物业投资的小区改造工程, estimated_investment: "12600000.00", procurement_category: works, state_funded: false, filing: {number: 备〔2022〕1号, date: "2022-12-01", authority: 区发展改革委}}
      """
    而且 公开招标"OT-N"（项目 "PRIV-1"）已进行到 "publicity_ended"
    当 "staff:wang" 于 "2023-03-28T10:00+08:00" 对 "OT-N" 触发 "award"：
      """
      supplier: <中标人>
      """
    那么 结果为 "<结果>"

    例子:
      | 中标人  | 结果                                  |
      | S-SLGC  | 接受                                  |
      | S-YXWY  | 拒绝:tender.state_funded_award_rank   |

  @tender.contract_within_days
  场景大纲: 中标通知书发出之日起30日内订立书面合同
    假如 公开招标"OT-K" 已进行到 "awarded"
    那么 "OT-K" 的 "deadlines.contract_deadline" 为 "2023-04-28T00:00:00+08:00"
    当 "staff:wang" 于 "<签订时间>" 对 "OT-K" 触发 "sign_contract"：
      """
      {contract_value: "11980000.00", performance_bond: "1000000.00"}
      """
    那么 结果为 "<结果>"

    例子: 3-28 发出中标通知书，30日为 4-27
      | 签订时间                  | 结果                                |
      | 2023-04-27T17:00+08:00    | 接受                                |
      | 2023-04-28T09:00+08:00    | 拒绝:tender.contract_within_days    |

  @tender.contract_within_days
  场景: 30日内未订立合同的，计时器记录逾期；逾期签订须记录原因
    假如 公开招标"OT-K" 已进行到 "awarded"
    当 到了 "2023-04-28T00:00+08:00" 执行计时
    那么 "OT-K" 的状态为 "contract_overdue"
    当 "staff:wang" 于 "2023-05-06T10:00+08:00" 对 "OT-K" 触发 "sign_contract"：
      """
      {contract_value: "11980000.00", performance_bond: "1000000.00"}
      """
    那么 结果为 "拒绝:tender.contract_within_days"
    当 "staff:wang" 于 "2023-05-06T10:00+08:00" 对 "OT-K" 触发 "sign_contract"：
      """
      {contract_value: "11980000.00", performance_bond: "1000000.00", late_reason: 中标人补充提交履约担保延误}
      """
    那么 "OT-K" 的状态为 "contracted"

  @tender.state_funded_award_rank @tender.contract_within_days
  场景大纲: 中标人逾期不签订合同的，依次确定下一中标候选人，重新起算30日
    假如 公开招标"OT-K" 已进行到 "awarded"
    而且 到了 "2023-04-28T00:00+08:00" 执行计时
    当 "staff:wang" 于 "2023-05-04T10:00+08:00" 对 "OT-K" 触发 "award_next"：
      """
      {supplier: <中标人>, reason: 原中标人无正当理由不与招标人订立合同}
      """
    那么 结果为 "<结果>"
    而且 "OT-K" 的状态为 "<状态>"

    例子: 排名第二的为 S-SLGC
      | 中标人  | 结果                                  | 状态               |
      | S-HXJS  | 拒绝:tender.state_funded_award_rank   | contract_overdue   |
      | S-SLGC  | 接受                                  | awarded            |

  @tender.performance_bond_max_ratio
  场景大纲: 履约保证金不得超过中标合同金额的10%
    假如 公开招标"OT-K" 已进行到 "awarded"
    当 "staff:wang" 于 "2023-04-10T10:00+08:00" 对 "OT-K" 触发 "sign_contract"：
      """
      {contract_value: "11980000.00", performance_bond: "<履约保证金>"}
      """
    那么 结果为 "<结果>"

    例子: 11,980,000 元的10% 为 1,198,000 元
      | 履约保证金    | 结果                                     |
      | 1198000.00    | 接受                                     |
      | 1198000.01    | 拒绝:tender.performance_bond_max_ratio   |

  @tender.contract_terms
  场景大纲: 合同金额与中标价一致，不得背离实质性内容
    假如 公开招标"OT-K" 已进行到 "awarded"
    当 "staff:wang" 于 "2023-04-10T10:00+08:00" 对 "OT-K" 触发 "sign_contract"：
      """
      {contract_value: "<合同金额>", performance_bond: "1000000.00"}
      """
    那么 结果为 "<结果>"

    例子: 中标价 11,980,000 元
      | 合同金额      | 结果                        |
      | 11980000.00   | 接受                        |
      | 12380000.00   | 拒绝:tender.contract_terms  |
