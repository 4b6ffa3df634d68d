"""The auditor's filters: person, user, unit, action and time."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from weibao.audit.models import AuditEvent
from weibao.kit.forms import DATETIME_INPUT
from weibao.kit.pickers import Picker, PickerWidget

# The audit log sits below accounts: it knows units only through its own foreign key.
Organisation = AuditEvent._meta.get_field("organisation").related_model


def _audited_units(user: Any) -> QuerySet[Any]:
    """Every unit, closed ones too (their events stay in the log), for who reads the log."""
    if not user.has_perm("audit.view_auditevent"):
        return Organisation._default_manager.none()
    return Organisation._default_manager.all()


# Served by core's pick view (core's weibao_app lists it: audit knows nothing of the contract).
AUDIT_UNIT_PICKER = Picker(
    name="audit-unit",
    queryset=_audited_units,
    search=lambda units, text, user: units.filter(name__icontains=text).order_by("name"),
    label=lambda unit: unit.name,
)


class AuditFilterForm(forms.Form):
    user = forms.CharField(label=_("User"), required=False)
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Organisation._default_manager.all(),
        required=False,
        widget=PickerWidget(AUDIT_UNIT_PICKER),
    )
    action = forms.ChoiceField(
        label=_("Action"), choices=[("", "---------"), *AuditEvent.Action.choices], required=False
    )
    person = forms.IntegerField(label=_("Person (record id)"), required=False, min_value=1)
    since = forms.DateTimeField(
        label=pgettext_lazy("date range", "From"),
        required=False,
        widget=DATETIME_INPUT,
    )
    until = forms.DateTimeField(
        label=pgettext_lazy("date range", "To"),
        required=False,
        widget=DATETIME_INPUT,
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise forms.ValidationError(_("The start of the period is after its end."))
        return data

    def has_filters(self) -> bool:
        return any(value not in (None, "") for value in self.cleaned_data.values())

    def filter_summary(self) -> dict[str, str]:
        """The filters used, as text, for the audit event that records the search."""
        return {
            name: str(value.pk if isinstance(value, Organisation) else value)
            for name, value in self.cleaned_data.items()
            if value not in (None, "")
        }

    def filter(self, events: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
        if not self.is_bound or not self.is_valid():
            return events
        data = self.cleaned_data
        if data["user"]:
            events = events.filter(actor_username__icontains=data["user"])
        if data["unit"]:
            events = events.filter(organisation_id=data["unit"].pk)
        if data["action"]:
            events = events.filter(action=data["action"])
        if data["person"]:
            events = events.filter(
                Q(target_type="people.person") & Q(target_id=str(data["person"]))
            )
        if data["since"]:
            events = events.filter(at__gte=data["since"])
        if data["until"]:
            events = events.filter(at__lte=data["until"])
        return events
