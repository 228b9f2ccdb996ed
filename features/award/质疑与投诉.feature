# language: zh-CN
@award
功能: 竞争性谈判的投诉：质疑答复期满后15个工作日内投诉，财政部门30个工作日内处理，投诉期间暂停
  未成交的供应商需要知道质疑之后还能否、何时向财政部门投诉；采购人需要知道投诉期间不能继续
  成交、签约；审计人员需要看到每一个期限是否遵守。质疑供应商对答复不满意，或者采购人未在
  答复期内答复的，可以在答复期满后15个工作日内向财政部门投诉——从答复期满之日起算，答复早
  并不缩短投诉期；答复期未满又未答复的，还不能投诉；没有质疑的供应商不能投诉。财政部门收到
  投诉后30个工作日内作出处理决定（逾期的予以记录，不拒绝：时间是财政部门的义务）。本系统
  将投诉视为暂停采购活动，直至处理决定：投诉不成立的恢复，成立的重新评审（撤销成交、重新
  推荐）或者重新开展采购（本次采购终止）。每个期间截止于最后一日24时，记为次日0时。
  法律依据：《政府采购法》第52条、第53条、第55条、第56条、第57条；《政府采购法实施条例》
  第53条；财政部令第94号（政府采购质疑和投诉办法）；《民法典》第201条、第203条。

  背景:
    假如 已登记示例项目和供应商
    而且 采购 "CN-A" 已进入谈判，并要求最后报价，截止 "2023-03-14T17:00+08:00"
    而且 "CN-A" 已按最后报价 "S-HXJS" 3245000.00 成交，时间 "2023-03-15T10:00+08:00"
    而且 "supplier:S-CDJG" 于 "2023-03-16T10:00+08:00" 对 "CN-A" 触发 "raise_objection"：
      """
      supplier: S-CDJG
      grounds: 成交供应商工期方案不满足要求
      """

  @negotiation.complaint_working_days
  场景大纲: 质疑答复不满意的，自答复期满之日起15个工作日内投诉，答复早不缩短投诉期
    假如 "staff:wang" 于 "2023-03-20T10:00+08:00" 对 "CN-A" 触发 "answer_objection"：
      """
      answer: 经复核质疑不成立
      upheld: false
      """
    当 "supplier:S-CDJG" 于 "<投诉时间>" 对 "CN-A" 触发 "file_complaint"：
      """
      supplier: S-CDJG
      grounds: 对质疑答复不满意
      """
    那么 结果为 "<结果>"

    # 3-16 收到质疑，答复期7个工作日至 3-27（3-20 已答复，仍自 3-27 起算）；其后15个工作日：
    # 3-28 至 3-31、4-3、4-4、（4-5 清明节）、4-6、4-7、4-10 至 4-14、4-17、4-18，截止 4-19 0时。
    例子:
      | 投诉时间                  | 结果                                   |
      | 2023-03-21T09:00+08:00    | 接受                                   |
      | 2023-04-18T23:59+08:00    | 接受                                   |
      | 2023-04-19T00:00+08:00    | 拒绝:negotiation.complaint_working_days |

  @negotiation.objection_answer_working_days @negotiation.complaint_working_days
  场景大纲: 未答复的，答复期满后才能投诉
    当 "supplier:S-CDJG" 于 "<投诉时间>" 对 "CN-A" 触发 "file_complaint"：
      """
      supplier: S-CDJG
      grounds: 采购人逾期未答复质疑
      """
    那么 结果为 "<结果>"

    # 答复期至 3-27 24时（3-28 0时）。
    例子:
      | 投诉时间                  | 结果                                          |
      | 2023-03-27T23:59+08:00    | 拒绝:negotiation.objection_answer_working_days |
      | 2023-03-28T00:00+08:00    | 接受                                          |

  @negotiation.complaint_working_days
  场景: 没有提出质疑的供应商不能投诉
    当 "supplier:S-SLGC" 于 "2023-03-29T10:00+08:00" 对 "CN-A" 触发 "file_complaint"：
      """
      supplier: S-SLGC
      grounds: 成交结果不公
      """
    那么 被规则 "negotiation.complaint_working_days" 拒绝，依据 "政府采购法 第55条"

  @negotiation.complaint_decision_working_days
  场景大纲: 投诉期间暂停；财政部门的处理决定决定采购是继续、重新推荐还是终止
    假如 "staff:wang" 于 "2023-03-20T10:00+08:00" 对 "CN-A" 触发 "answer_objection"：
      """
      answer: 经复核质疑不成立
      upheld: false
      """
    而且 "supplier:S-CDJG" 于 "2023-03-28T10:00+08:00" 对 "CN-A" 触发 "file_complaint"：
      """
      supplier: S-CDJG
      grounds: 对质疑答复不满意
      """
    而且 "CN-A" 的状态为 "complaint_pending"
    当 "staff:wang" 于 "2023-03-29T10:00+08:00" 对 "CN-A" 触发 "award"：
      """
      supplier: S-HXJS
      """
    那么 "award" 暂停，"CN-A" 处于 "complaint_pending"
    当 "staff:wang" 于 "<决定时间>" 对 "CN-A" 触发 "decide_complaint"：
      """
      {decision: "<决定>", upheld: <成立><处理>}
      """
    那么 结果为 "接受"
    而且 "CN-A" 的状态为 "<状态>"
    而且 投诉处理决定记录为 "<按期>"

    # 3-28 收到投诉，30个工作日（含劳动节 4-29 至 5-3 放假、4-23 与 5-6 调休上班）至 5-11。
    例子:
      | 决定时间                  | 决定                       | 成立  | 处理                   | 状态          | 按期 |
      | 2023-05-11T23:59+08:00    | 财采投〔2023〕1号 投诉不成立 | false |                        | awarded       | 按期 |
      | 2023-05-12T00:00+08:00    | 财采投〔2023〕1号 投诉不成立 | false |                        | awarded       | 逾期 |
      | 2023-04-20T09:00+08:00    | 财采投〔2023〕2号 投诉成立   | true  | , remedy: re_evaluate  | quotes_opened | 按期 |
      | 2023-04-20T09:00+08:00    | 财采投〔2023〕3号 投诉成立   | true  | , remedy: re_procure   | failed        | 按期 |

  @negotiation.complaint_decision_working_days
  场景: 投诉成立须载明处理方式，不成立的不得载明
    假如 "supplier:S-CDJG" 于 "2023-03-28T10:00+08:00" 对 "CN-A" 触发 "file_complaint"：
      """
      supplier: S-CDJG
      grounds: 采购人逾期未答复质疑
      """
    当 "staff:wang" 于 "2023-04-20T09:00+08:00" 对 "CN-A" 触发 "decide_complaint"：
      """
      {decision: 投诉成立, upheld: true}
      """
    那么 结果为 "拒绝:negotiation.complaint_decision_working_days"
    当 "staff:wang" 于 "2023-04-20T09:00+08:00" 对 "CN-A" 触发 "decide_complaint"：
      """
      {decision: 投诉不成立, upheld: false, remedy: re_procure}
      """
    那么 结果为 "拒绝:negotiation.complaint_decision_working_days"
