# language: zh-CN
@evaluation @fair_competition
功能: 招标文件的评分因素通过公平竞争审查：不得以所有制形式、所在地、规模或者特定地区、行业业绩评分
  采购人发出招标文件时，评标方法中的每一项评分因素（综合评分法的技术评分项、经评审的最低投标价法的
  价格调整因素）同资格条件一样接受公平竞争审查；以所有制形式、组织形式、所在地、特定行政区域或者
  特定行业的业绩、奖项，或者以注册资本、资产、营业收入、从业人员等规模条件作为评分因素的，招标文件
  不得发出，拒绝理由写明评分项、问题类别和依据。类似项目经验本身不属于歧视性条件。
  法律依据：《政府采购法实施条例》第20条；《招标投标法实施条例》第32条、第33条；
  规模条件：财政部令第87号 第17条（依据待核实）。

  背景:
    假如 已登记示例项目和供应商
    而且 项目 "CD-HH-2023" 以 "open_tender" 方式开启采购 "OT-F"，时间 "2023-03-01T09:00+08:00"

  @fairness.scoring_criteria
  场景大纲: 以所有制形式、所在地、规模或本地业绩作为评分因素的招标文件被拒绝
    当 "staff:wang" 于 "2023-03-01T10:00+08:00" 对 "OT-F" 触发 "issue_documents"：
      """
      sale_until: "2023-03-06T17:00+08:00"
      bid_deadline: "2023-03-21T09:30+08:00"
      bid_bond: "0"
      evaluation:
        method: comprehensive
        price_weight: "30"
        criteria:
          - {id: technical, name: 技术方案, weight: "40"}
          - {id: <编号>, name: <评分项>, weight: "30"}
        tie_break: [lower_price]
      """
    那么 被规则 "fairness.scoring_criteria" 拒绝，依据 "<依据>"

    例子:
      | 编号          | 评分项                 | 依据                         |
      | ownership     | 国有企业加分           | 政府采购法实施条例 第20条     |
      | local_office  | 在本市设有服务网点     | 招标投标法实施条例 第32–33条  |
      | local_record  | 本市同类项目业绩       | 政府采购法实施条例 第20条     |
      | capital       | 注册资本规模           | 财政部令第87号 第17条         |

  @fairness.scoring_criteria
  场景: 经评审的最低投标价法的价格调整因素同样接受审查
    当 "staff:wang" 于 "2023-03-01T10:00+08:00" 对 "OT-F" 触发 "issue_documents"：
      """
      sale_until: "2023-03-06T17:00+08:00"
      bid_deadline: "2023-03-21T09:30+08:00"
      bid_bond: "0"
      evaluation: {method: lowest_evaluated_price, factors: [{id: headcount, name: 从业人员人数}], tie_break: [lower_price]}
      """
    那么 被规则 "fairness.scoring_criteria" 拒绝，依据 "财政部令第87号 第17条"

  @fairness.scoring_criteria
  场景大纲: 技术方案、运营方案和类似项目经验等评分因素可以发出
    当 "staff:wang" 于 "2023-03-01T10:00+08:00" 对 "OT-F" 触发 "issue_documents"：
      """
      sale_until: "2023-03-06T17:00+08:00"
      bid_deadline: "2023-03-21T09:30+08:00"
      bid_bond: "0"
      evaluation:
        method: comprehensive
        price_weight: "30"
        criteria:
          - {id: technical, name: 技术方案, weight: "40"}
          - {id: <编号>, name: <评分项>, weight: "30"}
        tie_break: [lower_price]
      """
    那么 结果为 "接受"

    例子:
      | 编号       | 评分项             |
      | operation  | 运营方案           |
      | similar    | 近三年类似项目业绩 |
      | schedule   | 工期与进度保障     |
