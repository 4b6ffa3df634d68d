"""Forms of the people register. They collect input; the services decide what is valid."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from weibao.accounts.models import Division, Organisation, User
from weibao.accounts.policy import in_school
from weibao.kit import crypto
from weibao.kit.forms import DATE_INPUT
from weibao.lib import idnumber
from weibao.people.models import (
    Guardianship,
    LeftBehindStatus,
    Person,
    PersonQuerySet,
    validate_birth_date,
)
from weibao.people.services import person_search


class DivisionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Division) -> str:
        return f"{obj.name}（{obj.code}）"


def schools_in_scope(user: User) -> QuerySet[Organisation]:
    """The schools a user may filter by: those of their own units or in their division."""
    return Organisation.objects.schools().filter(user.scope.q("pk", division="division"))


class PersonFilterForm(forms.Form):
    """The filters above the list; the export applies the same ones."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=50,
        help_text=_("Name, pinyin, initials, or a whole ID number"),
    )
    school = forms.ModelChoiceField(
        label=_("School"), queryset=Organisation.objects.none(), required=False
    )
    sex = forms.ChoiceField(
        label=_("Sex"), choices=[("", _("any")), *Person.Sex.choices], required=False
    )
    minors = forms.BooleanField(label=_("Minors only"), required=False)

    def __init__(self, data: Any = None, *, user: User, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.user = user
        self.fields["school"].queryset = schools_in_scope(user)  # type: ignore[attr-defined]

    def filter(self, people: PersonQuerySet) -> PersonQuerySet:
        if not self.is_bound:
            return people
        if not self.is_valid():
            return people.none()  # never widen a list (or an export) on a bad filter
        data = self.cleaned_data
        people = person_search(people, data["q"], actor=self.user)
        if data["school"]:
            people = people.filter(school=data["school"])
        if data["sex"]:
            people = people.filter(sex=data["sex"])
        if data["minors"]:
            people = people.minors()
        return people

    def as_params(self) -> dict[str, Any]:
        """The valid filters, as plain values for a job's parameters."""
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "q": data["q"],
            "school": data["school"].pk if data["school"] else "",
            "sex": data["sex"],
            "minors": "on" if data["minors"] else "",
        }


class PersonForm(forms.Form):
    """Register or edit a person. On edit, blank ID number and phone keep the stored values."""

    name = forms.CharField(label=capfirst(pgettext_lazy("person", "name")), max_length=50)
    id_number = forms.CharField(
        label=capfirst(_("ID number")),
        required=False,
        max_length=25,
        help_text=_("Birth date and sex are read from it."),
    )
    sex = forms.ChoiceField(
        label=capfirst(_("sex")), choices=[("", "---------"), *Person.Sex.choices], required=False
    )
    birth_date = forms.DateField(
        label=capfirst(_("birth date")),
        required=False,
        widget=DATE_INPUT,
        validators=[validate_birth_date],
    )
    phone = forms.CharField(label=capfirst(_("phone")), required=False, max_length=25)
    address = forms.CharField(
        label=capfirst(pgettext_lazy("postal", "address")), required=False, max_length=200
    )
    division = DivisionChoiceField(
        label=capfirst(_("place of residence")), queryset=Division.objects.all(), required=False
    )
    hukou_division = DivisionChoiceField(
        label=capfirst(_("household registration")), queryset=Division.objects.all(), required=False
    )
    school = forms.ModelChoiceField(
        label=capfirst(_("school")), queryset=Organisation.objects.none(), required=False
    )
    grade = forms.CharField(label=capfirst(_("grade")), required=False, max_length=20)
    class_name = forms.CharField(label=capfirst(_("class")), required=False, max_length=20)

    def __init__(
        self, data: Any = None, *, user: User, person: Person | None = None, **kwargs: Any
    ) -> None:
        if person is not None:
            kwargs["initial"] = {
                "name": person.name,
                "sex": person.sex,
                "birth_date": person.birth_date,
                "address": person.address,
                "division": person.division_id,
                "hukou_division": person.hukou_division_id,
                "school": person.school_id,
                "grade": person.grade,
                "class_name": person.class_name,
            }
        super().__init__(data, **kwargs)
        schools = Organisation.objects.schools().active()
        if in_school(user):
            schools = schools.filter(pk=user.organisation_id)
        if person is not None and person.school_id:
            schools = schools | Organisation.objects.filter(pk=person.school_id)
        self.fields["school"].queryset = schools  # type: ignore[attr-defined]
        if person is not None:
            if person.id_number_encrypted:
                self.fields["id_number"].help_text = _(
                    "Leave blank to keep %(masked)s. Birth date and sex are read from it."
                ) % {"masked": person.masked_id_number}
            if person.phone:
                self.fields["phone"].help_text = _("Leave blank to keep %(masked)s.") % {
                    "masked": person.masked_phone
                }

    def service_data(self) -> dict[str, Any]:
        """What to hand to the service: every field on create, only changed ones on edit."""
        if not self.initial:
            return dict(self.cleaned_data)
        return {name: self.cleaned_data[name] for name in self.changed_data}


