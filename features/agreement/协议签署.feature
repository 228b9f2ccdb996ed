# language: zh-CN
@agreement
功能: PPP项目协议在成交之后订立，各方依次以本人密钥签署，签署开始后条款不再单方变更
  采购人、社会资本、居民委员会和街道办事处依次签署项目协议（电子签名），银行据此审查融资资料包。
  协议只能与成交供应商、在成交通知书发出后订立，日期不早于成交、不晚于记录的合同期限；每一方只能
  用属于本方的签名密钥签署，按合同模板规定的顺序签署；全部签署后才组装融资资料包；签署开始后，
  条款和呈现的协议文本不得再由一方改变。
  依据：《招标投标法》第46条（P）、《政府采购法》第46条（secondary：POLICY.md 未列，条文见转引来源）
  ——中标、成交通知书发出之日起三十日内订立合同；
  《电子签名法》第13、14条，《民法典》第136、543条，合同模板的签署顺序条款（POLICY.md 未列，
  状态为 unconfirmed：拒绝时注明“依据未经核实”）。

  背景:
    假如 采购 "CN-2023-001" 已成交给 "S-HXJS"，四方的演示密钥已生成

  @agreement.after_award
  场景: 尚未成交的采购不能记录协议条款
    假如 项目 "CD-HH-2023" 另开启竞争性谈判采购 "CN-2023-009"，尚未成交
    当 对 "CN-2023-009" 记录示例协议条款
    那么 协议步骤被规则 "agreement.after_award" 拒绝，依据 "政府采购法 第46条"
    而且 没有记录任何协议事件

  @agreement.after_award
  场景: 已成交的采购记录协议条款
    当 对 "CN-2023-001" 记录示例协议条款
    那么 协议步骤成功

  @agreement.date_within_contract_period
  # 上限（成交通知书发出后三十日）以采购记录的合同期限（deadlines.contract_deadline）为准；竞争性
  # 谈判尚未记录该期限（issue 12 第11项），补上后在此增加 2023-04-13 拒绝一行。
  场景大纲: 协议日期不早于成交之日（2023-03-13）
    当 对 "CN-2023-001" 记录协议日期为 "<日期>" 的示例协议条款
    那么 协议步骤的结果为 "<结果>"

    例子:
      | 日期       | 结果                                           |
      | 2023-03-12 | 拒绝:agreement.date_within_contract_period     |
      | 2023-03-13 | 接受                                           |
      | 2023-04-07 | 接受                                           |
      | 2023-04-12 | 接受                                           |

  @agreement.signer_identity
  场景: 用其他一方的密钥签署被拒绝，并注明依据未经核实
    假如 示例协议条款已记录，协议已呈现
    当 "implementing_agency" 用 "social_capital" 的密钥签署协议
    那么 协议步骤被规则 "agreement.signer_identity" 拒绝，依据 "电子签名法 第13条"
    而且 拒绝注明 "（依据未经核实：unconfirmed）"
    而且 没有记录任何签署

  @agreement.signer_identity
  场景: 用本方密钥签署被接受
    假如 示例协议条款已记录，协议已呈现
    当 "implementing_agency" 用 "implementing_agency" 的密钥签署协议
    那么 协议步骤成功

  @agreement.signing_order
  场景: 不按模板规定的顺序签署被拒绝
    假如 示例协议条款已记录，协议已呈现
    当 "residents_committee" 用 "residents_committee" 的密钥签署协议
    那么 协议步骤被规则 "agreement.signing_order" 拒绝，依据 "signing_parties"
    而且 拒绝注明 "implementing_agency, social_capital must sign first"

  @agreement.signing_order
  场景: 按顺序签署：采购人之后社会资本签署被接受
    假如 示例协议条款已记录，协议已呈现
    而且 "implementing_agency" 用 "implementing_agency" 的密钥签署协议
    当 "social_capital" 用 "social_capital" 的密钥签署协议
    那么 协议步骤成功

  @agreement.signed_by_all
  场景: 尚有一方未签署时不组装融资资料包
    假如 示例协议条款已记录，协议已呈现
    而且 "implementing_agency" 用 "implementing_agency" 的密钥签署协议
    当 组装融资资料包
    那么 协议步骤被规则 "agreement.signed_by_all" 拒绝，依据 "电子签名法 第14条"
    而且 拒绝注明 "social_capital, residents_committee, subdistrict_office still to sign"

  @agreement.signed_by_all
  场景: 四方依次签署后组装融资资料包
    假如 示例协议条款已记录，协议已呈现
    而且 四方依次签署协议
    当 组装融资资料包
    那么 协议步骤成功

  @agreement.terms_fixed_once_signed
  场景: 签署开始后变更协议条款被拒绝
    假如 示例协议条款已记录，协议已呈现
    而且 "implementing_agency" 用 "implementing_agency" 的密钥签署协议
    当 对 "CN-2023-001" 记录协议日期为 "2023-04-08" 的示例协议条款
    那么 协议步骤被规则 "agreement.terms_fixed_once_signed" 拒绝，依据 "民法典 第136条"

  @agreement.terms_fixed_once_signed
  场景: 签署开始前可以更正协议条款
    假如 示例协议条款已记录，协议已呈现
    当 对 "CN-2023-001" 记录协议日期为 "2023-04-08" 的示例协议条款
    那么 协议步骤成功
