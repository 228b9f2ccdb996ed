"""What each event type is called in the documents people read (the audit timeline, notices):
event type → (Chinese, English). Every type in ``tenderflow/events/schemas`` has a name here
(tests/audit/test_event_names.py); a document never prints the CamelCase type alone.
"""

from __future__ import annotations

EVENT_NAMES: dict[str, tuple[str, str]] = {
    # registry and credit lists
    "ProjectRegistered": ("登记项目", "project registered"),
    "ProjectProfileUpdated": ("更新项目信息", "project profile updated"),
    "SupplierRegistered": ("登记供应商", "supplier registered"),
    "SupplierProfileUpdated": ("更新供应商信息", "supplier profile updated"),
    "CreditListImported": ("导入信用名单", "credit list imported"),
    "CreditEntryRecorded": ("登记信用记录", "credit entry recorded"),
    "CreditEntryAmended": ("更正信用记录", "credit entry amended"),
    "CalendarNoticeImported": ("导入放假安排通知", "holiday notice imported"),
    # opening, documents, eligibility
    "ProcurementCreated": ("开启采购", "procurement opened"),
    "EligibilityChecked": ("资格审查", "eligibility checked"),
    "NegotiationMethodApproved": ("批准采用竞争性谈判方式", "negotiation method approved"),
    "NegotiationDocumentsIssued": ("发出谈判文件", "negotiation documents issued"),
    "SuppliersInvited": ("邀请供应商参加谈判", "suppliers invited"),
    "TenderDocumentsIssued": ("发布招标公告并发售招标文件", "tender documents issued"),
    "ClarificationIssued": ("澄清或者修改采购文件", "clarification issued"),
    "PrequalificationPublished": ("发布资格预审公告", "prequalification published"),
    "PrequalificationApplicationSubmitted": ("递交资格预审申请文件",
                                             "prequalification application submitted"),
    "PrequalificationCompleted": ("完成资格预审", "prequalification completed"),
    "PrequalificationRedoRequired": ("重新组织资格预审", "prequalification to be redone"),
    # committees and experts
    "ExpertsDrawn": ("随机抽取评审专家", "experts drawn"),
    "EvaluationCommitteeFormed": ("组建评标委员会", "evaluation committee formed"),
    "CommitteeMembersAppointed": ("补充评标委员会成员", "committee members appointed"),
    "NegotiatingGroupFormed": ("组建谈判小组", "negotiating group formed"),
    "GroupMembersAppointed": ("补充谈判小组成员", "group members appointed"),
    # bids, responses, negotiation
    "BidSubmitted": ("递交投标文件", "bid submitted"),
    "BidWithdrawn": ("撤回投标文件", "bid withdrawn"),
    "BidsOpened": ("开标", "bids opened"),
    "BidsUnsealed": ("解密投标文件", "bids unsealed"),
    "BidPriceExplained": ("记录异常低价的书面说明（投标）", "bid price explained"),
    "LowPriceExplained": ("记录异常低价的书面说明（谈判）", "low price explained"),
    "TenderOpeningObjectionRecorded": ("记录开标异议", "opening objection recorded"),
    "ResponseSubmitted": ("递交响应文件", "response submitted"),
    "ResponseWithdrawn": ("撤回响应文件", "response withdrawn"),
    "ResponsesClosed": ("响应文件递交截止", "responses closed"),
    "NegotiationRoundRecorded": ("记录谈判轮次", "negotiation round recorded"),
    "FinalQuotationsRequested": ("要求提交最后报价", "final quotations requested"),
    "FinalQuotationSubmitted": ("提交最后报价", "final quotation submitted"),
    "FinalQuotationsOpened": ("开启最后报价", "final quotations opened"),
    "ScoresSubmitted": ("提交评分", "scores submitted"),
    "AdjustmentsRecorded": ("记录价格调整", "adjustments recorded"),
    "EvaluationReported": ("提交评标报告", "evaluation reported"),
    "CandidatesRecommended": ("推荐成交候选人", "candidates recommended"),
    # publicity, objections, complaints
    "CandidatesPublicized": ("公示中标候选人", "candidates publicised"),
    "CandidatePublicityEnded": ("中标候选人公示期满", "candidate publicity ended"),
    "CandidateWithdrawn": ("候选人放弃或者被取消", "candidate withdrawn"),
    "ProvisionalResultPublicized": ("公示预中标结果", "provisional result publicised"),
    "ProvisionalPublicityEnded": ("预中标公示期满", "provisional publicity ended"),
    "ObjectionRaised": ("提出质疑", "objection raised"),
    "ObjectionAnswered": ("答复质疑", "objection answered"),
    "ComplaintFiled": ("提起投诉", "complaint filed"),
    "ComplaintDecided": ("投诉处理决定", "complaint decided"),
    "TenderObjectionRaised": ("对评标结果提出异议", "tender objection raised"),
    "TenderObjectionAnswered": ("答复异议", "tender objection answered"),
    "TenderObjectionAnswerOverdue": ("异议答复逾期", "tender objection answer overdue"),
    "TenderComplaintFiled": ("向行政监督部门投诉", "tender complaint filed"),
    "TenderComplaintDecided": ("行政监督部门处理投诉", "tender complaint decided"),
    # result confirmation (PPP)
    "ConfirmationNegotiationStarted": ("开始采购结果确认谈判", "confirmation talks started"),
    "ConfirmationAgreed": ("采购结果确认谈判达成一致", "confirmation agreed"),
    "ConfirmationEnded": ("采购结果确认谈判结束", "confirmation ended"),
    # award and contract
    "ProcurementAwarded": ("确定成交供应商并发出成交通知书", "procurement awarded"),
    "AwardNoticeIssued": ("确定中标人并发出中标通知书", "award notice issued"),
    "NextSupplierAwarded": ("依次确定下一候选人为成交（中标）供应商", "next supplier awarded"),
    "ContractSigned": ("签订采购合同", "contract signed"),
    "ContractWindowLapsed": ("合同签订期限届满", "contract window lapsed"),
    "ContractPublished": ("公告采购合同", "contract published"),
    "ContractPublicationLapsed": ("合同公告期限届满", "contract publication lapsed"),
    "BondRefunded": ("退还保证金", "bond refunded"),
    "ProcurementCancelled": ("终止采购", "procurement cancelled"),
    "ProcurementFailed": ("采购失败或者终止", "procurement failed"),
    # government delegation
    "EntrustmentDecided": ("作出委托决定", "entrustment decided"),
    "EntrustmentPublicized": ("公示委托事项", "entrustment publicised"),
    "EntrustmentPublicityEnded": ("委托公示期满", "entrustment publicity ended"),
    "EntrustmentAgreed": ("签订委托协议", "entrustment agreed"),
    # agreement, financing package, notices
    "AgreementTermsRecorded": ("记录项目合同条款", "agreement terms recorded"),
    "AgreementRendered": ("生成项目合同文本", "agreement rendered"),
    "AgreementSigned": ("项目合同电子签名", "agreement signed"),
    "FinancingPackageAssembled": ("汇编融资审批材料", "financing package assembled"),
    "FinancingPackageSigned": ("融资材料清单电子签名", "financing package signed"),
    "NoticeRendered": ("生成公告（通知书）", "notice rendered"),
    # a project's intake (workflows/project.yaml) and the registered fiscal data
    "ProjectIntakeStarted": ("开始项目立项流程", "project intake started"),
    "ProjectConsulted": ("居民议事、征求意见", "residents consulted"),
    "ResidentsVoteRecorded": ("记录业主表决结果", "owners' vote recorded"),
    "CoordinationSignedOff": ("协调方签署意见", "coordination party signed off"),
    "ProjectFiled": ("立项备案", "project filed"),
    "ProjectFunded": ("落实资金方案", "project funded"),
    "ProcurementIntentionPublished": ("公开采购意向", "procurement intention published"),
    "ProjectMadeReady": ("确认可以采购", "project ready to procure"),
    "ProjectWithdrawn": ("撤回项目", "project withdrawn"),
    "FiscalDataImported": ("导入区域财政数据", "fiscal data imported"),
    # the PPP contract after signing (workflows/ppp_contract.yaml)
    "ContractStarted": ("开始合同履行", "contract performance started"),
    "ContractFinancingApproved": ("融资到位", "financing approved"),
    "ContractCoordinationCleared": ("开工协调完成", "coordination cleared"),
    "ConstructionStarted": ("开工", "construction started"),
    "CompletionAccepted": ("竣工验收", "completion accepted"),
    "OperationStarted": ("进入运营期", "operation started"),
    "ContractSuspended": ("暂停履行", "contract suspended"),
    "ContractResumed": ("恢复履行", "contract resumed"),
    "ContractHandedOver": ("期满移交", "handed over"),
    "ContractTerminated": ("提前终止合同", "contract terminated early"),
    "ContractTerminationTermsRecorded": ("记录提前终止补偿条款", "termination terms recorded"),
    "InvestmentAudited": ("记录经审计确认的投资额", "investment audited"),
    "ContractMilestonesPlanned": ("记录合同里程碑计划", "milestones planned"),
    "ContractMilestoneAchieved": ("里程碑完成", "milestone achieved"),
    "ContractPaymentRecorded": ("记录付款或收费", "payment recorded"),
    "ContractVaried": ("合同变更", "contract varied"),
    "PerformanceTermsSet": ("记录绩效考核与收入计划条款", "performance terms set"),
    "PerformanceEvaluated": ("年度绩效评价", "performance evaluated"),
    "RevenueRecorded": ("记录年度运营收入", "revenue recorded"),
    "ContractAdjusted": ("收入不足调整", "contract adjusted"),
}


def event_name(event_type: str, lang: str = "zh") -> str:
    """The readable name of ``event_type``; the type itself when it has none (a newer log)."""
    names = EVENT_NAMES.get(event_type)
    if names is None:
        return event_type
    return names[0] if lang == "zh" else names[1]
