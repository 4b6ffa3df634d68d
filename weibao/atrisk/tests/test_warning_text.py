"""A warning and a grade's reason read in the reader's language, with names, never codes."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext_noop

from weibao.atrisk.models import AtRiskFile, RiskFactor, RiskWarning


def test_a_warning_is_stored_as_a_message_and_read_in_each_language() -> None:
    warning = RiskWarning(
        kind=RiskWarning.Kind.GRADE_UP,
        detail=gettext_noop("From %(old)s to %(new)s."),
        detail_args={"old": "T1", "new": "T1P"},
    )
    with translation.override("en"):
        assert warning.detail_text() == (
            "From T1 misconduct to T1+ serious or persistent misconduct."
        )
    with translation.override("zh-hans"):
        text = warning.detail_text()
    assert "T1P" not in text and "From" not in text


def test_risk_factors_in_a_reason_are_named() -> None:
    file = AtRiskFile(
        grade_reason=gettext_noop("Risk factors only: %(factors)s."),
        grade_reason_args={"factors": "guardianship, hardship"},
    )
    with translation.override("en"):
        assert file.grade_reason_text == (
            f"Risk factors only: {RiskFactor.Kind.GUARDIANSHIP.label}, "
            f"{RiskFactor.Kind.HARDSHIP.label}."
        )
    with translation.override("zh-hans"):
        text = file.grade_reason_text
    assert "guardianship" not in text and "hardship" not in text and "、" in text
