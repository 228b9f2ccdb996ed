# language: zh-CN
@open_tender
功能: 中标候选人公示与异议
  评标结果公示期间，投标人或者其他利害关系人可以提出异议；招标人应当自收到异议之日起3日内作出
  答复，作出答复前暂停招标投标活动。投标人需要知道异议何时必须得到答复，招标人需要知道何时
  可以确定中标人。
  法律依据：《招标投标法实施条例》第54条。

  背景:
    假如 已登记示例项目和供应商
    而且 已登记示例项目、供应商和实施主体

  @tender.publicity_min_days
  场景大纲: 中标候选人的公示期不得少于3日
    假如 公开招标"OT-P" 已进行到 "evaluated"
    当 "staff:wang" 于 "<公示时间>" 对 "OT-P" 触发 "publish_candidates"：
      """
      until: "<公示截止>"
      """
    那么 结果为 "<结果>"

    例子: 3-23 起算3日为 3-26（周日），顺延至 3-27
      | 公示时间                  | 公示截止                  | 结果                             |
      | 2023-03-23T09:00+08:00    | 2023-03-26T17:00+08:00    | 拒绝:tender.publicity_min_days   |
      | 2023-03-23T09:00+08:00    | 2023-03-27T17:00+08:00    | 接受                             |
      | 2023-03-27T09:00+08:00    | 2023-03-29T17:00+08:00    | 拒绝:tender.publicity_min_days   |
      | 2023-03-27T09:00+08:00    | 2023-03-30T17:00+08:00    | 接受                             |

  @tender.publicity_min_days
  场景: 未指定公示截止时间的，公示至第3日（遇休息日顺延）24时
    假如 公开招标"OT-P" 已进行到 "publicity"
    那么 "OT-P" 的 "deadlines.publicity_until" 为 "2023-03-28T00:00:00+08:00"
    当 查看 "OT-P" 在 "2023-03-27T09:00+08:00" 的下一步
    那么 "end_publicity" 的守卫 "tender_publicity_elapsed" 拒绝，开放时间为 "2023-03-28T00:00:00+08:00"
    当 到了 "2023-03-28T00:00+08:00" 执行计时
    那么 "OT-P" 的状态为 "publicity_ended"

  @tender.objection_period
  场景大纲: 对评标结果的异议应当在公示期间提出
    假如 公开招标"OT-O" 已进行到 "publicity"
    当 "supplier:S-SLGC" 于 "<提出时间>" 对 "OT-O" 触发 "raise_objection"：
      """
      {objection: OBJ-1, by: S-SLGC, content: 对第一名的业绩认定有异议}
      """
    那么 结果为 "<结果>"

    例子: 公示至 3-28 0时
      | 提出时间                  | 结果                           |
      | 2023-03-27T23:59+08:00    | 接受                           |
      | 2023-03-28T00:00+08:00    | 拒绝:tender.objection_period   |

  @tender.objection_answer_days
  场景: 异议暂停招标投标活动，逾期未答复的予以记录，答复后恢复公示
    假如 公开招标"OT-O" 已进行到 "publicity"
    当 "supplier:S-SLGC" 于 "2023-03-24T10:00+08:00" 对 "OT-O" 触发 "raise_objection"：
      """
      {objection: OBJ-1, by: S-SLGC, content: 对第一名的业绩认定有异议}
      """
    那么 "OT-O" 的状态为 "objection_pending"
    而且 "OT-O" 的 "deadlines.objection_answer_due" 为 "2023-03-28T00:00:00+08:00"
    当 到了 "2023-03-28T00:00+08:00" 执行计时
    那么 "OT-O" 的状态为 "objection_pending"
    而且 "OT-O" 的记录 "objections.OBJ-1.overdue" 为 "True"
    当 "staff:wang" 于 "2023-03-28T10:00+08:00" 对 "OT-O" 触发 "answer_objection"：
      """
      {objection: OBJ-1, upheld: false, answer: 业绩证明材料真实有效，异议不成立}
      """
    那么 "OT-O" 的状态为 "publicity"
    而且 "OT-O" 的记录 "objections.OBJ-1.late" 为 "True"
    当 到了 "2023-03-28T10:00+08:00" 执行计时
    那么 "OT-O" 的状态为 "publicity_ended"

  @tender.objection_answer_days
  场景大纲: 异议在3日内答复的不逾期；仍有其他异议时继续暂停
    假如 公开招标"OT-O" 已进行到 "publicity"
    而且 "supplier:S-SLGC" 于 "2023-03-24T10:00+08:00" 对 "OT-O" 触发 "raise_objection"：
      """
      {objection: OBJ-1, by: S-SLGC, content: 对第一名的业绩认定有异议}
      """
    而且 "supplier:S-HXJS" 于 "2023-03-24T11:00+08:00" 对 "OT-O" 触发 "raise_objection"：
      """
      {objection: OBJ-2, by: S-HXJS, content: 对评分有异议}
      """
    当 "staff:wang" 于 "<答复时间>" 对 "OT-O" 触发 "answer_objection"：
      """
      {objection: OBJ-1, upheld: false, answer: 异议不成立}
      """
    那么 "OT-O" 的状态为 "objection_pending"
    而且 "OT-O" 的记录 "objections.OBJ-1.late" 为 "<逾期>"
    当 "staff:wang" 于 "<答复时间>" 对 "OT-O" 触发 "answer_objection"：
      """
      {objection: OBJ-2, upheld: false, answer: 异议不成立}
      """
    那么 "OT-O" 的状态为 "publicity"

    例子: 3-24 起算3日为 3-27，答复期限至 3-28 0时
      | 答复时间                  | 逾期  |
      | 2023-03-27T23:59+08:00    | False |
      | 2023-03-28T00:00+08:00    | True  |

  @tender.objection_answer_days
  场景: 异议成立的，评标委员会重新评审
    假如 公开招标"OT-O" 已进行到 "publicity"
    而且 "supplier:S-SLGC" 于 "2023-03-24T10:00+08:00" 对 "OT-O" 触发 "raise_objection"：
      """
      {objection: OBJ-1, by: S-SLGC, content: 第一名的项目经理有在建工程}
      """
    当 "staff:wang" 于 "2023-03-25T10:00+08:00" 对 "OT-O" 触发 "answer_objection"：
      """
      {objection: OBJ-9, upheld: true, answer: 异议成立}
      """
    那么 结果为 "拒绝:tender.objection_answer_days"
    当 "staff:wang" 于 "2023-03-25T10:00+08:00" 对 "OT-O" 触发 "answer_objection"：
      """
      {objection: OBJ-1, upheld: true, answer: 经核实第一名项目经理有在建工程，异议成立}
      """
    那么 "OT-O" 的状态为 "committee_formed"
