"""The small world the URL sweep probes: school A's pupil 张小明 and a record about him (or about
school A) in every app, made through the apps' own services where they have one.

Every record is made in its own savepoint: one that cannot be made (an app being rewritten, say)
is listed in `World.missing` instead of stopping the sweep, and a test asserts the list is empty.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from weibao.accounts.models import Organisation, Role, User
from weibao.lib.pinyin import name_pinyin
from weibao.testing import County, id_for, make_county, make_roster, make_user, xlsx_upload

CHILD_NAME = "张小明"
CHILD_BIRTH = date(2014, 3, 4)
PDF = b"%PDF-1.4\n% a tiny test file\n"

# Objects every signed-in user may read (but not change): the county's reference data, and what
# the apps declare public within the platform: units (OrganisationQuerySet.for_user), school
# records (SchoolQuerySet.for_user) and who their liaisons are (LiaisonQuerySet.for_user).
SHARED = frozenset(
    {"division", "term", "topic", "teaching_case", "unit_a", "school_a", "school_b", "liaison"}
)


@dataclass
class World:
    county: County
    users: dict[str, User] = field(default_factory=dict)
    objects: dict[str, Any] = field(default_factory=dict)
    missing: dict[str, str] = field(default_factory=dict)

    def pk(self, key: str) -> Any:
        obj = self.objects.get(key)
        return None if obj is None else obj.pk


def probe_atomic() -> Any:
    """A savepoint inside which a service's durable block may open, as inside a TestCase's."""
    block = transaction.atomic()
    block._from_testcase = True  # type: ignore[attr-defined]
    return block


def _pdf(name: str = "回执.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def build_world() -> World:
    """Make the county, its users and school A's records. Call inside a transaction."""
    county = make_county()
    world = World(county=county)
    u = world.users
    u["liaison_a"] = make_user("liaison_a", county.school_a, Role.CAMPUS_LIAISON)
    u["liaison_b"] = make_user("liaison_b", county.school_b, Role.CAMPUS_LIAISON)
    u["admin_a"] = make_user("admin_a", county.school_a, Role.UNIT_ADMIN)
    u["police"] = make_user("police_a", county.police_a, Role.CASE_WORKER)
    u["coordinator"] = make_user("coordinator", county.procuratorate, Role.COUNTY_COORDINATOR)
    u["prosecutor"] = make_user("prosecutor", county.procuratorate, Role.CASE_WORKER)
    u["bureau"] = make_user("bureau", county.education, Role.CASE_WORKER)
    u["outsider"] = make_user("hotel_clerk", county.hotel, Role.READ_ONLY)
    world.objects["division"] = county.village_a
    world.objects["unit_a"] = county.school_a
    world.objects["user_a"] = u["liaison_a"]

    def make(key: str, build: Callable[[], Any]) -> None:
        try:
            with probe_atomic():
                obj = build()
        except Exception:  # recorded, and asserted on by a test
            world.missing[key] = traceback.format_exc(limit=3)
            return
        if obj is not None:
            world.objects[key] = obj

    for key, build in _builders(world):
        make(key, build)
    return world


