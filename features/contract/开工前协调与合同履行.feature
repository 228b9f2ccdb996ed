# language: zh-CN
@contract
功能: PPP项目合同签订后的履行：融资到位、开工前各方协调、竣工验收、运营、暂停与恢复、移交或提前终止
  合同签订后，改造还要经历多年的建设和运营。政策文件指出签约后最常见的问题是专业经营单位和有关部门
  没有协调好就开工、运营维护中断、居民被排除在外。合同的履行与采购一样逐步记录，审计人员可以重放。
  国办发〔2020〕23号《关于全面推进城镇老旧小区改造工作的指导意见》三（一）、四（一）：统筹协调供水、
  供电、供气、通信等专业经营单位，与街道、社区共同推进改造（二手资料）。开工前必须由供水、供电、
  供气、通信单位、街道办和居委会逐一签署同意（改造内容涉及供热的还需供热单位），每一方记录由谁、
  何时签署；缺少任何一方或有未解决的异议都不能开工，拒绝理由和“下一步”写明缺少哪一方。
  合同流程从合同已签订的采购开始（政府采购法 第46条；财库〔2014〕215号 第20、21条，未经核实）；
  竣工验收见建设工程质量管理条例 第16条；暂停、终止按合同约定（民法典 第527、533、563条）。

  背景:
    假如 已登记示例项目和供应商
    而且 采购 "CN-2023-020" 已按 "negotiation_contract.yaml" 签订合同

  @contract.coordination_complete
  场景大纲: 缺少任何一个协调方的签署，不能开工，拒绝理由和下一步写明缺少哪一方
    假如 于 "2023-04-10T09:00+08:00" 开始采购 "CN-2023-020" 的合同履行
    而且 "finance:li" 于 "2023-04-20T10:00+08:00" 对 "contract:CN-2023-020" 触发 "approve_financing"：
      """
      {lender: 成都银行青羊支行, approval_number: 成银贷〔2023〕56号, amount: "2000000.00", approved_on: "2023-04-20"}
      """
    而且 "contract:CN-2023-020" 除 "<缺少>" 外各协调方均于 "2023-04-21T10:00+08:00" 签署同意
    当 "staff:wang" 于 "2023-04-24T10:00+08:00" 对 "contract:CN-2023-020" 触发 "start_construction"：
      """
      {started_on: "2023-04-24", permit: "510105202304240001"}
      """
    那么 被规则 "contract.coordination_complete" 拒绝，依据 "国办发〔2020〕23号"
    而且 拒绝理由写明 "<缺少>"
    而且 "contract:CN-2023-020" 的下一步 "start_construction" 写明 "<缺少>"

    例子: 开工前需要签署的六方逐一缺少
      | 缺少            |
      | utility.water   |
      | utility.power   |
      | utility.gas     |
      | utility.telecom |
      | subdistrict     |
      | community       |

  @contract.coordination_complete @contract.coordination_no_objection
  场景: 有未解决的异议时不能开工；异议方改为同意后开工
    假如 于 "2023-04-10T09:00+08:00" 开始采购 "CN-2023-020" 的合同履行
    而且 "finance:li" 于 "2023-04-20T10:00+08:00" 对 "contract:CN-2023-020" 触发 "approve_financing"：
      """
      {lender: 成都银行青羊支行, approval_number: 成银贷〔2023〕56号, amount: "2000000.00", approved_on: "2023-04-20"}
      """
    而且 "contract:CN-2023-020" 除 "utility.power" 外各协调方均于 "2023-04-21T10:00+08:00" 签署同意
    而且 "staff:wang" 于 "2023-04-21T11:00+08:00" 对 "contract:CN-2023-020" 触发 "sign_off"：
      """
      {party: utility.power, organisation: 国网成都供电公司, signatory: 张工, decision: object, reason: 电梯井道与高压电缆走向冲突}
      """
    当 "staff:wang" 于 "2023-04-24T10:00+08:00" 对 "contract:CN-2023-020" 触发 "start_construction"：
      """
      {started_on: "2023-04-24", permit: "510105202304240001"}
      """
    那么 被规则 "contract.coordination_no_objection" 拒绝，依据 "国办发〔2020〕23号"
    而且 拒绝理由写明 "电梯井道与高压电缆走向冲突"
    假如 "staff:wang" 于 "2023-04-25T10:00+08:00" 对 "contract:CN-2023-020" 触发 "sign_off"：
      """
      {party: utility.power, organisation: 国网成都供电公司, signatory: 张工, decision: agree}
      """
    当 "staff:wang" 于 "2023-04-26T10:00+08:00" 对 "contract:CN-2023-020" 触发 "start_construction"：
      """
      {started_on: "2023-04-26", permit: "510105202304240001"}
      """
    那么 操作成功
    而且 "contract:CN-2023-020" 的状态为 "under_construction"
    而且 "contract:CN-2023-020" 的状态显示 "utility.power" 由 "张工" 于 "2023-04-25T10:00:00+08:00" 签署同意

  @contract.signoff_party
  场景: 开工不需要的一方（区政府主管部门）不在合同协调方之列，其签署被拒绝
    假如 于 "2023-04-10T09:00+08:00" 开始采购 "CN-2023-020" 的合同履行
    而且 "finance:li" 于 "2023-04-20T10:00+08:00" 对 "contract:CN-2023-020" 触发 "approve_financing"：
      """
      {lender: 成都银行青羊支行, approval_number: 成银贷〔2023〕56号, amount: "2000000.00", approved_on: "2023-04-20"}
      """
    当 "staff:wang" 于 "2023-04-21T10:00+08:00" 对 "contract:CN-2023-020" 触发 "sign_off"：
      """
      {party: district, organisation: 青羊区住建局, signatory: 刘科长, decision: agree}
      """
    那么 被规则 "contract.signoff_party" 拒绝，依据 "国办发〔2020〕23号"

  @contract.after_signing
  场景: 合同尚未签订的采购不能开始合同履行
    假如 项目 "CD-HH-2023" 以 "competitive_negotiation" 方式开启采购 "CN-F-01"，时间 "2023-03-01T09:00+08:00"
    当 于 "2023-03-02T09:00+08:00" 开始采购 "CN-F-01" 的合同履行
    那么 被规则 "contract.after_signing" 拒绝，依据 "政府采购法 第46条"
    而且 拒绝理由写明 "CN-F-01"

  @contract.dates_not_future
  场景大纲: 记录的融资批复日期不得晚于记录时间
    假如 于 "2023-04-10T09:00+08:00" 开始采购 "CN-2023-020" 的合同履行
    当 "finance:li" 于 "2023-04-20T10:00+08:00" 对 "contract:CN-2023-020" 触发 "approve_financing"：
      """
      {lender: 成都银行青羊支行, approval_number: 成银贷〔2023〕56号, amount: "2000000.00", approved_on: "<批复日期>"}
      """
    那么 结果为 "<结果>"

    例子:
      | 批复日期   | 结果                              |
      | 2023-04-20 | 接受                              |
      | 2023-04-21 | 拒绝:contract.dates_not_future    |

  @contract.resume_to_suspended_stage @contract.dates_not_future
  场景: 施工中暂停后恢复施工；竣工验收、运营到期移交，资产清单和状况记录在案，重放得出同样的决定
    假如 于 "2023-04-10T09:00+08:00" 开始采购 "CN-2023-020" 的合同履行
    而且 "finance:li" 于 "2023-04-20T10:00+08:00" 对 "contract:CN-2023-020" 触发 "approve_financing"：
      """
      {lender: 成都银行青羊支行, approval_number: 成银贷〔2023〕56号, amount: "2000000.00", approved_on: "2023-04-20"}
      """
    而且 "contract:CN-2023-020" 除 "无" 外各协调方均于 "2023-04-21T10:00+08:00" 签署同意
    而且 "staff:wang" 于 "2023-04-24T10:00+08:00" 对 "contract:CN-2023-020" 触发 "start_construction"：
      """
      {started_on: "2023-04-24", permit: "510105202304240001"}
      """
    而且 "legal:sun" 于 "2023-06-01T10:00+08:00" 对 "contract:CN-2023-020" 触发 "suspend"：
      """
      {reason: 汛期暂停井道开挖, clause: 合同第12.2条}
      """
    当 "staff:wang" 于 "2023-07-01T10:00+08:00" 对 "contract:CN-2023-020" 触发 "resume"：
      """
      {note: 汛期结束}
      """
    那么 操作成功
    而且 "contract:CN-2023-020" 的状态为 "under_construction"
    当 "staff:wang" 于 "2023-09-28T10:00+08:00" 对 "contract:CN-2023-020" 触发 "accept_completion"：
      """
      {accepted_on: "2023-09-29", participants: [青羊区住建局, 监理单位], report: 竣工验收报告}
      """
    那么 被规则 "contract.dates_not_future" 拒绝，依据 "建设工程质量管理条例 第16条"
    假如 "staff:wang" 于 "2023-09-29T10:00+08:00" 对 "contract:CN-2023-020" 触发 "accept_completion"：
      """
      {accepted_on: "2023-09-29", participants: [青羊区住建局, 监理单位], report: 竣工验收报告}
      """
    而且 "staff:wang" 于 "2023-10-01T09:00+08:00" 对 "contract:CN-2023-020" 触发 "start_operation"：
      """
      {started_on: "2023-10-01", operator: 成都华西建设有限公司}
      """
    当 "staff:wang" 于 "2025-09-30T10:00+08:00" 对 "contract:CN-2023-020" 触发 "hand_over"：
      """
      handed_over_on: "2025-09-30"
      receiver: 浣花社区居民委员会
      assets:
        - {name: 加装电梯（3部）, condition: good}
      """
    那么 操作成功
    而且 "contract:CN-2023-020" 的状态为 "handed_over"
    而且 重放 "contract:CN-2023-020" 得出同样的决定
