# language: zh-CN
@competitive_negotiation
功能: 谈判小组的评审专家从专家库随机抽取，抽取可以复核
  除国务院财政部门规定的情形外，采购人或者采购代理机构从政府采购评审专家库中随机抽取评审专家。
  tenderflow 记录专家库名单（及其 SHA-256 哈希）、种子、监督人和抽中的专家，重新抽取核对（方法见
  tenderflow/domain/components/expert_draw.py：sha256(种子 + 换行 + 专家) 从小到大取前 count 位）；
  记录了抽取的，谈判小组的专家成员须恰为抽中的专家。
  法律依据：《政府采购法实施条例》第39条；《政府采购法》第38条。

  背景:
    假如 已登记示例项目和供应商
    而且 项目 "CD-HH-2023" 以 "competitive_negotiation" 方式开启采购 "CN-D"，时间 "2023-03-01T09:00+08:00"
    而且 "staff:wang" 于 "2023-03-01T10:00+08:00" 对 "CN-D" 触发 "approve_method"：
      """
      ground: complex_or_special
      justification: 技术复杂，不能确定详细规格
      """

  @committee.random_draw
  场景大纲: 抽中的专家须是重新抽取的结果，谈判小组的专家须恰为抽中的专家
    当 "staff:wang" 于 "2023-03-02T09:00+08:00" 对 "CN-D" 触发 "draw_experts"：
      """
      pool: [专家甲, 专家乙, 专家丙, 专家丁, 专家戊, 专家己, 专家庚]
      seed: "2023061-204"
      count: 2
      witness: 区财政局 王监督
      drawn: <抽中>
      """
    那么 结果为 "<抽取结果>"
    当 "staff:wang" 于 "2023-03-02T10:00+08:00" 对 "CN-D" 触发 "form_group"：
      """
      members: [{name: <专家一>, role: expert}, {name: <专家二>, role: expert}, {name: 采购人代表, role: purchaser_representative}]
      """
    那么 结果为 "<组建结果>"

    例子: 种子 2023061-204 从 7 人中抽出 乙、丁
      | 抽中             | 抽取结果                   | 专家一 | 专家二 | 组建结果                   |
      | [专家乙, 专家丁] | 接受                       | 专家乙 | 专家丁 | 接受                       |
      | [专家乙, 专家丁] | 接受                       | 专家乙 | 专家丙 | 拒绝:committee.random_draw |
      | [专家乙, 专家丙] | 拒绝:committee.random_draw | 专家乙 | 专家丙 | 接受                       |
