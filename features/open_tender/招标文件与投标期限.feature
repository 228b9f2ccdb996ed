# language: zh-CN
@open_tender
功能: 招标文件的发售、投标期限、投标保证金与澄清
  招标人和代理机构发出招标文件时就要知道期限和保证金是否合法；投标人需要足够的时间编制投标
  文件；审计人员要能复核每一次拒绝和每一次截止时间的顺延。
  法律依据：《招标投标法》第23条、第24条；《招标投标法实施条例》第16条、第21条、第26条。
  期间按《民法典》第201条、第203条计算：开始的当日不计入，最后一日是法定休假日的，以休假日
  结束的次日为最后一日。

  背景:
    假如 已登记示例项目和供应商
    而且 已登记示例项目、供应商和实施主体
    而且 项目 "CD-WJ-2023" 以 "open_tender" 方式开启采购 "OT-T"，时间 "2023-03-01T09:00+08:00"
    而且 "staff:wang" 于 "2023-03-01T09:30+08:00" 对 "OT-T" 触发 "check_eligibility"：
      """
      candidates: [S-CDJG, S-HXJS, S-SLGC]
      """

  @tender.bid_period_min_days
  场景大纲: 自招标文件开始发出之日起至投标截止之日止不得少于20日
    当 "staff:wang" 于 "2023-03-01T10:00+08:00" 对 "OT-T" 触发 "issue_documents"：
      """
      sale_until: "2023-03-06T17:00+08:00"
      bid_deadline: "<截止>"
      bid_bond: "200000.00"
      """
    那么 结果为 "<结果>"

    例子:
      | 截止                      | 结果                              |
      | 2023-03-20T09:30+08:00    | 拒绝:tender.bid_period_min_days   |
      | 2023-03-21T09:30+08:00    | 接受                              |
      | 2023-03-22T09:30+08:00    | 接受                              |

  @tender.document_sale_min_days
  场景大纲: 招标文件的发售期不得少于5日
    当 "staff:wang" 于 "2023-03-01T10:00+08:00" 对 "OT-T" 触发 "issue_documents"：
      """
      sale_until: "<发售截止>"
      bid_deadline: "2023-03-21T09:30+08:00"
      bid_bond: "200000.00"
      """
    那么 结果为 "<结果>"

    例子:
      | 发售截止                  | 结果                                |
      | 2023-03-05T17:00+08:00    | 拒绝:tender.document_sale_min_days  |
      | 2023-03-06T17:00+08:00    | 接受                                |

  @tender.bid_bond_max_ratio
  场景大纲: 投标保证金不得超过招标项目估算价的2%
    当 "staff:wang" 于 "2023-03-01T10:00+08:00" 对 "OT-T" 触发 "issue_documents"：
      """
      sale_until: "2023-03-06T17:00+08:00"
      bid_deadline: "2023-03-21T09:30+08:00"
      bid_bond: "<保证金>"
      """
    那么 结果为 "<结果>"

    例子: 估算价 12,600,000 元，2% 为 252,000 元
      | 保证金       | 结果                             |
      | 252000.00    | 接受                             |
      | 252000.01    | 拒绝:tender.bid_bond_max_ratio   |

  @tender.bid_bond
  场景大纲: 投标人应当按招标文件要求提交投标保证金
    假如 "staff:wang" 于 "2023-03-01T10:00+08:00" 对 "OT-T" 触发 "issue_documents"：
      """
      sale_until: "2023-03-06T17:00+08:00"
      bid_deadline: "2023-03-21T09:30+08:00"
      bid_bond: "200000.00"
      """
    当 "supplier:S-CDJG" 于 "2023-03-10T10:00+08:00" 对 "OT-T" 触发 "submit_bid"：
      """
      {supplier: S-CDJG, commitment: 88431f4d17db7d8f6f2cf5b4eaa3b540665f3407cf41045a539b1d88ce2a0cd1, bond: "<保证金>"}
      """
    那么 结果为 "<结果>"

    例子:
      | 保证金      | 结果                 |
      | 199999.99   | 拒绝:tender.bid_bond |
      | 200000.00   | 接受                 |

  @tender.bid_deadline
  场景大纲: 投标截止时间后送达的投标文件应当拒收
    假如 "staff:wang" 于 "2023-03-01T10:00+08:00" 对 "OT-T" 触发 "issue_documents"：
      """
      sale_until: "2023-03-06T17:00+08:00"
      bid_deadline: "2023-03-21T09:30+08:00"
      bid_bond: "200000.00"
      """
    当 "supplier:S-CDJG" 于 "<递交时间>" 对 "OT-T" 触发 "submit_bid"：
      """
      {supplier: S-CDJG, commitment: 88431f4d17db7d8f6f2cf5b4eaa3b540665f3407cf41045a539b1d88ce2a0cd1, bond: "200000.00"}
      """
    那么 结果为 "<结果>"

    例子:
      | 递交时间                   | 结果                     |
      | 2023-03-21T09:29+08:00     | 接受                     |
      | 2023-03-21T09:30+08:00     | 拒绝:tender.bid_deadline |

  @tender.clarification_min_days
  场景大纲: 澄清或修改在投标截止时间至少15日前发出，否则顺延截止时间
    假如 "staff:wang" 于 "2023-03-01T10:00+08:00" 对 "OT-T" 触发 "issue_documents"：
      """
      sale_until: "2023-03-06T17:00+08:00"
      bid_deadline: "2023-03-31T09:30+08:00"
      bid_bond: "200000.00"
      """
    当 "staff:wang" 于 "<澄清时间>" 对 "OT-T" 触发 "clarify"：
      """
      summary: 修改工程量清单
      """
    那么 操作成功
    而且 "OT-T" 的 "deadlines.bid_deadline" 为 "<截止时间>"

    例子: 3-16 起算15日为 3-31；3-17 起算为 4-01（周六），顺延至 4-03（周一）
      | 澄清时间                  | 截止时间                     |
      | 2023-03-15T10:00+08:00    | 2023-03-31T09:30+08:00       |
      | 2023-03-16T10:00+08:00    | 2023-03-31T09:30+08:00       |
      | 2023-03-17T10:00+08:00    | 2023-04-03T09:30:00+08:00    |

  @tender.clarification_min_days
  场景大纲: 澄清时指定的新截止时间也须在澄清之日起15日以后
    假如 "staff:wang" 于 "2023-03-01T10:00+08:00" 对 "OT-T" 触发 "issue_documents"：
      """
      sale_until: "2023-03-06T17:00+08:00"
      bid_deadline: "2023-03-21T09:30+08:00"
      bid_bond: "200000.00"
      """
    当 "staff:wang" 于 "2023-03-10T10:00+08:00" 对 "OT-T" 触发 "clarify"：
      """
      summary: 修改技术标准
      new_deadline: "<新截止时间>"
      """
    那么 结果为 "<结果>"

    例子: 3-10 起算15日为 3-25（周六），最早 3-27（周一）
      | 新截止时间                | 结果                                |
      | 2023-03-24T09:30+08:00    | 拒绝:tender.clarification_min_days  |
      | 2023-03-27T09:30+08:00    | 接受                                |

  @tender.invited_min @tender.invitation_grounds
  场景大纲: 邀请招标应当向三个以上的供应商发出投标邀请书，国有资金项目须有法定情形
    假如 邀请招标"OT-I" 已开启，项目 "CD-WJ-2023"，时间 "2023-03-01T09:00+08:00"
    而且 "staff:wang" 于 "2023-03-01T09:30+08:00" 对 "OT-I" 触发 "check_eligibility"：
      """
      candidates: [S-CDJG, S-HXJS, S-SLGC]
      """
    当 "staff:wang" 于 "2023-03-01T10:00+08:00" 对 "OT-I" 触发 "issue_documents"：
      """
      {sale_until: "2023-03-06T17:00+08:00", bid_deadline: "2023-03-21T09:30+08:00", bid_bond: "200000.00", suppliers: <邀请>, <情形>}
      """
    那么 结果为 "<结果>"

    例子:
      | 邀请                                       | 情形                                                                           | 结果                           |
      | [{id: S-CDJG}, {id: S-HXJS}]               | invitation_ground: few_potential_bidders, invitation_justification: 潜在投标人少 | 拒绝:tender.invited_min        |
      | [{id: S-CDJG}, {id: S-HXJS}, {id: S-SLGC}] | invitation_ground: few_potential_bidders, invitation_justification: 潜在投标人少 | 接受                           |
      | [{id: S-CDJG}, {id: S-HXJS}, {id: S-SLGC}] | invitation_ground: cost_disproportionate, invitation_justification: 费用占比过大 | 接受                           |
      | [{id: S-CDJG}, {id: S-HXJS}, {id: S-SLGC}] | notice: 未说明邀请招标的情形                                                      | 拒绝:tender.invitation_grounds |
