from __future__ import annotations

from typing import Any

from django import forms

from weibao.kit.forms import DateInput
from weibao.retention.models import ACTIONS, ImpactAssessment, Kind, RetentionRule


class RuleForm(forms.ModelForm):
    class Meta:
        model = RetentionRule
        fields = ["keep_days", "action", "reason"]

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = {str(a) for a in ACTIONS[Kind(kind)]}
        field = self.fields["action"]
        field.choices = [c for c in field.choices if c[0] in allowed]  # type: ignore[attr-defined]
        self.fields["keep_days"].widget.attrs.update({"min": 1})

    def _post_clean(self) -> None:
        """The service validates the new rule (it is a new row, never this one changed)."""


class AssessmentForm(forms.ModelForm):
    class Meta:
        model = ImpactAssessment
        fields = [
            "purpose",
            "legal_basis",
            "data_kinds",
            "who_may_see",
            "risks",
            "measures",
            "assessed_on",
            "assessed_by",
            "next_review",
        ]
        widgets = {
            "assessed_on": DateInput(),
            "next_review": DateInput(),
            **{
                name: forms.Textarea(attrs={"rows": 3})
                for name in ("legal_basis", "data_kinds", "who_may_see", "risks", "measures")
            },
        }

    def _post_clean(self) -> None:
        """The service runs full_clean; its errors come back through apply_errors."""
