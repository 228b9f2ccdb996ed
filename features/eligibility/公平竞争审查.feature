# language: zh-CN
@eligibility @fair_competition
功能: 资格条件的公平竞争审查
  采购人在开启采购、锁定资格规则集之前，需要确认资格条件没有以不合理的条件
  限制或者排斥潜在供应商；财政部门、审计人员和被排斥的供应商需要看到
  每一个被拒绝的条件所在的文件、规则编号及其依据。
  法律依据：《政府采购法实施条例》第20条；《招标投标法实施条例》第32条、第33条；
  《优化营商环境条例》第13条；《公平竞争审查条例》第8–9条；
  规模条件：财政部令第87号 第17条（依据待核实）。

  背景:
    假如 以默认规则集 "renovation" 为基础

  @lint.ownership_form @lint.organisation_form @lint.location @lint.track_record @lint.size
  @lint.specific_supplier
  场景大纲: 限制所有制形式、组织形式、所在地、特定地区或行业业绩、规模的条件被拒绝
    假如 规则集新增字段 "<字段>"，类型 "<类型>"，说明 "<说明>"
    而且 规则集新增规则 "extra.criterion"，表达式 "<表达式>"
    当 进行公平竞争审查
    那么 审查在该文件的规则 "extra.criterion" 发现 "<问题>"
    而且 该问题的依据包含 "<依据>"

    例子:
      | 字段                | 类型    | 说明                 | 表达式                         | 问题              | 依据                          |
      | ownership_form      | string  | 企业所有制形式       | ownership_form == '国有'       | ownership_form    | 政府采购法实施条例 第20条     |
      | company_type        | string  | 公司类型             | company_type != '合伙企业'     | organisation_form | 招标投标法实施条例 第32–33条  |
      | registered_city     | string  | 注册地所在城市       | registered_city == '成都'      | location          | 政府采购法实施条例 第20条     |
      | has_local_branch    | boolean | 在本市设有分支机构   | has_local_branch               | location          | 公平竞争审查条例 第8–9条      |
      | local_project_count | decimal | 本市同类项目业绩数量 | local_project_count >= 2       | track_record      | 招标投标法实施条例 第32–33条  |
      | industry_awards     | decimal | 本行业系统内获奖数量 | industry_awards >= 1           | track_record      | 政府采购法实施条例 第20条     |
      | registered_capital  | decimal | 注册资本（元）       | registered_capital >= 50000000 | size              | 财政部令第87号 第17条         |
      | staff_count         | decimal | 从业人员人数         | staff_count >= 100             | size              | 财政部令第87号 第17条         |
      | remark              | string  | 备注                 | remark =~ '.*国有.*'           | ownership_form    | 优化营商环境条例 第13条       |

  @lint.size
  场景: 以净资产的绝对数额设门槛属于规模条件
    假如 规则集新增规则 "extra.criterion"，表达式 "net_assets >= 50000000"
    当 进行公平竞争审查
    那么 审查在该文件的规则 "extra.criterion" 发现 "size"
    而且 该问题的依据包含 "财政部令第87号 第17条"

  @lint.unknown_field
  场景: 表达式引用未定义的字段，审查拒绝
    假如 规则集新增规则 "extra.criterion"，表达式 "safety_licence_valid"
    当 进行公平竞争审查
    那么 审查在该文件的规则 "extra.criterion" 发现 "unknown_field"

  @lint.allowed
  场景: 类似项目经验和按项目投资额衡量的财务能力不属于歧视性条件
    假如 规则集新增字段 "similar_projects"，类型 "decimal"，说明 "近三年类似项目数量"
    而且 规则集新增规则 "extra.criterion"，表达式 "similar_projects >= 1"
    当 进行公平竞争审查
    那么 审查没有发现问题

  @lint.opening
  场景: 开启采购时，未通过审查的规则集不得锁定
    假如 规则集新增字段 "registered_city"，类型 "string"，说明 "注册地"
    而且 规则集新增规则 "extra.criterion"，表达式 "registered_city == '成都'"
    当 开启采购并锁定该规则集
    那么 开启被拒绝，理由指明该文件和规则 "extra.criterion"

  @lint.opening
  场景: 开启采购时，通过审查的规则集按内容哈希锁定，审计时可以重建
    当 开启采购并锁定该规则集
    那么 锁定的规则集带有内容哈希，并可由保存的数据重建
