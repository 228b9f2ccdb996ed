# language: zh-CN
@open_tender
功能: 开标时的投标人数、评标委员会的组成和评标报告
  投标截止时由计时器开标；投标人少于3个的不得开标，应当重新招标。评标委员会的组成和推荐的
  中标候选人决定了谁能中标，审计人员需要复核每一项数字。
  法律依据：《招标投标法》第28条、第37条、第42条；《招标投标法实施条例》第44条、第46条、第53条。

  背景:
    假如 已登记示例项目和供应商
    而且 已登记示例项目、供应商和实施主体

  @tender.bidders_min
  场景大纲: 投标人少于3个的不开标，招标失败，应当重新招标
    假如 项目 "CD-WJ-2023" 以 "open_tender" 方式开启采购 "OT-B"，时间 "2023-03-01T09:00+08:00"
    而且 "staff:wang" 于 "2023-03-01T10:00+08:00" 对 "OT-B" 触发 "issue_documents"：
      """
      {sale_until: "2023-03-06T17:00+08:00", bid_deadline: "2023-03-21T09:30+08:00", bid_bond: "0"}
      """
    而且 "staff:wang" 于 "2023-03-09T09:00+08:00" 对 "OT-B" 触发 "check_eligibility"：
      """
      candidates: [S-CDJG, S-HXJS, S-SLGC]
      """
    而且 "supplier:S-CDJG" 于 "2023-03-10T10:00+08:00" 对 "OT-B" 触发 "submit_bid"：
      """
      {supplier: S-CDJG, commitment: 88431f4d17db7d8f6f2cf5b4eaa3b540665f3407cf41045a539b1d88ce2a0cd1, bond: "0"}
      """
    而且 "supplier:S-HXJS" 于 "2023-03-10T11:00+08:00" 对 "OT-B" 触发 "submit_bid"：
      """
      {supplier: S-HXJS, commitment: d35fcb85165a860efa4183f447230c6ba795c4de5212af842898e29ec7dfa424, bond: "0"}
      """
    而且 "<第三家>" 于 "2023-03-10T12:00+08:00" 对 "OT-B" 触发 "submit_bid"：
      """
      {supplier: S-SLGC, commitment: 177db4e6c74d8d95d21a08f181065232f17b0f1decbefb063015da77bd88c227, bond: "0"}
      """
    当 到了 "2023-03-21T09:30+08:00" 执行计时
    那么 "OT-B" 的状态为 "<状态>"

    例子: 第三家由他人代为递交时被拒绝，只剩两家
      | 第三家             | 状态   |
      | supplier:S-CDJG    | failed |
      | supplier:S-SLGC    | opened |

  @tender.bidders_min
  场景: 投标截止前不开标，下一步列出开标时间
    假如 公开招标"OT-W" 已进行到 "bidding"
    当 "staff:wang" 于 "2023-03-20T10:00+08:00" 对 "OT-W" 触发 "open_bids"
    那么 结果为 "拒绝:tender.bidders_min"
    当 查看 "OT-W" 在 "2023-03-20T10:00+08:00" 的下一步
    那么 "open_bids" 的守卫 "tender_bidders_min" 拒绝，开放时间为 "2023-03-21T09:30:00+08:00"

  @tender.committee_min_size @tender.committee_expert_share
  场景大纲: 评标委员会为5人以上单数，技术、经济等方面的专家不少于三分之二
    假如 公开招标"OT-C" 已进行到 "opened"
    当 "staff:wang" 于 "2023-03-21T10:00+08:00" 对 "OT-C" 触发 "form_committee"：
      """
      members: <成员>
      """
    那么 结果为 "<结果>"

    例子:
      | 成员 | 结果 |
      | [{name: A, role: expert}, {name: B, role: expert}, {name: C, role: expert}, {name: D, role: purchaser_representative}] | 拒绝:tender.committee_min_size |
      | [{name: A, role: expert}, {name: B, role: expert}, {name: C, role: expert}, {name: D, role: expert}, {name: E, role: purchaser_representative}] | 接受 |
      | [{name: A, role: expert}, {name: B, role: expert}, {name: C, role: expert}, {name: D, role: expert}, {name: E, role: expert}, {name: F, role: purchaser_representative}] | 拒绝:tender.committee_min_size |
      | [{name: A, role: expert}, {name: B, role: expert}, {name: C, role: expert}, {name: D, role: purchaser_representative}, {name: E, role: purchaser_representative}] | 拒绝:tender.committee_expert_share |
      | [{name: A, role: expert}, {name: A, role: expert}, {name: C, role: expert}, {name: D, role: expert}, {name: E, role: purchaser_representative}] | 拒绝:tender.committee_min_size |

  @tender.candidates_max
  场景大纲: 评标报告推荐的中标候选人不超过3个，并标明排序
    假如 公开招标"OT-E" 已进行到 "committee_formed"
    当 "evaluator:甲" 于 "2023-03-22T17:00+08:00" 对 "OT-E" 触发 "record_evaluation"：
      """
      candidates: <候选人>
      """
    那么 结果为 "<结果>"

    例子: S-YXWY 没有投标
      | 候选人 | 结果 |
      | [{supplier: S-CDJG, rank: 1}, {supplier: S-SLGC, rank: 2}, {supplier: S-HXJS, rank: 3}] | 接受 |
      | [{supplier: S-CDJG, rank: 1}, {supplier: S-SLGC, rank: 3}] | 拒绝:tender.candidates_max |
      | [{supplier: S-CDJG, rank: 1}, {supplier: S-CDJG, rank: 2}] | 拒绝:tender.candidates_max |
      | [{supplier: S-CDJG, rank: 1}, {supplier: S-YXWY, rank: 2}] | 拒绝:tender.candidates_max |

  @tender.candidates_max
  场景大纲: 四家有效投标时，评标委员会也只推荐不超过3个中标候选人
    假如 四家投标的公开招标"OT-F" 已进行到 "committee_formed"
    当 "evaluator:甲" 于 "2023-03-22T17:00+08:00" 对 "OT-F" 触发 "record_evaluation"：
      """
      candidates: <候选人>
      """
    那么 结果为 "<结果>"

    例子: S-CDJG、S-SLGC、S-HXJS、S-YXWY 四家投标，报价均有效
      | 候选人 | 结果 |
      | [{supplier: S-SLGC, rank: 1}, {supplier: S-CDJG, rank: 2}, {supplier: S-HXJS, rank: 3}] | 接受 |
      | [{supplier: S-SLGC, rank: 1}, {supplier: S-CDJG, rank: 2}, {supplier: S-HXJS, rank: 3}, {supplier: S-YXWY, rank: 4}] | 拒绝:tender.candidates_max |

  @tender.candidates_max @tender.all_bids_rejected
  场景大纲: 否决全部投标的，招标失败；未说明理由的否决不被接受
    假如 公开招标"OT-R" 已进行到 "committee_formed"
    当 "evaluator:甲" 于 "2023-03-22T17:00+08:00" 对 "OT-R" 触发 "record_evaluation"：
      """
      candidates: []
      rejected: <否决>
      """
    那么 结果为 "<结果>"
    而且 "OT-R" 的状态为 "<状态>"

    例子:
      | 否决 | 结果 | 状态 |
      | [{supplier: S-CDJG, reason: 报价超过最高投标限价}, {supplier: S-SLGC, reason: 工期不满足}, {supplier: S-HXJS, reason: 未提供投标保证金}] | 接受 | failed |
      | [{supplier: S-CDJG, reason: 报价超过最高投标限价}, {supplier: S-SLGC, reason: 工期不满足}] | 拒绝:tender.all_bids_rejected | committee_formed |
