# language: zh-CN
@open_tender
功能: 失败的采购重新组织采购（重新招标或依法变更采购方式）
  流标或终止的采购不会"复活"：同一项目以新的采购重新开展，新采购的立项事件记录它接续哪一个失败
  的采购、依据的情形及其来源；变更采购方式的，还要记录政府采购监督管理部门的批准文号。公开招标
  失败后可以重新招标，也可以依法转为竞争性谈判（"招标后没有供应商投标或者没有合格标的或者重新
  招标未能成立"）；一个失败的采购只能重新开展一次。
  法律依据：《政府采购法》第30条第(一)项、第36条、第37条；《招标投标法》第28条；《招标投标法实施
  条例》第19条、第44条；财政部令第74号 第27条、第37条（二手来源）。

  背景:
    假如 已登记示例项目和供应商
    而且 已登记示例项目、供应商和实施主体
    而且 公开招标"OT-F" 已进行到 "bidding"
    而且 到了 "2023-03-21T09:30+08:00" 执行计时

  @procedure.reopen @procedure.reopen_method_change
  场景大纲: 公开招标失败后，可以重新招标或者经批准转为竞争性谈判
    当 "staff:wang" 于 "2023-04-03T09:00+08:00" 以 "<方式>" 方式开启 "NEW-1"，重新采购 "OT-F"，理由 "<情形>"，批准文号 "<批准>"
    那么 结果为 "<结果>"

    例子: OT-F 截止时无人投标，已流标
      | 方式                    | 情形            | 批准                | 结果                                   |
      | open_tender             | retender        | 无                  | 接受                                   |
      | competitive_negotiation | tender_failed   | 锦财采〔2023〕41号  | 接受                                   |
      | competitive_negotiation | tender_failed   | 无                  | 拒绝:procedure.reopen_method_change    |
      | competitive_negotiation | retender        | 锦财采〔2023〕41号  | 拒绝:procedure.reopen                  |
      | delegation              | tender_failed   | 锦财采〔2023〕41号  | 拒绝:procedure.reopen                  |

  @procedure.reopen
  场景: 重新开展的采购记录它接续的失败采购；同一失败的采购不能重新开展两次
    当 "staff:wang" 于 "2023-04-03T09:00+08:00" 以 "competitive_negotiation" 方式开启 "CN-2"，重新采购 "OT-F"，理由 "tender_failed"，批准文号 "锦财采〔2023〕41号"
    那么 操作成功
    而且 "CN-2" 的 "reopens.procurement" 为 "OT-F"
    而且 "CN-2" 的 "reopens.source" 为 "政府采购法 第30条第(一)项; 财政部令第74号 第27条"
    而且 "CN-2" 的 "reopens.failed.trigger" 为 "open_bids"
    当 "staff:wang" 于 "2023-04-04T09:00+08:00" 以 "open_tender" 方式开启 "OT-G"，重新采购 "OT-F"，理由 "retender"，批准文号 "无"
    那么 结果为 "拒绝:procedure.reopen"

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
  场景大纲: 达到招标规模的项目转为竞争性谈判的，谈判小组为5人以上单数
    假如 "staff:wang" 于 "2023-04-03T09:00+08:00" 以 "competitive_negotiation" 方式开启 "CN-5"，重新采购 "OT-F"，理由 "tender_failed"，批准文号 "锦财采〔2023〕41号"
    而且 "staff:wang" 于 "2023-04-03T10:00+08:00" 对 "CN-5" 触发 "approve_method"：
      """
      {ground: tender_failed, justification: 公开招标无人投标（OT-F）, failed_procurement: OT-F}
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
  场景大纲: 公开招标失败后转为竞争性谈判，经财政部门批准可以与两家供应商谈判
    假如 "staff:wang" 于 "2023-04-03T09:00+08:00" 以 "competitive_negotiation" 方式开启 "CN-2"，重新采购 "OT-F"，理由 "tender_failed"，批准文号 "锦财采〔2023〕41号"
    而且 "staff:wang" 于 "2023-04-03T10:00+08:00" 对 "CN-2" 触发 "approve_method"：
      """
      {ground: tender_failed, justification: 公开招标无人投标（OT-F）, failed_procurement: OT-F, <批准>}
      """
    而且 "staff:wang" 于 "2023-04-04T10:00+08:00" 对 "CN-2" 触发 "form_group"：
      """
      members: [{name: A, role: expert}, {name: B, role: expert}, {name: C, role: expert}, {name: D, role: expert}, {name: E, role: purchaser_representative}]
      """
    而且 "staff:wang" 于 "2023-04-04T11:00+08:00" 对 "CN-2" 触发 "check_eligibility"：
      """
      candidates: [S-CDJG, S-HXJS, S-YXWY]
      """
    而且 "staff:wang" 于 "2023-04-04T12:00+08:00" 对 "CN-2" 触发 "invite"：
      """
      suppliers: [{id: S-CDJG, recommended_by: public_notice}, {id: S-HXJS, recommended_by: public_notice}, {id: S-YXWY, recommended_by: supplier_database}]
      """
    而且 "staff:wang" 于 "2023-04-04T14:00+08:00" 对 "CN-2" 触发 "issue_documents"：
      """
      {response_deadline: "2023-04-10T17:00+08:00"}
      """
    而且 "supplier:S-CDJG" 于 "2023-04-06T10:00+08:00" 对 "CN-2" 触发 "submit_response"：
      """
      {supplier: S-CDJG}
      """
    而且 "supplier:S-HXJS" 于 "2023-04-07T10:00+08:00" 对 "CN-2" 触发 "submit_response"：
      """
      {supplier: S-HXJS}
      """
    当 到了 "2023-04-11T00:00+08:00" 执行计时
    那么 "CN-2" 的状态为 "<状态>"

    例子: 只有两家递交响应文件
      | 批准                                        | 状态        |
      | finance_approval: 锦财采〔2023〕41号          | negotiating |
      | approved_by: 锦江区财政局                    | failed      |
