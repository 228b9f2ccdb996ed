# language: zh-CN
@bids
功能: 谈判文件发出之日至供应商提交首次响应文件截止之日不少于3个工作日
  供应商需要足够的时间准备响应文件；采购人发出谈判文件时就要知道最早可以定哪一天截止。
  期限按国务院公布的工作日（含调休上班日）计算，发出之日不计入（民法典 第201条）。
  法律依据：财政部令第74号 第29条（二手资料引述，待核实）。

  背景:
    假如 已登记示例项目和供应商
    而且 采购 "CN-P" 已于 2023-03-03（星期五）邀请四家供应商

  @negotiation.response_min_working_days
  场景大纲: 3个工作日为3月6日、7日、8日，最早在3月8日截止
    当 "staff:wang" 于 "2023-03-03T11:00+08:00" 对 "CN-P" 触发 "issue_documents"：
      """
      response_deadline: "<截止>"
      """
    那么 结果为 "<结果>"

    例子:
      | 截止                      | 结果                                        |
      | 2023-03-07T17:00:00+08:00 | 拒绝:negotiation.response_min_working_days  |
      | 2023-03-08T09:30:00+08:00 | 接受                                        |
      | 2023-03-09T09:30:00+08:00 | 接受                                        |

  @negotiation.response_deadline
  场景大纲: 响应文件须在截止时间前递交
    假如 "staff:wang" 于 "2023-03-03T11:00+08:00" 对 "CN-P" 触发 "issue_documents"：
      """
      response_deadline: "2023-03-08T09:30+08:00"
      """
    当 "supplier:S-HXJS" 于 "<时间>" 对 "CN-P" 触发 "submit_response"：
      """
      supplier: S-HXJS
      documents: [{name: 响应文件.pdf, sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08}]
      """
    那么 结果为 "<结果>"

    例子:
      | 时间                      | 结果                                |
      | 2023-03-08T09:30:00+08:00 | 接受                                |
      | 2023-03-08T09:30:01+08:00 | 拒绝:negotiation.response_deadline  |

  @negotiation.responses_min
  场景大纲: 响应截止时递交响应的供应商不足3家的，终止谈判
    假如 "staff:wang" 于 "2023-03-03T11:00+08:00" 对 "CN-P" 触发 "issue_documents"：
      """
      response_deadline: "2023-03-08T09:30+08:00"
      """
    而且 "<供应商>" 已于截止前递交响应文件
    当 到了 "2023-03-08T09:30+08:00" 执行计时
    那么 "CN-P" 的状态为 "<状态>"

    例子:
      | 供应商                       | 状态        |
      | S-CDJG,S-HXJS                | failed      |
      | S-CDJG,S-HXJS,S-SLGC         | negotiating |
      | S-CDJG,S-HXJS,S-SLGC,S-YXWY  | negotiating |
