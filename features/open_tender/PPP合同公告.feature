# language: zh-CN
@open_tender @ppp
功能: PPP项目合同签订后2个工作日内公告
  实施机构需要知道PPP项目合同签订后何时必须公告，审计人员需要能复核合同是否按期公告。采购人
  应当自政府采购合同签订之日起2个工作日内，将合同在省级以上人民政府财政部门指定的媒体上公告
  （涉及国家秘密、商业秘密的内容除外）。PPP项目签订合同后进入“已签订待公告”，公告后采购完成；
  2个工作日按国务院办公厅公布的放假安排计算（调休上班日计入），至末日24时届满；逾期未公告的，
  计时器记录逾期，逾期公告须记录原因。非PPP项目签订合同即完成。
  法律依据：《政府采购法实施条例》第50条；财库〔2014〕215号（PPP项目合同公告，条文未核实，
  参数状态为 secondary）。

  背景:
    假如 已登记示例项目和供应商
    而且 已登记示例项目、供应商和实施主体

  @ppp.contract_publication_max_working_days
  场景: PPP项目签订合同后待公告；非PPP项目签订合同即完成
    假如 PPP招标"PPP-S" 已进行到 "awarded"
    而且 公开招标"OT-S" 已进行到 "awarded"
    当 "staff:zhao" 于 "2023-09-28T15:00+08:00" 对 "PPP-S" 触发 "sign_contract"：
      """
      {contract_value: "38600000.00", performance_bond: "3860000.00"}
      """
    那么 "PPP-S" 的状态为 "contract_signed"
    当 "staff:wang" 于 "2023-04-10T10:00+08:00" 对 "OT-S" 触发 "sign_contract"：
      """
      {contract_value: "11980000.00", performance_bond: "1000000.00"}
      """
    那么 "OT-S" 的状态为 "contracted"

  @ppp.contract_publication_max_working_days
  场景大纲: 合同自签订之日起2个工作日内公告（中秋、国庆假期及调休）
    假如 PPP招标"PPP-K" 已进行到 "contract_signed"
    那么 "PPP-K" 的 "deadlines.contract_publication_due" 为 "2023-10-09T00:00:00+08:00"
    当 "staff:zhao" 于 "<公告时间>" 对 "PPP-K" 触发 "publish_contract"：
      """
      {channel: 中国政府采购网}
      """
    那么 结果为 "<结果>"
    而且 "PPP-K" 的状态为 "<状态>"

    # 9-28（星期四）签订：9-29 至 10-06 放假，10-07（星期六）、10-08（星期日）调休上班，
    # 2个工作日为 10-07、10-08，至 10-08 24时届满。
    例子:
      | 公告时间                  | 结果                                              | 状态            |
      | 2023-10-08T17:00+08:00    | 接受                                              | contracted      |
      | 2023-10-09T09:00+08:00    | 拒绝:ppp.contract_publication_max_working_days    | contract_signed |

  @ppp.contract_publication_max_working_days
  场景: 2个工作日内未公告的，计时器记录逾期；逾期公告须记录原因
    假如 PPP招标"PPP-K" 已进行到 "contract_signed"
    当 到了 "2023-10-09T00:00+08:00" 执行计时
    那么 "PPP-K" 的状态为 "contract_signed"
    而且 "PPP-K" 的记录 "contract_publication_lapsed.deadline" 为 "2023-10-09T00:00:00+08:00"
    当 "staff:zhao" 于 "2023-10-10T10:00+08:00" 对 "PPP-K" 触发 "publish_contract"：
      """
      {channel: 中国政府采购网}
      """
    那么 结果为 "拒绝:ppp.contract_publication_max_working_days"
    当 "staff:zhao" 于 "2023-10-10T10:00+08:00" 对 "PPP-K" 触发 "publish_contract"：
      """
      {channel: 中国政府采购网, late_reason: 指定媒体系统维护，延迟发布}
      """
    那么 "PPP-K" 的状态为 "contracted"
