"""The mechanisms' part of the demo county: the leading group led by the procuratorate with its
member units and their responsibilities, the implementation plan, a year of meetings and
decisions, tasks in every state (some overdue and supervised), co-construction activities, last
year's published assessment and this year's provisional scores. Idempotent."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils.timezone import localdate

from weibao.accounts.models import Organisation, Role, User
from weibao.atrisk.models import AtRiskFile
from weibao.casework.models import Case
from weibao.mechanisms.models import (
    Cobuilding,
    Decision,
    Item,
    LeadingGroup,
    Meeting,
    Member,
    Plan,
    PlanItem,
    Result,
    Scheme,
    Score,
    Task,
)

DemoProgress = Callable[[str], None]

# Each part takes the shared context (`ctx`: the demo's objects so far) and adds to it.


# The leading group, the plan and the co-construction activities --------------------------------

GROUP_KEY, PLANS_KEY, PLAN_ITEMS_KEY, MEMBERS_KEY = "group", "plans", "plan_items", "members"


_GK = Organisation.Kind
# The member kinds, in the order they are listed, with 3-5 responsibilities each (the Minors
# Protection Law's duties of each body).
_GROUP_DUTIES: dict[str, list[str]] = {
    _GK.PROCURATORATE: [
        "承担领导小组办公室日常工作，统筹协调各成员单位履职",
        "依法开展未成年人保护法律监督和公益诉讼",
        "督促落实强制报告、入职查询制度",
        "组织开展法治进校园和检校共建活动",
    ],
    _GK.EDUCATION: [
        "落实学校保护职责，指导学校建立学生欺凌防控和报告制度",
        "组织教职员工入职查询和师德师风建设",
        "推进法治副校长工作和法治教育全覆盖",
        "会同有关部门做好防溺水和校园周边安全工作",
    ],
    _GK.PUBLIC_SECURITY: [
        "依法查处侵害未成年人违法犯罪，及时受理强制报告线索",
        "配合开展入职查询，提供违法犯罪记录查询结果",
        "加强校园及周边治安巡逻防控",
    ],
    _GK.CIVIL_AFFAIRS: [
        "负责困境儿童、留守儿童关爱保护和临时监护",
        "指导乡镇（街道）未成年人保护工作站建设",
        "落实儿童督导员、儿童主任队伍建设",
    ],
    _GK.WOMENS_FEDERATION: [
        "推进家庭教育指导服务，开展家长学校建设",
        "参与维护未成年人合法权益的个案帮扶",
        "组织开展巾帼志愿者关爱服务",
    ],
    _GK.YOUTH_LEAGUE: [
        "组织青少年思想引领和自护教育",
        "依托12355青少年服务台开展心理咨询和法律服务",
        "动员青年志愿者参与关爱帮扶",
    ],
    _GK.COURT: [
        "依法审理涉未成年人案件，落实特殊保护制度",
        "开展家事审判中的未成年人权益保护",
        "参与法治宣传和以案释法",
    ],
    _GK.JUSTICE: [
        "组织开展未成年人法治宣传教育",
        "为未成年人提供法律援助",
        "配合做好社区矫正未成年人的教育帮扶",
    ],
    _GK.HEALTH: [
        "督促医疗机构落实强制报告制度",
        "开展未成年人心理健康服务和疾病防控",
        "做好受侵害未成年人的医疗救治和检查取证协助",
    ],
    _GK.MARKET_REGULATION: [
        "查处向未成年人销售烟酒等违法行为",
        "会同有关部门开展校园周边环境整治",
        "加强儿童用品和校园食品安全监管",
    ],
    _GK.CULTURE_TOURISM: [
        "查处网吧、娱乐场所违规接纳未成年人",
        "规范网络游戏和演出市场，净化文化环境",
        "开展未成年人喜闻乐见的文化活动",
    ],
    _GK.WATER_RESOURCES: [
        "排查危险水域，设置警示标志",
        "配合开展暑期防溺水巡查",
        "加强河湖管护，消除安全隐患",
    ],
    _GK.GUANGONGWEI: [
        "组织“五老”参与关心下一代工作",
        "开展关爱帮扶和思想道德教育",
        "协助做好重点未成年人帮教",
    ],
    _GK.WOMEN_CHILDREN_COMMITTEE: [
        "统筹推进儿童发展规划实施",
        "开展儿童友好城市创建",
        "监测评估儿童权益保障情况",
    ],
}
# One member whose list was edited last year (the history), and what it was before.
_GROUP_EDITED_KIND = _GK.EDUCATION
_GROUP_OLD_DUTIES = [
    "落实学校保护职责，指导学校建立学生欺凌防控制度",
    "组织教职员工入职查询",
    "推进法治副校长工作",
]
_GG, _GM = PlanItem.Kind.GOAL, PlanItem.Kind.MEASURE
# (kind, number, title, the lead unit's kind)
_GROUP_PLAN_ITEMS: list[tuple[str, str, str, str]] = [
    (_GG, "一", "未成年人保护工作体系更加健全，六大保护协同推进", _GK.PROCURATORATE),
    (_GG, "二", "侵害未成年人案件发现、报告、干预机制有效运行", _GK.PUBLIC_SECURITY),
    (_GG, "三", "校园及周边环境持续净化，未成年人安全事故明显下降", _GK.EDUCATION),
    (_GM, "四、1", "法治进校园全覆盖，每校每学期至少一次法治课", _GK.EDUCATION),
    (_GM, "四、2", "落实强制报告制度，密切接触行业单位全员培训", _GK.PROCURATORATE),
    (_GM, "四、3", "教职员工入职查询全覆盖，存量人员全面复查", _GK.EDUCATION),
    (_GM, "四、4", "校园周边娱乐场所和经营行为专项整治", _GK.MARKET_REGULATION),
    (_GM, "四、5", "暑期防溺水专项行动，危险水域排查整治", _GK.WATER_RESOURCES),
    (_GM, "四、6", "家庭教育指导服务进社区、进村组", _GK.WOMENS_FEDERATION),
    (_GM, "四、7", "重点未成年人分级帮扶，一人一档跟踪", _GK.CIVIL_AFFAIRS),
    (_GM, "四、8", "检校、检村支部共建，党建引领未成年人保护", _GK.PROCURATORATE),
]  # fmt: skip
# (days before as_of, title, partner is a school, the measure it serves, participants)
_GROUP_ACTIVITIES: list[tuple[int, str, bool, str, int]] = [
    (320, "检校共建：开学第一课法治讲座", True, "四、1", 320),
    (290, "检村共建：强制报告制度进村宣讲", False, "四、2", 45),
    (250, "检校共建：防性侵自护教育主题党日", True, "四、1", 180),
    (215, "检村共建：留守儿童关爱走访", False, "四、7", 30),
    (180, "检校共建：校园周边环境联合巡查", True, "四、4", 20),
    (150, "检村共建：防溺水安全宣传进村组", False, "四、5", 60),
    (120, "检校共建：暑期防溺水安全教育", True, "四、5", 400),
    (80, "检村共建：家庭教育讲座", False, "四、6", 55),
    (45, "检校共建：模拟法庭进校园", True, "四、1", 150),
    (15, "检村共建：重点未成年人帮扶座谈", False, "四、7", 25),
]


def _group_actor() -> User | None:
    return (
        User.objects.filter(is_active=True, role=Role.COUNTY_COORDINATOR)
        .select_related("organisation")
        .order_by("pk")
        .first()
    )


def _group_contact(unit: Organisation) -> User | None:
    roles = (Role.CASE_WORKER, Role.UNIT_ADMIN, Role.COUNTY_COORDINATOR)
    return (
        User.objects.filter(is_active=True, organisation=unit, role__in=roles)
        .order_by("pk")
        .first()
    )


def _group_fill_ctx(ctx: dict[str, Any]) -> None:
    group = LeadingGroup.objects.select_related("lead_unit").order_by("pk").first()
    ctx[GROUP_KEY] = group
    ctx[MEMBERS_KEY] = list(
        Member.objects.filter(group=group).current().select_related("unit", "contact")
    )
    ctx[PLANS_KEY] = {plan.year: plan for plan in Plan.objects.all()}
    ctx[PLAN_ITEMS_KEY] = list(PlanItem.objects.select_related("plan", "lead"))


def seed_group(ctx: dict[str, Any], *, as_of: date) -> None:
    """The demo county's leading group led by the procuratorate, its member units (one of each
    kind in _GROUP_DUTIES the demo has) with contacts and responsibilities (the education
    bureau's list edited last year), the plans of as_of's year and the year before, and ten
    co-construction activities with schools and villages over the year before as_of.

    Reads nothing from ctx; adds ctx["group"] (LeadingGroup), ctx["members"] (list of current
    Member), ctx["plans"] ({year: Plan}) and ctx["plan_items"] (list of PlanItem). Does nothing
    (but fill ctx) when the group is already there."""
    from weibao.mechanisms.services import group as services

    if LeadingGroup.objects.exists():
        _group_fill_ctx(ctx)
        return
    actor = _group_actor()
    lead = Organisation.objects.active().filter(kind=_GK.PROCURATORATE).order_by("pk").first()
    if actor is None or lead is None:
        return
    today = localdate()
    as_of = min(as_of, today)
    year = as_of.year
    established = date(year - 3, 3, 1)
    county = lead.division.name
    group = services.group_setup(
        actor=actor,
        data={
            "name": f"{county}未成年人保护工作领导小组",
            "lead_unit": lead,
            "established_on": established,
        },
    )
    by_kind: dict[str, Organisation] = {}
    for found in Organisation.objects.active().filter(kind__in=list(_GROUP_DUTIES)):
        by_kind.setdefault(found.kind, found)
    first_list = date(year - 1, 1, 1)
    edited_on = date(year - 1, 7, 1)
    for kind, duties in _GROUP_DUTIES.items():
        unit = by_kind.get(kind)
        if unit is None:
            continue
        contact = _group_contact(unit)
        member = Member.objects.filter(group=group, unit=unit).current().first()
        data = {"contact": contact, "contact_phone": f"0794-75{len(by_kind) * 7 + len(kind):05d}"}
        if member is None:
            member = services.member_add(
                actor=actor, group=group, data={"unit": unit, "joined_on": established, **data}
            )
        else:
            services.member_update(actor=actor, member=member, data=data)
        if kind == _GROUP_EDITED_KIND:
            services.responsibilities_set(
                actor=actor, member=member, lines=_GROUP_OLD_DUTIES, on=first_list
            )
            services.responsibilities_set(actor=actor, member=member, lines=duties, on=edited_on)
        else:
            services.responsibilities_set(actor=actor, member=member, lines=duties, on=first_list)
    for plan_year in (year - 1, year):
        plan = services.plan_create(
            actor=actor,
            data={
                "title": f"{county}{plan_year}年未成年人保护工作实施方案",
                "year": plan_year,
                "issued_on": date(plan_year, 2, 20),
            },
        )
        for item_kind, number, title, lead_kind in _GROUP_PLAN_ITEMS:
            services.plan_item_create(
                actor=actor,
                plan=plan,
                data={
                    "number": number,
                    "kind": item_kind,
                    "title": title,
                    "lead": by_kind.get(lead_kind),
                },
            )
    items = {(i.plan.year, i.number): i for i in PlanItem.objects.select_related("plan")}
    schools = list(
        Organisation.objects.active().filter(kind__in=Organisation.SCHOOL_KINDS).order_by("pk")[:6]
    )
    villages = list(
        Organisation.objects.active().filter(kind=_GK.VILLAGE_COMMITTEE).order_by("pk")[:6]
    )
    if not Cobuilding.objects.exists():
        for index, (days, title, school, number, people) in enumerate(_GROUP_ACTIVITIES):
            partners = schools if school else villages
            if not partners:
                continue
            held_on = as_of - timedelta(days=days)
            services.activity_record(
                actor=actor,
                data={
                    "held_on": held_on,
                    "title": title,
                    "organiser": lead,
                    "partner": partners[index % len(partners)],
                    "plan_item": items.get((held_on.year, number)),
                    "participants": people,
                    "summary": f"{lead.name}党支部与共建支部联合开展“{title.split('：')[-1]}”"
                    "活动。",
                },
            )
    _group_fill_ctx(ctx)


# Meetings and decisions ---------------------------------------------------------------------------

# The ctx keys this part adds.
MEETINGS_KEY, DECISIONS_KEY = "meetings", "decisions"


# (days before as_of, kind, title, place, agenda, minutes, decisions)
_MEETINGS: list[tuple[int, str, str, str, str, str, list[str]]] = [
    (
        335, Meeting.Kind.JOINT, "第一季度全体成员单位联席会议", "县检察院三楼会议室",
        "一、通报上年度未成年人保护工作情况；\n二、部署本年度实施方案；\n三、各成员单位交流。",
        "会议由县检察院主持，各成员单位通报了上年度工作情况，讨论通过了本年度未成年人保护工作"
        "实施方案。会议要求各单位对照方案明确责任人和时间节点。",
        ["各成员单位于一个月内报送本单位年度工作要点。", "县教育局牵头制定法治进校园全覆盖计划。",
         "建立成员单位联络员制度，每单位明确一名联络员。"],
    ),
    (
        245, Meeting.Kind.JOINT, "第二季度全体成员单位联席会议", "县检察院三楼会议室",
        "一、一季度工作落实情况；\n二、强制报告制度落实情况通报。",
        "会议听取了一季度议定事项落实情况的汇报，通报了强制报告制度执行中存在的迟报问题。"
        "会议强调，密切接触未成年人行业单位必须依法履行报告义务。",
        ["县卫健委组织辖区医疗机构开展强制报告培训。", "公安机关对迟报线索逐一核查并反馈。"],
    ),
    (
        155, Meeting.Kind.JOINT, "第三季度全体成员单位联席会议", "县政府第二会议室",
        "一、上半年工作总结；\n二、暑期安全工作回顾。",
        "会议总结了上半年工作，肯定了暑期防溺水工作成效，指出入职查询工作仍有遗漏。",
        ["各学校十月底前完成教职员工入职查询补查。", "县民政局牵头开展留守儿童关爱走访。",
         "各乡镇落实未成年人保护工作站建设。"],
    ),
    (
        65, Meeting.Kind.JOINT, "第四季度全体成员单位联席会议", "县检察院三楼会议室",
        "一、年度考核工作安排；\n二、议定事项完成情况通报。",
        "会议通报了全年议定事项完成情况，对逾期未完成的任务进行了督办，部署了年度考核工作。",
        ["各成员单位十二月十日前完成年度自评。", "对逾期任务由牵头单位发出督办通知。"],
    ),
    (
        120, Meeting.Kind.SPECIAL, "防溺水专题会议", "县应急管理局会议室",
        "一、汛期及暑期防溺水形势分析；\n二、危险水域排查整治。",
        "会议分析了暑期防溺水形势，要求对辖区危险水域逐一排查，设置警示标志和救生设施，"
        "学校落实放假前安全教育。",
        ["各乡镇六月底前完成危险水域排查并设立警示标志。", "各学校放假前开展防溺水专题教育。",
         "县应急管理局组织巡查队伍开展暑期巡河。"],
    ),
    (
        200, Meeting.Kind.SPECIAL, "校园周边环境整治专题会议", "县市场监管局会议室",
        "一、校园周边经营场所排查情况；\n二、联合执法安排。",
        "会议通报了校园周边网吧、娱乐场所违规接纳未成年人问题，决定开展联合执法检查。",
        ["市场监管、文旅、公安部门开展校园周边联合执法。",
         "学校发现违规场所及时报告属地监管部门。"],
    ),
    (
        90, Meeting.Kind.CONSULTATION, "个案会商（一）", "县检察院未检办公室",
        "一、案情通报；\n二、救助帮扶措施讨论。",
        "会议对一起强制报告线索和一名重点未成年人的帮扶情况进行了会商，明确了各单位职责。",
        ["公安机关十日内反馈调查进展。", "民政部门落实临时生活救助。"],
    ),
    (
        30, Meeting.Kind.CONSULTATION, "个案会商（二）", "县检察院未检办公室",
        "一、案情通报；\n二、心理疏导和复学安排。",
        "会议会商了一名受侵害未成年人的心理疏导和复学安排，学校和教育部门落实跟踪帮扶。",
        ["学校安排专人负责心理疏导。", "教育局协调复学事宜。", "检察院开展司法救助。"],
    ),
]  # fmt: skip


def seed_meetings(ctx: dict[str, Any], *, as_of: date) -> None:
    """A year of meetings up to `as_of`: four quarterly joint meetings of every member unit, two
    special meetings, two case consultations (each discussing one demo case and one at-risk
    file), with a few absences, minutes in Chinese and 2-4 decisions each.

    Reads ctx["group"] (LeadingGroup) and ctx["members"] (list of Member); adds ctx["meetings"]
    (list of Meeting) and ctx["decisions"] (list of Decision). Does nothing (but fill ctx) when
    meetings are already there."""
    from weibao.mechanisms.services import meetings as services

    if Meeting.objects.exists():
        ctx[MEETINGS_KEY] = list(Meeting.objects.order_by("held_on", "pk"))
        ctx[DECISIONS_KEY] = list(
            Decision.objects.select_related("meeting").order_by("meeting__held_on", "number")
        )
        return
    group = ctx["group"]
    units = [member.unit for member in ctx["members"]]
    actor = (
        User.objects.filter(
            is_active=True, organisation_id=group.lead_unit_id, role=Role.CASE_WORKER
        ).first()
        or User.objects.filter(is_active=True, role=Role.COUNTY_COORDINATOR).first()
    )
    if actor is None or not units:
        return
    # Only what the linking user may see can be linked to a consultation: the county
    # coordinator links the cases and at-risk files (the convener may not see the files).
    linker = User.objects.filter(is_active=True, role=Role.COUNTY_COORDINATOR).first() or actor
    cases = list(Case.objects.for_user(linker).order_by("pk")[:2])
    files = list(AtRiskFile.objects.for_user(linker).order_by("pk")[:2])
    meetings: list[Meeting] = []
    decisions: list[Decision] = []
    consultations = 0
    for index, (days, kind, title, place, agenda, minutes, texts) in enumerate(_MEETINGS):
        held_on = as_of - timedelta(days=days)
        if kind == Meeting.Kind.JOINT:
            asked = units
        else:  # the lead agency and the units most concerned
            asked = [group.lead_unit, *[u for u in units if u.pk != group.lead_unit_id][:5]]
        meeting = services.meeting_create(
            actor=actor,
            data={
                "kind": kind,
                "title": f"{held_on.year}年{title}",
                "held_on": held_on,
                "place": place,
                "convener": group.lead_unit,
                "agenda": agenda,
                "units": asked,
            },
        )
        rows = [
            {
                "unit": unit,
                "person": None,
                "present": (i + index) % 7 != 3,
                "note": "" if (i + index) % 7 != 3 else "因公请假",
            }
            for i, unit in enumerate(asked)
        ]
        services.attendance_set(actor=actor, meeting=meeting, rows=rows)
        services.minutes_record(actor=actor, meeting=meeting, minutes=minutes)
        for text in texts:
            decisions.append(services.decision_add(actor=actor, meeting=meeting, text=text))
        if kind == Meeting.Kind.CONSULTATION:
            case = cases[consultations : consultations + 1] or cases[:1]
            file = files[consultations : consultations + 1] or files[:1]
            consultations += 1
            if case or file:
                services.meeting_cases_set(actor=linker, meeting=meeting, cases=case, files=file)
        meetings.append(meeting)
    ctx[MEETINGS_KEY] = meetings
    ctx[DECISIONS_KEY] = decisions


# Tasks and supervision ----------------------------------------------------------------------------

# The ctx key this part adds.
TASKS_KEY = "tasks"


# The demo's tasks by the state they reach: (state, how many).
_TASK_PLAN: list[tuple[str, int]] = [
    ("open", 5),
    ("due_soon", 3),
    ("overdue", 3),
    ("supervised", 3),
    ("submitted", 3),
    ("returned", 2),
    ("done_on_time", 4),
    ("done_late", 2),
]
_TASK_DELIVERABLES = [
    "书面工作方案及落实情况报告",
    "工作台账和相关照片",
    "专项活动总结",
    "排查清单及整改情况",
]
_TASK_PROGRESS = [
    "已召开专题部署会，明确分管领导和责任科室。",
    "已完成前期摸排，正在汇总台账。",
    "已开展第一轮工作，下一步将扩大覆盖面。",
]
_TASK_RESULTS = ["已按要求完成，报送工作总结及台账。", "任务已办结，相关材料随附。"]


def _tasks_actor(group: LeadingGroup) -> User | None:
    return (
        User.objects.filter(
            is_active=True,
            organisation_id=group.lead_unit_id,
            role__in=(Role.CASE_WORKER, Role.UNIT_ADMIN),
        )
        .order_by("pk")
        .first()
        or User.objects.filter(is_active=True, role=Role.COUNTY_COORDINATOR).order_by("pk").first()
    )


def _tasks_owner_user(unit_id: int) -> User | None:
    return (
        User.objects.filter(
            is_active=True,
            organisation_id=unit_id,
            role__in=(Role.CASE_WORKER, Role.UNIT_ADMIN, Role.CAMPUS_LIAISON),
        )
        .order_by("role", "pk")
        .first()
    )


def seed_tasks(ctx: dict[str, Any], *, as_of: date) -> None:
    """About 25 tasks of the member units, most from the meetings' decisions, in every state:
    open, due within three days, overdue (reminded), supervised (the scheduler's notice issued
    on the day it fell due for one), result submitted, returned, done on time and done late,
    with progress reports in Chinese. Written through the services with their `on=` dates, and
    the reminders run on the days they would have run.

    Reads ctx["group"] (LeadingGroup; else the first one), ctx["decisions"] (list of Decision;
    if missing, tasks without decisions) and ctx["plan_items"] (list of PlanItem; optional);
    adds ctx["tasks"] (list of Task). Does nothing (but fill ctx) when tasks are already there."""
    from weibao.mechanisms.services import tasks as services

    if Task.objects.exists():
        ctx[TASKS_KEY] = list(Task.objects.order_by("deadline", "pk"))
        return
    group = ctx.get("group") or LeadingGroup.objects.order_by("pk").first()
    if group is None:
        return
    actor = _tasks_actor(group)
    units = [
        m.unit
        for m in Member.objects.filter(group=group).current().select_related("unit").order_by("pk")
        if m.unit_id != group.lead_unit_id
    ]
    owners = []
    for unit in units:
        found = _tasks_owner_user(unit.pk)
        if found is not None:
            owners.append((unit, found))
    if actor is None or not owners:
        return
    decisions = [d for d in ctx.get("decisions") or [] if d.meeting.held_on <= as_of]
    items = [i for i in ctx.get("plan_items") or [] if i.plan.year == as_of.year]
    made: list[tuple[Task, str, User]] = []
    escalate = services.LADDER.escalate_after or 7
    index = 0
    for state, count in _TASK_PLAN:
        for _ in range(count):
            decision = decisions[index % len(decisions)] if decisions else None
            unit, user = owners[index % len(owners)]
            co = owners[(index + 1) % len(owners)][0]
            # Set on the meeting's day (or some months ago), with a deadline fitting the state.
            set_on = decision.meeting.held_on if decision else as_of - timedelta(days=120)
            deadline = {
                "open": as_of + timedelta(days=20 + 7 * index % 40),
                "due_soon": as_of + timedelta(days=1 + index % 3),
                "overdue": as_of - timedelta(days=2 + index % 3),
                "supervised": as_of - timedelta(days=escalate + 3 + 4 * (index % 3)),
                "submitted": as_of + timedelta(days=5 + index % 10),
                "returned": as_of + timedelta(days=10 + index % 5),
                "done_on_time": set_on + timedelta(days=30),
                "done_late": set_on + timedelta(days=20),
            }[state]
            if state.startswith("done") and set_on + timedelta(days=50) > as_of:
                set_on = as_of - timedelta(days=90)
                deadline = set_on + timedelta(days=30 if state == "done_on_time" else 20)
            set_on = min(set_on, deadline, as_of)
            title = (
                decision.text.rstrip("。")[:60] if decision else f"落实实施方案第{index + 1}项工作"
            )
            task = services.task_create(
                actor=actor,
                data={
                    "title": f"{title}（{unit.name}）",
                    "deliverable": _TASK_DELIVERABLES[index % len(_TASK_DELIVERABLES)],
                    "owner": unit,
                    "co_units": [co] if co.pk != unit.pk and index % 2 == 0 else [],
                    "deadline": deadline,
                    "decision": decision,
                    "plan_item": items[index % len(items)] if items else None,
                },
                on=set_on,
            )
            made.append((task, state, user))
            index += 1
    for number, (task, state, user) in enumerate(made):
        start = task.created_at.date()
        if state != "open" or number % 2 == 0:
            report_on = min(start + timedelta(days=7), as_of)
            services.progress_report(
                actor=user,
                task=task,
                text=_TASK_PROGRESS[number % len(_TASK_PROGRESS)],
                on=report_on,
            )
        result = _TASK_RESULTS[number % len(_TASK_RESULTS)]
        if state in ("submitted", "returned", "done_on_time", "done_late"):
            submit_on = {
                "submitted": as_of - timedelta(days=1 + number % 3),
                "returned": as_of - timedelta(days=6),
                "done_on_time": task.deadline - timedelta(days=3),
                "done_late": task.deadline + timedelta(days=9),
            }[state]
            submit_on = max(submit_on, start)
            services.result_submit(actor=user, task=task, text=result, on=submit_on)
            if state == "returned":
                services.task_return(
                    actor=actor,
                    task=task,
                    reason="报送材料不完整，请补充活动照片和签到表后重新报送。",
                    on=submit_on + timedelta(days=2),
                )
            elif state.startswith("done"):
                services.task_accept(
                    actor=actor,
                    task=task,
                    text="经审核，同意办结。",
                    on=submit_on + timedelta(days=2),
                )
    # The reminders as the scheduler ran them: the day each supervised task fell due for its
    # notice, then as_of (the reminders of tasks due soon or late today).
    days = sorted(
        {
            task.deadline + timedelta(days=escalate)
            for task, state, _ in made
            if state == "supervised"
        }
    )
    for day in [*days, as_of]:
        services.tasks_remind(on=day)
    ctx[TASKS_KEY] = [task for task, _state, _user in made]


# The yearly assessment ----------------------------------------------------------------------------

# The ctx key this part adds.
SCHEMES_KEY = "schemes"


_AI = Item.Kind
# (kind, title, points, figure, target, the plan measure it serves, scoring rule)
_ASSESSMENT_ITEMS: list[tuple[str, str, int, str, int, str, str]] = [
    (_AI.INDICATOR, "联席会议议定任务按时办结", 20, "tasks_on_time", 90, "四、8",
     "按时办结率达到90%得满分，低于的按比例计分"),
    (_AI.INDICATOR, "按时参加联席会议", 15, "meeting_attendance", 100, "",
     "按出席率计分，缺席一次按比例扣分"),
    (_AI.INDICATOR, "法治进校园覆盖学校", 15, "law_education_coverage", 100, "四、1",
     "所属学校全部开展法治教育得满分，不涉及学校的单位得满分"),
    (_AI.INDICATOR, "教职员工入职查询", 15, "record_check_compliance", 100, "四、3",
     "在册人员全部完成查询得满分，按查询比例计分"),
    (_AI.MANUAL, "落实强制报告制度", 15, "", 0, "四、2",
     "培训、宣传、报告台账齐全得满分，依佐证材料评分"),
    (_AI.MANUAL, "履职尽责和工作台账", 20, "", 0, "",
     "对照成员单位职责清单，依工作台账和佐证材料评分"),
    (_AI.BONUS, "创新工作获上级表彰或推广", 5, "", 0, "",
     "获市级以上表彰或经验推广的，每项加2至5分"),
    (_AI.DEDUCTION, "发生重大安全事故或泄露未成年人信息", 10, "", 0, "",
     "发生重大涉未成年人安全事故或泄露儿童个人信息的，每起扣5分"),
]  # fmt: skip
# The share of an item's points the lead agency gives a unit that did not assess itself, by
# the unit's position among the members.
_ASSESSMENT_SHARES = ["0.95", "0.85", "0.70", "0.90", "0.60", "0.80", "0.75", "1.00"]
_ASSESSMENT_SELF_NOTES = [
    "已开展专题培训和宣传，报告台账齐全，详见佐证材料。",
    "对照职责清单逐项落实，工作台账和信息报送材料已整理归档。",
]
# Two adjustments of self-assessed points, with their reasons (points taken off).
_ASSESSMENT_ADJUSTMENTS = [
    ("2", "佐证材料中缺少第四季度培训签到表，酌情扣减。"),
    ("3", "部分议定事项台账记录不完整，信息报送有迟报情况。"),
]
_ASSESSMENT_BONUS_REASON = "该单位未成年人保护工作经验获市级推广，经审核加分。"
_ASSESSMENT_DEDUCTION_REASON = "年内发生一起学生个人信息泄露事件，经核实扣分。"
_ASSESSMENT_CHANGE_REASON = "该单位在公布后补充提交了信息报送台账，经领导小组复核予以更正。"


def _assessment_actors(group: LeadingGroup) -> tuple[User | None, User | None]:
    """A clerk of the lead agency (keeps the scheme and reviews) and a county coordinator
    (publishes and changes a published score)."""
    lead = (
        User.objects.filter(
            is_active=True,
            organisation_id=group.lead_unit_id,
            role__in=(Role.CASE_WORKER, Role.UNIT_ADMIN),
        )
        .order_by("role", "pk")
        .first()
    )
    coordinator = (
        User.objects.filter(is_active=True, role=Role.COUNTY_COORDINATOR).order_by("pk").first()
    )
    return lead, coordinator


def _assessment_self_assessor(unit_id: int) -> User | None:
    return (
        User.objects.filter(
            is_active=True,
            organisation_id=unit_id,
            role__in=(Role.UNIT_ADMIN, Role.CASE_WORKER, Role.CAMPUS_LIAISON),
        )
        .order_by("role", "pk")
        .first()
    )


def _assessment_scheme(lead: User, year: int, plan_items: list[PlanItem]) -> Scheme:
    """The scheme of `year` with its eight items (linked to that year's plan measures)."""
    from weibao.mechanisms.services import assessment as services

    scheme = services.scheme_create(
        actor=lead,
        data={
            "year": year,
            "title": f"{year}年度未成年人保护工作成员单位考核方案",
            "excellent_from": 90,
            "qualified_from": 60,
        },
    )
    measures = {i.number: i for i in plan_items if i.plan.year == year}
    for number, (kind, title, weight, figure, target, measure, rule) in enumerate(
        _ASSESSMENT_ITEMS, start=1
    ):
        services.item_add(
            actor=lead,
            scheme=scheme,
            data={
                "number": number,
                "kind": kind,
                "title": title,
                "weight": weight,
                "figure": figure,
                "target": target or None,
                "plan_item": measures.get(measure),
                "rule": rule,
            },
        )
    return scheme


def _assessment_scores(scheme: Scheme) -> list[Score]:
    return list(
        Score.objects.filter(item__scheme=scheme)
        .select_related("item__scheme", "unit")
        .order_by("unit_id", "item__number")
    )


def _assessment_last_year(
    lead: User,
    coordinator: User,
    scheme: Scheme,
    units: list[Organisation],
) -> None:
    """Computed at year end, self-assessed by the units that have staff on the platform,
    reviewed (two adjustments with reasons, one bonus, one deduction), published, and one
    score changed afterwards with its reason."""
    from weibao.mechanisms.services import assessment as services

    services.scores_compute(scheme=scheme, on=date(scheme.year, 12, 31))
    scores = _assessment_scores(scheme)
    order = {unit.pk: index for index, unit in enumerate(units)}
    assessors = {unit.pk: _assessment_self_assessor(unit.pk) for unit in units}
    assessors[lead.organisation_id] = lead
    # The units' self-assessment of the hand-scored items, then "done".
    for score in scores:
        user = assessors.get(score.unit_id)
        if user is None or score.item.kind != _AI.MANUAL:
            continue
        share = Decimal(_ASSESSMENT_SHARES[(order.get(score.unit_id, 0) + 7) % 8])
        services.score_self_assess(
            actor=user,
            score=score,
            points=max(share, Decimal("0.9")) * score.item.weight,
            note=_ASSESSMENT_SELF_NOTES[score.item.number % 2],
        )
    for result in Result.objects.filter(scheme=scheme).select_related("scheme", "unit"):
        user = assessors.get(result.unit_id)
        if user is not None:
            services.self_submit(actor=user, result=result)
    # The lead agency's review: the self-assessed points kept but for two adjustments; the
    # others' hand-scored items scored from their files; one bonus and one deduction.
    adjustments = list(_ASSESSMENT_ADJUSTMENTS)
    for score in _assessment_scores(scheme):
        if score.item.kind != _AI.MANUAL:
            continue
        if score.self_points is not None:
            if adjustments:
                off, reason = adjustments.pop(0)
                points = max(score.self_points - Decimal(off), Decimal(0))
            else:
                points, reason = score.self_points, ""
        else:
            share = Decimal(_ASSESSMENT_SHARES[order.get(score.unit_id, 0) % 8])
            points, reason = share * score.item.weight, "未报送自评材料，依工作台账核定。"
        services.score_review(actor=lead, score=score, points=points, reason=reason)
    others = [unit for unit in units if unit.pk != lead.organisation_id] or units
    extra = [
        (_AI.BONUS, others[0], Decimal(4), _ASSESSMENT_BONUS_REASON),
        (_AI.DEDUCTION, others[-1], Decimal(5), _ASSESSMENT_DEDUCTION_REASON),
    ]
    for kind, unit, points, reason in extra:
        score = next(s for s in scores if s.item.kind == kind and s.unit_id == unit.pk)
        services.score_review(actor=lead, score=score, points=points, reason=reason)
    services.scheme_publish(actor=coordinator, scheme=scheme)
    # After publication: the last unit's ledger item corrected, with its reason.
    last = Result.objects.filter(scheme=scheme).order_by("-rank", "-unit_id").first()
    changeable = [
        s
        for s in _assessment_scores(scheme)
        if last is not None
        and s.unit_id == last.unit_id
        and s.item.kind == _AI.MANUAL
        and (s.final or 0) < s.item.weight
    ]
    if changeable:
        score = changeable[-1]
        services.score_change(
            actor=coordinator,
            score=score,
            points=min((score.final or Decimal(0)) + Decimal(3), score.item.weight),
            reason=_ASSESSMENT_CHANGE_REASON,
        )


def seed_assessment(ctx: dict[str, Any], *, as_of: date) -> None:
    """Last year's assessment (as_of's year − 1): a scheme of eight items (four computed from
    the unit figures, two scored by hand, a bonus, a deduction) computed at the year's end,
    self-assessed by the member units that have staff, reviewed by the lead agency (two
    adjustments with reasons, a bonus and a deduction), published by a county coordinator with
    ranks and grades, and one score changed after publication with its reason; and this year's
    scheme with the same items, computed provisionally on as_of. Written through the
    assessment services by a lead-agency clerk and a county coordinator.

    Reads ctx["group"] (LeadingGroup; else the first one), ctx["members"] (list of current
    Member; else read) and ctx["plan_items"] (list of PlanItem; else read); adds
    ctx["schemes"] ({year: Scheme}). Does nothing (but fill ctx) when a year's scheme is
    already there."""
    from weibao.mechanisms.services import assessment as services

    years = (as_of.year - 1, as_of.year)
    group = ctx.get("group") or LeadingGroup.objects.order_by("pk").first()
    lead, coordinator = (None, None) if group is None else _assessment_actors(group)
    have = {s.year: s for s in Scheme.objects.filter(year__in=years)}
    if group is not None and lead is not None and coordinator is not None:
        members = ctx.get("members")
        if members is None:
            members = list(Member.objects.filter(group=group).current().select_related("unit"))
        units = sorted((m.unit for m in members), key=lambda u: u.pk)
        plan_items = ctx.get("plan_items")
        if plan_items is None:
            plan_items = list(PlanItem.objects.filter(plan__year__in=years).select_related("plan"))
        if units and years[0] not in have:
            scheme = _assessment_scheme(lead, years[0], plan_items)
            _assessment_last_year(lead, coordinator, scheme, units)
            have[years[0]] = scheme
        if units and years[1] not in have:
            scheme = _assessment_scheme(lead, years[1], plan_items)
            services.scores_compute(scheme=scheme, on=as_of)
            have[years[1]] = scheme
    ctx[SCHEMES_KEY] = {year: Scheme.objects.get(pk=s.pk) for year, s in have.items()}


def seed(*, seed: int, scale: float, as_of: date, progress: DemoProgress) -> None:
    """Add the mechanisms to the demo county, each part on what the earlier ones made: the
    group and its plans, a year of meetings and decisions, the tasks they set, the assessment."""
    ctx: dict[str, Any] = {}
    for name, part in (
        ("leading group", seed_group),
        ("meetings", seed_meetings),
        ("tasks", seed_tasks),
        ("assessment", seed_assessment),
    ):
        progress(f"mechanisms: {name}")
        part(ctx, as_of=as_of)
