# language: zh-CN
@audit
功能: 审计人员核验采购日志未被篡改
  审计和财政监督人员不必信任采购人员，也不必信任数据库管理员：每个事件的哈希链能证明
  逐个事件没有被改动，审计人员用自己的密钥签名的检查点能证明整条记录（整个流、流的末尾）
  没有被删除、也没有被重算哈希后改写。发现问题时要指出是哪个流、第几号事件、哪里不一致。
  法律依据：《政府采购法》第42条（采购文件应当妥善保存，不得伪造、变造、隐匿或者销毁，
  保存期限至少十五年）；《电子签名法》第13条（签署后对电子签名和数据电文内容、形式的任何
  改动能够被发现）。每个事件只存一份正文（哈希所覆盖的规范 JSON，压缩保存）：内容、时间的改动
  都改变正文而被哈希发现；为查找而另存的列（流、序号、类型、记录人）与正文不符也被指出。

  背景:
    假如 已按示例场景记录竞争性谈判 "CN-2023-001" 和 "CN-2023-002"

  @audit.log_unaltered
  场景: 未被改动的日志核验通过
    当 审计人员核验日志
    那么 核验通过

  @audit.log_unaltered
  场景大纲: 直接改动数据库文件中的事件被发现并定位
    当 攻击者删除只读触发器后在 "<流>" 的 "<事件>" 事件上<改动>
    那么 核验发现 "<流>" 的 "<事件>" 事件有误，说明含 "<说明>"

    例子:
      | 流                      | 事件                       | 改动                 | 说明                            |
      | procurement:CN-2023-001 | SuppliersInvited           | 改动事件内容的一个字节   | the stored body hashes to       |
      | procurement:CN-2023-001 | NegotiationDocumentsIssued | 改动业务时间           | the stored body hashes to       |
      | procurement:CN-2023-002 | ProcurementFailed          | 改动记录时间           | the stored body hashes to       |
      | procurement:CN-2023-001 | NegotiationDocumentsIssued | 改动记录人列           | column actor                    |
      | procurement:CN-2023-001 | ResponsesClosed            | 删除该事件             | is missing                      |
      | procurement:CN-2023-001 | ResponsesClosed            | 与上一个事件调换顺序     | column global_seq               |
      | procurement:CN-2023-001 | SuppliersInvited           | 改动存储正文并保留原哈希 | the stored body hashes to       |

  @audit.log_unaltered
  场景大纲: 改回原值的“改动”不算篡改
    当 攻击者删除只读触发器后在 "<流>" 的 "<事件>" 事件上<改动>
    那么 核验通过

    例子:
      | 流                      | 事件                       | 改动             |
      | procurement:CN-2023-001 | NegotiationDocumentsIssued | 把业务时间写回原值 |

  @audit.checkpoint
  场景: 只截断流末尾而不回退流头，不用检查点也能发现
    当 攻击者删除只读触发器后截断 "procurement:CN-2023-001" 的最后 2 个事件但不回退流头
    那么 核验发现 "procurement:CN-2023-001" 的末尾缺少 2 个事件

  @audit.checkpoint
  场景大纲: 哈希链自洽的篡改要靠签名检查点发现
    假如 审计人员 "auditor:zhao" 用自己的密钥封存检查点
    当 攻击者删除只读触发器后<篡改>
    那么 仅凭哈希链核验通过
    而且 依据检查点核验发现 "<流>" 有误，说明含 "<说明>"

    例子:
      | 篡改                                          | 流                      | 说明                           |
      | 删除整个流 "procurement:CN-2023-002"            | procurement:CN-2023-002 | the stream is gone             |
      | 截断 "procurement:CN-2023-001" 的最后 2 个事件并回退流头 | procurement:CN-2023-001 | were removed                   |
      | 改写 "procurement:CN-2023-001" 的业务时间并重算其后所有哈希 | procurement:CN-2023-001 | the stream was rewritten       |

  @audit.checkpoint
  场景: 检查点之后正常追加的事件不算篡改
    假如 审计人员 "auditor:zhao" 用自己的密钥封存检查点
    当 采购人员在封存之后正常开启采购 "CN-2023-009"
    那么 依据检查点核验通过

  @audit.checkpoint
  场景: 被改动的检查点文件不予采信
    假如 审计人员 "auditor:zhao" 用自己的密钥封存检查点
    当 有人从检查点文件中删去 "procurement:CN-2023-002"
    那么 依据检查点核验发现检查点文件有误，说明含 "the signature does not verify"
