# language: zh-CN
@open_tender
功能: 资格预审
  招标人可以对潜在投标人进行资格预审。资格预审文件的发售期、申请文件的提交时间和通过人数都有
  法定要求；通过资格预审的申请人少于3个的，应当重新招标；未通过资格预审的申请人不具有投标资格。
  法律依据：《招标投标法实施条例》第16条、第17条、第18条、第19条、第21条。

  背景:
    假如 已登记示例项目和供应商
    而且 已登记示例项目、供应商和实施主体
    而且 项目 "CD-WJ-2023" 以 "open_tender" 方式开启采购 "OT-Q"，时间 "2023-03-01T09:00+08:00"

  @tender.document_sale_min_days @tender.prequal_application_min_days
  场景大纲: 资格预审文件发售不少于5日，申请文件自停止发售之日起不少于5日提交
    当 "staff:wang" 于 "2023-03-01T10:00+08:00" 对 "OT-Q" 触发 "publish_prequalification"：
      """
      {sale_until: "<停止发售>", application_deadline: "<申请截止>"}
      """
    那么 结果为 "<结果>"

    例子: 3-06 起算5日为 3-11（周六），顺延至 3-13
      | 停止发售                  | 申请截止                  | 结果                                        |
      | 2023-03-05T17:00+08:00    | 2023-03-13T09:00+08:00    | 拒绝:tender.document_sale_min_days          |
      | 2023-03-06T17:00+08:00    | 2023-03-10T09:00+08:00    | 拒绝:tender.prequal_application_min_days    |
      | 2023-03-06T17:00+08:00    | 2023-03-13T09:00+08:00    | 接受                                        |

  @tender.prequal_pass_min
  场景大纲: 通过资格预审的申请人少于3个的，应当重新招标
    假如 "staff:wang" 于 "2023-03-01T10:00+08:00" 对 "OT-Q" 触发 "publish_prequalification"：
      """
      {sale_until: "2023-03-06T17:00+08:00", application_deadline: "2023-03-13T09:00+08:00"}
      """
    而且 "supplier:S-CDJG" 于 "2023-03-07T10:00+08:00" 对 "OT-Q" 触发 "submit_application"：
      """
      {supplier: S-CDJG}
      """
    而且 "supplier:S-HXJS" 于 "2023-03-07T11:00+08:00" 对 "OT-Q" 触发 "submit_application"：
      """
      {supplier: S-HXJS}
      """
    而且 "supplier:S-SLGC" 于 "2023-03-08T10:00+08:00" 对 "OT-Q" 触发 "submit_application"：
      """
      {supplier: S-SLGC}
      """
    当 "staff:wang" 于 "2023-03-13T14:00+08:00" 对 "OT-Q" 触发 "record_prequalification"：
      """
      results: [{supplier: S-CDJG, passed: true}, {supplier: S-HXJS, passed: true}, {supplier: S-SLGC, passed: <第三家通过>, reason: 资质等级不满足}]
      """
    那么 操作成功
    而且 "OT-Q" 的状态为 "<状态>"

    例子:
      | 第三家通过 | 状态         |
      | false      | failed       |
      | true       | prequalified |

  @tender.prequal_review
  场景大纲: 申请截止后逐一审查每个申请人，不通过的说明理由
    假如 "staff:wang" 于 "2023-03-01T10:00+08:00" 对 "OT-Q" 触发 "publish_prequalification"：
      """
      {sale_until: "2023-03-06T17:00+08:00", application_deadline: "2023-03-13T09:00+08:00"}
      """
    而且 "supplier:S-CDJG" 于 "2023-03-07T10:00+08:00" 对 "OT-Q" 触发 "submit_application"：
      """
      {supplier: S-CDJG}
      """
    而且 "supplier:S-HXJS" 于 "2023-03-07T11:00+08:00" 对 "OT-Q" 触发 "submit_application"：
      """
      {supplier: S-HXJS}
      """
    当 "staff:wang" 于 "<时间>" 对 "OT-Q" 触发 "record_prequalification"：
      """
      results: <结果清单>
      """
    那么 结果为 "<结果>"

    例子:
      | 时间                      | 结果清单                                                                  | 结果                         |
      | 2023-03-13T08:59+08:00    | [{supplier: S-CDJG, passed: true}, {supplier: S-HXJS, passed: true}]      | 拒绝:tender.prequal_review   |
      | 2023-03-13T14:00+08:00    | [{supplier: S-CDJG, passed: true}]                                        | 拒绝:tender.prequal_review   |
      | 2023-03-13T14:00+08:00    | [{supplier: S-CDJG, passed: true}, {supplier: S-HXJS, passed: false}]     | 拒绝:tender.prequal_review   |
      | 2023-03-13T14:00+08:00    | [{supplier: S-CDJG, passed: true}, {supplier: S-YXWY, passed: true}]      | 拒绝:tender.prequal_review   |
      | 2023-03-13T14:00+08:00    | [{supplier: S-CDJG, passed: true}, {supplier: S-HXJS, passed: false, reason: 业绩不足}] | 接受   |

  @tender.prequal_application_deadline
  场景大纲: 资格预审申请文件在截止时间前递交
    假如 "staff:wang" 于 "2023-03-01T10:00+08:00" 对 "OT-Q" 触发 "publish_prequalification"：
      """
      {sale_until: "2023-03-06T17:00+08:00", application_deadline: "2023-03-13T09:00+08:00"}
      """
    当 "supplier:S-CDJG" 于 "<递交时间>" 对 "OT-Q" 触发 "submit_application"：
      """
      {supplier: S-CDJG}
      """
    那么 结果为 "<结果>"

    例子:
      | 递交时间                  | 结果                                      |
      | 2023-03-13T08:59+08:00    | 接受                                      |
      | 2023-03-13T09:00+08:00    | 拒绝:tender.prequal_application_deadline  |

  @tender.prequal_clarification_min_days
  场景大纲: 澄清资格预审文件在申请截止时间至少3日前发出，否则顺延
    假如 "staff:wang" 于 "2023-03-01T10:00+08:00" 对 "OT-Q" 触发 "publish_prequalification"：
      """
      {sale_until: "2023-03-06T17:00+08:00", application_deadline: "2023-03-13T09:00+08:00"}
      """
    当 "staff:wang" 于 "<澄清时间>" 对 "OT-Q" 触发 "clarify"：
      """
      summary: 补充资格条件的证明材料要求
      """
    那么 操作成功
    而且 "OT-Q" 的 "deadlines.prequal_application_deadline" 为 "<截止时间>"

    例子: 3-10 起算3日为 3-13；3-11（周六）起算为 3-14
      | 澄清时间                  | 截止时间                    |
      | 2023-03-10T10:00+08:00    | 2023-03-13T09:00+08:00      |
      | 2023-03-11T10:00+08:00    | 2023-03-14T09:00:00+08:00   |

  @tender.prequal_pass_min
  场景: 未通过资格预审的申请人不具有投标资格
    假如 "staff:wang" 于 "2023-03-01T10:00+08:00" 对 "OT-Q" 触发 "publish_prequalification"：
      """
      {sale_until: "2023-03-06T17:00+08:00", application_deadline: "2023-03-13T09:00+08:00"}
      """
    而且 "supplier:S-CDJG" 于 "2023-03-07T10:00+08:00" 对 "OT-Q" 触发 "submit_application"：
      """
      {supplier: S-CDJG}
      """
    而且 "supplier:S-HXJS" 于 "2023-03-07T11:00+08:00" 对 "OT-Q" 触发 "submit_application"：
      """
      {supplier: S-HXJS}
      """
    而且 "supplier:S-SLGC" 于 "2023-03-08T10:00+08:00" 对 "OT-Q" 触发 "submit_application"：
      """
      {supplier: S-SLGC}
      """
    而且 "supplier:S-YXWY" 于 "2023-03-08T11:00+08:00" 对 "OT-Q" 触发 "submit_application"：
      """
      {supplier: S-YXWY}
      """
    而且 "staff:wang" 于 "2023-03-13T14:00+08:00" 对 "OT-Q" 触发 "record_prequalification"：
      """
      results: [{supplier: S-CDJG, passed: true}, {supplier: S-HXJS, passed: true}, {supplier: S-SLGC, passed: true}, {supplier: S-YXWY, passed: false, reason: 业绩不足}]
      """
    而且 "staff:wang" 于 "2023-03-14T09:00+08:00" 对 "OT-Q" 触发 "check_eligibility"：
      """
      candidates: [S-CDJG, S-HXJS, S-SLGC, S-YXWY]
      """
    而且 "staff:wang" 于 "2023-03-14T10:00+08:00" 对 "OT-Q" 触发 "issue_documents"：
      """
      {sale_until: "2023-03-20T17:00+08:00", bid_deadline: "2023-04-03T09:30+08:00", bid_bond: "0"}
      """
    当 "supplier:S-YXWY" 于 "2023-03-20T10:00+08:00" 对 "OT-Q" 触发 "submit_bid"：
      """
      {supplier: S-YXWY, commitment: 54d7282e4e8dc9de6b5b74843365ce227676b3093daec453ac4d9bdf5b65c25c, bond: "0"}
      """
    那么 结果为 "拒绝:tender.prequal_pass_min"
    当 "supplier:S-SLGC" 于 "2023-03-20T10:00+08:00" 对 "OT-Q" 触发 "submit_bid"：
      """
      {supplier: S-SLGC, commitment: faddcb668034805ca470ed71af89c94c6ef79b1e57247e764110946723cb39e7, bond: "0"}
      """
    那么 操作成功
