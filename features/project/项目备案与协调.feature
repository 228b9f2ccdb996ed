# language: zh-CN
@project
功能: 立项备案前各协调方签署、建成年代、采购意向公开，未就绪的项目不得开启采购
  街道办和区住建部门办理老旧小区改造立项备案时，需要知道还差哪一方的意见；审计人员需要看到每一方
  何时、由谁同意或提出异议，以及项目为何可以（或不可以）开始采购。
  国办发〔2020〕23号《关于全面推进城镇老旧小区改造工作的指导意见》：改造对象为城市或县城建成年代
  较早、失养失修失管的住宅小区，重点改造2000年底前建成的老旧小区；坚持共建共治共享，政府、街道、
  社区、居民、社会资本和专业经营单位（供水、供电、供气、通信等）协同推进，项目经各方协商一致后立项。
  财库〔2020〕10号《关于开展政府采购意向公开工作的通知》：采购意向公开时间原则上不得晚于采购活动
  开始前30日（二级来源转引；协议供货、定点采购的小额零星采购、批量集中采购和不可预见的紧急采购
  除外）。需签署的协调方由项目记录推出：区政府主管部门、街道办、社区/居委会总是需要；项目记录写明
  社会资本方（social_capital）时需要社会资本方；改造内容涉及的专业经营单位（scope 各项的 utilities）。
  法律依据：国办发〔2020〕23号 二（二）、三；财库〔2020〕10号 二、三。

  背景:
    假如 已登记示例项目和供应商
    而且 已登记项目：
      """
      id: JS-F
      name: 劲松式老旧小区综合整治项目（特征用例）
      community: 劲松西社区
      city: 北京市
      district: 朝阳区
      built_year: 1978
      households: 3605
      floor_area: "198000.00"
      region: "110105"
      estimated_investment: "20000000.00"
      procurement_category: services
      ppp: true
      social_capital: {name: 愿景明德物业管理有限公司, uscc: 91110105MA01ABC23X}
      scope:
        - {item: 雨污分流与给水管网改造, category: 基础类, cost: "9000000.00", matter: majority, utilities: [water]}
        - {item: 燃气管线更新, category: 基础类, cost: "6000000.00", matter: majority, utilities: [gas]}
        - {item: 智能停车设施, category: 提升类, cost: "5000000.00", matter: common_parts_use}
      revenue_sources:
        - {stream: 停车服务费, annual: "1200000.00", matter: common_parts_use}
      """
    而且 已于 "2023-01-03T09:00+08:00" 登记区域财政数据 "fiscal_110105.yaml"，截至 "2023-01-01"

  @project.coordination_complete
  场景大纲: 缺少任何一个协调方的签署，立项备案被拒绝并写明缺少哪一方
    假如 项目 "JS-F" 已完成居民议事和业主表决，时间 "2023-03-01T10:00+08:00"
    而且 "JS-F" 除 "<缺少>" 外各协调方均于 "2023-03-02T10:00+08:00" 签署同意
    当 "staff:wang" 于 "2023-03-06T10:00+08:00" 对 "JS-F" 触发 "file"：
      """
      {authority: 北京市朝阳区发展和改革委员会, number: 京朝发改备〔2023〕21号}
      """
    那么 被规则 "project.coordination_complete" 拒绝，依据 "国办发〔2020〕23号"
    而且 拒绝理由写明 "<缺少>"
    而且 "JS-F" 的下一步 "file" 写明 "<缺少>"

    例子: 需要签署的六方逐一缺少
      | 缺少           |
      | district       |
      | subdistrict    |
      | community      |
      | social_capital |
      | utility.water  |
      | utility.gas    |

  @project.coordination_complete @project.coordination_no_objection
  场景: 各方均同意后方可立项备案；有未解决的异议时被拒绝，异议方改为同意后通过
    假如 项目 "JS-F" 已完成居民议事和业主表决，时间 "2023-03-01T10:00+08:00"
    而且 "JS-F" 除 "utility.gas" 外各协调方均于 "2023-03-02T10:00+08:00" 签署同意
    而且 "staff:wang" 于 "2023-03-03T10:00+08:00" 对 "JS-F" 触发 "sign_off"：
      """
      {party: utility.gas, organisation: 北京市燃气集团朝阳分公司, signatory: 管网所孙工, decision: object, reason: 燃气管线迁改须先完成安全评估}
      """
    当 "staff:wang" 于 "2023-03-06T10:00+08:00" 对 "JS-F" 触发 "file"：
      """
      {authority: 北京市朝阳区发展和改革委员会, number: 京朝发改备〔2023〕21号}
      """
    那么 被规则 "project.coordination_no_objection" 拒绝，依据 "国办发〔2020〕23号"
    而且 拒绝理由写明 "燃气管线迁改须先完成安全评估"
    当 "staff:wang" 于 "2023-03-10T10:00+08:00" 对 "JS-F" 触发 "sign_off"：
      """
      {party: utility.gas, organisation: 北京市燃气集团朝阳分公司, signatory: 管网所孙工, decision: agree}
      """
    而且 "staff:wang" 于 "2023-03-13T10:00+08:00" 对 "JS-F" 触发 "file"：
      """
      {authority: 北京市朝阳区发展和改革委员会, number: 京朝发改备〔2023〕21号}
      """
    那么 操作成功
    而且 "JS-F" 的状态为 "filed"

  @project.signoff_party @project.signoff_objection_reason
  场景: 只有立项所需的协调方签署；异议须写明理由
    假如 项目 "JS-F" 已完成居民议事和业主表决，时间 "2023-03-01T10:00+08:00"
    当 "staff:wang" 于 "2023-03-02T10:00+08:00" 对 "JS-F" 触发 "sign_off"：
      """
      {party: utility.power, organisation: 国网北京市电力公司朝阳供电公司, signatory: 李工, decision: agree}
      """
    那么 被规则 "project.signoff_party" 拒绝，依据 "国办发〔2020〕23号"
    而且 拒绝理由写明 "utility.gas"
    当 "staff:wang" 于 "2023-03-02T10:00+08:00" 对 "JS-F" 触发 "sign_off"：
      """
      {party: community, organisation: 劲松西社区居民委员会, signatory: 齐文静, decision: object}
      """
    那么 被规则 "project.signoff_objection_reason" 拒绝，依据 "国办发〔2020〕23号"

  @project.built_by_year
  场景大纲: 2000年底前建成的小区方可纳入改造
    假如 已登记项目：
      """
      {id: BY-<建成年份>, name: 建成年代用例, built_year: <建成年份>, estimated_investment: "5000000.00", procurement_category: works}
      """
    当 于 "2023-02-01T09:00+08:00" 开始项目 "BY-<建成年份>" 的立项流程
    那么 结果为 "<结果>"

    例子: 2000年建成的通过，2001年建成的被拒绝
      | 建成年份 | 结果                          |
      | 1998     | 接受                          |
      | 2000     | 接受                          |
      | 2001     | 拒绝:project.built_by_year    |

  @project.built_by_year
  场景: 拒绝时写明建成年份、政策年限和来源
    假如 已登记项目：
      """
      {id: BY-2005, name: 建成年代用例, built_year: 2005, estimated_investment: "5000000.00", procurement_category: works}
      """
    当 于 "2023-02-01T09:00+08:00" 开始项目 "BY-2005" 的立项流程
    那么 被规则 "project.built_by_year" 拒绝，依据 "国办发〔2020〕23号"
    而且 拒绝理由写明 "built in 2005"

  @project.consultation_recorded
  场景: 居民议事记录的会议日期不得晚于记录之日
    假如 于 "2023-02-01T09:00+08:00" 开始项目 "JS-F" 的立项流程
    当 "staff:wang" 于 "2023-02-10T10:00+08:00" 对 "JS-F" 触发 "consult"：
      """
      meetings: [{date: "2023-02-12", place: 社区党群服务中心, participants: 80}]
      """
    那么 被规则 "project.consultation_recorded" 拒绝，依据 "国办发〔2020〕23号"

  @project.intention_min_days
  场景大纲: 采购意向公开满30日后项目方可确认可以采购
    假如 项目 "JS-F" 已落实资金，时间 "2023-04-10T10:00+08:00"
    而且 "staff:wang" 于 "2023-04-20T10:00+08:00" 对 "JS-F" 触发 "publish_intention"：
      """
      {published_on: "2023-04-20", channel: 中国政府采购网北京市朝阳区分网, procurement_name: 社会资本采购, budget: "20000000.00", expected_month: "2023-07"}
      """
    当 "staff:wang" 于 "<确认时间>" 对 "JS-F" 触发 "make_ready"
    那么 结果为 "<结果>"

    例子: 4月20日公开：5月19日（29日）被拒绝，5月20日（30日）通过
      | 确认时间                  | 结果                            |
      | 2023-05-19T10:00+08:00    | 拒绝:project.intention_min_days |
      | 2023-05-20T10:00+08:00    | 接受                            |

  @project.intention_min_days
  场景: 未公开采购意向且未说明豁免情形的，不得确认可以采购；写明豁免情形的通过
    假如 项目 "JS-F" 已落实资金，时间 "2023-04-10T10:00+08:00"
    当 "staff:wang" 于 "2023-04-11T10:00+08:00" 对 "JS-F" 触发 "make_ready"
    那么 被规则 "project.intention_min_days" 拒绝，依据 "财库〔2020〕10号"
    当 "staff:wang" 于 "2023-04-11T10:00+08:00" 对 "JS-F" 触发 "make_ready"：
      """
      intention_exemption: {ground: urgent_unforeseen, explanation: 汛期前须完成雨污管网抢修，属预算单位不可预见的紧急需求}
      """
    那么 操作成功
    而且 "JS-F" 的状态为 "ready"

  @project.ready_to_procure
  场景: 没有立项流程也没有已登记备案的项目、立项流程未完成的项目，不得开启采购
    当 于 "2023-03-01T09:00+08:00" 以 "competitive_negotiation" 方式对项目 "JS-F" 开启采购 "CN-JS"
    那么 被规则 "project.ready_to_procure" 拒绝，依据 "国办发〔2020〕23号"
    而且 拒绝理由写明 "no intake"
    假如 项目 "JS-F" 已完成居民议事和业主表决，时间 "2023-03-01T10:00+08:00"
    当 于 "2023-03-02T09:00+08:00" 以 "competitive_negotiation" 方式对项目 "JS-F" 开启采购 "CN-JS"
    那么 被规则 "project.ready_to_procure" 拒绝，依据 "国办发〔2020〕23号"
    而且 拒绝理由写明 "consented"

  @project.ready_to_procure
  场景: 立项流程已确认可以采购的项目，或登记了此前已办理备案的项目，可以开启采购并记录依据
    假如 项目 "JS-F" 已确认可以采购，时间 "2023-05-20T10:00+08:00"
    当 于 "2023-06-01T09:00+08:00" 以 "competitive_negotiation" 方式对项目 "JS-F" 开启采购 "CN-JS"
    那么 操作成功
    而且 "CN-JS" 的状态显示项目就绪依据 "intake"
    当 于 "2023-06-01T09:00+08:00" 以 "competitive_negotiation" 方式对项目 "CD-HH-2023" 开启采购 "CN-HH"
    那么 操作成功
    而且 "CN-HH" 的状态显示项目就绪依据 "recorded_filing"

  @project.ready_to_procure @procedure.reason_recorded
  场景: 撤回项目须写明理由；已撤回的项目不得开启采购
    假如 项目 "JS-F" 已确认可以采购，时间 "2023-05-20T10:00+08:00"
    当 "staff:wang" 于 "2023-05-22T10:00+08:00" 对 "JS-F" 触发 "withdraw"：
      """
      {reason: " "}
      """
    那么 被规则 "procedure.reason_recorded" 拒绝，依据 "政府采购法 第36条"
    当 "staff:wang" 于 "2023-05-22T10:00+08:00" 对 "JS-F" 触发 "withdraw"：
      """
      {reason: 居民对停车收费方案意见分歧，区政府决定暂缓实施}
      """
    那么 操作成功
    而且 "JS-F" 的状态为 "withdrawn"
    当 于 "2023-06-01T09:00+08:00" 以 "competitive_negotiation" 方式对项目 "JS-F" 开启采购 "CN-JS"
    那么 被规则 "project.ready_to_procure" 拒绝，依据 "国办发〔2020〕23号"
    而且 拒绝理由写明 "withdrawn"
