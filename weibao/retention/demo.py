"""Retention in the demo county: the impact assessments of the platform's main processing
purposes (the default rules come with the migrations). Does nothing once assessments exist."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from weibao.audit.models import AuditEvent
from weibao.audit.services import record
from weibao.demo.county import Progress
from weibao.retention.models import ImpactAssessment, years_after

ASSESSMENTS = [
    {
        "purpose": "重点未成年人建档与分级干预",
        "legal_basis": (
            "《预防未成年人犯罪法》第三十八条至第四十一条；"
            "《个人信息保护法》第十三条第一款第三项、"
            "第三十四条"
        ),
        "data_kinds": (
            "未成年人姓名、身份证号码、住址、学校、不良行为记录、家庭情况、干预措施（敏感个人信息）"
        ),
        "who_may_see": (
            "责任单位及其工作人员、所在学校、属地乡镇、县级统筹人员；封存记录仅凭审批查阅"
        ),
        "risks": "泄露导致标签化、歧视；超范围查阅；封存记录外泄",
        "measures": (
            "按辖区和单位限定查看范围；身份证号加密存储并脱敏显示；"
            "查阅留痕；封存记录单独审批；结案满期按规则归档或删除"
        ),
        "assessed_by": "县检察院未检部门、县教育局、县公安局网安大队",
    },
    {
        "purpose": "强制报告受理与案件联动",
        "legal_basis": "《未成年人保护法》第十一条；《个人信息保护法》第十三条第一款第三项",
        "data_kinds": "报告人信息（保密）、受害未成年人信息、事发经过、涉嫌侵害人信息",
        "who_may_see": "报告单位、接报公安机关、检察机关、受转介单位",
        "risks": "报告人身份泄露遭报复；受害未成年人隐私泄露",
        "measures": (
            "报告人信息仅限受理机关查看；案件编号不含个人信息；全程审计；结案满期按规则归档"
        ),
        "assessed_by": "县检察院未检部门、县公安局",
    },
    {
        "purpose": "密切接触未成年人行业入职查询",
        "legal_basis": "《未成年人保护法》第六十二条；《个人信息保护法》第十三条第一款第三项",
        "data_kinds": "拟录用及在职人员姓名、身份证号码、查询结果",
        "who_may_see": "用人单位（仅本单位人员的结论）、县检察院、县公安局",
        "risks": "违法犯罪记录外泄；查询结果被用于入职以外的目的",
        "measures": (
            "只向单位反馈结论不反馈案由；关键信息加密；查询需取得本人同意；期满删除身份信息"
        ),
        "assessed_by": "县检察院、县教育局",
    },
]


def seed(*, seed: int, scale: float, as_of: date, progress: Progress) -> None:
    """Three impact assessments, assessed a year and a half before `as_of` (idempotent)."""
    if ImpactAssessment.objects.exists():
        return
    assessed_on = as_of - timedelta(days=540)
    with transaction.atomic():
        made = ImpactAssessment.objects.bulk_create(
            ImpactAssessment(
                **row, assessed_on=assessed_on, next_review=years_after(assessed_on, 2)
            )
            for row in ASSESSMENTS
        )
        record(
            AuditEvent.Action.CREATE,
            username="seed_demo",
            target_repr="demo impact assessments",
            count=len(made),
        )
    progress(_("Personal-information impact assessments: %(n)d") % {"n": len(made)})
