"""Suggestions and orders: serials per year, reply and assessment, Word documents in Chinese."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from docx import Document

from weibao.casework import services
from weibao.casework.models import FollowUp, GuardianOrder, Suggestion, add_months


def _text(content: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)


@pytest.fixture
def suggestion(county, prosecutor):
    return services.suggestion_issue(
        actor=prosecutor,
        data={
            "unit": county.school_a,
            "problem": "未落实强制报告制度",
            "suggestion": "建立强制报告工作机制",
            "legal_basis": "《未成年人保护法》第十一条",
        },
    )


def test_serial_per_year_and_two_months_to_reply(county, prosecutor, suggestion):
    second = services.suggestion_issue(
        actor=prosecutor,
        data={"unit": county.school_b, "problem": "p", "suggestion": "s", "legal_basis": "b"},
    )
    year = timezone.localdate().year
    assert (suggestion.serial, second.serial) == (1, 2)
    assert suggestion.number == f"乐检未建〔{year}〕1号"
    assert suggestion.reply_due == add_months(timezone.localdate(), 2)


def test_reply_then_assess(suggestion, liaison_a, prosecutor):
    with pytest.raises(ValidationError):
        services.suggestion_assess(
            actor=prosecutor, suggestion=suggestion, data={"assessment": "adopted"}
        )
    services.suggestion_reply(
        actor=liaison_a, suggestion=suggestion, data={"reply": "已整改", "measures": "建立台账"}
    )
    services.suggestion_assess(
        actor=prosecutor, suggestion=suggestion, data={"assessment": "partly"}
    )
    suggestion.refresh_from_db()
    assert suggestion.assessment == Suggestion.Assessment.PARTLY


def test_bad_suggestion_names_fields(prosecutor):
    with pytest.raises(ValidationError) as error:
        services.suggestion_issue(actor=prosecutor, data={"problem": ""})
    assert {"unit", "problem", "suggestion", "legal_basis"} <= set(error.value.message_dict)
    assert not Suggestion.objects.exists()


def test_suggestion_word_document_in_chinese(suggestion, prosecutor):
    text = _text(services.suggestion_document(actor=prosecutor, suggestion=suggestion))
    assert "检察建议书" in text
    assert suggestion.number in text
    assert "鳌溪镇中心小学：" in text
    assert "未落实强制报告制度" in text


def test_guardian_order_with_followups_and_word(county, police, girl):
    order = services.guardian_order_issue(
        actor=police,
        data={
            "kind": "urging_order",
            "child": girl,
            "guardian_name": "李大山",
            "facts": "长期放任不管",
            "required_actions": "每周与孩子联系",
            "followups": 2,
        },
    )
    assert order.number.endswith("1号")
    assert order.legal_basis.startswith("《中华人民共和国未成年人保护法》")
    assert FollowUp.objects.filter(order=order).count() == 2
    text = _text(services.order_document(actor=police, order=order))
    assert "督促监护令" in text and "李大山：" in text and "长期放任不管" in text
    followup = order.followups.get(pk=order.followups.first().pk)  # type: ignore[union-attr]
    services.followup_record(
        actor=police,
        followup=followup,
        data={"done_on": timezone.localdate(), "outcome": "已改善", "compliance": "complied"},
    )
    order.refresh_from_db()
    assert order.compliance == GuardianOrder.Compliance.COMPLIED


def test_court_only_order_refused_to_police(police, girl):
    with pytest.raises(ValidationError) as error:
        services.guardian_order_issue(
            actor=police,
            data={
                "kind": "court_guidance",
                "child": girl,
                "guardian_name": "x",
                "facts": "f",
                "required_actions": "a",
            },
        )
    assert "kind" in error.value.message_dict


def test_bad_followup_is_refused(county, police, girl):
    order = services.guardian_order_issue(
        actor=police,
        data={
            "kind": "admonition",
            "child": girl,
            "guardian_name": "x",
            "facts": "f",
            "required_actions": "a",
            "followups": 1,
        },
    )
    followup = order.followups.get()
    with pytest.raises(ValidationError) as error:
        services.followup_record(
            actor=police,
            followup=followup,
            data={"done_on": timezone.localdate() + timedelta(days=1), "outcome": ""},
        )
    assert {"done_on", "outcome"} <= set(error.value.message_dict)
    followup.refresh_from_db()
    assert followup.done_on is None
