"""Forms for legal vice-principals. They collect input; the services decide what is valid."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from weibao.accounts.models import Organisation, User
from weibao.accounts.policy import in_school
from weibao.kit.forms import DATE_INPUT
from weibao.kit.pickers import PickerMultipleWidget, PickerWidget
from weibao.legalvp.models import (
    COVERED_SCHOOL_KINDS,
    Appointment,
    AppointmentQuerySet,
    DutyRecord,
    Evaluation,
)
from weibao.legalvp.weibao_app import (
    APPOINTEE_PICKER,
    APPOINTING_UNIT_PICKER,
    COVERED_SCHOOL_PICKER,
    SENDING_UNIT_PICKER,
)
from weibao.schools.models import School
from weibao.schools.weibao_app import SCHOOL_PICKER


class SchoolChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: School) -> str:
        return obj.organisation.name


class SchoolsChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: School) -> str:
        return obj.organisation.name


def open_schools() -> QuerySet[School]:
    return (
        School.objects.open()
        .filter(kind__in=COVERED_SCHOOL_KINDS)
        .select_related("organisation__division")
    )


class AppointmentFilterForm(forms.Form):
    sending_kind = forms.ChoiceField(
        label=_("Sending body"),
        choices=[("", _("any")), *Appointment.SendingKind.choices],
        required=False,
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("any")), *Appointment.Status.choices], required=False
    )
    school = SchoolChoiceField(
        label=_("School"),
        queryset=School.objects.none(),
        required=False,
        widget=PickerWidget(SCHOOL_PICKER),
    )
    below = forms.BooleanField(label=_("Below four law-education hours this year"), required=False)

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.fields["school"].queryset = School.objects.select_related(  # type: ignore[attr-defined]
            "organisation__division"
        )

    def filter(self, appointments: AppointmentQuerySet) -> AppointmentQuerySet:
        if not self.is_bound:
            return appointments
        if not self.is_valid():
            return appointments.none()
        data = self.cleaned_data
        if data["sending_kind"]:
            appointments = appointments.filter(sending_kind=data["sending_kind"])
        if data["status"]:
            appointments = appointments.filter(status=data["status"])
        if data["school"]:
            appointments = appointments.filter(school_links__school=data["school"])
        if data["below"]:
            appointments = appointments.active().filter(law_hours__lt=4)  # type: ignore[misc]
        return appointments


class AppointmentForm(forms.Form):
    name = forms.CharField(label=capfirst(pgettext_lazy("person", "name")), max_length=50)
    id_number = forms.CharField(
        label=capfirst(_("ID number")),
        max_length=25,
        help_text=_("A person already registered with this number is reused."),
    )
    phone = forms.CharField(label=capfirst(_("work phone")), max_length=25, required=False)
    sending_unit = forms.ModelChoiceField(
        label=capfirst(_("sending body")),
        queryset=Organisation.objects.none(),
        widget=PickerWidget(SENDING_UNIT_PICKER),
    )
    sending_kind = forms.ChoiceField(
        label=capfirst(_("sending kind")),
        choices=[("", _("from the sending body")), *Appointment.SendingKind.choices],
        required=False,
    )
    position = forms.CharField(
        label=capfirst(_("position")),
        max_length=100,
        required=False,
        help_text=_("As printed on the letter, such as 副检察长 or 派出所所长."),
    )
    appointing_unit = forms.ModelChoiceField(
        label=capfirst(_("appointing body")),
        queryset=Organisation.objects.none(),
        widget=PickerWidget(APPOINTING_UNIT_PICKER),
    )
    schools = SchoolsChoiceField(
        label=capfirst(_("schools")),
        queryset=School.objects.none(),
        help_text=_("One person serves at most two schools."),
        widget=PickerMultipleWidget(COVERED_SCHOOL_PICKER),
    )
    term_start = forms.DateField(label=capfirst(_("term start")), widget=DATE_INPUT)
    term_end = forms.DateField(
        label=capfirst(_("term end")),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Leave blank for three years."),
    )
    issued_on = forms.DateField(
        label=capfirst(_("letter issued on")), required=False, widget=DATE_INPUT
    )
    appointee_user = forms.ModelChoiceField(
        label=capfirst(_("platform account")),
        queryset=User.objects.none(),
        required=False,
        help_text=_("If the appointee signs in, they record their own duties."),
        widget=PickerWidget(APPOINTEE_PICKER),
    )

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        units = Organisation.objects.active().select_related("division")
        self.fields["sending_unit"].queryset = units.filter(  # type: ignore[attr-defined]
            kind__in=Organisation.SENDING_BODY_KINDS
        )
        self.fields["appointing_unit"].queryset = units.filter(  # type: ignore[attr-defined]
            kind__in=[Organisation.Kind.EDUCATION, *Organisation.SCHOOL_KINDS]
        )
        self.fields["schools"].queryset = open_schools()  # type: ignore[attr-defined]
        self.fields["appointee_user"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            is_active=True, organisation__kind__in=Organisation.SENDING_BODY_KINDS
        ).select_related("organisation")


class RenewForm(forms.Form):
    term_start = forms.DateField(label=capfirst(_("term start")), widget=DATE_INPUT)
    term_end = forms.DateField(
        label=capfirst(_("term end")),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Leave blank for three years."),
    )
    schools = SchoolsChoiceField(
        label=capfirst(_("schools")),
        queryset=School.objects.none(),
        widget=PickerMultipleWidget(COVERED_SCHOOL_PICKER),
    )

    def __init__(self, data: Any = None, *, appointment: Appointment, **kwargs: Any) -> None:
        from datetime import timedelta

        kwargs.setdefault(
            "initial",
            {
                "term_start": appointment.term_end + timedelta(days=1),
                "schools": list(appointment.schools.all()),
            },
        )
        super().__init__(data, **kwargs)
        self.fields["schools"].queryset = open_schools()  # type: ignore[attr-defined]


class EndForm(forms.Form):
    ended_on = forms.DateField(
        label=capfirst(_("ended on")), widget=DATE_INPUT, initial=timezone.localdate
    )
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class DutyRecordForm(forms.ModelForm):
    class Meta:
        model = DutyRecord
        fields = ["school", "kind", "date", "hours", "notes"]
        widgets = {"date": DATE_INPUT, "notes": forms.Textarea(attrs={"rows": 2})}
        field_classes = {"school": SchoolChoiceField}

    def __init__(self, data: Any = None, *, appointment: Appointment, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(data, **kwargs)
        self.fields["school"].queryset = appointment.schools.select_related(  # type: ignore[attr-defined]
            "organisation"
        )
        self.fields["hours"].help_text = _("Class hours; law education counts toward four a year.")

    def _post_clean(self) -> None:
        """The service validates; the form only converts the input."""


class EvaluationForm(forms.Form):
    school = SchoolChoiceField(label=capfirst(_("school")), queryset=School.objects.none())
    year = forms.IntegerField(label=capfirst(_("year")), min_value=2000, max_value=2100)
    grade = forms.ChoiceField(
        label=capfirst(pgettext_lazy("evaluation", "grade")), choices=Evaluation.Grade.choices
    )
    comments = forms.CharField(
        label=capfirst(_("comments")),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self, data: Any = None, *, appointment: Appointment, user: User, **kwargs: Any
    ) -> None:
        kwargs.setdefault("initial", {"year": timezone.localdate().year})
        super().__init__(data, **kwargs)
        schools = appointment.schools.select_related("organisation")
        if in_school(user):
            schools = schools.filter(organisation=user.organisation)
        self.fields["school"].queryset = schools  # type: ignore[attr-defined]


class YearForm(forms.Form):
    year = forms.IntegerField(label=capfirst(_("year")), min_value=2000, max_value=2100)