def _builders(world: World) -> list[tuple[str, Callable[[], Any]]]:
    county, u, o = world.county, world.users, world.objects
    today = timezone.localdate()

    def person() -> Model:
        from weibao.people.models import Person

        full, initials = name_pinyin(CHILD_NAME)
        child = Person(
            name=CHILD_NAME,
            name_pinyin=full,
            name_initials=initials,
            sex="M",
            birth_date=CHILD_BIRTH,
            registered_by=county.school_a,
            school=county.school_a,
            division=county.village_a,
            phone="13812345678",
        )
        child.set_id_number(id_for(CHILD_BIRTH, 77))
        child.save()
        return child

    def guardian() -> Model:
        from weibao.people import services
        from weibao.people.models import Person

        father = Person(
            name="张大山",
            sex="M",
            birth_date=date(1985, 6, 15),
            registered_by=county.school_a,
            division=county.village_a,
        )
        father.set_id_number(id_for(date(1985, 6, 15), 78))
        father.save()
        return services.guardian_add(
            actor=u["liaison_a"], child=o["person"], guardian=father, relationship="father"
        )

    def school_a() -> Model:
        from weibao.schools.models import School

        return School.objects.create(organisation=county.school_a, kind=School.Kind.PRIMARY)

    def school_b() -> Model:
        from weibao.schools.models import School

        return School.objects.create(organisation=county.school_b, kind=School.Kind.JUNIOR)

    def liaison() -> Model:
        from weibao.schools.models import LiaisonAppointment

        LiaisonAppointment.objects.create(school=o["school_b"], user=u["liaison_b"])
        return LiaisonAppointment.objects.create(school=o["school_a"], user=u["liaison_a"])

    def event() -> Model:
        from weibao.atrisk import services
        from weibao.atrisk.models import Behaviour

        return services.event_record(
            actor=u["liaison_a"],
            people=[o["person"]],
            data={
                "occurred_on": today - timedelta(days=3),
                "behaviours": list(Behaviour.objects.filter(code__in=["BL01", "BL02"])),
                "place": "校门口",
            },
        )

    def atrisk_file() -> Model:
        from weibao.atrisk.models import AtRiskFile

        return AtRiskFile.objects.get(person=o["person"])

    def measure() -> Model:
        from weibao.atrisk import services

        return services.measure_record(
            actor=u["liaison_a"],
            file=o["atrisk_file"],
            data={"kind": "SM01", "decided_on": today - timedelta(days=1)},
        )

    def factor() -> Model:
        from weibao.atrisk import services

        return services.risk_factor_add(
            actor=u["liaison_a"],
            file=o["atrisk_file"],
            kind="left_behind",
        )

    def warning() -> Model:
        from weibao.atrisk.models import RiskWarning

        return RiskWarning.objects.create(
            file=o["atrisk_file"], kind=RiskWarning.Kind.RETURNED, key="sweep", detail="sweep"
        )

    def sealed_application() -> Model:
        from weibao.atrisk import services

        return services.sealed_query_apply(
            actor=u["coordinator"],
            file=o["atrisk_file"],
            legal_basis="刑事诉讼法第286条，办案需要",
            purpose="审查起诉需要查阅",
        )

    def case() -> Model:
        from weibao.casework import services

        report, _created = services.report_file(
            actor=u["liaison_a"],
            data={
                "situations": ["MR04"],
                "child": o["person"],
                "child_description": "",
                "seen": "身上多处淤青",
                "place": "鳌溪村",
                "division": county.village_a,
                "reporter_name": "张老师",
                "reporter_phone": "13800138000",
                "reporter_position": "班主任",
            },
        )
        return services.case_accept(actor=u["police"], case=report)

    def civil_affairs() -> Model:
        return Organisation.objects.create(
            name="乐安县民政局", kind=Organisation.Kind.CIVIL_AFFAIRS, division=county.county
        )

    def referral() -> Model:
        from weibao.casework import services

        data = {"case": o["case"], "to_unit": o["civil_affairs"], "action": "relief"}
        return services.referral_create(actor=u["police"], data={**data, "request": "救助"})[0]

    def supervision() -> Model:
        from weibao.casework import services

        return services.supervision_open(
            actor=u["prosecutor"], data={"case": o["case"], "deadline": today + timedelta(days=20)}
        )

    def suggestion() -> Model:
        from weibao.casework import services

        return services.suggestion_issue(
            actor=u["prosecutor"],
            data={
                "unit": county.school_a,
                "problem": f"未落实强制报告制度（{CHILD_NAME}）",
                "suggestion": "建立强制报告工作机制",
                "legal_basis": "《未成年人保护法》第十一条",
            },
        )

    def order() -> Model:
        from weibao.casework import services

        return services.guardian_order_issue(
            actor=u["police"],
            data={
                "kind": "urging_order",
                "child": o["person"],
                "guardian_name": "张大山",
                "facts": "长期放任不管",
                "required_actions": "每周与孩子联系",
                "followups": 1,
            },
        )

    def followup() -> Model | None:
        from weibao.casework.models import FollowUp

        return FollowUp.objects.filter(order=o["order"]).first()

    def roster() -> Model:
        return make_roster(county, u["admin_a"])[0]

    def roster_upload() -> Model:
        from weibao.staffchecks import services

        header = ["Name", "ID number", "Role", "Start date", "End date"]
        rows = [["赵老师", id_for(date(1990, 1, 1), 300), "teacher", "2020-09-01", ""]]
        return services.roster_upload(
            actor=u["admin_a"], unit=county.school_a, upload=xlsx_upload(header, rows)
        )

    def batch() -> Model:
        from weibao.staffchecks import services
        from weibao.staffchecks.models import CheckBatch

        return services.batch_create(
            actor=u["admin_a"],
            unit=county.school_a,
            kind=CheckBatch.Kind.NEW_HIRE,
            consent_confirmed=True,
            staff=[o["staff"]],
        )

    def item() -> Model:
        return o["batch"].items.first()

    def term() -> Model:
        from weibao.education.models import Term

        return Term.objects.create(
            name="本学期", start=today - timedelta(days=60), end=today + timedelta(days=60)
        )

    def topic() -> Model | None:
        from weibao.education.models import Topic

        return Topic.objects.first()

    def session() -> Model:
        from weibao.education import services
        from weibao.education.models import Session, Topic

        return services.session_create(
            actor=u["bureau"],
            data={
                "school": o["school_a"],
                "date": today - timedelta(days=7),
                "status": Session.Status.HELD,
                "audience": Session.Audience.PUPILS,
                "grades": "三年级",
                "attendance": 120,
                "topics": list(Topic.objects.all()[:2]),
                "speaker_kind": Session.SpeakerKind.POLICE,
                "speaker_name": "吴军",
                "hours": 1,
            },
        )

    def teaching_case() -> Model:
        from weibao.education import services
        from weibao.education.models import TeachingCase, Topic

        return services.case_propose(
            actor=u["coordinator"],
            data={
                "title": "小A被同学欺凌之后",
                "summary": "某小学四年级学生小A多次被同学索要财物……",
                "statute": "未成年人保护法",
                "article": "第三十九条",
                "age_group": TeachingCase.AgeGroup.PRIMARY,
                "topics": list(Topic.objects.all()[:1]),
            },
        )

    def notice() -> Model:
        from weibao.notices import services
        from weibao.notices.models import Notice

        draft = services.notice_create(
            actor=u["bureau"],
            data={
                "title": "关于鳌溪镇中心小学张小明同学的家访通知",
                "body": f"请落实对{CHILD_NAME}的家访并报送回执。",
                "requires": Notice.Requires.FILE,
                "deadline": timezone.now() + timedelta(days=7),
                "townships": [county.township_a],
            },
        )
        o["notice_attachment"] = services.notice_attach(
            actor=u["bureau"], notice=draft, upload=_pdf("通知附件.pdf")
        )
        services.notice_send(actor=u["bureau"], notice=draft)
        draft.refresh_from_db()
        return draft

    def reply() -> Model:
        from weibao.notices import services
        from weibao.notices.models import NoticeRecipient

        recipient = NoticeRecipient.objects.get(notice=o["notice"], user=u["liaison_a"])
        return services.notice_reply(
            actor=u["liaison_a"], recipient=recipient, text=CHILD_NAME, uploads=[_pdf()]
        )

    def appointment() -> Model:
        from weibao.legalvp import services

        return services.appointment_create(
            actor=u["bureau"],
            data={
                "name": "王正义",
                "id_number": id_for(date(1980, 5, 4), 1),
                "sending_unit": county.procuratorate,
                "position": "副检察长",
                "phone": "13900001111",
                "appointing_unit": county.education,
                "schools": [o["school_a"]],
                "term_start": today - timedelta(days=365),
            },
        )

    def duty() -> Model:
        from weibao.legalvp import services

        return services.duty_record_add(
            actor=u["bureau"],
            appointment=o["appointment"],
            data={"school": o["school_a"], "kind": "FD1", "hours": Decimal(1), "date": today},
        )

    def notification() -> Model:
        from weibao.core.services import notify

        return notify(
            recipients=[u["liaison_a"]],
            title=f"{CHILD_NAME}的档案有新事件",
            link="/at-risk/",
            email=False,
        )[0]

    def job() -> Model:
        from weibao.core.models import Job

        return Job.objects.create(
            kind="people.export", title=f"导出{CHILD_NAME}", started_by=u["liaison_a"]
        )

    def audit_event() -> Model:
        from weibao.audit.models import AuditEvent
        from weibao.people import services

        services.person_view(actor=u["liaison_a"], person=o["person"])
        return AuditEvent.objects.filter(target_repr__contains=CHILD_NAME).latest("pk")

    # Drowning prevention: a hazardous water near school A (school A placed on the map), its
    # patrol (a gap: a rectification), custodian, an incident about the child, the letter to
    # school A's parents, the child's named official, school A's summer sign inspection.
    def water() -> Model:
        from weibao.drowning import services
        from weibao.drowning.models import HazardousWater
        from weibao.schools.models import School

        School.objects.filter(pk=o["school_a"].pk).update(
            latitude=Decimal("27.430000"), longitude=Decimal("115.830000")
        )
        return services.water_create(
            actor=u["coordinator"],
            data={
                "name": "后山塘",
                "kind": HazardousWater.Kind.POND,
                "village": county.village_a,
                "latitude": "27.440000",
                "longitude": "115.830000",
                "deeper_than_half_metre": True,
                "risk": HazardousWater.Risk.HIGH,
                **{f"{item}_state": "ok" for item in ("sign", "pole", "rope", "ring")},
            },
        )

    def patrol() -> Model:
        from weibao.drowning import services

        return services.patrol_record(
            actor=u["coordinator"],
            water=o["water"],
            data={
                "patrolled_at": timezone.now() - timedelta(hours=2),
                "patroller": "巡查员",
                "sign_state": "missing",
                "pole_state": "ok",
                "rope_state": "ok",
                "ring_state": "ok",
                "people_in_water": 0,
            },
        )

    def rectification() -> Model:
        from weibao.drowning.models import Rectification

        return Rectification.objects.get(patrol=o["patrol"])

    def custodian() -> Model:
        from weibao.drowning import services

        return services.custodian_create(
            actor=u["coordinator"],
            data={"name": "王守水", "phone": "13800001234", "township": county.township_a,
                  "summer": True, "waters": [o["water"]]},
        )  # fmt: skip

    def incident() -> Model:
        from weibao.drowning import services

        return services.incident_record(
            actor=u["coordinator"],
            data={
                "id_number": id_for(CHILD_BIRTH, 77),
                "occurred_at": timezone.now() - timedelta(days=2),
                "water": o["water"],
                "circumstance": "with_minors",
                "activity": "playing",
                "outcome": "rescued",
                "reported_by": "村民",
            },
        )

    def parent_letter() -> Model:
        from weibao.drowning import services

        return services.letter_create(
            actor=u["liaison_a"],
            school=o["school_a"],
            data={"year": today.year, "season": "summer", "issued_on": today},
        )

    def drowning_assignment() -> Model:
        from weibao.drowning import services

        return services.assignment_create(
            actor=u["liaison_a"],
            data={"child": o["person"], "assignee": u["admin_a"], "year": today.year,
                  "season": "summer"},
        )  # fmt: skip

    def sign_inspection() -> Model:
        from weibao.drowning import services

        states = {f"{item}_state": "ok" for item in ("sign", "pole", "rope", "ring")}
        draft = services.sign_inspection_save(
            actor=u["liaison_a"],
            school=o["school_a"],
            data={"year": today.year, "inspected_on": today, "inspected_by": "张老师"},
            items=[{"water": o["water"].pk, **states, "ring_state": "damaged"}],
        )
        services.sign_inspection_submit(actor=u["liaison_a"], inspection=draft)
        draft.refresh_from_db()
        return draft

    # Venues near schools: an internet café 150 m from school A, its failed inspection (and the
    # order it opened), and school A's concern about it.
    def venue() -> Model:
        from weibao.lib import creditcode
        from weibao.venues import services
        from weibao.venues.models import Venue

        return services.venue_create(
            actor=u["coordinator"],
            data={
                "kind": Venue.Kind.INTERNET_CAFE,
                "name": "星空网咖",
                "credit_code": creditcode.make("92", "361025", "000000001"),
                "licence_number": "3610250001",
                "licence_expires": None,
                "operator": "张三",
                "village": county.village_a,
                "address": "鳌溪镇学府路1号",
                "latitude": "27.431350",
                "longitude": "115.830000",
                "opening_hours": "08:00-24:00",
                "status": Venue.Status.OPEN,
            },
        )

    def venue_inspection() -> Model:
        from weibao.venues import services

        checklist = {item.code: "fail" for item in services.venue_checklist(o["venue"])}
        return services.inspection_record(
            actor=u["bureau"],
            venue=o["venue"],
            data={
                "inspected_at": timezone.now() - timedelta(hours=1),
                "inspectors": "江涛、邱明",
                "checklist": checklist,
                "minors_found": 0,
            },
        )

    def venue_order() -> Model | None:
        from weibao.venues.models import RectificationOrder

        return RectificationOrder.objects.filter(venue=o["venue"]).first()

    def venue_violation() -> Model | None:
        from weibao.venues.models import Violation

        return Violation.objects.filter(venue=o["venue"]).first()

    def venue_concern() -> Model:
        from weibao.venues import services

        return services.concern_raise(actor=u["liaison_a"], venue=o["venue"], text="有学生进出")

    return [
        ("person", person),
        ("guardian", guardian),
        ("school_a", school_a),
        ("school_b", school_b),
        ("liaison", liaison),
        ("event", event),
        ("atrisk_file", atrisk_file),
        ("measure", measure),
        ("factor", factor),
        ("warning", warning),
        ("sealed_application", sealed_application),
        ("case", case),
        ("civil_affairs", civil_affairs),
        ("referral", referral),
        ("supervision", supervision),
        ("suggestion", suggestion),
        ("order", order),
        ("followup", followup),
        ("staff", roster),
        ("roster_upload", roster_upload),
        ("batch", batch),
        ("item", item),
        ("term", term),
        ("topic", topic),
        ("session", session),
        ("teaching_case", teaching_case),
        ("notice", notice),
        ("reply", reply),
        ("appointment", appointment),
        ("duty", duty),
        ("notification", notification),
        ("job", job),
        ("water", water),
        ("patrol", patrol),
        ("rectification", rectification),
        ("custodian", custodian),
        ("incident", incident),
        ("parent_letter", parent_letter),
        ("drowning_assignment", drowning_assignment),
        ("sign_inspection", sign_inspection),
        ("venue", venue),
        ("venue_inspection", venue_inspection),
        ("venue_order", venue_order),
        ("venue_violation", venue_violation),
        ("venue_concern", venue_concern),
        ("audit_event", audit_event),
    ]
