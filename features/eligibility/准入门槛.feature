# language: zh-CN
@eligibility
功能: 未通过资格审查的供应商不得被邀请或参加谈判
  采购人和谈判小组只能从符合资格条件的供应商名单中确定邀请对象；被拒绝的供应商和审计人员
  需要看到拒绝所依据的规则编号和法律条文。资格审查适用开启采购时锁定的规则集和已记录的信用名单，
  同一标段的候选人一并审查（关联关系规则在候选人之间相互比对），审查结果记录在采购日志中。
  法律依据：《政府采购法》第22条、第23条、第38条第(三)项；《政府采购法实施条例》第18条、第19条、
  第22条；财库〔2016〕125号。

  背景:
    假如 已登记示例项目和供应商
    而且 已于 "2025-05-06T08:00+08:00" 导入信用名单 "credit_lists.csv"
    而且 项目 "CD-HH-2023" 以 "competitive_negotiation" 方式开启采购 "CN-Q"，时间 "2025-05-06T09:00+08:00"
    而且 "staff:wang" 于 "2025-05-06T10:00+08:00" 对 "CN-Q" 触发 "approve_method"：
      """
      ground: complex_or_special
      justification: 加装电梯与管线迁改交织，技术方案需与供应商谈判确定
      """
    而且 "staff:wang" 于 "2025-05-07T10:00+08:00" 对 "CN-Q" 触发 "form_group"：
      """
      members: [{name: 刘专家, role: expert}, {name: 周专家, role: expert}, {name: 采购人代表张, role: purchaser_representative}]
      """

  @eligibility.checked
  场景: 没有资格审查记录时不得邀请供应商
    当 "staff:wang" 于 "2025-05-07T14:00+08:00" 对 "CN-Q" 触发 "invite"：
      """
      suppliers: [{id: S-HXJS, recommended_by: public_notice}, {id: S-SLGC, recommended_by: public_notice}, {id: S-YXWY, recommended_by: public_notice}]
      """
    那么 被规则 "eligibility.checked" 拒绝，依据 "政府采购法 第22条、第23条"

  @credit.dishonest_judgment_debtor @gpl22.major_illegal_record
  @relation.shared_legal_representative @consortium.member_also_bidding @eligibility.checked
  场景大纲: 资格审查不合格或未经审查的候选人被拒绝邀请，理由指明规则和依据
    假如 "staff:wang" 于 "2025-05-07T11:00+08:00" 对 "CN-Q" 触发 "check_eligibility"：
      """
      candidates: <审查>
      """
    当 "staff:wang" 于 "2025-05-07T14:00+08:00" 对 "CN-Q" 触发 "invite"：
      """
      suppliers: <邀请>
      """
    那么 被规则 "<规则>" 拒绝，依据 "<依据>"

    例子:
      | 审查                                  | 邀请                                                                                                                   | 规则                                 | 依据                      |
      | [S-HXJS, S-SLGC, S-YXWY, S-JCXY]      | [{id: S-HXJS, recommended_by: public_notice}, {id: S-SLGC, recommended_by: public_notice}, {id: S-JCXY, recommended_by: public_notice}] | credit.dishonest_judgment_debtor     | 财库〔2016〕125号         |
      | [S-HXJS, S-SLGC, S-HMJZ]              | [{id: S-HXJS, recommended_by: public_notice}, {id: S-SLGC, recommended_by: public_notice}, {id: S-HMJZ, recommended_by: public_notice}] | gpl22.major_illegal_record           | 政府采购法实施条例 第19条 |
      | [S-HXJS, S-TFJS, S-TFWY]              | [{id: S-HXJS, recommended_by: public_notice}, {id: S-TFJS, recommended_by: public_notice}, {id: S-TFWY, recommended_by: public_notice}] | relation.shared_legal_representative | 政府采购法实施条例 第18条 |
      | [S-HXJS, S-SLGC, C-CDRX, S-CDJG]      | [{id: S-HXJS, recommended_by: public_notice}, {id: S-SLGC, recommended_by: public_notice}, {id: C-CDRX, recommended_by: public_notice}] | consortium.member_also_bidding       | 政府采购法实施条例 第22条 |
      | [S-HXJS, S-SLGC]                      | [{id: S-HXJS, recommended_by: public_notice}, {id: S-SLGC, recommended_by: public_notice}, {id: S-YXWY, recommended_by: public_notice}] | eligibility.checked                  | 政府采购法 第22条、第23条 |

  @gpl22.major_illegal_record @relation.shared_legal_representative
  @consortium.member_also_bidding @credit.dishonest_judgment_debtor
  场景大纲: 通过资格审查的候选人可以被邀请
    假如 "staff:wang" 于 "2025-05-07T11:00+08:00" 对 "CN-Q" 触发 "check_eligibility"：
      """
      candidates: <审查>
      """
    当 "staff:wang" 于 "2025-05-07T14:00+08:00" 对 "CN-Q" 触发 "invite"：
      """
      suppliers: <邀请>
      """
    那么 结果为 "接受"
    而且 "CN-Q" 的状态为 "invited"

    例子: 期满的禁止参加政府采购活动不再阻止；关联供应商只有一家参加；联合体成员未单独参加；列入名单者未被邀请
      | 审查                               | 邀请                                                                                                                   |
      | [S-HXJS, S-SLGC, S-RXZS]           | [{id: S-HXJS, recommended_by: public_notice}, {id: S-SLGC, recommended_by: public_notice}, {id: S-RXZS, recommended_by: public_notice}] |
      | [S-HXJS, S-SLGC, S-TFJS]           | [{id: S-HXJS, recommended_by: public_notice}, {id: S-SLGC, recommended_by: public_notice}, {id: S-TFJS, recommended_by: public_notice}] |
      | [S-HXJS, S-SLGC, C-CDRX]           | [{id: S-HXJS, recommended_by: public_notice}, {id: S-SLGC, recommended_by: public_notice}, {id: C-CDRX, recommended_by: public_notice}] |
      | [S-HXJS, S-SLGC, S-YXWY, S-JCXY]   | [{id: S-HXJS, recommended_by: public_notice}, {id: S-SLGC, recommended_by: public_notice}, {id: S-YXWY, recommended_by: public_notice}] |

  @eligibility.evaluated
  场景: 资格审查结果记录在日志中，并逐条写明所见事实、标准和依据
    当 "staff:wang" 于 "2025-05-07T11:00+08:00" 对 "CN-Q" 触发 "check_eligibility"：
      """
      candidates: [S-HXJS, S-JCXY]
      """
    那么 操作成功
    而且 "CN-Q" 最近一次资格审查中 "S-JCXY" 的 "credit.dishonest_judgment_debtor" 结论为 "fail"，依据 "财库〔2016〕125号"
    而且 "CN-Q" 最近一次资格审查中 "S-HXJS" 资格合格

  @eligibility.checked
  场景: 未通过资格审查的供应商不得递交响应文件
    假如 "staff:wang" 于 "2025-05-07T11:00+08:00" 对 "CN-Q" 触发 "check_eligibility"：
      """
      candidates: [S-HXJS, S-SLGC, S-YXWY]
      """
    而且 "staff:wang" 于 "2025-05-07T14:00+08:00" 对 "CN-Q" 触发 "invite"：
      """
      suppliers: [{id: S-HXJS, recommended_by: public_notice}, {id: S-SLGC, recommended_by: public_notice}, {id: S-YXWY, recommended_by: public_notice}]
      """
    而且 "staff:wang" 于 "2025-05-07T15:00+08:00" 对 "CN-Q" 触发 "issue_documents"：
      """
      response_deadline: "2025-05-13T09:30+08:00"
      """
    当 "supplier:S-JCXY" 于 "2025-05-08T10:00+08:00" 对 "CN-Q" 触发 "submit_response"：
      """
      supplier: S-JCXY
      """
    那么 被规则 "eligibility.checked" 拒绝，依据 "政府采购法 第38条第(三)项"
