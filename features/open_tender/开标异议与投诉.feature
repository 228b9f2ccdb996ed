# language: zh-CN
@open_tender
功能: 开标现场异议与向行政监督部门投诉
  投标人需要知道对开标有异议时何时提出、对招标投标活动何时还能投诉；招标人需要知道投诉是否
  暂停招标；审计人员需要看到行政监督部门是否按期受理和处理。对开标有异议的，应当在开标现场
  提出，招标人当场答复并记录（第44条），之后提出的不予记录。投诉自知道或者应当知道之日起10日
  内向行政监督部门提出；就第22、44、54条事项投诉的，应当先提出异议，异议答复期间不计算在内
  （本系统按自收到异议至答复之日的日数顺延）。行政监督部门自收到投诉之日起3个工作日内决定是否
  受理，自受理之日起30个工作日内作出书面处理决定：是否按期予以记录，不拒绝。投诉本身不暂停
  招标投标活动（行政监督部门必要时可以责令暂停，第62条，本系统未建模）。期间截止于最后一日
  24时，记为次日0时。
  法律依据：《招标投标法实施条例》第44条、第54条、第60条、第61条、第62条；《民法典》第201条、第203条。

  背景:
    假如 已登记示例项目和供应商
    而且 已登记示例项目、供应商和实施主体

  @tender.opening_objection
  场景大纲: 对开标的异议在开标现场提出并当场答复
    假如 公开招标"OT-K" 已进行到 "opened"
    当 "supplier:S-HXJS" 于 "<时间>" 对 "OT-K" 触发 "record_opening_objection"：
      """
      {objection: KB-1, by: S-HXJS, content: 对S-SLGC投标文件密封情况有异议, answer: 经现场监督人员核对密封完好，异议不成立}
      """
    那么 结果为 "<结果>"

    例子: 3-21 09:30 开标
      | 时间                      | 结果                            |
      | 2023-03-21T11:00+08:00    | 接受                            |
      | 2023-03-21T23:59+08:00    | 接受                            |
      | 2023-03-22T09:00+08:00    | 拒绝:tender.opening_objection   |

  @tender.opening_objection
  场景: 没有投标的不能对开标提出异议
    假如 公开招标"OT-K" 已进行到 "opened"
    当 "staff:wang" 于 "2023-03-21T11:00+08:00" 对 "OT-K" 触发 "record_opening_objection"：
      """
      {objection: KB-1, by: S-YXWY, content: 对开标程序有异议, answer: 未参加投标}
      """
    那么 被规则 "tender.opening_objection" 拒绝，依据 "招标投标法实施条例 第44条"

  @tender.complaint_days
  场景大纲: 投诉自知道或者应当知道之日起10日内提出
    假如 公开招标"OT-C" 已进行到 "publicity"
    当 "supplier:S-HXJS" 于 "<时间>" 对 "OT-C" 触发 "file_complaint"：
      """
      {complaint: TS-1, by: S-HXJS, content: 评标委员会成员与第一名存在利害关系, known_on: "2023-03-23"}
      """
    那么 结果为 "<结果>"

    例子: 3-23 起算10日为 4-2（周日），顺延至 4-3，截止 4-4 0时
      | 时间                      | 结果                       |
      | 2023-04-03T23:59+08:00    | 接受                       |
      | 2023-04-04T00:00+08:00    | 拒绝:tender.complaint_days |

  @tender.complaint_days @tender.objection_answer_days
  场景大纲: 就评标结果投诉的先提出异议，异议答复期间不计入投诉期限
    假如 公开招标"OT-C" 已进行到 "publicity"
    而且 "supplier:S-SLGC" 于 "2023-03-24T10:00+08:00" 对 "OT-C" 触发 "raise_objection"：
      """
      {objection: OBJ-1, by: S-SLGC, content: 对第一名的业绩认定有异议}
      """
    而且 "staff:wang" 于 "2023-03-27T10:00+08:00" 对 "OT-C" 触发 "answer_objection"：
      """
      {objection: OBJ-1, upheld: false, answer: 业绩证明材料真实有效，异议不成立}
      """
    当 "supplier:S-SLGC" 于 "<时间>" 对 "OT-C" 触发 "file_complaint"：
      """
      {complaint: TS-1, by: S-SLGC, content: 对异议答复不服, known_on: "2023-03-23", objection: OBJ-1}
      """
    那么 结果为 "<结果>"

    # 异议 3-24 收到、3-27 答复，3日不计入：3-23 起算 10+3 日为 4-5（清明节），顺延至 4-6，截止 4-7 0时。
    例子:
      | 时间                      | 结果                       |
      | 2023-04-06T23:59+08:00    | 接受                       |
      | 2023-04-07T00:00+08:00    | 拒绝:tender.complaint_days |

  @tender.objection_answer_days
  场景: 异议尚未答复的，不能就同一事项投诉
    假如 公开招标"OT-C" 已进行到 "publicity"
    而且 "supplier:S-SLGC" 于 "2023-03-24T10:00+08:00" 对 "OT-C" 触发 "raise_objection"：
      """
      {objection: OBJ-1, by: S-SLGC, content: 对第一名的业绩认定有异议}
      """
    当 "supplier:S-SLGC" 于 "2023-03-25T10:00+08:00" 对 "OT-C" 触发 "file_complaint"：
      """
      {complaint: TS-1, by: S-SLGC, content: 对评标结果不服, known_on: "2023-03-23", objection: OBJ-1}
      """
    那么 被规则 "tender.objection_answer_days" 拒绝，依据 "招标投标法实施条例 第54条"

  @tender.complaint_decision_working_days @tender.complaint_acceptance_working_days
  场景大纲: 投诉不暂停招标；受理和处理决定是否按期予以记录
    假如 公开招标"OT-C" 已进行到 "publicity"
    而且 "supplier:S-HXJS" 于 "2023-03-24T10:00+08:00" 对 "OT-C" 触发 "file_complaint"：
      """
      {complaint: TS-1, by: S-HXJS, content: 评标委员会成员与第一名存在利害关系, known_on: "2023-03-23"}
      """
    当 到了 "2023-03-28T00:00+08:00" 执行计时
    那么 "OT-C" 的状态为 "publicity_ended"
    当 "staff:wang" 于 "<决定时间>" 对 "OT-C" 触发 "decide_complaint"：
      """
      {complaint: TS-1, accepted_on: "<受理>", decision: 经调查评标委员会成员与第一名无利害关系，驳回投诉, upheld: false}
      """
    那么 结果为 "接受"
    而且 "OT-C" 的记录 "complaints.0.accepted_in_time" 为 "<按期受理>"
    而且 "OT-C" 的记录 "complaints.0.in_time" 为 "<按期决定>"

    # 3-24 收到投诉，3个工作日至 3-29；自受理起30个工作日（含清明节、劳动节）。
    例子:
      | 受理       | 决定时间                  | 按期受理 | 按期决定 |
      | 2023-03-29 | 2023-05-12T17:00+08:00    | True     | True     |
      | 2023-03-30 | 2023-05-12T17:00+08:00    | False    | True     |
      | 2023-03-29 | 2023-05-13T09:00+08:00    | True     | False    |
