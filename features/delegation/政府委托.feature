# language: zh-CN
@delegation
功能: 政府委托实施主体
  政府可以直接委托实施主体（常为区属国有企业）实施改造项目。委托决定要写明法律依据、决定机关和
  实施主体的资格，并在签订委托协议前公示。实施主体成为招标人后，达到必须招标规模的工程仍须
  招标，除非它依法能够自行建设，或者是已经通过招标选定的特许经营项目投资人。
  法律依据：《招标投标法》第3条；《招标投标法实施条例》第9条第(二)项、第(三)项；国家发展改革委令
  第16号第5条（必须招标的规模标准，二手来源）；《政府采购法》第22条。

  背景:
    假如 已登记示例项目和供应商
    而且 已登记示例项目、供应商和实施主体
    而且 项目 "CD-CT-2024" 以 "delegation" 方式开启采购 "DL-1"，时间 "2024-03-04T09:00+08:00"

  @delegation.ground_recorded
  场景大纲: 没有法律依据的委托不被接受
    当 "staff:he" 于 "2024-03-05T10:00+08:00" 对 "DL-1" 触发 "decide_entrustment"：
      """
      supplier: S-QYCG
      decided_by: <决定机关>
      ground: {basis: government_decision, reference: <文号>, justification: <理由>}
      eligibility: {conclusion: 具备政府采购法第22条规定的条件}
      works: self_build
      """
    那么 结果为 "<结果>"

    例子:
      | 决定机关             | 文号            | 理由                     | 结果                            |
      | 成都市青羊区人民政府 | " "             | 区属国企统筹实施片区改造 | 拒绝:delegation.ground_recorded |
      | 成都市青羊区人民政府 | 青府发〔2024〕5号 | " "                      | 拒绝:delegation.ground_recorded |
      | " "                  | 青府发〔2024〕5号 | 区属国企统筹实施片区改造 | 拒绝:delegation.ground_recorded |
      | 成都市青羊区人民政府 | 青府发〔2024〕5号 | 区属国企统筹实施片区改造 | 接受                            |

  @delegation.entity_eligibility
  场景大纲: 实施主体的登记资料应当显示政府采购法第22条规定的条件，资格审查结论应当记录
    假如 已登记供应商：
      """
      {id: E-1, name: 某区城市建设有限公司, uscc: 91510100MA6B7HW1PB, legal_representative: 钱明, independent_civil_liability: true, good_commercial_reputation: true, accounts_sound: true, has_equipment_and_technical_capacity: true, tax_social_security_ok: <纳税社保>, qualifications: [{type: 建筑工程施工总承包, grade: 二级}]}
      """
    当 "staff:he" 于 "2024-03-05T10:00+08:00" 对 "DL-1" 触发 "decide_entrustment"：
      """
      supplier: E-1
      decided_by: 成都市青羊区人民政府
      ground: {basis: government_decision, reference: 青府发〔2024〕5号, justification: 区属国企统筹实施}
      eligibility: {conclusion: <结论>}
      works: self_build
      """
    那么 结果为 "<结果>"

    例子:
      | 纳税社保 | 结论                 | 结果                                |
      | false    | 具备第22条规定的条件 | 拒绝:delegation.entity_eligibility  |
      | true     | " "                  | 拒绝:delegation.entity_eligibility  |
      | true     | 具备第22条规定的条件 | 接受                                |

  @delegation.entity_eligibility
  场景大纲: 实施主体按政府委托的资格规则审查，不要求施工资质；近三年有重大违法记录的不得受托
    委托开启时固定（pin）本方式的资格规则 workflows/eligibility/delegation.yaml：政府采购法第22条的
    条件（含实施条例第19条的重大违法记录）和信用名单，不含施工资质——实施主体不自行建设时，工程依法
    招标（招标投标法 第3条），能否自行建设由第9条第(二)、(三)项另行判断。改造项目的规则
    renovation 要求施工资质，委托时选用它会把没有资质的实施主体拒之门外。

    假如 已登记供应商：
      """
      {id: E-3, name: 某区城市更新事业发展中心, uscc: 91510100MA6B7HW1PB, legal_representative: 赵平, independent_civil_liability: true, good_commercial_reputation: true, accounts_sound: true, has_equipment_and_technical_capacity: true, tax_social_security_ok: true, qualifications: [], records: [<记录>]}
      """
    而且 项目 "CD-CT-2024" 以 "delegation" 方式、资格规则 "<规则>" 开启采购 "DL-E"，时间 "2024-03-04T09:00+08:00"
    当 "staff:he" 于 "2024-03-05T10:00+08:00" 对 "DL-E" 触发 "decide_entrustment"：
      """
      supplier: E-3
      decided_by: 成都市青羊区人民政府
      ground: {basis: government_decision, reference: 青府发〔2024〕5号, justification: 区属事业单位统筹实施}
      eligibility: {conclusion: 具备第22条规定的条件}
      works: tender
      """
    那么 结果为 "<结果>"

    例子: 委托决定日 2024-03-05；重大违法记录看此前三年（自 2021-03-05 起，民法典 第201条的算法）
      | 规则       | 记录                                                                                     | 结果                               |
      | delegation |                                                                                          | 接受                               |
      | delegation | {kind: large_fine, date: "2021-03-04", authority: 某区市场监督管理局, description: 罚款} | 接受                               |
      | delegation | {kind: large_fine, date: "2021-03-05", authority: 某区市场监督管理局, description: 罚款} | 拒绝:delegation.entity_eligibility |
      | renovation |                                                                                          | 拒绝:delegation.entity_eligibility |

  @delegation.entity_eligibility
  场景: 委托决定记录所依据的资格规则和审查日期，拒绝时写明未通过的规则及其依据
    假如 已登记供应商：
      """
      {id: E-4, name: 某区城市建设有限公司, uscc: 91510100MA6B7HW1PB, legal_representative: 钱明, independent_civil_liability: true, good_commercial_reputation: true, accounts_sound: true, has_equipment_and_technical_capacity: false, tax_social_security_ok: true, qualifications: []}
      """
    当 "staff:he" 于 "2024-03-05T10:00+08:00" 对 "DL-1" 触发 "decide_entrustment"：
      """
      supplier: E-4
      decided_by: 成都市青羊区人民政府
      ground: {basis: government_decision, reference: 青府发〔2024〕5号, justification: 区属国企统筹实施}
      eligibility: {conclusion: 具备第22条规定的条件}
      works: tender
      """
    那么 被规则 "delegation.entity_eligibility" 拒绝，依据 "政府采购法 第22条"
    当 "staff:he" 于 "2024-03-05T10:00+08:00" 对 "DL-1" 触发 "decide_entrustment"：
      """
      supplier: S-QYZY
      decided_by: 成都市青羊区人民政府
      ground: {basis: government_decision, reference: 青府发〔2024〕5号, justification: 区属国企统筹实施}
      eligibility: {conclusion: 具备第22条规定的条件}
      works: tender
      """
    那么 "DL-1" 的状态为 "decided"
    而且 "DL-1" 的记录 "entrustment.eligibility_check.ruleset.id" 为 "delegation"
    而且 "DL-1" 的记录 "entrustment.eligibility_check.date" 为 "2024-03-05"
    而且 "DL-1" 的记录 "entrustment.eligibility_check.eligible" 为 "True"

  @credit.list_not_checked @credit.list_max_age_days
  场景: 信用名单未导入或已过时效的，实施主体未经核查，不得作出委托决定
    假如 信用名单由本场景自行导入
    当 "staff:he" 于 "2024-03-05T10:00+08:00" 对 "DL-1" 触发 "decide_entrustment"：
      """
      supplier: S-QYZY
      decided_by: 成都市青羊区人民政府
      ground: {basis: government_decision, reference: 青府发〔2024〕5号, justification: 区属国企统筹实施}
      eligibility: {conclusion: 具备第22条规定的条件}
      works: tender
      """
    那么 被规则 "credit.list_not_checked" 拒绝，依据 "财库〔2016〕125号"
    假如 于 "2024-03-05T09:00+08:00" 导入截至 "2024-02-26" 的信用名单 "失信被执行人, 重大税收违法, 政府采购严重违法失信"
    当 "staff:he" 于 "2024-03-05T10:00+08:00" 对 "DL-1" 触发 "decide_entrustment"：
      """
      supplier: S-QYZY
      decided_by: 成都市青羊区人民政府
      ground: {basis: government_decision, reference: 青府发〔2024〕5号, justification: 区属国企统筹实施}
      eligibility: {conclusion: 具备第22条规定的条件}
      works: tender
      """
    那么 被规则 "credit.list_not_checked" 拒绝，依据 "财库〔2016〕125号"
    假如 于 "2024-03-05T09:30+08:00" 导入截至 "2024-03-05" 的信用名单 "失信被执行人, 重大税收违法, 政府采购严重违法失信"
    当 "staff:he" 于 "2024-03-05T10:00+08:00" 对 "DL-1" 触发 "decide_entrustment"：
      """
      supplier: S-QYZY
      decided_by: 成都市青羊区人民政府
      ground: {basis: government_decision, reference: 青府发〔2024〕5号, justification: 区属国企统筹实施}
      eligibility: {conclusion: 具备第22条规定的条件}
      works: tender
      """
    那么 "DL-1" 的状态为 "decided"

  @delegation.works_tendering @regime.must_tender_works @regime.must_tender_goods @regime.must_tender_services
  场景大纲: 达到必须招标规模的，实施主体不得不经招标而发包
    假如 已登记项目：
      """
      {id: P-<类别>, name: 改造项目, estimated_investment: "<估算>", procurement_category: <类别>, filing: {number: 备〔2022〕1号, date: "2022-12-01", authority: 区发展改革委}}
      """
    而且 项目 "P-<类别>" 以 "delegation" 方式开启采购 "DL-<类别>"，时间 "2024-03-04T09:00+08:00"
    当 "staff:he" 于 "2024-03-05T10:00+08:00" 对 "DL-<类别>" 触发 "decide_entrustment"：
      """
      supplier: S-QYZY
      decided_by: 成都市青羊区人民政府
      ground: {basis: government_decision, reference: 青府发〔2024〕5号, justification: 区属国企统筹实施}
      eligibility: {conclusion: 具备第22条规定的条件}
      works: not_required
      """
    那么 结果为 "<结果>"

    例子: 施工400万元、货物200万元、勘察设计监理等服务100万元
      | 类别     | 估算         | 结果                             |
      | works    | 3999999.99   | 接受                             |
      | works    | 4000000.00   | 拒绝:regime.must_tender_works    |
      | goods    | 1999999.99   | 接受                             |
      | goods    | 2000000.00   | 拒绝:regime.must_tender_goods    |
      | services | 999999.99    | 接受                             |
      | services | 1000000.00   | 拒绝:regime.must_tender_services |

  @delegation.self_build
  场景大纲: 依法能够自行建设的实施主体可以不招标（须持有有效的施工资质）
    假如 已登记供应商：
      """
      {id: E-2, name: 某区城投建设有限公司, uscc: 91510100MA6B7HW1PB, legal_representative: 钱明, independent_civil_liability: true, good_commercial_reputation: true, accounts_sound: true, has_equipment_and_technical_capacity: true, tax_social_security_ok: true, qualifications: [{type: <资质>, grade: 二级, valid_until: "<有效期>"}]}
      """
    当 "staff:he" 于 "2024-03-05T10:00+08:00" 对 "DL-1" 触发 "decide_entrustment"：
      """
      supplier: E-2
      decided_by: 成都市青羊区人民政府
      ground: {basis: government_decision, reference: 青府发〔2024〕5号, justification: 区属国企统筹实施}
      eligibility: {conclusion: 具备第22条规定的条件}
      works: self_build
      """
    那么 结果为 "<结果>"

    例子:
      | 资质                 | 有效期     | 结果                       |
      | 建筑工程施工总承包   | 2024-03-05 | 接受                       |
      | 建筑工程施工总承包   | 2024-03-04 | 拒绝:delegation.self_build |
      | 工程监理综合资质     | 2026-12-31 | 拒绝:delegation.self_build |

  @delegation.concession_investor
  场景大纲: 已通过招标选定的特许经营项目投资人可以不再招标（两标并一标）
    假如 公开招标"OT-9" 已进行到 "<招标状态>"
    而且 项目 "CD-WJ-2023" 以 "delegation" 方式开启采购 "DL-9"，时间 "2023-04-01T09:00+08:00"
    当 "staff:he" 于 "2023-04-03T10:00+08:00" 对 "DL-9" 触发 "decide_entrustment"：
      """
      supplier: <实施主体>
      decided_by: 成都市锦江区人民政府
      ground: {basis: government_decision, reference: 锦府发〔2023〕3号, justification: 特许经营项目投资人实施}
      eligibility: {conclusion: 具备第22条规定的条件}
      works: concession_investor
      investor_procurement: OT-9
      """
    那么 结果为 "<结果>"

    例子: OT-9 中标人为 S-CDJG
      | 招标状态          | 实施主体 | 结果                                 |
      | awarded           | S-CDJG   | 接受                                 |
      | awarded           | S-HXJS   | 拒绝:delegation.concession_investor  |
      | publicity_ended   | S-CDJG   | 拒绝:delegation.concession_investor  |

  @delegation.concession_investor
  场景大纲: 特许经营项目投资人须依法能够自行建设（持有有效的施工资质），方可不再招标
    《招标投标法实施条例》第9条第(三)项："已通过招标方式选定的特许经营项目投资人依法能够自行建设、
    生产或者提供"——与第(二)项一样，要看投资人自己的资质（建筑法 第13条）。

    假如 公开招标"OT-9" 已进行到 "awarded"
    而且 已登记供应商：
      """
      {id: S-CDJG, name: 成都建工城市更新有限公司, uscc: 91510100MA61XY8127, legal_representative: 李建国, independent_civil_liability: true, good_commercial_reputation: true, accounts_sound: true, has_equipment_and_technical_capacity: true, tax_social_security_ok: true, records: [], qualifications: [{type: <资质>, grade: 一级, valid_until: "<有效期>"}]}
      """
    而且 项目 "CD-WJ-2023" 以 "delegation" 方式开启采购 "DL-9"，时间 "2023-04-01T09:00+08:00"
    当 "staff:he" 于 "2023-04-03T10:00+08:00" 对 "DL-9" 触发 "decide_entrustment"：
      """
      supplier: S-CDJG
      decided_by: 成都市锦江区人民政府
      ground: {basis: government_decision, reference: 锦府发〔2023〕3号, justification: 特许经营项目投资人实施}
      eligibility: {conclusion: 具备第22条规定的条件}
      works: concession_investor
      investor_procurement: OT-9
      """
    那么 结果为 "<结果>"

    例子: OT-9 中标人为 S-CDJG；委托决定日为 2023-04-03
      | 资质               | 有效期     | 结果                                |
      | 建筑工程施工总承包 | 2023-04-03 | 接受                                |
      | 建筑工程施工总承包 | 2023-04-02 | 拒绝:delegation.concession_investor |
      | 工程监理综合资质   | 2027-06-30 | 拒绝:delegation.concession_investor |

  @delegation.concession_investor
  场景: 投资人的招标项目须是本项目的
    假如 公开招标"OT-9" 已进行到 "awarded"
    当 "staff:he" 于 "2024-03-05T10:00+08:00" 对 "DL-1" 触发 "decide_entrustment"：
      """
      supplier: S-CDJG
      decided_by: 成都市青羊区人民政府
      ground: {basis: government_decision, reference: 青府发〔2024〕5号, justification: 特许经营项目投资人实施}
      eligibility: {conclusion: 具备第22条规定的条件}
      works: concession_investor
      investor_procurement: OT-9
      """
    那么 结果为 "拒绝:delegation.concession_investor"
    当 "staff:he" 于 "2024-03-05T10:00+08:00" 对 "DL-1" 触发 "decide_entrustment"：
      """
      supplier: S-CDJG
      decided_by: 成都市青羊区人民政府
      ground: {basis: government_decision, reference: 青府发〔2024〕5号, justification: 特许经营项目投资人实施}
      eligibility: {conclusion: 具备第22条规定的条件}
      works: concession_investor
      investor_procurement: OT-404
      """
    那么 出错并指出 "procurement 'OT-404' does not exist"

  @delegation.publicity_before_agreement
  场景: 委托决定公示期满后方可签订委托协议，协议只与决定委托的实施主体签订
    假如 政府委托"DL-P" 已进行到 "decided"
    当 "staff:he" 于 "2024-03-06T09:00+08:00" 对 "DL-P" 触发 "publish_decision"：
      """
      {until: "2024-03-06T09:00+08:00", channel: 区政府网站}
      """
    那么 结果为 "拒绝:delegation.publicity_before_agreement"
    当 "staff:he" 于 "2024-03-06T09:00+08:00" 对 "DL-P" 触发 "publish_decision"：
      """
      {until: "2024-03-13T17:00+08:00", channel: 区政府网站}
      """
    而且 查看 "DL-P" 在 "2024-03-10T09:00+08:00" 的下一步
    那么 "end_publicity" 的守卫 "delegation_publicity_elapsed" 拒绝，开放时间为 "2024-03-13T17:00:00+08:00"
    当 到了 "2024-03-13T17:00+08:00" 执行计时
    而且 "staff:he" 于 "2024-03-15T10:00+08:00" 对 "DL-P" 触发 "sign_agreement"：
      """
      {supplier: S-QYZY, agreement: {name: 委托协议.pdf, sha256: 9d2c4b6a8e0f1d3c5b7a9e8d6c4b2a0f1e3d5c7b9a8f6e4d2c0b1a3e5f7d9c8b}}
      """
    那么 结果为 "拒绝:delegation.publicity_before_agreement"
    当 "staff:he" 于 "2024-03-15T10:00+08:00" 对 "DL-P" 触发 "sign_agreement"：
      """
      {supplier: S-QYCG, agreement: {name: 委托协议.pdf, sha256: 9d2c4b6a8e0f1d3c5b7a9e8d6c4b2a0f1e3d5c7b9a8f6e4d2c0b1a3e5f7d9c8b}}
      """
    那么 "DL-P" 的状态为 "awarded"
    而且 "DL-P" 的 "award.supplier" 为 "S-QYCG"
