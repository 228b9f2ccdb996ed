# language: zh-CN
@project @ppp_fiscal
功能: PPP项目的财政承受能力、政府付费项目限制、2023年新机制与特许经营期限
  有社会资本参与的改造项目在落实资金时接受PPP财政检查，按资金方案确定之日适用当时的规则：
  每一年度本级全部PPP项目从一般公共预算列支的财政支出责任（含本项目）不超过当年一般公共预算
  支出的10%（恰好10.00%通过）；财政支出责任占比超过5%的地区不得新上政府付费项目；
  2023年11月起的新机制下，新项目须为使用者付费、特许经营，不新增地方财政未来支出责任，关系国计
  民生、公共属性较强的项目民营企业股权占比原则上不低于35%；特许经营期限原则上不超过30年（2015年办法），
  2024年5月1日起不超过40年。区域的一般公共预算和存量PPP项目支出责任是带日期的登记数据
  （tenderflow fiscal import），未登记的视为未核查，不予通过（拒绝理由写明登记命令）。
  法律依据（均为二手资料，见 workflows/parameters.yaml）：财金〔2015〕21号；财金〔2022〕119号；
  国办函〔2023〕115号；基础设施和公用事业特许经营管理办法（2015年 令第25号、2024年 令第17号）。

  背景:
    假如 已登记改造项目 "BJ-JS-01"，总投资 "40000000.00" 元，财政区划 "110105"
    而且 项目 "BJ-JS-01" 已于 "2023-08-20T09:00+08:00" 立项备案

  @ppp.fiscal_affordability_max_ratio
  场景大纲: 含本项目的PPP支出责任恰好为一般公共预算支出的10.00%的通过，超过的拒绝并写明数字
    假如 区域 "110105" 于 "2023-08-31" 登记：一般公共预算支出每年 "1000000000.00" 元，存量PPP项目支出责任 2023年 "<存量2023>" 元、2024年起每年 "90000000.00" 元
    当 "finance:li" 于 "2023-09-01T09:00+08:00" 对 "BJ-JS-01" 触发 "fund"：
      """
      sources: [{kind: social_capital, amount: "40000000.00"}]
      ppp:
        form: other
        payment: viability_gap
        fiscal_expenditure: [{year: 2024, amount: "<本项目2024>"}]
      """
    那么 结果为 "<结果>"

    例子:
      | 存量2023    | 本项目2024  | 结果                                      |
      | 40000000.00 | 10000000.00 | 接受                                      |
      | 40000000.00 | 10000000.01 | 拒绝:ppp.fiscal_affordability_max_ratio   |

  @ppp.fiscal_affordability_max_ratio
  场景: 超过10%的拒绝理由写明年度、预算支出、存量支出、本项目支出与比例
    假如 区域 "110105" 于 "2023-08-31" 登记：一般公共预算支出每年 "1000000000.00" 元，存量PPP项目支出责任 2023年 "40000000.00" 元、2024年起每年 "90000000.00" 元
    当 "finance:li" 于 "2023-09-01T09:00+08:00" 对 "BJ-JS-01" 触发 "fund"：
      """
      sources: [{kind: social_capital, amount: "40000000.00"}]
      ppp:
        form: other
        payment: viability_gap
        fiscal_expenditure: [{year: 2024, amount: "20000000.00"}]
      """
    那么 被规则 "ppp.fiscal_affordability_max_ratio" 拒绝，依据 "财金〔2015〕21号"
    而且 拒绝的数字 "year" 为 "2024"，"general_budget" 为 "1000000000.00"，"existing" 为 "90000000.00"
    而且 拒绝的数字 "project" 为 "20000000.00"，"share" 为 "11.00%"，"limit" 为 "10.00%"

  @ppp.fiscal_affordability_max_ratio
  场景: 区域未登记财政数据的，视为未核查并写明登记命令
    假如 已登记改造项目 "BJ-XX-02"，总投资 "40000000.00" 元，财政区划 "110999"
    而且 项目 "BJ-XX-02" 已于 "2023-08-20T09:00+08:00" 立项备案
    当 "finance:li" 于 "2023-09-01T09:00+08:00" 对 "BJ-XX-02" 触发 "fund"：
      """
      sources: [{kind: social_capital, amount: "40000000.00"}]
      ppp: {form: other, payment: user_pay}
      """
    那么 被规则 "ppp.fiscal_affordability_max_ratio" 拒绝，依据 "财金〔2015〕21号"
    而且 拒绝理由包含 "not checked"
    而且 拒绝理由包含 "tenderflow fiscal import"

  @ppp.government_pay_max_ratio
  场景大纲: 财政支出责任占比超过5%的地区不得新上政府付费项目，恰好5.00%的可以
    假如 区域 "110105" 于 "2023-08-31" 登记：一般公共预算支出每年 "1000000000.00" 元，存量PPP项目支出责任 2023年 "<存量2023>" 元、2024年起每年 "90000000.00" 元
    当 "finance:li" 于 "2023-09-01T09:00+08:00" 对 "BJ-JS-01" 触发 "fund"：
      """
      sources: [{kind: social_capital, amount: "40000000.00"}]
      ppp: {form: other, payment: <回报机制>}
      """
    那么 结果为 "<结果>"

    例子:
      | 存量2023    | 回报机制        | 结果                                |
      | 50000000.00 | government_pay  | 接受                                |
      | 50000000.01 | government_pay  | 拒绝:ppp.government_pay_max_ratio   |
      | 50000000.01 | viability_gap   | 接受                                |

  @ppp.new_mechanism
  场景大纲: 新机制施行后，新项目须为使用者付费的特许经营且不新增财政支出责任
    假如 区域 "110105" 于 "2023-08-31" 登记：一般公共预算支出每年 "1000000000.00" 元，存量PPP项目支出责任 2023年 "<存量2023>" 元、2024年起每年 "90000000.00" 元
    当 "finance:li" 于 "2024-01-10T09:00+08:00" 对 "BJ-JS-01" 触发 "fund"：
      """
      sources: [{kind: social_capital, amount: "40000000.00"}]
      ppp:
        form: <合作方式>
        payment: <回报机制>
        category: market
        concession_years: 10
        fiscal_expenditure: <财政支出>
      """
    那么 结果为 "<结果>"

    例子:
      | 存量2023    | 合作方式   | 回报机制       | 财政支出                                 | 结果                   |
      | 40000000.00 | concession | user_pay       | []                                       | 接受                   |
      | 40000000.00 | concession | viability_gap  | [{year: 2024, amount: "1000000.00"}]     | 拒绝:ppp.new_mechanism |
      | 40000000.00 | other      | user_pay       | []                                       | 拒绝:ppp.new_mechanism |

  @ppp.private_stake_min
  场景大纲: 关系国计民生、公共属性较强的项目，民营企业股权占比不低于35%
    假如 区域 "110105" 于 "2023-08-31" 登记：一般公共预算支出每年 "1000000000.00" 元，存量PPP项目支出责任 2023年 "<存量2023>" 元、2024年起每年 "90000000.00" 元
    当 "finance:li" 于 "2024-01-10T09:00+08:00" 对 "BJ-JS-01" 触发 "fund"：
      """
      sources: [{kind: social_capital, amount: "40000000.00"}]
      ppp:
        form: concession
        payment: user_pay
        category: <类别>
        private_stake: "<民营股权>"
        concession_years: 10
      """
    那么 结果为 "<结果>"

    例子:
      | 存量2023    | 类别            | 民营股权 | 结果                      |
      | 40000000.00 | public_interest | 0.3499   | 拒绝:ppp.private_stake_min |
      | 40000000.00 | public_interest | 0.35     | 接受                      |
      | 40000000.00 | market          | 0.20     | 接受                      |

  @ppp.concession_max_years
  场景大纲: 特许经营期限按资金方案确定之日适用的办法：2024年5月1日前不超过30年，此后不超过40年
    假如 区域 "110105" 于 "2023-08-31" 登记：一般公共预算支出每年 "1000000000.00" 元，存量PPP项目支出责任 2023年 "<存量2023>" 元、2024年起每年 "90000000.00" 元
    当 "finance:li" 于 "<时间>" 对 "BJ-JS-01" 触发 "fund"：
      """
      sources: [{kind: social_capital, amount: "40000000.00"}]
      ppp: {form: concession, payment: user_pay, category: market, concession_years: <期限>}
      """
    那么 结果为 "<结果>"

    例子:
      | 存量2023    | 时间                      | 期限 | 结果                          |
      | 40000000.00 | 2024-04-30T09:00+08:00    | 30   | 接受                          |
      | 40000000.00 | 2024-04-30T09:00+08:00    | 31   | 拒绝:ppp.concession_max_years |
      | 40000000.00 | 2024-05-01T09:00+08:00    | 40   | 接受                          |
      | 40000000.00 | 2024-05-01T09:00+08:00    | 41   | 拒绝:ppp.concession_max_years |

  @ppp.terms_stated
  场景: 有社会资本而未载明PPP合作条件的，财政检查无从进行，不予通过
    假如 区域 "110105" 于 "2023-08-31" 登记：一般公共预算支出每年 "1000000000.00" 元，存量PPP项目支出责任 2023年 "40000000.00" 元、2024年起每年 "90000000.00" 元
    当 "finance:li" 于 "2023-09-01T09:00+08:00" 对 "BJ-JS-01" 触发 "fund"：
      """
      sources: [{kind: social_capital, amount: "40000000.00"}]
      """
    那么 被规则 "ppp.terms_stated" 拒绝，依据 "国办函〔2023〕115号"
