# language: zh-CN
@award
功能: 竞争性谈判成交后签订合同：30日内签订，逾期或拒签的按推荐顺序确定下一候选人
  采购人需要知道成交通知书发出后合同须在多长时间内签订、合同不得背离什么、成交供应商拒绝签约
  或逾期不签时可以怎么办；审计人员需要能复核每一步。采购人与成交供应商应当在成交通知书发出之日起
  30日内，按照采购文件确定的事项签订政府采购合同，合同金额即成交价；采购文件要求履约保证金的，
  不得超过合同金额的10%。30日内未签订的，计时器记录逾期，逾期签订须记录原因。成交供应商拒绝
  签订合同的，采购人可以按照评审报告推荐的成交候选人名单排序，确定下一候选人为成交供应商（并
  重新起算30日），也可以重新开展采购活动（终止后重新采购）。
  法律依据：《政府采购法》第46条；《政府采购法实施条例》第48条、第49条；财政部令第74号 第19条。

  背景:
    假如 已登记示例项目和供应商
    而且 采购 "CN-A" 已进入谈判，并要求最后报价，截止 "2023-03-14T17:00+08:00"
    而且 "CN-A" 已按最后报价 "S-HXJS" 3245000.00 成交，时间 "2023-03-15T10:00+08:00"

  # 推荐顺序（最后报价由低到高）：S-HXJS 3245000.00、S-YXWY 3290000.00、S-SLGC 3300000.00、
  # S-CDJG 3380000.00。3-15 发出成交通知书，30日至 4-14 届满。

  @negotiation.contract_within_days
  场景大纲: 成交通知书发出之日起30日内签订政府采购合同
    那么 "CN-A" 的期限 "contract_by" 为 "2023-04-15T00:00:00+08:00"
    当 "staff:wang" 于 "<签订时间>" 对 "CN-A" 触发 "sign_contract"：
      """
      {contract_value: "3245000.00", performance_bond: "162250.00"}
      """
    那么 结果为 "<结果>"
    而且 "CN-A" 的状态为 "<状态>"

    例子:
      | 签订时间                  | 结果                                   | 状态       |
      | 2023-04-14T17:00+08:00    | 接受                                   | contracted |
      | 2023-04-15T09:00+08:00    | 拒绝:negotiation.contract_within_days  | awarded    |

  @negotiation.contract_within_days
  场景: 30日内未签订的，计时器记录逾期；逾期签订须记录原因
    当 到了 "2023-04-15T00:00+08:00" 执行计时
    那么 "CN-A" 的状态为 "contract_overdue"
    当 "staff:wang" 于 "2023-04-18T10:00+08:00" 对 "CN-A" 触发 "sign_contract"：
      """
      {contract_value: "3245000.00", performance_bond: "162250.00"}
      """
    那么 结果为 "拒绝:negotiation.contract_within_days"
    当 "staff:wang" 于 "2023-04-18T10:00+08:00" 对 "CN-A" 触发 "sign_contract"：
      """
      {contract_value: "3245000.00", performance_bond: "162250.00", late_reason: 成交供应商内部用印审批延误}
      """
    那么 "CN-A" 的状态为 "contracted"

  @negotiation.next_supplier @negotiation.contract_within_days
  场景大纲: 成交供应商逾期不签订合同的，按推荐顺序确定下一候选人
    假如 到了 "2023-04-15T00:00+08:00" 执行计时
    当 "staff:wang" 于 "2023-04-17T10:00+08:00" 对 "CN-A" 触发 "award_next"：
      """
      {supplier: <供应商>, ground: window_lapsed, reason: S-HXJS 未在30日内签订合同}
      """
    那么 结果为 "<结果>"
    而且 "CN-A" 的状态为 "<状态>"

    例子: 排在 S-HXJS 之后的是 S-YXWY
      | 供应商  | 结果                            | 状态             |
      | S-YXWY  | 接受                            | awarded          |
      | S-SLGC  | 拒绝:negotiation.next_supplier  | contract_overdue |
      | S-HXJS  | 拒绝:negotiation.next_supplier  | contract_overdue |

  @negotiation.next_supplier
  场景大纲: 成交供应商书面拒绝签订合同的，期限届满前即可确定下一候选人；未拒绝的须待期限届满
    当 "staff:wang" 于 "2023-03-20T10:00+08:00" 对 "CN-A" 触发 "award_next"：
      """
      {supplier: S-YXWY, ground: <理由>, reason: <说明>}
      """
    那么 结果为 "<结果>"

    例子:
      | 理由             | 说明                          | 结果                            |
      | refused_to_sign  | S-HXJS 书面声明拒绝签订合同   | 接受                            |
      | window_lapsed    | S-HXJS 尚未签订合同           | 拒绝:negotiation.next_supplier  |

  @negotiation.next_supplier @negotiation.contract_within_days
  场景: 确定下一候选人后重新发出成交通知书，重新起算30日，按其成交价签订合同
    当 "staff:wang" 于 "2023-03-20T10:00+08:00" 对 "CN-A" 触发 "award_next"：
      """
      {supplier: S-YXWY, ground: refused_to_sign, reason: S-HXJS 书面声明拒绝签订合同, notice: 青财采成〔2023〕15号}
      """
    那么 成交供应商为 "S-YXWY"，成交价 "3290000.00"
    而且 "CN-A" 的期限 "contract_by" 为 "2023-04-20T00:00:00+08:00"
    当 "staff:wang" 于 "2023-04-19T17:00+08:00" 对 "CN-A" 触发 "sign_contract"：
      """
      {contract_value: "3290000.00", performance_bond: "0.00"}
      """
    那么 "CN-A" 的状态为 "contracted"

  @negotiation.contract_terms
  场景大纲: 按照采购文件确定的事项签订合同，合同金额与成交价一致
    当 "staff:wang" 于 "2023-04-10T10:00+08:00" 对 "CN-A" 触发 "sign_contract"：
      """
      {contract_value: "<合同金额>", performance_bond: "0.00"}
      """
    那么 结果为 "<结果>"

    例子: 成交价 3,245,000 元
      | 合同金额     | 结果                             |
      | 3245000.00   | 接受                             |
      | 3290000.00   | 拒绝:negotiation.contract_terms  |

  @negotiation.performance_bond_max_ratio
  场景大纲: 履约保证金不得超过政府采购合同金额的10%
    当 "staff:wang" 于 "2023-04-10T10:00+08:00" 对 "CN-A" 触发 "sign_contract"：
      """
      {contract_value: "3245000.00", performance_bond: "<履约保证金>"}
      """
    那么 结果为 "<结果>"

    例子: 3,245,000 元的10% 为 324,500 元
      | 履约保证金  | 结果                                         |
      | 324500.00   | 接受                                         |
      | 324500.01   | 拒绝:negotiation.performance_bond_max_ratio  |
