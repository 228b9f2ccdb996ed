# language: zh-CN
@evaluation
功能: 谈判轮次：全体成员与单一供应商分别谈判，实质性变动书面通知所有供应商
  谈判小组需要知道每一轮谈判是否合规，落选的供应商和审计人员需要能复核：每一轮由谈判小组
  全体成员集中与单一供应商分别谈判；谈判文件有实质性变动的，书面通知所有仍在谈判的供应商；
  一轮结束（每一家仍在谈判的供应商都已谈过）才能进入下一轮；退出或被排除的供应商不再参加
  谈判，也不能提交最后报价。谈判结束后要求最后报价，截止时间须在要求之后。
  法律依据：《政府采购法》第38条第(三)项、第(四)项；财政部令第74号 第31条。

  背景:
    假如 已登记示例项目和供应商
    而且 采购 "CN-R" 已进入谈判

  @negotiation.round_whole_group
  场景大纲: 谈判小组全体成员参加每一次谈判
    当 "evaluator:刘专家" 于 "2023-03-09T09:00+08:00" 记录第 1 轮与 "S-CDJG" 的谈判，出席成员 "<出席>"
    那么 结果为 "<结果>"

    例子:
      | 出席                    | 结果                                |
      | 刘专家,周专家,采购人代表张 | 接受                                |
      | 刘专家,周专家              | 拒绝:negotiation.round_whole_group  |
      | 刘专家,周专家,采购人代表张,王某 | 拒绝:negotiation.round_whole_group  |

  @negotiation.round_sequence
  场景大纲: 一轮谈完所有仍在谈判的供应商，才能进入下一轮
    假如 第 1 轮已与 "<已谈>" 谈判
    当 "evaluator:刘专家" 于 "2023-03-10T09:00+08:00" 记录第 <轮次> 轮与 "S-CDJG" 的谈判，出席成员 "刘专家,周专家,采购人代表张"
    那么 结果为 "<结果>"

    例子:
      | 已谈                         | 轮次 | 结果                             |
      | S-CDJG,S-HXJS,S-SLGC         | 2    | 拒绝:negotiation.round_sequence  |
      | S-CDJG,S-HXJS,S-SLGC,S-YXWY  | 2    | 接受                             |
      | S-CDJG,S-HXJS,S-SLGC,S-YXWY  | 3    | 拒绝:negotiation.round_sequence  |
      | S-HXJS,S-SLGC,S-YXWY         | 1    | 接受                             |
      | S-CDJG,S-HXJS,S-SLGC,S-YXWY  | 1    | 拒绝:negotiation.round_sequence  |

  @negotiation.changes_notified
  场景大纲: 实质性变动须书面通知所有仍在谈判的供应商
    当 "evaluator:刘专家" 于 "2023-03-09T09:00+08:00" 对 "CN-R" 触发 "record_round"：
      """
      round: 1
      met: [S-CDJG]
      group_present: [刘专家, 周专家, 采购人代表张]
      changes: [电梯井道施工工期由120日调整为100日]
      notified: <通知>
      """
    那么 结果为 "<结果>"

    例子:
      | 通知                              | 结果                               |
      | [S-CDJG, S-HXJS, S-SLGC, S-YXWY]  | 接受                               |
      | [S-CDJG, S-HXJS, S-SLGC]          | 拒绝:negotiation.changes_notified  |
      | []                                | 拒绝:negotiation.changes_notified  |

  @negotiation.round_whole_group @negotiation.final_quote
  场景: 第二轮退出的供应商不再谈判，也不能提交最后报价
    假如 第 1 轮已与 "S-CDJG,S-HXJS,S-SLGC,S-YXWY" 谈判
    而且 "evaluator:刘专家" 于 "2023-03-10T09:00+08:00" 对 "CN-R" 触发 "record_round"：
      """
      round: 2
      met: [S-SLGC]
      group_present: [刘专家, 周专家, 采购人代表张]
      changes: []
      excluded: [{supplier: S-SLGC, reason: 供应商书面表示退出谈判}]
      """
    当 "evaluator:刘专家" 于 "2023-03-10T10:00+08:00" 记录第 2 轮与 "S-SLGC" 的谈判，出席成员 "刘专家,周专家,采购人代表张"
    那么 被规则 "negotiation.round_whole_group" 拒绝，依据 "政府采购法 第38条第(三)项"

  @negotiation.final_quote_deadline @negotiation.round_sequence
  场景大纲: 最后报价截止时间须在要求之后，且最后一轮已谈完所有供应商
    假如 第 1 轮已与 "<已谈>" 谈判
    当 "evaluator:刘专家" 于 "2023-03-13T09:00+08:00" 对 "CN-R" 触发 "request_final_quotes"：
      """
      deadline: "<截止>"
      """
    那么 结果为 "<结果>"

    例子:
      | 已谈                         | 截止                      | 结果                                   |
      | S-CDJG,S-HXJS,S-SLGC,S-YXWY  | 2023-03-13T09:00:00+08:00 | 拒绝:negotiation.final_quote_deadline  |
      | S-CDJG,S-HXJS,S-SLGC,S-YXWY  | 2023-03-13T17:00:00+08:00 | 接受                                   |
      | S-CDJG,S-HXJS,S-SLGC         | 2023-03-13T17:00:00+08:00 | 拒绝:negotiation.round_sequence        |

  @negotiation.lowest_price @negotiation.round_sequence
  场景: 三轮谈判、第二轮一家退出，最低合格报价成交，审计重放得到同一结果
    假如 第 1 轮已与 "S-CDJG,S-HXJS,S-SLGC,S-YXWY" 谈判
    而且 第 2 轮已与 "S-CDJG,S-HXJS,S-YXWY" 谈判，并在与 "S-SLGC" 谈判时记录其退出
    而且 第 3 轮已与 "S-CDJG,S-HXJS,S-YXWY" 谈判
    而且 于 "2023-03-13T09:00+08:00" 要求最后报价，截止 "2023-03-14T17:00+08:00"
    而且 最后报价为：
      | 供应商 | 报价       |
      | S-CDJG | 3380000.00 |
      | S-HXJS | 3245000.00 |
      | S-YXWY | 3290000.00 |
    当 于 "2023-03-14T17:30+08:00" 开启最后报价，各家如实披露
    而且 "evaluator:刘专家" 于 "2023-03-15T09:00+08:00" 对 "CN-R" 触发 "recommend"
    而且 "staff:wang" 于 "2023-03-15T10:00+08:00" 对 "CN-R" 触发 "award"：
      """
      supplier: S-HXJS
      """
    那么 "CN-R" 的状态为 "awarded"
    而且 成交供应商为 "S-HXJS"，成交价 "3245000.00"
    而且 审计重放 "CN-R" 没有发现问题，重放状态为 "awarded"
