"""The demo county's users: one for every role, with a known password that the commands print."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from weibao.accounts.models import Organisation, Role, User
from weibao.demo.plan import EDUCATION_BUREAU, PROCURATORATE, SCHOOL_A, SCHOOL_B, WOMENS_FEDERATION

# 8+ characters, all four classes, and no username is part of it (the password policy).
DEMO_PASSWORD = "Weibao@2026"  # noqa: S105  (a published demo password, printed on purpose)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    unit: str  # the unit's name
    full_name: str
    description_zh: str
    description_en: str
    password: str = DEMO_PASSWORD

    @property
    def needs_otp(self) -> bool:
        """Whether the account must enrol a one-time-code app at its first login."""
        return self.role in settings.OTP_REQUIRED_ROLES

    def description(self, language: str | None = None) -> str:
        language = language or get_language() or settings.LANGUAGE_CODE
        return self.description_zh if language.startswith("zh") else self.description_en


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount(
        "coordinator", Role.COUNTY_COORDINATOR, PROCURATORATE, "陈静",
        "县级协调员（检察院未检部门），可查看全县数据",
        "County coordinator at the procuratorate (the lead agency): sees the whole county",
    ),
    DemoAccount(
        "prosecutor", Role.CASE_WORKER, PROCURATORATE, "罗检察官",
        "检察院未检部门检察官：登记和导入涉未成年人刑事案件（犯罪嫌疑人、被害人、捕诉决定）；"
        "领导小组办公室（牵头单位）：召开联席会议、交办和督办任务、审核年度考核",
        "Prosecutor in the procuratorate's juvenile department: registers and imports the "
        "criminal cases involving minors (suspects, victims, arrest and prosecution decisions); "
        "the leading group's office (the lead agency): holds the joint meetings, sets and "
        "supervises tasks, reviews the yearly assessment",
    ),
    DemoAccount(
        "sysadmin", Role.SYSADMIN, PROCURATORATE, "李伟",
        "系统管理员：管理单位和用户，看不到未成年人信息；首次登录须绑定动态口令",
        "System administrator: manages units and users, sees no child's data; "
        "enrols a one-time-code app at first login",
    ),
    DemoAccount(
        "auditor", Role.AUDITOR, PROCURATORATE, "王芳",
        "审计员：只查阅审计日志；首次登录须绑定动态口令",
        "Auditor: reads the audit log only; enrols a one-time-code app at first login",
    ),
    DemoAccount(
        "liaison_a", Role.CAMPUS_LIAISON, SCHOOL_A, "黄丽",
        "学校A（鳌溪镇中心小学）校园联络员，只看本校学生",
        "Campus liaison of school A (鳌溪镇中心小学): sees its own pupils only",
    ),
    DemoAccount(
        "school_admin_a", Role.UNIT_ADMIN, SCHOOL_A, "刘强",
        "学校A单位管理员，管理本校用户",
        "Unit administrator of school A: manages the school's users",
    ),
    DemoAccount(
        "liaison_b", Role.CAMPUS_LIAISON, SCHOOL_B, "曾敏",
        "学校B（公溪镇中学）校园联络员，看不到学校A的学生",
        "Campus liaison of school B (公溪镇中学): cannot see school A's pupils",
    ),
    DemoAccount(
        "police", Role.CASE_WORKER, "鳌溪派出所", "吴军",
        "县城鳌溪派出所民警，可查看鳌溪镇的数据",
        "Police officer at the county-seat station (鳌溪派出所): sees 鳌溪镇",
    ),
    DemoAccount(
        "township", Role.CASE_WORKER, "鳌溪镇人民政府", "邓华",
        "鳌溪镇政府工作人员，可查看本镇的数据",
        "Case worker at the 鳌溪镇 township government: sees the township",
    ),
    DemoAccount(
        "director", Role.CASE_WORKER, "鳌溪镇城南社区居民委员会", "彭秀兰",
        "鳌溪镇城南社区儿童主任：走访本社区的留守儿童和困境儿童，记录亲子联系",
        "Children's director (儿童主任) of 城南社区 in 鳌溪镇: visits the community's left-behind "
        "children and children in difficulty, records the parents' contacts",
    ),
    DemoAccount(
        "womens_fed", Role.CASE_WORKER, WOMENS_FEDERATION, "罗燕",
        "县妇联工作人员，处理转介给妇联的事项；管理家庭教育站点、志愿者和讲师团，安排家庭教育指导",
        "Case worker at the women's federation: works on what is referred to it; keeps the "
        "family-education sites, volunteers and lecturers, and assigns family-education guidance",
    ),
    DemoAccount(
        "education", Role.CASE_WORKER, EDUCATION_BUREAU, "胡斌",
        "县教育局工作人员，可查看全县各学校的数据",
        "Case worker at the education bureau: sees every school of the county",
    ),
    DemoAccount(
        "hospital", Role.CASE_WORKER, "乐安县人民医院", "何医生",
        "县人民医院医务人员：提交强制报告，查看本院报告的处理结果",
        "Hospital staff: files mandatory reports and sees their outcomes",
    ),
    DemoAccount(
        "water", Role.CASE_WORKER, "乐安县水利局", "熊工",
        "县水利局工作人员：管理全县危险水域、巡查计划和乡镇边界图",
        "Water-resources bureau staff: keeps the county's hazardous waters, patrol plan and "
        "township map",
    ),
    DemoAccount(
        "culture", Role.CASE_WORKER, "乐安县文化广电新闻出版旅游局", "江科长",
        "县文广新旅局工作人员：监管网吧、歌舞娱乐等校园周边场所，牵头专项检查",
        "Culture and tourism bureau staff: supervises internet cafés and entertainment venues "
        "near schools, leads the inspection campaigns",
    ),
    DemoAccount(
        "market", Role.CASE_WORKER, "乐安县市场监督管理局", "邱所长",
        "县市场监管局工作人员：监管校园周边烟酒、彩票、文具和食品店",
        "Market-regulation bureau staff: supervises the tobacco, alcohol, lottery, stationery and "
        "food shops near schools",
    ),
    DemoAccount(
        "civil_affairs", Role.CASE_WORKER, "乐安县民政局", "钟科长",
        "县民政局工作人员：接收转介（救助、监护）；管理儿童之家、志愿者和家庭教育活动",
        "Civil-affairs bureau staff: receives referrals (relief, guardianship); keeps the "
        "children's homes, volunteers and family activities",
    ),
    DemoAccount(
        "readonly", Role.READ_ONLY, "鳌溪镇城东社区居民委员会", "周萍",
        "城东社区居委会只读用户，只能查看本社区",
        "Read-only user at the 城东社区 residents' committee: sees the community, changes nothing",
    ),
    DemoAccount(
        "hotel_clerk", Role.READ_ONLY, "乐安宾馆", "徐亮",
        "宾馆前台（只读），看不到任何未成年人信息",
        "Hotel front desk (read-only): sees no child's data",
    ),
)  # fmt: skip


def demo_users_create(*, units: Mapping[str, Organisation]) -> list[User]:
    """Create the demo users in their units; the caller owns the transaction."""
    users = []
    for account in DEMO_ACCOUNTS:
        user = User(
            username=account.username,
            organisation=units[account.unit],
            role=account.role,
            full_name=account.full_name,
        )
        user.set_password(account.password)
        user.save()
        users.append(user)
    return users


def _width(text: str) -> int:
    """Columns the text takes in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def accounts_table(language: str | None = None) -> list[str]:
    """The demo accounts as aligned lines of text, ready to print."""
    headings = [_("username"), _("password"), _("role"), _("unit"), _("what it shows")]
    roles = dict(Role.choices)
    rows = [
        [a.username, a.password, str(roles[a.role]), a.unit, a.description(language)]
        for a in DEMO_ACCOUNTS
    ]
    widths = [max(_width(row[i]) for row in [headings, *rows]) for i in range(len(headings))]
    lines = []
    for row in [headings, *rows]:
        lines.append("  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip())
        if row is headings:
            lines.append("  ".join("-" * w for w in widths))
    otp = ", ".join(a.username for a in DEMO_ACCOUNTS if a.needs_otp)
    lines.append("")
    lines.append(
        _(
            "%(users)s must enrol a one-time-code (TOTP) app at their first login: scan the QR "
            "code the login shows with an authenticator app."
        )
        % {"users": otp}
    )
    return lines
