"""The case library: the privacy checks on save, proposing, approving, searching."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from weibao.audit.models import AuditEvent
from weibao.core.models import Notification
from weibao.education import privacy, services
from weibao.education.models import TeachingCase
from weibao.people.models import Person
from weibao.testing import id_for

ID = id_for(date(2014, 3, 8), 22)


@pytest.fixture
def registered(county) -> Person:
    return Person.objects.create(
        name="张小明", sex="M", birth_date=date(2014, 3, 8), registered_by=county.school_a,
        school=county.school_a,
    )  # fmt: skip


def data(topics, **changes):
    values = {
        "title": "网络交友的陷阱",
        "summary": "初二学生小B在网上结识“网友”……",
        "statute": "未成年人保护法",
        "article": "第七十四条",
        "age_group": TeachingCase.AgeGroup.JUNIOR,
        "topics": topics[5:6],
    }
    values.update(changes)
    return values


def test_propose_then_publish(liaison_a, coordinator, topics) -> None:
    case = services.case_propose(actor=liaison_a, data=data(topics))
    assert (
        case.status == TeachingCase.Status.PROPOSED
        and case.proposing_unit == liaison_a.organisation
    )
    assert AuditEvent.objects.filter(target_type="education.teachingcase", action="create").exists()
    case = services.case_decide(actor=coordinator, case=case, publish=True)
    assert case.status == TeachingCase.Status.PUBLISHED and case.approver == coordinator
    assert Notification.objects.filter(recipient=liaison_a, kind="education.case_decided").exists()


def test_only_coordinators_decide(liaison_a, bureau, topics) -> None:
    case = services.case_propose(actor=liaison_a, data=data(topics))
    for user in (liaison_a, bureau):
        with pytest.raises(PermissionDenied):
            services.case_decide(actor=user, case=case, publish=True)


def test_reject_needs_a_reason(liaison_a, coordinator, topics) -> None:
    case = services.case_propose(actor=liaison_a, data=data(topics))
    with pytest.raises(ValidationError) as exc:
        services.case_decide(actor=coordinator, case=case, publish=False)
    assert exc.value.message_dict["note"] == ["Say why the case is rejected."]
    case = services.case_decide(actor=coordinator, case=case, publish=False, note="案情不完整")
    assert case.status == TeachingCase.Status.REJECTED


def test_read_only_may_not_propose(outsider, topics) -> None:
    with pytest.raises(PermissionDenied):
        services.case_propose(actor=outsider, data=data(topics))


@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("summary", f"当事人身份证号{ID}，……"),
        ("summary", "身份证号码：" + ID[:6] + " " + ID[6:] + "不算，但" + ID.lower()),
        ("title", f"{ID[:6]}{ID[8:14]}{ID[14:17]}号案"),  # a 15-digit old number
        ("summary", "家长电话13812345678"),
        ("summary", "联系138-1234-5678"),
        ("article", "１３８１２３４５６７８"),  # full-width digits
    ],
)
def test_id_and_phone_numbers_are_refused(liaison_a, topics, field, text) -> None:
    with pytest.raises(ValidationError) as exc:
        services.case_propose(actor=liaison_a, data=data(topics, **{field: text}), confirmed=True)
    messages = exc.value.message_dict[field]
    assert any("ID number" in m or "phone number" in m for m in messages)
    assert not TeachingCase.objects.exists()


def test_numbers_that_are_not_ids_pass(liaison_a, topics) -> None:
    text = "涉案金额12345678901234567元，第20260101号判决，学号2026010112"
    case = services.case_propose(actor=liaison_a, data=data(topics, summary=text))
    assert case.pk


def test_register_name_warns_and_confirm_saves(liaison_a, topics, registered) -> None:
    values = data(topics, summary="张小明同学在放学路上……")
    with pytest.raises(services.PrivacyWarning) as exc:
        services.case_propose(actor=liaison_a, data=values)
    assert exc.value.message_dict["confirm"] == [
        "“张小明” looks like a name in the people register; use a pseudonym (小A)."
    ]
    assert not TeachingCase.objects.exists()
    case = services.case_propose(actor=liaison_a, data=values, confirmed=True)
    event = AuditEvent.objects.get(target_type="education.teachingcase", action="create")
    assert case.pk and event.detail["confirmed_warnings"] is True


def test_school_name_warns(liaison_a, topics, county) -> None:
    with pytest.raises(services.PrivacyWarning) as exc:
        services.case_propose(actor=liaison_a, data=data(topics, title="鳌溪镇中心小学欺凌案"))
    assert exc.value.message_dict["confirm"] == [
        "“鳌溪镇中心小学” names a school; say “a primary school in the county” instead."
    ]


def test_update_checks_too_and_leaves_the_case(liaison_a, topics) -> None:
    case = services.case_propose(actor=liaison_a, data=data(topics))
    with pytest.raises(ValidationError):
        services.case_update(actor=liaison_a, case=case, data={"summary": "电话13912345678"})
    case.refresh_from_db()
    assert "13912345678" not in case.summary


def test_name_candidates_one_query(registered, django_assert_num_queries) -> None:
    assert "张小明" in privacy.name_candidates("据悉张小明和欧阳娜娜……")
    assert "欧阳娜娜" in privacy.name_candidates("据悉张小明和欧阳娜娜……")
    with django_assert_num_queries(1):
        found = privacy.register_names_in({"summary": "张小明" * 500, "title": "李四"})
    assert found == {"summary": ["张小明"]}


def test_search(make_case, topics) -> None:
    bullying = make_case(title="校园欺凌案", topics=topics[:1])
    fraud = make_case(
        title="刷单诈骗", summary="某中学生被骗……", topics=topics[3:4], age_group="senior"
    )
    cases = TeachingCase.objects.all()
    assert list(services.case_search(cases, "诈骗")) == [fraud]
    assert list(services.case_search(cases, "欺凌 保护法")) == [bullying]
    assert list(cases.filter(topics=topics[3])) == [fraud]


def test_proposer_may_not_edit_once_published(liaison_a, coordinator, topics) -> None:
    case = services.case_propose(actor=liaison_a, data=data(topics))
    services.case_decide(actor=coordinator, case=case, publish=True)
    case.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.case_update(actor=liaison_a, case=case, data={"title": "新标题"})
    services.case_update(actor=coordinator, case=case, data={"title": "新标题"})
    case.refresh_from_db()
    assert case.title == "新标题"
