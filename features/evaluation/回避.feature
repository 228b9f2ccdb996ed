# language: zh-CN
@evaluation
功能: 评审成员回避：与供应商有利害关系的成员被拒绝，理由记入日志
  采购人需要在供应商确定时就知道谈判小组（评标委员会）中谁必须回避；供应商和审计人员需要
  从日志中看到每一次回避的成员、供应商和关系。成员组建时申报其关联单位或人员（工作单位、
  持股企业、亲属等）；邀请供应商时逐一比对：申报的关联方等于供应商的编号、名称、法定代表人
  或登记的控制人，或成员本人就是供应商的法定代表人或控制人的，该成员回避，回避记录（成员、
  供应商、关系）写入邀请事件。回避后的成员不得参加评审；剩余成员不足法定人数或专家比例的，
  须补充成员后才能谈判，补充的成员同样比对。
  法律依据：《政府采购法实施条例》第9条；《招标投标法实施条例》第46条；《政府采购法》
  第38条第(一)项（谈判小组人数与专家比例）。

  背景:
    假如 已登记示例项目和供应商

  @committee.recusal
  场景大纲: 申报的关联方与供应商相同的成员回避
    假如 采购 "CN-H" 的谈判小组中 "周专家" 申报关联方 "<关联方>"
    当 邀请 "S-CDJG,S-HXJS,S-SLGC,S-YXWY" 参加谈判
    那么 结果为 "接受"
    而且 回避记录为 "<回避>"

    例子:
      | 关联方                      | 回避                                                   |
      | 四川华西城市建设有限公司      | 周专家/S-HXJS/affiliated with the supplier (name)      |
      | S-HXJS                      | 周专家/S-HXJS/affiliated with the supplier (id)        |
      | 陈红                        | 周专家/S-HXJS/affiliated with the supplier's legal representative |
      | 四川华西城市建设 有限公司      | 周专家/S-HXJS/affiliated with the supplier (name)      |
      | 四川华西城市建设有限公司成都分公司 | 无                                                  |
      | 成都市第一人民医院            | 无                                                     |

  @committee.recusal
  场景: 成员本人是供应商的法定代表人
    假如 采购 "CN-H" 的谈判小组中 "李建国" 申报关联方 "无"
    当 邀请 "S-CDJG,S-HXJS,S-SLGC,S-YXWY" 参加谈判
    那么 回避记录为 "李建国/S-CDJG/the member is the supplier's legal representative"

  @committee.recusal @negotiation.group_min_size
  场景: 回避的成员不得参加谈判，补足成员后才能谈判
    假如 采购 "CN-H" 的谈判小组中 "周专家" 申报关联方 "四川华西城市建设有限公司"
    而且 邀请 "S-CDJG,S-HXJS,S-SLGC,S-YXWY" 参加谈判，并进入谈判
    当 "evaluator:周专家" 于 "2023-03-09T09:00+08:00" 记录第 1 轮与 "S-CDJG" 的谈判，出席成员 "刘专家,周专家,采购人代表张"
    那么 被规则 "committee.recusal" 拒绝，依据 "政府采购法实施条例 第9条"
    当 "evaluator:刘专家" 于 "2023-03-09T09:00+08:00" 记录第 1 轮与 "S-CDJG" 的谈判，出席成员 "刘专家,采购人代表张"
    那么 被规则 "negotiation.group_min_size" 拒绝，依据 "政府采购法 第38条第(一)项"
    当 "staff:wang" 于 "2023-03-09T08:30+08:00" 对 "CN-H" 触发 "appoint_members"：
      """
      members: [{name: 吴专家, role: expert, affiliations: [成都市第一人民医院]}]
      reason: 周专家回避
      """
    而且 "evaluator:刘专家" 于 "2023-03-09T09:00+08:00" 记录第 1 轮与 "S-CDJG" 的谈判，出席成员 "刘专家,采购人代表张,吴专家"
    那么 结果为 "接受"

  @negotiation.group_min_size
  场景大纲: 补充的成员同样比对，有关联的随即回避
    假如 采购 "CN-H" 的谈判小组中 "周专家" 申报关联方 "四川华西城市建设有限公司"
    而且 邀请 "S-CDJG,S-HXJS,S-SLGC,S-YXWY" 参加谈判
    当 "staff:wang" 于 "2023-03-04T10:00+08:00" 对 "CN-H" 触发 "appoint_members"：
      """
      members: [{name: 吴专家, role: expert, affiliations: [<关联方>]}]
      reason: 周专家回避
      """
    那么 结果为 "接受"
    而且 仍在任的谈判小组成员为 "<在任>"

    例子:
      | 关联方           | 在任                    |
      | 成都市第一人民医院 | 刘专家,采购人代表张,吴专家 |
      | 赵明             | 刘专家,采购人代表张        |
