# language: zh-CN
@competitive_negotiation
功能: 竞争性谈判的供应商与谈判小组人数
  采购人和代理机构需要在邀请供应商、组建谈判小组时就知道是否合法，
  审计人员需要能复核每一次拒绝的依据。
  法律依据：《政府采购法》第30条、第38条；财政部令第74号 第7条、第12条。

  背景:
    假如 已登记示例项目和供应商
    而且 项目 "CD-HH-2023" 以 "competitive_negotiation" 方式开启采购 "CN-T"，时间 "2023-03-01T09:00+08:00"
    而且 "staff:wang" 于 "2023-03-01T10:00+08:00" 对 "CN-T" 触发 "approve_method"：
      """
      ground: complex_or_special
      justification: 技术复杂，不能确定详细规格
      """
    而且 "staff:wang" 于 "2023-03-01T11:00+08:00" 对 "CN-T" 触发 "check_eligibility"：
      """
      candidates: [S-CDJG, S-HXJS, S-SLGC, S-YXWY]
      """

  @negotiation.grounds
  场景: 没有第30条法定情形的不得采用竞争性谈判
    假如 项目 "CD-HH-2023" 以 "competitive_negotiation" 方式开启采购 "CN-G"，时间 "2023-03-01T09:00+08:00"
    当 "staff:wang" 于 "2023-03-01T10:00+08:00" 对 "CN-G" 触发 "approve_method"：
      """
      ground: urgent
      justification: " "
      """
    那么 被规则 "negotiation.grounds" 拒绝，依据 "政府采购法 第30条"

  @negotiation.group_min_size @negotiation.group_expert_share
  场景大纲: 谈判小组为3人以上单数，专家不少于三分之二
    当 "staff:wang" 于 "2023-03-02T10:00+08:00" 对 "CN-T" 触发 "form_group"：
      """
      members: <成员>
      """
    那么 结果为 "<结果>"

    例子:
      | 成员 | 结果 |
      | [{name: A, role: expert}, {name: B, role: purchaser_representative}] | 拒绝:negotiation.group_min_size |
      | [{name: A, role: expert}, {name: B, role: expert}, {name: C, role: purchaser_representative}] | 接受 |
      | [{name: A, role: expert}, {name: B, role: expert}, {name: C, role: expert}, {name: D, role: purchaser_representative}] | 拒绝:negotiation.group_min_size |
      | [{name: A, role: expert}, {name: B, role: purchaser_representative}, {name: C, role: purchaser_representative}] | 拒绝:negotiation.group_min_size |
      | [{name: A, role: expert}, {name: B, role: expert}, {name: C, role: expert}, {name: D, role: expert}, {name: E, role: purchaser_representative}] | 接受 |

  @negotiation.invited_min
  场景大纲: 邀请参加谈判的供应商不少于3家
    假如 "staff:wang" 于 "2023-03-02T10:00+08:00" 对 "CN-T" 触发 "form_group"：
      """
      members: [{name: A, role: expert}, {name: B, role: expert}, {name: C, role: purchaser_representative}]
      """
    当 "staff:wang" 于 "2023-03-03T10:00+08:00" 对 "CN-T" 触发 "invite"：
      """
      suppliers: <供应商>
      """
    那么 结果为 "<结果>"

    例子:
      | 供应商 | 结果 |
      | [{id: S-CDJG, recommended_by: public_notice}, {id: S-HXJS, recommended_by: public_notice}] | 拒绝:negotiation.invited_min |
      | [{id: S-CDJG, recommended_by: public_notice}, {id: S-HXJS, recommended_by: public_notice}, {id: S-SLGC, recommended_by: experts}] | 接受 |
      | [{id: S-CDJG, recommended_by: public_notice}, {id: S-HXJS, recommended_by: public_notice}, {id: S-SLGC, recommended_by: experts}, {id: S-YXWY, recommended_by: experts}] | 接受 |

  @negotiation.recommended_max_share @negotiation.recommended_share_of_recommended
  场景大纲: 采用书面推荐方式的，采购人推荐的供应商不得高于推荐供应商总数的50%
    # 财政部令第74号 第12条："采取采购人和评审专家书面推荐方式选择供应商的……采购人推荐供应商的
    # 比例不得高于推荐供应商总数的50%。"比例的分母是推荐的供应商（采购人推荐 + 评审专家推荐），
    # 不是全部受邀供应商；通过公告或者供应商库抽取的供应商不计入。
    假如 "staff:wang" 于 "2023-03-02T10:00+08:00" 对 "CN-T" 触发 "form_group"：
      """
      members: [{name: A, role: expert}, {name: B, role: expert}, {name: C, role: purchaser_representative}]
      """
    当 "staff:wang" 于 "2023-03-03T10:00+08:00" 对 "CN-T" 触发 "invite"：
      """
      suppliers: <供应商>
      """
    那么 结果为 "<结果>"

    例子: 推荐的供应商中采购人推荐的占 2/4、2/3、1/2、1/1
      | 供应商 | 结果 |
      | [{id: S-CDJG, recommended_by: purchaser}, {id: S-HXJS, recommended_by: purchaser}, {id: S-SLGC, recommended_by: experts}, {id: S-YXWY, recommended_by: experts}] | 接受 |
      | [{id: S-CDJG, recommended_by: purchaser}, {id: S-HXJS, recommended_by: purchaser}, {id: S-SLGC, recommended_by: experts}] | 拒绝:negotiation.recommended_max_share |
      | [{id: S-CDJG, recommended_by: purchaser}, {id: S-HXJS, recommended_by: experts}, {id: S-SLGC, recommended_by: public_notice}] | 接受 |
      | [{id: S-CDJG, recommended_by: purchaser}, {id: S-HXJS, recommended_by: public_notice}, {id: S-SLGC, recommended_by: supplier_database}] | 拒绝:negotiation.recommended_max_share |

  @negotiation.recommended_max_share @negotiation.recommended_share_of_recommended
  场景: 公告征集的供应商不计入推荐总数：采购人推荐2家、专家推荐1家时不因另有公告供应商而合规
    # 按旧的读法（占全部受邀供应商的比例）2/5 = 40% 会被接受；按第12条，推荐总数为3家，采购人
    # 推荐2家，占 2/3，超过50%。
    假如 "staff:wang" 于 "2023-03-02T10:00+08:00" 对 "CN-T" 触发 "form_group"：
      """
      members: [{name: A, role: expert}, {name: B, role: expert}, {name: C, role: purchaser_representative}]
      """
    当 "staff:wang" 于 "2023-03-03T10:00+08:00" 对 "CN-T" 触发 "invite"：
      """
      suppliers: [{id: S-CDJG, recommended_by: purchaser}, {id: S-HXJS, recommended_by: purchaser}, {id: S-SLGC, recommended_by: experts}, {id: S-YXWY, recommended_by: public_notice}]
      """
    那么 被规则 "negotiation.recommended_max_share" 拒绝，依据 "财政部令第74号 第12条"
