"""Forms of the care pages. They collect input; the services decide what is valid.

Townships, villages, schools, accounts and volunteers are chosen with search-as-you-type
pickers scoped to what the user may choose (weibao_app.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Exists, OuterRef
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from weibao.accounts.models import Division, Organisation, User
from weibao.care.models import CareAppointment, CareWarning, Contact, Difficulty, Need, Visit
from weibao.care.weibao_app import (
    APPOINTEE_PICKER,
    POST_DIVISION_PICKER,
    SCHOOL_FILTER_PICKER,
    TOWNSHIP_PICKER,
    VILLAGE_PICKER,
    VISIT_VOLUNTEER_PICKER,
)
from weibao.casework.weibao_app import REFERRAL_UNIT_PICKER
from weibao.family.models import Volunteer
from weibao.kit.forms import DATE_INPUT
from weibao.kit.pickers import picker_field
from weibao.people.models import Person, PersonQuerySet
from weibao.people.services import person_search
from weibao.schools.models import School

ANY = [("", _("any"))]
CHOOSE = [("", "---------")]
LEFT_BEHIND = "left_behind"


class ChildFilterForm(forms.Form):
    q = forms.CharField(label=_("Name, pinyin or ID number"), required=False, max_length=50)
    township = forms.ModelChoiceField(
        label=_("Township"), queryset=Division.objects.none(), required=False
    )
    village = forms.ModelChoiceField(
        label=_("Village or community"), queryset=Division.objects.none(), required=False
    )
    school = forms.ModelChoiceField(
        label=_("School"), queryset=School.objects.none(), required=False
    )
    kind = forms.ChoiceField(
        label=_("Looked after as"),
        choices=[*ANY, (LEFT_BEHIND, _("left behind")), *Difficulty.Category.choices],
        required=False,
    )
    overdue = forms.BooleanField(label=_("Parents' contact overdue"), required=False)
    not_visited = forms.BooleanField(label=_("Not visited lately"), required=False)
    warning = forms.BooleanField(label=_("With an open warning"), required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        picker_field(self.fields["township"], TOWNSHIP_PICKER, TOWNSHIP_PICKER.queryset(user))
        picker_field(self.fields["village"], VILLAGE_PICKER, VILLAGE_PICKER.queryset(user))
        schools = SCHOOL_FILTER_PICKER.queryset(user)
        picker_field(self.fields["school"], SCHOOL_FILTER_PICKER, schools)

    def filter(self, children: PersonQuerySet, *, contact_cutoff: Any, visit_cutoff: Any) -> Any:
        if not self.is_bound:
            return children
        if not self.is_valid():
            return children.none()
        data = self.cleaned_data
        if data["q"]:
            found = person_search(Person.objects.all(), data["q"], actor=self.user)
            children = children.filter(pk__in=found.values("pk"))
        if data["township"]:
            children = children.filter(division__code__startswith=data["township"].prefix)
        if data["village"]:
            children = children.filter(division=data["village"])
        if data["school"]:
            children = children.filter(school_id=data["school"].organisation_id)
        if data["kind"] == LEFT_BEHIND:
            children = children.filter(left_behind__is_active=True)
        elif data["kind"]:
            current = Difficulty.objects.current().filter(child=OuterRef("pk"))
            children = children.filter(Exists(current.filter(category=data["kind"])))
        if data["overdue"]:
            children = children.filter(left_behind__is_active=True).exclude(
                left_behind__last_contact_date__gte=contact_cutoff
            )
        if data["not_visited"]:
            children = children.exclude(care_visits__visited_on__gte=visit_cutoff)
        if data["warning"]:
            open_warnings = CareWarning.objects.open().filter(child=OuterRef("pk"))
            children = children.filter(Exists(open_warnings))
        return children


class ContactForm(forms.Form):
    contacted_on = forms.DateField(label=capfirst(_("date of contact")), widget=DATE_INPUT)
    by_whom = forms.CharField(
        label=capfirst(_("by whom")),
        max_length=50,
        help_text=_("How they are related to the child."),
    )
    means = forms.ChoiceField(label=capfirst(_("how")), choices=[*CHOOSE, *Contact.Means.choices])
    notes = forms.CharField(
        label=capfirst(_("notes")),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=capfirst(_("date of visit")), widget=DATE_INPUT)
    volunteer = forms.ModelChoiceField(
        label=capfirst(_("volunteer who went along")),
        queryset=Volunteer.objects.none(),
        required=False,
    )
    carer_fit = forms.BooleanField(
        label=capfirst(_("the carer is fit to care")), required=False, initial=True
    )
    concern = forms.ChoiceField(
        label=capfirst(_("concern about the carer")),
        choices=[*CHOOSE, *Visit.Concern.choices],
        required=False,
    )
    school_findings = forms.CharField(
        label=capfirst(_("school and study")), max_length=2000, required=False
    )
    health_findings = forms.CharField(label=capfirst(_("health")), max_length=2000, required=False)
    safety_findings = forms.CharField(label=capfirst(_("safety")), max_length=2000, required=False)
    needs = forms.CharField(
        label=capfirst(_("needs")),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Relief, health, education: what the child or the family needs."),
    )
    next_due = forms.DateField(
        label=capfirst(_("next visit due")),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Empty: by the child's risk."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        volunteers = VISIT_VOLUNTEER_PICKER.queryset(user)
        picker_field(self.fields["volunteer"], VISIT_VOLUNTEER_PICKER, volunteers)


class DifficultyForm(forms.Form):
    category = forms.ChoiceField(
        label=capfirst(_("category")), choices=[*CHOOSE, *Difficulty.Category.choices]
    )
    since = forms.DateField(label=capfirst(_("in difficulty since")), widget=DATE_INPUT)
    notes = forms.CharField(
        label=capfirst(_("notes")),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class WarningCloseForm(forms.Form):
    reason = forms.CharField(
        label=capfirst(_("why it is closed")),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What was done: a new carer, the parent returned, a referral..."),
    )


class AppointmentFilterForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Role"), choices=[*ANY, *CareAppointment.Role.choices], required=False
    )
    township = forms.ModelChoiceField(
        label=_("Township"), queryset=Division.objects.none(), required=False
    )
    history = forms.BooleanField(label=_("Ended ones too"), required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        picker_field(self.fields["township"], TOWNSHIP_PICKER, TOWNSHIP_PICKER.queryset(user))

    def filter(self, appointments: Any) -> Any:
        if not self.is_valid():
            return appointments.current() if not self.is_bound else appointments.none()
        data = self.cleaned_data
        if not data["history"]:
            appointments = appointments.current()
        if data["role"]:
            appointments = appointments.filter(role=data["role"])
        if data["township"]:
            appointments = appointments.filter(division__code__startswith=data["township"].prefix)
        return appointments


class AppointmentForm(forms.Form):
    role = forms.ChoiceField(
        label=capfirst(_("role")), choices=[*CHOOSE, *CareAppointment.Role.choices]
    )
    division = forms.ModelChoiceField(
        label=capfirst(_("township or village")),
        queryset=Division.objects.none(),
        help_text=_("A supervisor covers a township, a director a village or community."),
    )
    user = forms.ModelChoiceField(
        label=capfirst(_("their account")),
        queryset=User.objects.none(),
        required=False,
        help_text=_("With an account, they see and keep the records of their children here."),
    )
    person_name = forms.CharField(
        label=capfirst(_("name (without an account)")), max_length=50, required=False
    )
    phone = forms.CharField(label=capfirst(_("phone")), max_length=20, required=False)
    starts_on = forms.DateField(label=capfirst(_("starts on")), widget=DATE_INPUT)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        picker_field(
            self.fields["division"], POST_DIVISION_PICKER, POST_DIVISION_PICKER.queryset(user)
        )
        picker_field(self.fields["user"], APPOINTEE_PICKER, APPOINTEE_PICKER.queryset(user))


class NeedForm(forms.Form):
    kind = forms.ChoiceField(
        label=capfirst(_("kind of need")), choices=[*CHOOSE, *Need.Kind.choices]
    )
    description = forms.CharField(
        label=capfirst(_("what is needed")),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class NeedReferForm(forms.Form):
    to_unit = forms.ModelChoiceField(
        label=capfirst(_("refer to")), queryset=Organisation.objects.none()
    )
    due_date = forms.DateField(
        label=capfirst(_("due date")),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Empty: the county's usual days for a referral."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = REFERRAL_UNIT_PICKER.queryset(user)
        picker_field(self.fields["to_unit"], REFERRAL_UNIT_PICKER, units)
