# language: zh-CN
@project @funding
功能: 资金计划各来源合计须与总投资分文不差；不得由施工单位垫资；地方政府不得为债务提供担保
  项目立项备案后，实施机构落实资金方案：居民出资、住宅专项维修资金、中央补助、地方财政资金、
  专项债、银行贷款、社会资本、设施有偿使用收入，各来源合计须等于项目总投资（各改造内容造价之和），
  差一分也不予通过，拒绝理由写明总投资、合计和差额。政府投资项目所需资金应当确保落实到位，不得由
  施工单位垫资建设（政府投资条例 第22条）；除法律另有规定外，地方政府及其所属部门不得为任何单位和
  个人的债务以任何方式提供担保（预算法 第35条）。银行、股东等提供的担保不受此限。
  法律依据：政府投资条例 第22条；预算法 第35条；国办发〔2020〕23号（资金来源，依据未经核实）。

  背景:
    假如 已登记改造项目 "BJ-JS-01"，总投资 "40000000.00" 元，财政区划 "110105"
    而且 项目 "BJ-JS-01" 已于 "2023-08-20T09:00+08:00" 立项备案

  @funding.plan_balanced
  场景大纲: 资金来源合计与总投资相差一分即拒绝，恰好相等的通过
    当 "staff:wang" 于 "2023-09-01T09:00+08:00" 对 "BJ-JS-01" 触发 "fund"：
      """
      sources:
        - {kind: central_subsidy, amount: "30000000.00"}
        - {kind: residents, amount: "<居民出资>"}
      """
    那么 结果为 "<结果>"

    例子:
      | 居民出资    | 结果                         |
      | 9999999.99  | 拒绝:funding.plan_balanced   |
      | 10000000.00 | 接受                         |
      | 10000000.01 | 拒绝:funding.plan_balanced   |

  @funding.plan_balanced
  场景: 拒绝理由写明总投资、来源合计与差额
    当 "staff:wang" 于 "2023-09-01T09:00+08:00" 对 "BJ-JS-01" 触发 "fund"：
      """
      sources:
        - {kind: central_subsidy, amount: "30000000.00"}
        - {kind: maintenance_funds, amount: "9999999.99"}
      """
    那么 被规则 "funding.plan_balanced" 拒绝，依据 "政府投资条例 第22条"
    而且 拒绝的数字 "investment" 为 "40000000.00"，"sources_total" 为 "39999999.99"，"difference" 为 "-0.01"

  @funding.no_contractor_advance
  场景大纲: 资金计划含施工单位垫资的，即使合计相符也予拒绝并写明依据
    当 "staff:wang" 于 "2023-09-01T09:00+08:00" 对 "BJ-JS-01" 触发 "fund"：
      """
      sources:
        - {kind: central_subsidy, amount: "<中央补助>"}
        - {kind: contractor_advance, amount: "<垫资>"}
      """
    那么 结果为 "<结果>"

    例子:
      | 中央补助    | 垫资        | 结果                               |
      | 30000000.00 | 10000000.00 | 拒绝:funding.no_contractor_advance |
      | 40000000.00 | 0.00        | 接受                               |

  @funding.no_contractor_advance
  场景: 垫资的拒绝理由引用政府投资条例第二十二条
    当 "staff:wang" 于 "2023-09-01T09:00+08:00" 对 "BJ-JS-01" 触发 "fund"：
      """
      sources:
        - {kind: central_subsidy, amount: "30000000.00"}
        - {kind: contractor_advance, amount: "10000000.00"}
      """
    那么 被规则 "funding.no_contractor_advance" 拒绝，依据 "政府投资条例 第22条"
    而且 拒绝理由包含 "政府投资项目不得由施工单位垫资建设"

  @funding.no_government_guarantee
  场景大纲: 地方政府及其所属部门为社会资本的债务提供担保的予拒绝，银行担保不受此限
    当 "staff:wang" 于 "2023-09-01T09:00+08:00" 对 "BJ-JS-01" 触发 "fund"：
      """
      sources:
        - {kind: central_subsidy, amount: "20000000.00"}
        - {kind: bank_loans, amount: "20000000.00", party: 某商业银行}
      guarantees:
        - {guarantor: <担保人>, kind: <类别>, debtor: bank_loans, amount: "20000000.00"}
      """
    那么 结果为 "<结果>"

    例子:
      | 担保人       | 类别                  | 结果                                 |
      | 某区财政局   | local_government      | 拒绝:funding.no_government_guarantee |
      | 某区住建委   | government_department | 拒绝:funding.no_government_guarantee |
      | 某融资担保公司 | guarantee_company   | 接受                                 |
