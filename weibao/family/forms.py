"""Forms of the family network's pages. They collect input; the services decide what is valid.

Villages, townships, sites, schools, units and volunteers are chosen with search-as-you-type
pickers scoped to what the user may choose (weibao_app.py); teams are a handful, a select."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from weibao.accounts.models import Division, Organisation, User
from weibao.casework.models import GuardianOrder
from weibao.core.imports import ImportForm
from weibao.core.pickers import UNIT_PICKER
from weibao.family.models import (
    Activity,
    ActivityQuerySet,
    GuidanceSession,
    Method,
    Site,
    SiteQuerySet,
    Team,
    Topic,
    Volunteer,
    VolunteerQuerySet,
    sees_network,
)
from weibao.family.weibao_app import (
    ACTIVITY_SCHOOL_PICKER,
    LECTURER_PICKER,
    SITE_PICKER,
    TOWNSHIP_PICKER,
    VILLAGE_PICKER,
    VOLUNTEER_PICKER,
)
from weibao.kit.forms import DATE_INPUT
from weibao.kit.pickers import picker_field
from weibao.people.models import Person
from weibao.people.services import person_search
from weibao.schools.models import School

ANY = [("", _("any"))]
CHOOSE = [("", "---------")]

__all__ = ["ImportForm"]


def _teams(user: User) -> Any:
    teams = Team.objects.filter(is_active=True)
    return teams if sees_network(user) else teams.filter(lead=user)


def _township(form: forms.Form, user: User) -> None:
    picker_field(form.fields["township"], TOWNSHIP_PICKER, TOWNSHIP_PICKER.queryset(user))


# Sites ----------------------------------------------------------------------------------------


class SiteFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or village"), required=False, max_length=50)
    township = forms.ModelChoiceField(
        label=_("Township"), queryset=Division.objects.none(), required=False
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=[*ANY, *Site.Kind.choices], required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[*ANY, *Site.Status.choices], required=False
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _township(self, user)

    def filter(self, sites: SiteQuerySet) -> SiteQuerySet:
        if not self.is_bound:
            return sites
        if not self.is_valid():
            return sites.none()
        data = self.cleaned_data
        if data["q"]:
            q = data["q"].strip()
            sites = sites.filter(name__icontains=q) | sites.filter(village__name__icontains=q)
        if data["township"]:
            sites = sites.in_township(data["township"])
        if data["kind"]:
            sites = sites.filter(kind=data["kind"])
        if data["status"]:
            sites = sites.filter(status=data["status"])
        return sites


class SiteForm(forms.Form):
    kind = forms.ChoiceField(
        label=capfirst(_("kind of site")), choices=[*CHOOSE, *Site.Kind.choices]
    )
    name = forms.CharField(label=capfirst(pgettext_lazy("site", "name")), max_length=100)
    village = forms.ModelChoiceField(
        label=capfirst(_("village or community")), queryset=Division.objects.none()
    )
    address = forms.CharField(
        label=capfirst(pgettext_lazy("place", "address")), max_length=200, required=False
    )
    longitude = forms.CharField(
        label=capfirst(_("longitude")), max_length=20, required=False, help_text=_("Such as 115.83")
    )
    latitude = forms.CharField(
        label=capfirst(_("latitude")), max_length=20, required=False, help_text=_("Such as 27.43")
    )
    operating_unit = forms.ModelChoiceField(
        label=capfirst(_("operating unit")), queryset=Organisation.objects.none(), required=False
    )
    opening_hours = forms.CharField(
        label=capfirst(_("opening hours")), max_length=100, required=False
    )
    contact_name = forms.CharField(
        label=capfirst(_("contact person")), max_length=50, required=False
    )
    contact_phone = forms.CharField(
        label=capfirst(_("contact phone")), max_length=20, required=False
    )
    facilities = forms.CharField(
        label=capfirst(_("facilities")),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    status = forms.ChoiceField(label=capfirst(_("status")), choices=Site.Status.choices)

    def __init__(self, *args: Any, user: User, site: Site | None = None, **kw: Any) -> None:
        if site is not None and not args and "initial" not in kw:
            kw["initial"] = {name: getattr(site, name) for name in self.base_fields}
            kw["initial"]["village"] = site.village_id
            kw["initial"]["operating_unit"] = site.operating_unit_id
        super().__init__(*args, **kw)
        picker_field(self.fields["village"], VILLAGE_PICKER, VILLAGE_PICKER.queryset(user))
        units = UNIT_PICKER.queryset(user)
        picker_field(self.fields["operating_unit"], UNIT_PICKER, units)


# Volunteers -----------------------------------------------------------------------------------


class VolunteerFilterForm(forms.Form):
    q = forms.CharField(label=_("Name, pinyin or ID number"), required=False, max_length=50)
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False)
    township = forms.ModelChoiceField(
        label=_("Township"), queryset=Division.objects.none(), required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[*ANY, *Volunteer.Status.choices], required=False
    )
    clearance = forms.ChoiceField(
        label=_("Criminal-record check"),
        choices=[*ANY, *Volunteer.Clearance.choices],
        required=False,
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        teams = Team.objects.all()
        if not sees_network(user):
            teams = teams.filter(pk__in=Volunteer.objects.for_user(user).values("team"))
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]
        _township(self, user)

    def filter(self, volunteers: VolunteerQuerySet) -> VolunteerQuerySet:
        if not self.is_bound:
            return volunteers
        if not self.is_valid():
            return volunteers.none()
        data = self.cleaned_data
        if data["q"]:
            people = person_search(Person.objects.all(), data["q"], actor=self.user)
            volunteers = volunteers.filter(person__in=people.values("pk"))
        if data["team"]:
            volunteers = volunteers.filter(team=data["team"])
        if data["township"]:
            volunteers = volunteers.filter(township=data["township"])
        if data["status"]:
            volunteers = volunteers.filter(status=data["status"])
        if data["clearance"]:
            volunteers = volunteers.filter(clearance=data["clearance"])
        return volunteers


class _VolunteerFields(forms.Form):
    team = forms.ModelChoiceField(label=capfirst(_("team")), queryset=Team.objects.none())
    township = forms.ModelChoiceField(
        label=capfirst(_("township")), queryset=Division.objects.none()
    )
    skills = forms.CharField(label=capfirst(_("skills")), max_length=200, required=False)
    availability = forms.ChoiceField(
        label=capfirst(_("availability")), choices=Volunteer.Availability.choices
    )
    status = forms.ChoiceField(label=capfirst(_("status")), choices=Volunteer.Status.choices)
    joined_on = forms.DateField(label=capfirst(_("joined on")), widget=DATE_INPUT)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(is_active=True)  # type: ignore[attr-defined]
        _township(self, user)


class VolunteerCreateForm(_VolunteerFields):
    name = forms.CharField(label=capfirst(pgettext_lazy("person", "name")), max_length=50)
    id_number = forms.CharField(label=capfirst(_("ID number")), max_length=18)
    phone = forms.CharField(label=capfirst(_("phone")), max_length=20, required=False)
    field_order = ["name", "id_number", "phone"]


class VolunteerForm(_VolunteerFields):
    def __init__(self, *args: Any, user: User, volunteer: Volunteer, **kw: Any) -> None:
        if not args and "initial" not in kw:
            kw["initial"] = {name: getattr(volunteer, name) for name in self.base_fields}
            kw["initial"]["team"] = volunteer.team_id
            kw["initial"]["township"] = volunteer.township_id
        super().__init__(*args, user=user, **kw)


class TrainingForm(forms.Form):
    held_on = forms.DateField(label=capfirst(_("date")), widget=DATE_INPUT)
    topic = forms.CharField(label=capfirst(_("topic")), max_length=200)
    hours = forms.DecimalField(
        label=capfirst(_("hours")), max_digits=5, decimal_places=1, min_value=0
    )


# Activities -----------------------------------------------------------------------------------


class ActivityFilterForm(forms.Form):
    township = forms.ModelChoiceField(
        label=_("Township"), queryset=Division.objects.none(), required=False
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[*ANY, *Activity.Kind.choices], required=False
    )
    topic = forms.ChoiceField(label=_("Topic"), choices=[*ANY, *Topic.choices], required=False)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _township(self, user)

    def filter(self, activities: ActivityQuerySet) -> ActivityQuerySet:
        if not self.is_bound:
            return activities
        if not self.is_valid():
            return activities.none()
        data = self.cleaned_data
        if data["township"]:
            activities = activities.filter(village__code__startswith=data["township"].prefix)
        if data["kind"]:
            activities = activities.filter(kind=data["kind"])
        if data["topic"]:
            activities = activities.filter(topic=data["topic"])
        if data["year"]:
            activities = activities.in_year(data["year"])
        return activities


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(
        label=capfirst(_("kind of activity")), choices=[*CHOOSE, *Activity.Kind.choices]
    )
    title = forms.CharField(label=capfirst(_("title")), max_length=200)
    held_on = forms.DateField(label=capfirst(_("held on")), widget=DATE_INPUT)
    site = forms.ModelChoiceField(
        label=capfirst(_("site")), queryset=Site.objects.none(), required=False
    )
    school = forms.ModelChoiceField(
        label=capfirst(_("or a school")), queryset=School.objects.none(), required=False
    )
    team = forms.ModelChoiceField(
        label=capfirst(_("organising team")), queryset=Team.objects.none(), required=False
    )
    topic = forms.ChoiceField(label=capfirst(_("topic")), choices=[*CHOOSE, *Topic.choices])
    method = forms.ChoiceField(label=capfirst(_("method")), choices=[*CHOOSE, *Method.choices])
    lecturers = forms.ModelMultipleChoiceField(
        label=capfirst(_("lecturers")), queryset=Volunteer.objects.none(), required=False
    )
    volunteers = forms.ModelMultipleChoiceField(
        label=capfirst(_("volunteers")), queryset=Volunteer.objects.none(), required=False
    )
    audience_children = forms.IntegerField(
        label=capfirst(_("children reached")), min_value=0, max_value=100_000, initial=0
    )
    audience_parents = forms.IntegerField(
        label=capfirst(_("parents reached")), min_value=0, max_value=100_000, initial=0
    )
    hours = forms.DecimalField(
        label=capfirst(_("hours")), max_digits=4, decimal_places=1, min_value=0, initial=1
    )
    notes = forms.CharField(
        label=capfirst(_("notes")),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, user: User, activity: Activity | None = None, **kw: Any) -> None:
        if activity is not None and not args and "initial" not in kw:
            kw["initial"] = {name: getattr(activity, name) for name in self.base_fields
                             if name not in ("lecturers", "volunteers")}  # fmt: skip
            for name in ("site", "school", "team"):
                kw["initial"][name] = getattr(activity, f"{name}_id")
            rows = list(activity.helper_rows.all())
            kw["initial"]["lecturers"] = [r.volunteer_id for r in rows if r.role == "lecturer"]
            kw["initial"]["volunteers"] = [r.volunteer_id for r in rows if r.role == "volunteer"]
        super().__init__(*args, **kw)
        picker_field(self.fields["site"], SITE_PICKER, SITE_PICKER.queryset(user))
        schools = ACTIVITY_SCHOOL_PICKER.queryset(user)
        picker_field(self.fields["school"], ACTIVITY_SCHOOL_PICKER, schools)
        self.fields["team"].queryset = _teams(user)  # type: ignore[attr-defined]
        helpers = VOLUNTEER_PICKER.queryset(user)
        picker_field(self.fields["lecturers"], VOLUNTEER_PICKER, helpers)
        picker_field(self.fields["volunteers"], VOLUNTEER_PICKER, helpers)


# Guidance on orders to guardians ----------------------------------------------------------


class GuidanceAssignForm(forms.Form):
    lecturer = forms.ModelChoiceField(
        label=capfirst(_("lecturer")), queryset=Volunteer.objects.none()
    )
    sessions_planned = forms.IntegerField(
        label=capfirst(_("sessions planned")), min_value=1, max_value=20, initial=4
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        picker_field(self.fields["lecturer"], LECTURER_PICKER, LECTURER_PICKER.queryset(user))


class GuidanceSessionForm(forms.Form):
    held_on = forms.DateField(label=capfirst(_("held on")), widget=DATE_INPUT)
    attended = forms.BooleanField(
        label=capfirst(_("the guardian attended")), required=False, initial=True
    )
    topic = forms.ChoiceField(label=capfirst(_("topic")), choices=[*CHOOSE, *Topic.choices])
    progress = forms.ChoiceField(
        label=capfirst(_("the guardian's progress")),
        choices=[("", "---------"), *GuidanceSession.Progress.choices],
        required=False,
    )
    notes = forms.CharField(
        label=capfirst(_("notes")),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class GuidanceCompleteForm(forms.Form):
    compliance = forms.ChoiceField(
        label=capfirst(_("did the guardian comply?")),
        choices=[
            (value, label)
            for value, label in GuardianOrder.Compliance.choices
            if value != GuardianOrder.Compliance.PENDING
        ],
    )
    result = forms.CharField(
        label=capfirst(_("result")),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent to the unit that issued the order."),
    )
