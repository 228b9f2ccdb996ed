# language: zh-CN
@open_tender
功能: 评标专家从专家库随机抽取，抽取可以复核
  依法必须进行招标的项目，评标委员会的专家成员从评标专家库内相关专业的专家名单中以随机抽取方式
  确定，任何单位和个人不得指定或者变相指定。tenderflow 记录本次可抽取的专家（专家库名单及其
  SHA-256 哈希）、抽取种子、监督人和抽中的专家；抽取方法公开且只用 SHA-256：每位专家的签为
  sha256(种子 + 换行 + 专家)，按签从小到大取前 count 位。记录的抽中专家与按专家库和种子重新抽取的
  结果不一致的，拒绝；记录了抽取的，评标委员会的专家成员须恰为抽中的专家；审计重放时再抽一遍。
  没有记录抽取的（如招标投标法 第37条第3款 的特殊项目由招标人直接确定），仍可组建委员会，
  但状态中没有抽取记录（experts_draw），审计人员可以看到专家不是在系统中抽取的。
  法律依据：《招标投标法》第37条；《招标投标法实施条例》第46条、第47条。

  背景:
    假如 已登记示例项目、供应商和实施主体
    而且 公开招标"OT-D" 已进行到 "opened"

  @committee.random_draw
  场景大纲: 抽中的专家须是按专家库和种子重新抽取的结果
    当 "staff:wang" 于 "2023-03-21T09:50+08:00" 对 "OT-D" 触发 "draw_experts"：
      """
      pool: [专家甲, 专家乙, 专家丙, 专家丁, 专家戊, 专家己, 专家庚, 专家辛, 专家壬, 专家癸]
      seed: "2023074-517"
      count: 4
      witness: <监督人>
      drawn: <抽中>
      """
    那么 结果为 "<结果>"

    例子: 专家库的 SHA-256 为 71a0c755…；种子 2023074-517 抽出 己、癸、丙、乙
      | 监督人                   | 抽中                             | 结果                       |
      | 市公共资源交易中心 刘监督 | [专家己, 专家癸, 专家丙, 专家乙] | 接受                       |
      | 市公共资源交易中心 刘监督 | [专家己, 专家癸, 专家丙, 专家甲] | 拒绝:committee.random_draw |
      | 市公共资源交易中心 刘监督 | [专家癸, 专家己, 专家丙, 专家乙] | 拒绝:committee.random_draw |
      | " "                      | [专家己, 专家癸, 专家丙, 专家乙] | 拒绝:committee.random_draw |

  @committee.random_draw
  场景: 记录了抽取的，评标委员会的专家成员须恰为抽中的专家
    当 "staff:wang" 于 "2023-03-21T09:50+08:00" 对 "OT-D" 触发 "draw_experts"：
      """
      pool: [专家甲, 专家乙, 专家丙, 专家丁, 专家戊, 专家己, 专家庚, 专家辛, 专家壬, 专家癸]
      seed: "2023074-517"
      count: 4
      witness: 市公共资源交易中心 刘监督
      drawn: [专家己, 专家癸, 专家丙, 专家乙]
      """
    而且 "staff:wang" 于 "2023-03-21T10:00+08:00" 对 "OT-D" 触发 "form_committee"：
      """
      members: [{name: 专家己, role: expert}, {name: 专家癸, role: expert}, {name: 专家丙, role: expert}, {name: 专家甲, role: expert}, {name: 招标人代表, role: purchaser_representative}]
      """
    那么 被规则 "committee.random_draw" 拒绝，依据 "招标投标法实施条例 第46条"
    当 "staff:wang" 于 "2023-03-21T10:00+08:00" 对 "OT-D" 触发 "form_committee"：
      """
      members: [{name: 专家己, role: expert}, {name: 专家癸, role: expert}, {name: 专家丙, role: expert}, {name: 专家乙, role: expert}, {name: 招标人代表, role: purchaser_representative}]
      """
    那么 "OT-D" 的状态为 "committee_formed"
    而且 "OT-D" 的记录 "experts_draw.pool_sha256" 为 "71a0c7556557b5c6f51ee291c5314cfd3034b2b593f08ba5433fb24dd0f75ffc"
    而且 "OT-D" 的记录 "experts_draw.witness" 为 "市公共资源交易中心 刘监督"
    而且 "OT-D" 的 "parties.experts_draw.drawn" 为 "True"

  @committee.random_draw
  场景: 没有记录抽取而组建的评标委员会，状态中标明专家不是在系统中抽取的
    当 "staff:wang" 于 "2023-03-21T10:00+08:00" 对 "OT-D" 触发 "form_committee"：
      """
      members: [{name: 专家己, role: expert}, {name: 专家癸, role: expert}, {name: 专家丙, role: expert}, {name: 专家甲, role: expert}, {name: 招标人代表, role: purchaser_representative}]
      """
    那么 "OT-D" 的状态为 "committee_formed"
    而且 "OT-D" 的 "parties.experts_draw.drawn" 为 "False"

  @committee.random_draw
  场景: 不能从专家库抽出多于库中人数的专家
    当 "staff:wang" 于 "2023-03-21T09:50+08:00" 对 "OT-D" 触发 "draw_experts"：
      """
      pool: [专家甲, 专家乙, 专家丙]
      seed: "2023074-517"
      count: 4
      witness: 市公共资源交易中心 刘监督
      drawn: [专家甲, 专家乙, 专家丙]
      """
    那么 被规则 "committee.random_draw" 拒绝，依据 "招标投标法 第37条"
