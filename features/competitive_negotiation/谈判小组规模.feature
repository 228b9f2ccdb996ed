# language: zh-CN
@competitive_negotiation
功能: 达到公开招标数额标准或招标规模的项目，谈判小组为5人以上单数
  采购人组建谈判小组时需要知道小组至少几人；审计人员需要看到判断"达到规模"所用的数额标准及其来源。
  财政部令第74号 第7条第2款："达到公开招标数额标准的货物或者服务采购项目，或者达到招标规模标准的
  政府采购工程，竞争性谈判小组或者询价小组应当由5人以上单数组成。"货物、服务按政府采购公开招标
  数额标准判断（中央预算单位：国办发〔2019〕55号，单项采购金额200万元以上；地方按省级规定，
  参数可本地配置）；工程按招标规模标准判断（国家发展改革委令第16号：施工单项合同估算价400万元）。
  服务项目不再套用第16号令勘察、设计、监理服务100万元的必须招标标准。
  法律依据：《政府采购法》第27条、第38条；财政部令第74号 第7条；国办发〔2019〕55号；国家发展改革委令第16号 第5条。

  背景:
    假如 已登记示例项目和供应商
    而且 已登记项目：
      """
      {id: SV-150, name: 老旧小区物业服务采购（150万元）, estimated_investment: "1500000.00", procurement_category: services, state_funded: true, filing: {number: 备〔2022〕1号, date: "2022-12-01", authority: 区发展改革委}}
      """
    而且 已登记项目：
      """
      {id: SV-200, name: 老旧小区物业服务采购（200万元）, estimated_investment: "2000000.00", procurement_category: services, state_funded: true, filing: {number: 备〔2022〕1号, date: "2022-12-01", authority: 区发展改革委}}
      """
    而且 已登记项目：
      """
      {id: GD-199, name: 加装电梯设备采购（199.99万元）, estimated_investment: "1999999.99", procurement_category: goods, state_funded: true, filing: {number: 备〔2022〕1号, date: "2022-12-01", authority: 区发展改革委}}
      """
    而且 已登记项目：
      """
      {id: WK-400, name: 小区雨污分流改造工程（400万元）, estimated_investment: "4000000.00", procurement_category: works, state_funded: true, filing: {number: 备〔2022〕1号, date: "2022-12-01", authority: 区发展改革委}}
      """

  @negotiation.group_min_size_tender_scale @regime.gp_open_tender_services @regime.gp_open_tender_goods
  场景大纲: 货物、服务按政府采购公开招标数额标准（200万元）判断是否须5人以上
    假如 项目 "<项目>" 以 "competitive_negotiation" 方式开启采购 "CN-S"，时间 "2023-05-04T09:00+08:00"
    而且 "staff:wang" 于 "2023-05-04T10:00+08:00" 对 "CN-S" 触发 "approve_method"：
      """
      {ground: complex_or_special, justification: 服务标准难以事先确定}
      """
    当 "staff:wang" 于 "2023-05-05T10:00+08:00" 对 "CN-S" 触发 "form_group"：
      """
      members: <成员>
      """
    那么 结果为 "<结果>"

    例子: 150万元的服务未达200万元（按第16号令服务100万元的标准曾被要求5人）；200万元的服务达到；199.99万元的货物未达到
      | 项目   | 成员 | 结果 |
      | SV-150 | [{name: A, role: expert}, {name: B, role: expert}, {name: C, role: purchaser_representative}] | 接受 |
      | SV-200 | [{name: A, role: expert}, {name: B, role: expert}, {name: C, role: purchaser_representative}] | 拒绝:negotiation.group_min_size |
      | SV-200 | [{name: A, role: expert}, {name: B, role: expert}, {name: C, role: expert}, {name: D, role: expert}, {name: E, role: purchaser_representative}] | 接受 |
      | GD-199 | [{name: A, role: expert}, {name: B, role: expert}, {name: C, role: purchaser_representative}] | 接受 |

  @negotiation.group_min_size_tender_scale @regime.gp_open_tender_services
  场景: 拒绝时写明所用的数额标准及其来源
    假如 项目 "SV-200" 以 "competitive_negotiation" 方式开启采购 "CN-S2"，时间 "2023-05-04T09:00+08:00"
    而且 "staff:wang" 于 "2023-05-04T10:00+08:00" 对 "CN-S2" 触发 "approve_method"：
      """
      {ground: complex_or_special, justification: 服务标准难以事先确定}
      """
    当 "staff:wang" 于 "2023-05-05T10:00+08:00" 对 "CN-S2" 触发 "form_group"：
      """
      members: [{name: A, role: expert}, {name: B, role: expert}, {name: C, role: purchaser_representative}]
      """
    那么 被规则 "negotiation.group_min_size" 拒绝，依据 "国办发〔2019〕55号"

  @negotiation.group_min_size_tender_scale @regime.must_tender_works
  场景大纲: 政府采购工程按招标规模标准（第16号令，400万元）判断
    假如 项目 "WK-400" 以 "competitive_negotiation" 方式开启采购 "CN-W"，时间 "2023-05-04T09:00+08:00"
    而且 "staff:wang" 于 "2023-05-04T10:00+08:00" 对 "CN-W" 触发 "approve_method"：
      """
      {ground: complex_or_special, justification: 地下管网情况不明，不能确定详细规格}
      """
    当 "staff:wang" 于 "2023-05-05T10:00+08:00" 对 "CN-W" 触发 "form_group"：
      """
      members: <成员>
      """
    那么 结果为 "<结果>"

    例子: 400万元的工程达到招标规模
      | 成员 | 结果 |
      | [{name: A, role: expert}, {name: B, role: expert}, {name: C, role: purchaser_representative}] | 拒绝:negotiation.group_min_size |
      | [{name: A, role: expert}, {name: B, role: expert}, {name: C, role: expert}, {name: D, role: expert}, {name: E, role: purchaser_representative}] | 接受 |
