# language: zh-CN
@open_tender
功能: 失败的采购重新组织采购（重新招标或依法变更采购方式）
  流标或终止的采购不会"复活"：同一项目以新的采购重新开展，新采购的立项事件记录它接续哪一个失败
  的采购、依据的情形及其来源；变更采购方式的，还要记录政府采购监督管理部门的批准文号。公开招标
  失败后可以重新招标，也可以依法转为竞争性谈判（"招标后没有供应商投标或者没有合格标的或者重新
  招标未能成立"）；一个失败的采购只能重新开展一次。依法必须进行施工招标的工程（估算价达到第16号令
  标准）失败后先重新招标，重新招标后仍失败的，经批准方可不再招标、变更采购方式。货物、服务公开招标
  中投标或者经评审实质性响应的供应商只有两家的，经财政部门批准可以只与该两家谈判；其他失败的招标、
  工程项目不适用。
  法律依据：《政府采购法》第30条第(一)项、第36条、第37条；《招标投标法》第28条；《招标投标法实施
  条例》第19条、第44条；《工程建设项目施工招标投标办法》第38条第3款；财政部令第74号 第27条第2款、
  第37条（二手来源）。

  背景:
    假如 已登记示例项目和供应商
    而且 已登记示例项目、供应商和实施主体
    而且 公开招标"OT-F" 已进行到 "bidding"
    而且 到了 "2023-03-21T09:30+08:00" 执行计时

  @procedure.reopen @procedure.reopen_method_change
  场景大纲: 公开招标失败后，可以重新招标或者经批准转为竞争性谈判
    当 "staff:wang" 于 "2023-04-03T09:00+08:00" 以 "<方式>" 方式开启 "NEW-1"，重新采购 "OT-F"，理由 "<情形>"，批准文号 "<批准>"
    那么 结果为 "<结果>"

    例子: OT-F（施工，估算价1260万元，依法必须招标）截止时无人投标，已流标；须先重新招标
      | 方式                    | 情形            | 批准                | 结果                                   |
      | open_tender             | retender        | 无                  | 接受                                   |
      | competitive_negotiation | tender_failed   | 锦财采〔2023〕41号  | 拒绝:procedure.works_retender_first    |
      | competitive_negotiation | tender_failed   | 无                  | 拒绝:procedure.reopen_method_change    |
      | competitive_negotiation | retender        | 锦财采〔2023〕41号  | 拒绝:procedure.reopen                  |
      | delegation              | tender_failed   | 锦财采〔2023〕41号  | 拒绝:procedure.reopen                  |

  @procedure.reopen
  场景: 重新开展的采购记录它接续的失败采购；同一失败的采购不能重新开展两次
    当 "staff:wang" 于 "2023-04-03T09:00+08:00" 以 "open_tender" 方式开启 "OT-R"，重新采购 "OT-F"，理由 "retender"，批准文号 "无"
    那么 操作成功
    而且 "OT-R" 的 "reopens.procurement" 为 "OT-F"
    而且 "OT-R" 的 "reopens.source" 为 "招标投标法 第28条; 招标投标法实施条例 第19、44条"
    而且 "OT-R" 的 "reopens.failed.trigger" 为 "open_bids"
    当 "staff:wang" 于 "2023-04-04T09:00+08:00" 以 "open_tender" 方式开启 "OT-G"，重新采购 "OT-F"，理由 "retender"，批准文号 "无"
    那么 结果为 "拒绝:procedure.reopen"

  @procedure.works_retender_first @procedure.reopen_method_change
  场景大纲: 依法必须招标的工程重新招标后仍失败的，经批准方可转为竞争性谈判
    # 工程建设项目施工招标投标办法 第38条第3款：提交投标文件的投标人少于三个的，招标人应当依法重新
    # 招标；重新招标后投标人仍少于三个的，报经原审批、核准部门审批、核准后可以不再进行招标。
    假如 "staff:wang" 于 "2023-04-03T09:00+08:00" 以 "open_tender" 方式开启 "OT-R"，重新采购 "OT-F"，理由 "retender"，批准文号 "无"
    而且 "staff:wang" 于 "2023-04-03T09:30+08:00" 对 "OT-R" 触发 "check_eligibility"：
      """
      candidates: [S-CDJG, S-HXJS, S-SLGC, S-YXWY]
      """
    而且 "staff:wang" 于 "2023-04-03T10:00+08:00" 对 "OT-R" 触发 "issue_documents"：
      """
      {sale_until: "2023-04-10T17:00+08:00", bid_deadline: "2023-04-24T09:30+08:00", bid_bond: "252000.00"}
      """
    而且 到了 "2023-04-24T09:30+08:00" 执行计时
    而且 "OT-R" 的状态为 "failed"
    当 "staff:wang" 于 "2023-04-25T09:00+08:00" 以 "competitive_negotiation" 方式开启 "CN-R"，重新采购 "<失败的采购>"，理由 "tender_failed"，批准文号 "<批准>"
    那么 结果为 "<结果>"

    例子: 第一次招标 OT-F 和重新招标 OT-R 都无人投标
      | 失败的采购 | 批准                | 结果                                 |
      | OT-R       | 锦财采〔2023〕41号  | 接受                                 |
      | OT-R       | 无                  | 拒绝:procedure.reopen_method_change  |

  @procedure.works_retender_first
  场景: 未经重新招标的工程招标失败，转为竞争性谈判被拒绝并说明依据
    当 "staff:wang" 于 "2023-04-03T09:00+08:00" 以 "competitive_negotiation" 方式开启 "CN-X"，重新采购 "OT-F"，理由 "tender_failed"，批准文号 "锦财采〔2023〕41号"
    那么 被规则 "procedure.works_retender_first" 拒绝，依据 "工程建设项目施工招标投标办法 第38条第3款"

  @procedure.reopen
  场景: 未失败的采购不能重新开展
    假如 公开招标"OT-OK" 已进行到 "awarded"
    当 "staff:wang" 于 "2023-04-03T09:00+08:00" 以 "open_tender" 方式开启 "OT-2"，重新采购 "OT-OK"，理由 "retender"，批准文号 "无"
    那么 被规则 "procedure.reopen" 拒绝，依据 "政府采购法 第36、37条"

  @procedure.reason_recorded
  场景大纲: 终止或者取消采购须记录理由
    假如 公开招标"OT-C" 已进行到 "bidding"
    当 "staff:wang" 于 "2023-03-10T10:00+08:00" 对 "OT-C" 触发 "<操作>"：
      """
      reason: <理由>
      """
    那么 结果为 "<结果>"

    例子:
      | 操作   | 理由                       | 结果                             |
      | fail   | " "                        | 拒绝:procedure.reason_recorded   |
      | fail   | 招标文件存在违法内容，依法终止 | 接受                             |
      | cancel | " "                        | 拒绝:procedure.reason_recorded   |
      | cancel | 项目纳入片区统筹，取消本次招标 | 接受                             |

  @negotiation.group_min_size_tender_scale
  场景大纲: 达到招标规模的工程采用竞争性谈判的，谈判小组为5人以上单数
    假如 项目 "CD-WJ-2023" 以 "competitive_negotiation" 方式开启采购 "CN-5"，时间 "2023-04-03T09:00+08:00"
    而且 "staff:wang" 于 "2023-04-03T10:00+08:00" 对 "CN-5" 触发 "approve_method"：
      """
      {ground: complex_or_special, justification: 既有管网资料缺失，不能确定详细规格}
      """
    当 "staff:wang" 于 "2023-04-04T10:00+08:00" 对 "CN-5" 触发 "form_group"：
      """
      members: <成员>
      """
    那么 结果为 "<结果>"

    例子: 估算价 12,600,000 元，达到施工400万元的必须招标规模
      | 成员 | 结果 |
      | [{name: A, role: expert}, {name: B, role: expert}, {name: C, role: purchaser_representative}] | 拒绝:negotiation.group_min_size |
      | [{name: A, role: expert}, {name: B, role: expert}, {name: C, role: expert}, {name: D, role: expert}, {name: E, role: purchaser_representative}] | 接受 |

  @negotiation.after_tender_min
  场景大纲: 货物公开招标只有两家投标的，经财政部门批准才可以只与该两家谈判
    # 财政部令第74号 第27条第2款：公开招标的货物、服务采购项目，招标过程中提交投标文件或者经评审
    # 实质性响应招标文件要求的供应商只有两家时，经本级财政部门批准后可以与该两家供应商进行竞争性谈判。
    假如 已登记项目：
      """
      {id: GD-EL, name: 老旧小区加装电梯设备采购, estimated_investment: "12600000.00", procurement_category: goods, state_funded: true, filing: {number: 备〔2022〕1号, date: "2022-12-01", authority: 区发展改革委}}
      """
    而且 公开招标"OT-E"（项目 "GD-EL"）已进行到 "bidding"
    而且 "<投标人>" 已对 "OT-E" 密封投标
    而且 到了 "2023-03-21T09:30+08:00" 执行计时
    而且 "OT-E" 的状态为 "failed"
    而且 "staff:wang" 于 "2023-04-03T09:00+08:00" 以 "competitive_negotiation" 方式开启 "CN-E"，重新采购 "OT-E"，理由 "tender_failed"，批准文号 "锦财采〔2023〕41号"
    当 "staff:wang" 于 "2023-04-03T10:00+08:00" 对 "CN-E" 触发 "approve_method"：
      """
      {ground: tender_failed, justification: 公开招标投标人不足三家（OT-E）, failed_procurement: OT-E, finance_approval: 锦财采〔2023〕42号}
      """
    那么 结果为 "<结果>"

    例子: 两家投标可以；无人投标或只有一家投标不适用此例外
      | 投标人         | 结果                               |
      | S-CDJG,S-HXJS  | 接受                               |
      | S-CDJG         | 拒绝:negotiation.after_tender_min  |
      | 无             | 拒绝:negotiation.after_tender_min  |

  @negotiation.after_tender_min @negotiation.invited_min
  场景大纲: 与两家谈判的，只能邀请原招标中的该两家
    假如 已登记项目：
      """
      {id: GD-EL, name: 老旧小区加装电梯设备采购, estimated_investment: "12600000.00", procurement_category: goods, state_funded: true, filing: {number: 备〔2022〕1号, date: "2022-12-01", authority: 区发展改革委}}
      """
    而且 公开招标"OT-E"（项目 "GD-EL"）已进行到 "bidding"
    而且 "S-CDJG,S-HXJS" 已对 "OT-E" 密封投标
    而且 到了 "2023-03-21T09:30+08:00" 执行计时
    而且 "staff:wang" 于 "2023-04-03T09:00+08:00" 以 "competitive_negotiation" 方式开启 "CN-E"，重新采购 "OT-E"，理由 "tender_failed"，批准文号 "锦财采〔2023〕41号"
    而且 "staff:wang" 于 "2023-04-03T10:00+08:00" 对 "CN-E" 触发 "approve_method"：
      """
      {ground: tender_failed, justification: 公开招标投标人不足三家（OT-E）, failed_procurement: OT-E, <批准>}
      """
    而且 "staff:wang" 于 "2023-04-04T10:00+08:00" 对 "CN-E" 触发 "form_group"：
      """
      members: [{name: A, role: expert}, {name: B, role: expert}, {name: C, role: expert}, {name: D, role: expert}, {name: E, role: purchaser_representative}]
      """
    而且 "staff:wang" 于 "2023-04-04T11:00+08:00" 对 "CN-E" 触发 "check_eligibility"：
      """
      candidates: [S-CDJG, S-HXJS, S-YXWY]
      """
    当 "staff:wang" 于 "2023-04-04T12:00+08:00" 对 "CN-E" 触发 "invite"：
      """
      suppliers: <供应商>
      """
    那么 结果为 "<结果>"

    例子:
      | 批准                                | 供应商 | 结果 |
      | finance_approval: 锦财采〔2023〕42号 | [{id: S-CDJG, recommended_by: public_notice}, {id: S-HXJS, recommended_by: public_notice}] | 接受 |
      | finance_approval: 锦财采〔2023〕42号 | [{id: S-CDJG, recommended_by: public_notice}, {id: S-HXJS, recommended_by: public_notice}, {id: S-YXWY, recommended_by: supplier_database}] | 拒绝:negotiation.after_tender_min |
      | approved_by: 锦江区财政局            | [{id: S-CDJG, recommended_by: public_notice}, {id: S-HXJS, recommended_by: public_notice}] | 拒绝:negotiation.invited_min |

  @negotiation.after_tender_min @negotiation.responses_min
  场景大纲: 与原招标中的两家谈判，两家都递交响应文件即可继续
    假如 已登记项目：
      """
      {id: GD-EL, name: 老旧小区加装电梯设备采购, estimated_investment: "12600000.00", procurement_category: goods, state_funded: true, filing: {number: 备〔2022〕1号, date: "2022-12-01", authority: 区发展改革委}}
      """
    而且 公开招标"OT-E"（项目 "GD-EL"）已进行到 "bidding"
    而且 "S-CDJG,S-HXJS" 已对 "OT-E" 密封投标
    而且 到了 "2023-03-21T09:30+08:00" 执行计时
    而且 "staff:wang" 于 "2023-04-03T09:00+08:00" 以 "competitive_negotiation" 方式开启 "CN-E"，重新采购 "OT-E"，理由 "tender_failed"，批准文号 "锦财采〔2023〕41号"
    而且 "staff:wang" 于 "2023-04-03T10:00+08:00" 对 "CN-E" 触发 "approve_method"：
      """
      {ground: tender_failed, justification: 公开招标投标人不足三家（OT-E）, failed_procurement: OT-E, finance_approval: 锦财采〔2023〕42号}
      """
    而且 "staff:wang" 于 "2023-04-04T10:00+08:00" 对 "CN-E" 触发 "form_group"：
      """
      members: [{name: A, role: expert}, {name: B, role: expert}, {name: C, role: expert}, {name: D, role: expert}, {name: E, role: purchaser_representative}]
      """
    而且 "staff:wang" 于 "2023-04-04T11:00+08:00" 对 "CN-E" 触发 "check_eligibility"：
      """
      candidates: [S-CDJG, S-HXJS]
      """
    而且 "staff:wang" 于 "2023-04-04T12:00+08:00" 对 "CN-E" 触发 "invite"：
      """
      suppliers: [{id: S-CDJG, recommended_by: public_notice}, {id: S-HXJS, recommended_by: public_notice}]
      """
    而且 "staff:wang" 于 "2023-04-04T14:00+08:00" 对 "CN-E" 触发 "issue_documents"：
      """
      {response_deadline: "2023-04-10T17:00+08:00"}
      """
    而且 "<响应>" 已对 "CN-E" 递交响应文件
    当 到了 "2023-04-11T00:00+08:00" 执行计时
    那么 "CN-E" 的状态为 "<状态>"

    例子:
      | 响应           | 状态        |
      | S-CDJG,S-HXJS  | negotiating |
      | S-CDJG         | failed      |

  @negotiation.after_tender_min @procedure.works_retender_first
  场景: 工程不适用两家谈判的例外，即使重新招标后仍只有两家
    假如 "staff:wang" 于 "2023-04-03T09:00+08:00" 以 "open_tender" 方式开启 "OT-R"，重新采购 "OT-F"，理由 "retender"，批准文号 "无"
    而且 "staff:wang" 于 "2023-04-03T09:30+08:00" 对 "OT-R" 触发 "check_eligibility"：
      """
      candidates: [S-CDJG, S-HXJS, S-SLGC, S-YXWY]
      """
    而且 "staff:wang" 于 "2023-04-03T10:00+08:00" 对 "OT-R" 触发 "issue_documents"：
      """
      {sale_until: "2023-04-10T17:00+08:00", bid_deadline: "2023-04-24T09:30+08:00", bid_bond: "252000.00"}
      """
    而且 "S-CDJG,S-HXJS" 已对 "OT-R" 密封投标
    而且 到了 "2023-04-24T09:30+08:00" 执行计时
    而且 "staff:wang" 于 "2023-04-25T09:00+08:00" 以 "competitive_negotiation" 方式开启 "CN-W"，重新采购 "OT-R"，理由 "tender_failed"，批准文号 "锦财采〔2023〕41号"
    当 "staff:wang" 于 "2023-04-25T10:00+08:00" 对 "CN-W" 触发 "approve_method"：
      """
      {ground: tender_failed, justification: 重新招标仍只有两家投标（OT-R）, failed_procurement: OT-R, finance_approval: 锦财采〔2023〕42号}
      """
    那么 被规则 "negotiation.after_tender_min" 拒绝，依据 "财政部令第74号 第27条第2款"
