# language: zh-CN
@contract
功能: 合同里程碑的计划与实际日期、逾期标记，以及合同项下的付款和收费
  银行信贷人员和审计人员要看到合同约定的每个里程碑何时计划、何时实际完成，哪些逾期；付款和收费要
  记在合同名下，与里程碑挂钩的付款只能在里程碑完成后记录。逾期是按计划日期计算出来的，不由人填写：
  已完成但晚于计划日期的为“逾期完成”，到查询之日仍未完成且已过计划日期的为“已逾期”。逾期完成的
  里程碑须说明原因。依据：PPP项目合同指南（试行）（财金〔2014〕156号）第二章 项目的建设、付费机制
  （未经核实：不在 POLICY.md 中）；合同约定的里程碑条款。

  背景:
    假如 已登记示例项目和供应商
    而且 采购 "CN-2023-020" 已按 "negotiation_contract.yaml" 签订合同
    而且 于 "2023-04-10T09:00+08:00" 开始采购 "CN-2023-020" 的合同履行
    而且 "staff:wang" 于 "2023-04-11T10:00+08:00" 对 "contract:CN-2023-020" 触发 "plan_milestones"：
      """
      milestones:
        - {id: M1, title: 电梯井道完工, planned: "2023-06-30", clause: 合同第8.1条}
        - {id: M2, title: 竣工验收, planned: "2023-09-30", clause: 合同第8.2条, payment: "500000.00"}
      """
    而且 "finance:li" 于 "2023-04-20T10:00+08:00" 对 "contract:CN-2023-020" 触发 "approve_financing"：
      """
      {lender: 成都银行青羊支行, approval_number: 成银贷〔2023〕56号, amount: "2000000.00", approved_on: "2023-04-20"}
      """

  @contract.milestone_late_reason
  场景大纲: 按期完成的里程碑直接记录；逾期完成的须说明原因，并在状态中标为逾期及天数
    当 "staff:wang" 于 "2023-07-20T10:00+08:00" 对 "contract:CN-2023-020" 触发 "record_milestone"：
      """
      {milestone: M1, achieved_on: "<完成日期>"<原因>}
      """
    那么 结果为 "<结果>"

    例子:
      | 完成日期   | 原因                         | 结果                                  |
      | 2023-06-30 |                              | 接受                                  |
      | 2023-07-01 |                              | 拒绝:contract.milestone_late_reason   |
      | 2023-07-01 | , late_reason: 雨季停工      | 接受                                  |

  @contract.milestone_late_reason
  场景: 状态标出逾期完成和已逾期未完成的里程碑，并给出下一个里程碑
    假如 "staff:wang" 于 "2023-07-20T10:00+08:00" 对 "contract:CN-2023-020" 触发 "record_milestone"：
      """
      {milestone: M1, achieved_on: "2023-07-20", late_reason: 雨季停工}
      """
    那么 "contract:CN-2023-020" 于 "2023-10-05T10:00+08:00" 的里程碑 "M1" 为 "late"，逾期 "20" 天
    而且 "contract:CN-2023-020" 于 "2023-10-05T10:00+08:00" 的里程碑 "M2" 为 "overdue"，逾期 "5" 天
    而且 "contract:CN-2023-020" 于 "2023-09-30T10:00+08:00" 的里程碑 "M2" 为 "open"，逾期 "0" 天
    而且 "contract:CN-2023-020" 于 "2023-10-05T10:00+08:00" 的下一个里程碑为 "M2"

  @contract.milestone_plan
  场景: 里程碑只按合同记录一次；不在计划中的或已完成的里程碑不能再记录完成
    当 "staff:wang" 于 "2023-04-21T10:00+08:00" 对 "contract:CN-2023-020" 触发 "plan_milestones"：
      """
      milestones: [{id: M9, title: 另行约定, planned: "2023-12-31", clause: 补充协议}]
      """
    那么 结果为 "拒绝:contract.milestone_plan"
    当 "staff:wang" 于 "2023-06-30T10:00+08:00" 对 "contract:CN-2023-020" 触发 "record_milestone"：
      """
      {milestone: M9, achieved_on: "2023-06-30"}
      """
    那么 结果为 "拒绝:contract.milestone_plan"
    假如 "staff:wang" 于 "2023-06-30T10:00+08:00" 对 "contract:CN-2023-020" 触发 "record_milestone"：
      """
      {milestone: M1, achieved_on: "2023-06-30"}
      """
    当 "staff:wang" 于 "2023-07-01T10:00+08:00" 对 "contract:CN-2023-020" 触发 "record_milestone"：
      """
      {milestone: M1, achieved_on: "2023-07-01"}
      """
    那么 结果为 "拒绝:contract.milestone_plan"

  @contract.payment_on_milestone
  场景: 与里程碑挂钩的付款须在里程碑完成后记录；付款按类别合计
    当 "finance:li" 于 "2023-06-01T10:00+08:00" 对 "contract:CN-2023-020" 触发 "record_payment"：
      """
      {kind: government_payment, payer: 青羊区住建局, payee: 成都华西建设有限公司, amount: "500000.00", paid_on: "2023-06-01", milestone: M2}
      """
    那么 结果为 "拒绝:contract.payment_on_milestone"
    当 "finance:li" 于 "2023-06-01T11:00+08:00" 对 "contract:CN-2023-020" 触发 "record_payment"：
      """
      {kind: user_charge, payer: 浣花小区居民（电梯使用费）, payee: 成都华西建设有限公司, amount: "1200.50", paid_on: "2023-05-31"}
      """
    那么 结果为 "接受"
    而且 "contract:CN-2023-020" 的付款合计 "user_charge" 为 "1200.50"
