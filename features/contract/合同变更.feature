# language: zh-CN
@contract
功能: 合同变更（原因、双方批准、金额和期限限制、新增利用共有部分经营须业主重新表决）
  PPP项目合同多年履行中会变更范围、价格、期限或收入来源。每一次变更记录原因和批准文件，须经政府方和
  社会资本方协商一致（民法典 第543条，未经核实）；价格变更累计不得超过合同金额的10%（政府采购法
  第49条：所有补充合同的采购金额不得超过原合同采购金额的百分之十，未经核实），期限连同延长不得超过
  特许经营期限上限（基础设施和公用事业特许经营管理办法，二手资料），项目记录没有特许经营期限的无法
  核查，不予通过；新增利用共有部分从事经营活动的变更须业主重新表决，经参与表决专有部分面积四分之三
  以上且参与表决人数四分之三以上的业主同意（民法典 第278条第1款第八项、第2款）。

  背景:
    假如 已登记示例项目和供应商
    而且 采购 "CN-2023-020" 已按 "negotiation_contract.yaml" 签订合同
    而且 于 "2023-04-10T09:00+08:00" 开始采购 "CN-2023-020" 的合同履行

  @contract.variation_agreed
  场景大纲: 合同变更须经政府方和社会资本方双方批准
    当 "legal:sun" 于 "2023-05-10T10:00+08:00" 对 "contract:CN-2023-020" 作出变更 "V1"，价格变动 "10000.00"，批准方 "<批准方>"
    那么 结果为 "<结果>"

    例子:
      | 批准方                     | 结果                            |
      | government,social_capital  | 接受                            |
      | government                 | 拒绝:contract.variation_agreed  |
      | social_capital,lender      | 拒绝:contract.variation_agreed  |

  @contract.variation_price_max_ratio
  场景大纲: 价格变更累计不超过合同金额（3,245,000.00元）的10%，恰好324,500.00元通过，多一分拒绝
    假如 "legal:sun" 于 "2023-05-10T10:00+08:00" 对 "contract:CN-2023-020" 作出变更 "V1"，价格变动 "-200000.00"，批准方 "government,social_capital"
    当 "legal:sun" 于 "2023-06-10T10:00+08:00" 对 "contract:CN-2023-020" 作出变更 "V2"，价格变动 "<第二次>"，批准方 "government,social_capital"
    那么 结果为 "<结果>"

    例子:
      | 第二次      | 结果                                       |
      | 124500.00   | 接受                                       |
      | 124500.01   | 拒绝:contract.variation_price_max_ratio    |

  @ppp.concession_max_years
  场景: 项目记录没有特许经营期限的，延长期限的变更无法核查，不予通过
    当 "legal:sun" 于 "2023-05-10T10:00+08:00" 对 "contract:CN-2023-020" 触发 "vary"：
      """
      {id: V3, kind: term, reason: 运营期延长, term_years_change: 2, approvals: [{party: government, body: 青羊区住建局, reference: 青住建〔2023〕9号, date: "2023-05-09"}, {party: social_capital, body: 成都华西建设有限公司, reference: 华西函〔2023〕3号, date: "2023-05-09"}]}
      """
    那么 被规则 "ppp.concession_max_years" 拒绝，依据 "特许经营管理办法"
    而且 拒绝理由写明 "cannot be checked"
