# language: zh-CN
@open_tender @ppp
功能: PPP项目采购路径（资格预审、结果确认谈判、预中标公示）
  项目登记为PPP（ppp: true）时，公开招标走PPP路径：必须进行资格预审，通过不足3家的调整实施方案
  后重新资格预审，仍不足的可以依法变更采购方式；评审小组包括财务专家和法律专家；公示中标候选人
  之后，按排名依次进行采购结果确认谈判，不得涉及核心条款；预中标结果和拟定的合同文本公示不少于
  5个工作日后方可确定中标人。多数数字尚待核实（POLICY.md 标为 S/U），可在参数文件中调整。
  依据：《政府和社会资本合作项目政府采购管理办法》（财库〔2014〕215号）第4–6条等。

  背景:
    假如 已登记示例项目和供应商

  @ppp.prequal_mandatory
  场景: PPP项目应当先进行资格预审，方可发出招标文件
    假如 项目 "BJ-JS-2023" 以 "open_tender" 方式开启采购 "PPP-M"，时间 "2023-08-01T09:00+08:00"
    当 "staff:zhao" 于 "2023-08-01T10:00+08:00" 对 "PPP-M" 触发 "issue_documents"：
      """
      {sale_until: "2023-08-07T17:00+08:00", bid_deadline: "2023-08-25T09:30+08:00", bid_bond: "800000.00"}
      """
    那么 被规则 "ppp.prequal_mandatory" 拒绝，依据 "财库〔2014〕215号 第5条, secondary"

  @ppp.prequal_submission_min_working_days
  场景大纲: 资格预审申请文件的提交时间自公告发布之日起不少于15个工作日（跨国庆节）
    假如 项目 "BJ-JS-2023" 以 "open_tender" 方式开启采购 "PPP-S"，时间 "2023-09-15T09:00+08:00"
    当 "staff:zhao" 于 "2023-09-15T10:00+08:00" 对 "PPP-S" 触发 "publish_prequalification"：
      """
      {sale_until: "2023-09-20T17:00+08:00", application_deadline: "<申请截止>"}
      """
    那么 结果为 "<结果>"

    例子: 9-29至10-06放假，10-07（周六）、10-08（周日）调休上班；第15个工作日为 10-12
      | 申请截止                  | 结果                                               |
      | 2023-10-11T09:00+08:00    | 拒绝:ppp.prequal_submission_min_working_days       |
      | 2023-10-12T09:00+08:00    | 接受                                               |

  @ppp.prequal_pass_min @ppp.prequal_attempts_max
  场景大纲: 通过不足3家的调整实施方案后重新资格预审，仍不足的采购失败（可依法变更采购方式）
    假如 项目 "BJ-JS-2023" 以 "open_tender" 方式开启采购 "PPP-R"，时间 "2023-08-01T09:00+08:00"
    而且 "staff:zhao" 于 "2023-08-01T10:00+08:00" 对 "PPP-R" 触发 "publish_prequalification"：
      """
      {sale_until: "2023-08-07T17:00+08:00", application_deadline: "2023-08-22T09:00+08:00"}
      """
    而且 "supplier:S-CDJG" 于 "2023-08-10T10:00+08:00" 对 "PPP-R" 触发 "submit_application"：
      """
      {supplier: S-CDJG}
      """
    而且 "supplier:S-YXWY" 于 "2023-08-10T11:00+08:00" 对 "PPP-R" 触发 "submit_application"：
      """
      {supplier: S-YXWY}
      """
    而且 "supplier:S-HXJS" 于 "2023-08-10T12:00+08:00" 对 "PPP-R" 触发 "submit_application"：
      """
      {supplier: S-HXJS}
      """
    而且 "staff:zhao" 于 "2023-08-22T10:00+08:00" 对 "PPP-R" 触发 "record_prequalification"：
      """
      results: [{supplier: S-CDJG, passed: true}, {supplier: S-YXWY, passed: true}, {supplier: S-HXJS, passed: <第一轮>, reason: 运营业绩不足}]
      """
    而且 "staff:zhao" 于 "2023-08-28T10:00+08:00" 对 "PPP-R" 触发 "publish_prequalification"：
      """
      {sale_until: "2023-09-04T17:00+08:00", application_deadline: "2023-09-18T09:00+08:00"}
      """
    而且 "supplier:S-CDJG" 于 "2023-09-05T10:00+08:00" 对 "PPP-R" 触发 "submit_application"：
      """
      {supplier: S-CDJG}
      """
    而且 "supplier:S-YXWY" 于 "2023-09-05T11:00+08:00" 对 "PPP-R" 触发 "submit_application"：
      """
      {supplier: S-YXWY}
      """
    而且 "supplier:S-HXJS" 于 "2023-09-05T12:00+08:00" 对 "PPP-R" 触发 "submit_application"：
      """
      {supplier: S-HXJS}
      """
    当 "staff:zhao" 于 "2023-09-18T10:00+08:00" 对 "PPP-R" 触发 "record_prequalification"：
      """
      results: [{supplier: S-CDJG, passed: true}, {supplier: S-YXWY, passed: true}, {supplier: S-HXJS, passed: <第二轮>, reason: 运营业绩不足}]
      """
    那么 "PPP-R" 的状态为 "<状态>"

    例子: 第一轮通过两家后退回"已立项"重新资格预审
      | 第一轮 | 第二轮 | 状态         |
      | false  | false  | failed       |
      | false  | true   | prequalified |

  @ppp.committee_finance_legal_min
  场景大纲: PPP项目的评审小组应当包括财务专家和法律专家
    假如 PPP招标"PPP-C" 已进行到 "opened"
    当 "staff:zhao" 于 "2023-09-12T10:00+08:00" 对 "PPP-C" 触发 "form_committee"：
      """
      members: [{name: 甲, role: expert}, {name: 乙, role: expert}, {name: 丙, role: <第三人>}, {name: 丁, role: <第四人>}, {name: 郑, role: purchaser_representative}]
      """
    那么 结果为 "<结果>"

    例子:
      | 第三人          | 第四人         | 结果                                  |
      | finance_expert  | expert         | 拒绝:ppp.committee_finance_legal_min  |
      | expert          | legal_expert   | 拒绝:ppp.committee_finance_legal_min  |
      | finance_expert  | legal_expert   | 接受                                  |

  @ppp.result_confirmation
  场景: PPP项目不能在候选人公示后直接确定中标人；非PPP项目不进行结果确认谈判
    假如 PPP招标"PPP-A" 已进行到 "publicity_ended"
    而且 已登记示例项目、供应商和实施主体
    而且 公开招标"OT-X" 已进行到 "publicity_ended"
    当 "staff:zhao" 于 "2023-09-19T10:00+08:00" 对 "PPP-A" 触发 "award"：
      """
      supplier: S-YXWY
      """
    那么 被规则 "ppp.result_confirmation" 拒绝，依据 "财库〔2014〕215号, unconfirmed"
    当 "staff:wang" 于 "2023-03-28T10:00+08:00" 对 "OT-X" 触发 "start_confirmation"
    那么 结果为 "拒绝:ppp.result_confirmation"

  @ppp.result_confirmation
  场景大纲: 结果确认谈判按排名依次进行，不得变更核心条款
    假如 PPP招标"PPP-A" 已进行到 "confirming"
    当 "staff:zhao" 于 "2023-09-19T14:00+08:00" 对 "PPP-A" 触发 "record_confirmation"：
      """
      {supplier: <社会资本>, agreed: true, changes: <变更>}
      """
    那么 结果为 "<结果>"

    例子: 排名为 S-YXWY、S-CDJG、S-HXJS
      | 社会资本 | 变更                                              | 结果                           |
      | S-CDJG   | []                                                | 拒绝:ppp.result_confirmation   |
      | S-YXWY   | [{term: 特许经营期延长5年, core: true}]            | 拒绝:ppp.result_confirmation   |
      | S-YXWY   | [{term: 收益分成结算周期改为按季度, core: false}]  | 接受                           |

  @ppp.result_confirmation
  场景: 与排名在前的候选人未达成一致的，依次与下一候选人谈判，全部未达成一致的采购失败
    假如 PPP招标"PPP-A" 已进行到 "confirming"
    当 "staff:zhao" 于 "2023-09-19T14:00+08:00" 对 "PPP-A" 触发 "record_confirmation"：
      """
      {supplier: S-YXWY, agreed: false, changes: [], note: 坚持变更特许经营期}
      """
    那么 "PPP-A" 的状态为 "confirming"
    当 "staff:zhao" 于 "2023-09-19T15:00+08:00" 对 "PPP-A" 触发 "record_confirmation"：
      """
      {supplier: S-YXWY, agreed: true, changes: []}
      """
    那么 结果为 "拒绝:ppp.result_confirmation"
    当 "staff:zhao" 于 "2023-09-20T10:00+08:00" 对 "PPP-A" 触发 "record_confirmation"：
      """
      {supplier: S-CDJG, agreed: false, changes: []}
      """
    而且 "staff:zhao" 于 "2023-09-20T11:00+08:00" 对 "PPP-A" 触发 "record_confirmation"：
      """
      {supplier: S-HXJS, agreed: false, changes: []}
      """
    那么 "PPP-A" 的状态为 "failed"

  @ppp.provisional_publicity_min_working_days
  场景大纲: 预中标结果及合同文本公示不少于5个工作日（跨国庆节）
    假如 PPP招标"PPP-P" 已进行到 "confirmed"
    当 "staff:zhao" 于 "2023-09-28T09:00+08:00" 对 "PPP-P" 触发 "publish_provisional_result"：
      """
      until: "<公示截止>"
      draft_contract: {name: 合同草案.pdf, sha256: 3b7e2f0c5d1a4e6b9c8d7f6e5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b}
      """
    那么 结果为 "<结果>"

    例子: 9-28 之后的工作日为 10-07、10-08（调休）、10-09、10-10、10-11
      | 公示截止                  | 结果                                              |
      | 2023-10-10T17:00+08:00    | 拒绝:ppp.provisional_publicity_min_working_days   |
      | 2023-10-11T17:00+08:00    | 接受                                              |

  @ppp.provisional_publicity_min_working_days
  场景: 预中标公示期满前不能确定中标人，下一步列出按工作日计算的开放时间
    假如 PPP招标"PPP-P" 已进行到 "confirmed"
    而且 "staff:zhao" 于 "2023-09-28T09:00+08:00" 对 "PPP-P" 触发 "publish_provisional_result"：
      """
      draft_contract: {name: 合同草案.pdf, sha256: 3b7e2f0c5d1a4e6b9c8d7f6e5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b}
      """
    当 查看 "PPP-P" 在 "2023-10-09T09:00+08:00" 的下一步
    那么 "end_provisional_publicity" 的守卫 "ppp_provisional_publicity_elapsed" 拒绝，开放时间为 "2023-10-12T00:00:00+08:00"
    当 到了 "2023-10-12T00:00+08:00" 执行计时
    那么 "PPP-P" 的状态为 "provisional_publicity_ended"
    当 "staff:zhao" 于 "2023-10-12T10:00+08:00" 对 "PPP-P" 触发 "award"：
      """
      supplier: S-CDJG
      """
    那么 结果为 "拒绝:ppp.result_confirmation"
    当 "staff:zhao" 于 "2023-10-12T10:00+08:00" 对 "PPP-P" 触发 "award"：
      """
      supplier: S-YXWY
      """
    那么 "PPP-P" 的状态为 "awarded"
