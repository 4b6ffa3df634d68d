"""The demo county's casework: reports from every kind of unit, the police's steps, referrals (one
to civil affairs overdue and escalated), a procuratorial suggestion replied and assessed, and an
order to guardians with follow-ups.

Everything is written through the services, so the timeline, audit log and inbox look real; dates
are then moved into the past relative to now so that some steps are overdue.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.accounts.models import Organisation, Role, User
from weibao.casework import services
from weibao.casework.models import Case, Referral, Situation
from weibao.demo.accounts import DEMO_PASSWORD
from weibao.people.models import Person

K = Organisation.Kind
# Accounts this app adds to the demo county, so that each kind of unit can file and act.
EXTRA_ACCOUNTS = (
    ("hospital", K.HOSPITAL, "乐安县人民医院", "何医生"),
    ("civil_affairs", K.CIVIL_AFFAIRS, "乐安县民政局", "钟科长"),
)
REPORTS = 24  # at scale 1; at least REPORTS_MIN
REPORTS_MIN = 12
SEEN = {
    "MR01": "就诊时发现隐私部位有异常损伤，家属说法前后矛盾。",
    "MR02": "门诊检查发现怀孕，本人未满十四周岁。",
    "MR04": "身上多处新旧伤痕，营养状况差，自述常被打。",
    "MR05": "因服用农药中毒入院，疑似自杀。",
    "MR06": "父母外出务工，孩子独自在家已逾一月，无人照料。",
    "MR07": "一名无法说明来历的儿童由陌生成年人带领入住。",
    "MR08": "在集市发现儿童被成年人组织乞讨。",
    "MR09": "儿童反映有成年人多次在校外跟踪、威胁。",
}
# Which units usually see which situations.
SOURCES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (K.HOSPITAL, ("MR01", "MR02", "MR04", "MR05")),
    (K.SCHOOL_PRIMARY, ("MR04", "MR06", "MR09")),
    (K.SCHOOL_SECONDARY, ("MR03", "MR04", "MR09")),
    (K.HOTEL, ("MR07", "MR09")),
    (K.VILLAGE_COMMITTEE, ("MR06", "MR08", "MR04")),
)


def _user_for(unit: Organisation, username: str, full_name: str) -> User:
    user = User.objects.filter(organisation=unit, role=Role.CASE_WORKER).first()
    if user is not None:
        return user
    user = User(username=username, organisation=unit, role=Role.CASE_WORKER, full_name=full_name)
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


def seed(*, seed: int, scale: float, as_of: date, progress: Callable[[str], None]) -> None:
    if Case.objects.exists():
        return
    police = User.objects.filter(username="police").first()
    coordinator = User.objects.filter(username="coordinator").first()
    if police is None or coordinator is None:
        return
    rng = random.Random(f"{seed}-casework")
    # Through the services, as users would: each call is its own (durable) transaction, so the
    # part is not one. A run that fails half-way is rebuilt with `seed_demo --reset`.
    _seed(rng, scale, police, coordinator, progress)


def _seed(
    rng: random.Random,
    scale: float,
    police: User,
    coordinator: User,
    progress: Callable[[str], None],
) -> None:
    extra: dict[str, User] = {}
    for username, kind, name, full_name in EXTRA_ACCOUNTS:
        unit = Organisation.objects.filter(kind=kind, name=name).first() or (
            Organisation.objects.filter(kind=kind).order_by("pk").first()
        )
        if unit is not None:
            extra[username] = _user_for(unit, username, full_name)
    station = police.organisation
    # Reports happen where the demo police officer works, so the walk-through shows them.
    places = list(station.division.children.order_by("code")) or [station.division]
    reporters: list[tuple[User, tuple[str, ...]]] = []
    for source_kind, situations in SOURCES:
        unit = (
            Organisation.objects.filter(
                kind=source_kind, division__code__startswith=station.division.prefix
            )
            .order_by("pk")
            .first()
        )
        unit = unit or Organisation.objects.filter(kind=source_kind).order_by("pk").first()
        if unit is not None:
            reporters.append((_user_for(unit, f"cw_{source_kind}"[:30], "联络员"), situations))
    if "hospital" in extra:
        reporters[:1] = [(extra["hospital"], SOURCES[0][1])]
    girls = list(
        Person.objects.minors()
        .filter(
            sex="F",
            birth_date__gt=timezone.localdate().replace(year=timezone.localdate().year - 14),
        )
        .order_by("pk")[:40]
    )
    minors = list(Person.objects.minors().order_by("pk")[:200])
    count = max(REPORTS_MIN, round(REPORTS * scale))
    cases: list[Case] = []
    for i in range(count):
        actor, situations = reporters[i % len(reporters)]
        code = rng.choice(situations)
        if i in (0, 1):  # a couple of MR02 reports from the hospital
            actor, code = reporters[0][0], Situation.MR02
        pool = girls if code in ("MR02", "MR03") and girls else minors
        child = rng.choice(pool) if pool and rng.random() < 0.7 else None
        division = rng.choice(places)
        case, _created = services.report_file(
            actor=actor,
            data={
                "situations": [code],
                "child": child,
                "child_description": "" if child else "身份不明的儿童，约十岁",
                "seen": SEEN.get(code, SEEN["MR09"]),
                "place": division.name,
                "division": division,
                "reporter_name": rng.choice(["张", "王", "刘", "陈"])
                + rng.choice(["老师", "医生", "主任"]),
                "reporter_phone": f"139{rng.randrange(10**8):08d}",
            },
            idempotency_key=f"demo-{i}",
        )
        cases.append(case)
    progress(_("casework: %(n)d mandatory reports") % {"n": len(cases)})
    now = timezone.now()
    for i, case in enumerate(cases):
        age = timedelta(days=(len(cases) - i) * 2, hours=rng.randrange(24))
        Case.objects.filter(pk=case.pk).update(
            filed_at=now - age, accept_due_at=now - age + timedelta(hours=24)
        )
        case.refresh_from_db()
        handler = police if case.police_unit_id == police.organisation_id else None
        if handler is None or i >= len(cases) - 3:
            continue  # the newest stay waiting for acceptance
        services.case_accept(actor=handler, case=case)
        decision = rng.choice(["criminal", "public_order", "no_case"])
        services.case_decide(
            actor=handler,
            case=case,
            data={
                "decision": decision,
                "decision_reasons": "经调查，已依法处理。",
                "investigation_notes": "已调取监控并询问相关人员。",
            },
        )
        if i % 4 != 1:
            services.case_feedback(actor=handler, case=case, text="已受理并依法处理，特此反馈。")
        else:  # feedback overdue
            Case.objects.filter(pk=case.pk).update(
                feedback_due=timezone.localdate() - timedelta(days=2)
            )
    # Referrals: one to civil affairs for relief that goes overdue and is escalated.
    civil = extra.get("civil_affairs")
    womens = User.objects.filter(username="womens_fed").first()
    referrals: list[Referral] = []
    for i, case in enumerate(cases[:6]):
        to = civil if i % 2 == 0 else womens
        if to is None:
            continue
        action = "relief" if to is civil else "family_guidance"
        referral, _created = services.referral_create(
            actor=coordinator,
            data={
                "case": case,
                "to_unit": to.organisation,
                "action": action,
                "request": "请核实家庭情况并给予相应帮扶。",
            },
        )
        referrals.append(referral)
        if i in (2, 3):
            services.referral_accept(actor=to, referral=referral)
        if i == 3:
            services.referral_close(actor=to, referral=referral, outcome="已入户走访并落实帮扶。")
    if referrals:
        Referral.objects.filter(pk=referrals[0].pk).update(
            due_date=timezone.localdate() - timedelta(days=3)
        )
        services.referrals_escalate()
    progress(_("casework: %(n)d referrals") % {"n": len(referrals)})
    if cases:
        services.supervision_open(
            actor=coordinator,
            data={
                "case": cases[0],
                "deadline": timezone.localdate() + timedelta(days=10),
                "note": "督促公安机关依法办理并及时反馈。",
            },
        )
    # A procuratorial suggestion to a school, replied to and assessed.
    school = Organisation.objects.filter(kind=K.SCHOOL_PRIMARY).order_by("pk").first()
    if school is not None:
        suggestion = services.suggestion_issue(
            actor=coordinator,
            data={
                "unit": school,
                "problem": "该校对学生身体异常情况未及时发现和报告，强制报告制度落实不到位。",
                "suggestion": "一、建立强制报告工作台账；二、开展教职工专题培训；"
                "三、明确报告责任人。",
                "legal_basis": "《中华人民共和国未成年人保护法》第十一条、"
                "《关于建立侵害未成年人案件强制报告制度的意见（试行）》",
            },
        )
        liaison = User.objects.filter(
            organisation=school, role__in=[Role.CAMPUS_LIAISON, Role.CASE_WORKER, Role.UNIT_ADMIN]
        ).first()
        if liaison is not None:
            services.suggestion_reply(
                actor=liaison,
                suggestion=suggestion,
                data={"reply": "我校已全面整改。", "measures": "建立台账，完成全员培训。"},
            )
            services.suggestion_assess(
                actor=coordinator, suggestion=suggestion, data={"assessment": "adopted"}
            )
        services.suggestion_issue(
            actor=coordinator,
            data={
                "unit": Organisation.objects.filter(kind=K.HOTEL).order_by("pk").first() or school,
                "problem": "接待未成年人入住未询问监护人联系方式。",
                "suggestion": "严格执行未成年人入住五必须制度。",
                "legal_basis": "《中华人民共和国未成年人保护法》第五十七条",
            },
        )
    # An order to guardians with follow-ups, one done.
    child = next((c.child for c in cases if c.child is not None), None)
    if child is not None:
        order = services.guardian_order_issue(
            actor=police,
            data={
                "kind": "urging_order",
                "child": child,
                "guardian_name": "监护人",
                "facts": "监护人长期外出，未委托有能力的成年人照护。",
                "required_actions": "一、落实委托照护；二、每周与孩子联系；三、参加家庭教育指导。",
                "followups": 3,
                "issued_on": timezone.localdate() - timedelta(days=40),
            },
        )
        first = order.followups.order_by("due_date").first()
        if first is not None:
            services.followup_record(
                actor=police,
                followup=first,
                data={"done_on": first.due_date, "outcome": "已落实委托照护，情况好转。"},
            )
    progress(_("casework: supervision, suggestions and an order to guardians"))
