# language: zh-CN
@calendar
功能: 没有可信工作日历的年份，拒绝计算，并指出缺少的年份和如何补上
  期间的最后一日是法定休假日的，以休假日结束的次日为期间的最后一日（《民法典》第203条），休假日和
  调休上班日以国务院办公厅每年的部分节假日安排通知为准。日历数据来自维护中的软件包（chinesecalendar
  2004年起；holidays 国家 CN）并相互核对：数据之前的年份没有日历；两个软件包不一致且没有覆盖文件
  （workflows/calendars/YEAR.yaml）核定的年份不可信。采购人员查看日历、或决定需要这些年份的日期时，
  一律拒绝，指出年份和如何补上，绝不猜测（同一检查见 临时日历.feature）。
  依据：《民法典》第201条、第203条；国务院办公厅关于部分节假日安排的通知（逐年）。

  背景:
    假如 已登记示例项目和供应商

  @calendar.missing_year
  场景: 软件包数据之前的2003年没有日历，拒绝并指出年份和覆盖文件
    当 查看 2003 年的工作日历
    那么 被规则 "calendar.missing_year" 拒绝，指出 "no official working-day calendar for 2003"
    而且 拒绝理由包含 "workflows/calendars/2003.yaml"

  @calendar.missing_year
  场景: 2004年起有软件包数据，是官方日历
    当 查看 2004 年的工作日历
    那么 2004 年是官方日历，来源为 "package"

  @calendar.disputed_year
  场景: 两个软件包对2005年不一致（2005-12-31 是否调休上班）且没有覆盖文件，拒绝并指出如何核定
    当 查看 2005 年的工作日历
    那么 被规则 "calendar.disputed_year" 拒绝，指出 "the calendar packages disagree"
    而且 拒绝理由包含 "2005-12-31"
    而且 拒绝理由包含 "workflows/calendars/2005.yaml"

  @calendar.disputed_year
  场景: 两个软件包一致的2006年是官方日历
    当 查看 2006 年的工作日历
    那么 2006 年是官方日历，来源为 "package"
