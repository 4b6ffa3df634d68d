"""Casework forms: they collect input; the services check it and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from weibao.accounts.models import Division, Organisation, User
from weibao.casework.models import (
    REFERRAL_UNIT_KINDS,
    Case,
    CaseworkSettings,
    GuardianOrder,
    Referral,
    Situation,
    Suggestion,
)
from weibao.casework.weibao_app import REFERRAL_UNIT_PICKER
from weibao.core.pickers import DIVISION_PICKER, UNIT_PICKER
from weibao.kit.forms import DATE_INPUT, DATETIME_INPUT
from weibao.kit.pickers import PickerWidget
from weibao.people.models import Person
from weibao.people.weibao_app import MINOR_PICKER

TEXT = forms.Textarea(attrs={"rows": 3})


class ReportForm(forms.Form):
    situations = forms.MultipleChoiceField(
        label=_("situations"), choices=Situation.choices, widget=forms.CheckboxSelectMultiple
    )
    child = forms.ModelChoiceField(
        label=_("child (from the register)"),
        queryset=Person.objects.none(),
        required=False,
        widget=PickerWidget(MINOR_PICKER),
    )
    child_description = forms.CharField(
        label=_("child's description"),
        required=False,
        widget=TEXT,
        max_length=2000,
        help_text=_("When the identity is unknown: apparent age, sex, appearance, clothing."),
    )
    seen = forms.CharField(label=_("what was seen"), widget=TEXT, max_length=10000)
    occurred_at = forms.DateTimeField(label=_("when"), required=False, widget=DATETIME_INPUT)
    place = forms.CharField(label=_("where"), max_length=200)
    division = forms.ModelChoiceField(
        label=_("division of the place"),
        queryset=Division.objects.filter(level__gte=4).select_related("parent"),
        widget=PickerWidget(DIVISION_PICKER),
    )
    suspect = forms.CharField(label=_("suspected perpetrator"), max_length=200, required=False)
    reporter_name = forms.CharField(
        label=_("reporter's name"),
        max_length=50,
        help_text=_("Kept confidential: only the receiving police and the procuratorate see it."),
    )
    reporter_phone = forms.CharField(label=_("reporter's phone"), max_length=20, required=False)
    reporter_position = forms.CharField(
        label=_("reporter's position"), max_length=50, required=False
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        child = self.fields["child"]
        assert isinstance(child, forms.ModelChoiceField)
        child.queryset = Person.objects.for_user(user).minors().select_related("school")
        child.label_from_instance = lambda p: f"{p.masked_name} {p.masked_id_number}"  # type: ignore[method-assign,assignment]


class DecideForm(forms.Form):
    decision = forms.ChoiceField(label=_("decision"), choices=Case.Decision.choices)
    decision_reasons = forms.CharField(
        label=_("reasons"), required=False, widget=TEXT, max_length=5000
    )
    transferred_to = forms.ModelChoiceField(
        label=_("transferred to"),
        queryset=Organisation.objects.active().select_related("division"),
        required=False,
        widget=PickerWidget(UNIT_PICKER),
    )
    investigation_notes = forms.CharField(
        label=_("investigation notes"), required=False, widget=TEXT, max_length=20000
    )


class FeedbackForm(forms.Form):
    feedback = forms.CharField(
        label=_("feedback to the reporting unit"), widget=TEXT, max_length=5000
    )


class LateReportForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("unit"),
        queryset=Organisation.objects.active().select_related("division"),
        widget=PickerWidget(UNIT_PICKER),
    )
    knew_since = forms.DateField(label=_("knew since"), required=False, widget=DATE_INPUT)
    reported = forms.BooleanField(label=_("reported, but late"), required=False)
    note = forms.CharField(label=_("note"), widget=TEXT, max_length=5000)


class ReferralForm(forms.Form):
    to_unit = forms.ModelChoiceField(
        label=pgettext_lazy("referral", "to"),
        queryset=Organisation.objects.active()
        .filter(kind__in=REFERRAL_UNIT_KINDS)
        .select_related("division"),
        widget=PickerWidget(REFERRAL_UNIT_PICKER),
    )
    action = forms.ChoiceField(label=_("action"), choices=Referral.Action.choices)
    request = forms.CharField(
        label=_("request"),
        widget=TEXT,
        max_length=5000,
        help_text=_("What the receiving unit needs to know to act: it sees nothing else."),
    )
    due_date = forms.DateField(label=_("due date"), required=False, widget=DATE_INPUT)


class DeclineForm(forms.Form):
    decline_reason = forms.CharField(label=_("reason for declining"), widget=TEXT, max_length=2000)


class CloseReferralForm(forms.Form):
    outcome = forms.CharField(label=_("what was done"), widget=TEXT, max_length=5000)


class SupervisionForm(forms.Form):
    deadline = forms.DateField(label=_("deadline"), widget=DATE_INPUT)
    note = forms.CharField(
        label=_("what is expected"), required=False, widget=TEXT, max_length=5000
    )


class SupervisionCloseForm(forms.Form):
    closing_note = forms.CharField(
        label=_("closing note"), required=False, widget=TEXT, max_length=5000
    )


class SuggestionForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("addressed to"),
        queryset=Organisation.objects.active().select_related("division"),
        widget=PickerWidget(UNIT_PICKER),
    )
    problem = forms.CharField(label=_("problem found"), widget=TEXT, max_length=10000)
    suggestion = forms.CharField(label=_("suggestion"), widget=TEXT, max_length=10000)
    legal_basis = forms.CharField(label=_("legal basis"), widget=TEXT, max_length=5000)
    issued_on = forms.DateField(label=_("issued on"), required=False, widget=DATE_INPUT)
    reply_due = forms.DateField(
        label=_("reply due"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Two months after the issue unless you set it."),
    )


class ReplyForm(forms.Form):
    reply = forms.CharField(label=_("written reply"), widget=TEXT, max_length=20000)
    measures = forms.CharField(label=_("measures taken"), widget=TEXT, max_length=10000)


class AssessForm(forms.Form):
    assessment = forms.ChoiceField(label=_("assessment"), choices=Suggestion.Assessment.choices)
    assessment_note = forms.CharField(
        label=_("assessment note"), required=False, widget=TEXT, max_length=5000
    )


class OrderForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=GuardianOrder.Kind.choices)
    child = forms.ModelChoiceField(
        label=_("minor"), queryset=Person.objects.none(), widget=PickerWidget(MINOR_PICKER)
    )
    guardian_name = forms.CharField(label=_("guardian's name"), max_length=50)
    facts = forms.CharField(label=_("facts found"), widget=TEXT, max_length=20000)
    legal_basis = forms.CharField(
        label=_("legal basis"),
        required=False,
        widget=TEXT,
        max_length=5000,
        help_text=_("Leave empty for the usual basis of this kind of order."),
    )
    required_actions = forms.CharField(label=_("required actions"), widget=TEXT, max_length=10000)
    issued_on = forms.DateField(label=_("issued on"), required=False, widget=DATE_INPUT)
    followups = forms.IntegerField(
        label=_("follow-up visits"), min_value=0, max_value=12, initial=3
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        child = self.fields["child"]
        assert isinstance(child, forms.ModelChoiceField)
        child.queryset = Person.objects.for_user(user).minors().select_related("school")
        child.label_from_instance = lambda p: f"{p.masked_name} {p.masked_id_number}"  # type: ignore[method-assign,assignment]


class FollowUpForm(forms.Form):
    done_on = forms.DateField(label=_("visited on"), widget=DATE_INPUT)
    outcome = forms.CharField(label=pgettext_lazy("visit", "outcome"), widget=TEXT, max_length=5000)
    compliance = forms.ChoiceField(
        label=_("compliance"),
        choices=[("", "---------"), *GuardianOrder.Compliance.choices],
        required=False,
    )


class SettingsForm(forms.ModelForm):
    class Meta:
        model = CaseworkSettings
        fields = list(CaseworkSettings.FIELDS)
