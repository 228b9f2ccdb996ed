# language: zh-CN
@eligibility @credit
功能: 信用名单未导入、已过时效或在查询时段之外的，信用规则视为未核查，候选人不得视为合格
  采购人和代理机构须在资格审查时查询供应商是否被列入失信被执行人、重大税收违法案件当事人名单、
  政府采购严重违法失信行为记录名单；从未导入的名单，或者截至日期早于资格审查日超过时效天数的名单，
  无从判断供应商是否被列入，相关规则记为"未核查"——未核查不是通过，候选人不合格，邀请和投标
  被拒绝，拒绝理由写明所缺的名单和导入命令（tenderflow credit import）。资格审查报告逐一列明所
  核查的名单、截至日期和导入时间。查询时点为公告发出之日至投标（响应）截止时间，之外的审查被拒绝。
  法律依据：财库〔2016〕125号（信用记录查询及使用，依据为二手资料）；名单时效天数
  credit.list_max_age_days 为本地参数（通知未规定数值，待核实）。

  背景:
    假如 已登记示例项目和供应商
    而且 信用名单由本场景自行导入
    而且 项目 "CD-HH-2023" 以 "competitive_negotiation" 方式开启采购 "CN-C"，时间 "2025-05-06T09:00+08:00"
    而且 "staff:wang" 于 "2025-05-06T10:00+08:00" 对 "CN-C" 触发 "approve_method"：
      """
      ground: complex_or_special
      justification: 加装电梯与管线迁改交织，技术方案需与供应商谈判确定
      """
    而且 "staff:wang" 于 "2025-05-07T10:00+08:00" 对 "CN-C" 触发 "form_group"：
      """
      members: [{name: 刘专家, role: expert}, {name: 周专家, role: expert}, {name: 采购人代表张, role: purchaser_representative}]
      """

  @credit.list_not_checked @credit.dishonest_judgment_debtor
  场景: 未导入任何信用名单时，信用规则未核查，邀请被拒绝并指明名单和导入方法
    假如 "staff:wang" 于 "2025-05-07T11:00+08:00" 对 "CN-C" 触发 "check_eligibility"：
      """
      candidates: [S-HXJS, S-SLGC, S-YXWY]
      """
    而且 "CN-C" 最近一次资格审查中 "S-HXJS" 的 "credit.dishonest_judgment_debtor" 未核查
    当 "staff:wang" 于 "2025-05-07T14:00+08:00" 对 "CN-C" 触发 "invite"：
      """
      suppliers: [{id: S-HXJS, recommended_by: public_notice}, {id: S-SLGC, recommended_by: public_notice}, {id: S-YXWY, recommended_by: public_notice}]
      """
    那么 被规则 "credit.list_not_checked" 拒绝，依据 "财库〔2016〕125号"
    而且 拒绝理由包含 "失信被执行人"、"重大税收违法"、"政府采购严重违法失信" 和 "tenderflow credit import"

  @credit.list_not_checked @credit.list_max_age_days
  场景大纲: 名单截至日期距审查日不超过时效天数（7日）的方可核查，否则视为未核查
    假如 于 "2025-05-07T08:00+08:00" 导入截至 "<截至>" 的信用名单 "<名单>"
    而且 "staff:wang" 于 "2025-05-07T11:00+08:00" 对 "CN-C" 触发 "check_eligibility"：
      """
      candidates: [S-HXJS, S-SLGC, S-YXWY]
      """
    当 "staff:wang" 于 "2025-05-07T14:00+08:00" 对 "CN-C" 触发 "invite"：
      """
      suppliers: [{id: S-HXJS, recommended_by: public_notice}, {id: S-SLGC, recommended_by: public_notice}, {id: S-YXWY, recommended_by: public_notice}]
      """
    那么 结果为 "<结果>"

    例子: 三份名单齐全时以截至日期判断时效；缺少一份名单即不合格
      | 截至       | 名单                                     | 结果                            |
      | 2025-05-07 | 失信被执行人, 重大税收违法, 政府采购严重违法失信 | 接受                            |
      | 2025-04-30 | 失信被执行人, 重大税收违法, 政府采购严重违法失信 | 接受                            |
      | 2025-04-29 | 失信被执行人, 重大税收违法, 政府采购严重违法失信 | 拒绝:credit.list_not_checked    |
      | 2025-05-07 | 失信被执行人, 重大税收违法                   | 拒绝:credit.list_not_checked    |

  @credit.dishonest_judgment_debtor
  场景: 名单已导入且在时效内，列入失信被执行人名单的供应商不通过
    假如 于 "2025-05-07T08:00+08:00" 导入截至 "2025-05-07" 的信用名单 "失信被执行人, 重大税收违法, 政府采购严重违法失信"
    当 "staff:wang" 于 "2025-05-07T11:00+08:00" 对 "CN-C" 触发 "check_eligibility"：
      """
      candidates: [S-HXJS, S-JCXY]
      """
    那么 操作成功
    而且 "CN-C" 最近一次资格审查中 "S-JCXY" 的 "credit.dishonest_judgment_debtor" 结论为 "fail"，依据 "财库〔2016〕125号"
    而且 "CN-C" 最近一次资格审查中 "S-HXJS" 资格合格

  @credit.list_max_age_days
  场景: 资格审查报告列明所核查的信用名单及其截至日期和导入时间
    假如 于 "2025-05-07T08:00+08:00" 导入截至 "2025-05-06" 的信用名单 "失信被执行人, 重大税收违法, 政府采购严重违法失信"
    当 "staff:wang" 于 "2025-05-07T11:00+08:00" 对 "CN-C" 触发 "check_eligibility"：
      """
      candidates: [S-HXJS, S-SLGC, S-YXWY]
      """
    那么 "CN-C" 的资格审查报告列明 "信用名单“政府采购严重违法失信”：名单截至 2025-05-06，于 2025-05-07 08:00 导入"