def _person_by_number(user: User, text: str) -> Person:
    """A visible person by ID number or by record number (for guardians without an ID)."""
    text = text.strip().lstrip("#")
    people = Person.objects.for_user(user)
    if text.isdigit() and len(text) < 15:
        found = people.filter(pk=int(text)).first()
    else:
        try:
            number = idnumber.parse(text).number
        except ValueError as exc:
            raise ValidationError(str(exc)) from None
        found = people.by_id_hash(crypto.blind_index(number)).first()
    if found is None:
        raise ValidationError(
            _("No one with this number is in the records you can see; register them first.")
        )
    return found


class GuardianForm(forms.Form):
    guardian = forms.CharField(
        label=capfirst(_("guardian")),
        max_length=25,
        help_text=_("The guardian's ID number, or their record number"),
    )
    relationship = forms.ChoiceField(
        label=capfirst(_("relationship")), choices=Guardianship.Relationship.choices
    )
    is_primary = forms.BooleanField(label=capfirst(_("primary guardian")), required=False)

    def __init__(self, data: Any = None, *, user: User, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.user = user

    def clean_guardian(self) -> Person:
        return _person_by_number(self.user, self.cleaned_data["guardian"])


class LeftBehindForm(forms.ModelForm):
    class Meta:
        model = LeftBehindStatus
        fields = [
            "parents_away",
            "parents_workplace",
            "entrusted_carer",
            "carer_disqualified",
            "written_notice_date",
            "last_contact_date",
            "is_active",
        ]
        widgets = {"written_notice_date": DATE_INPUT, "last_contact_date": DATE_INPUT}

    def __init__(self, data: Any = None, *, child: Person, user: User, **kwargs: Any) -> None:
        # Unbound (the person's page), the status the page already read; bound, the stored one.
        if data is None:
            instance = getattr(child, "left_behind", None)
        else:
            instance = LeftBehindStatus.objects.filter(child=child).first()
        super().__init__(data, instance=instance or LeftBehindStatus(child=child), **kwargs)
        # The carer is chosen among the child's guardians that the user can see.
        self.fields["entrusted_carer"].queryset = Person.objects.for_user(user).filter(  # type: ignore[attr-defined]
            wards__child=child
        )
        self.fields["entrusted_carer"].help_text = _("Add the carer as a guardian first.")


class RevealForm(forms.Form):
    field = forms.ChoiceField(
        choices=[
            ("id_number", _("ID number")),
            ("phone", _("phone")),
            ("address", pgettext_lazy("postal", "address")),
        ],
        widget=forms.HiddenInput,
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        help_text=_("Why you need the full value; it is recorded in the audit log."),
    )
