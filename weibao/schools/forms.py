"""Forms of the school pages. They collect input; the services decide what is valid."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from weibao.accounts.models import Division, User
from weibao.core.imports import ImportForm
from weibao.core.pickers import DIVISION_PICKER
from weibao.kit.pickers import PickerWidget
from weibao.schools.models import LiaisonAppointment, School, SchoolQuerySet
from weibao.schools.services import (
    CONTACT_FIELDS,
    DIVISION_LEVELS,
    SCHOOL_FIELDS,
    liaison_candidates,
)


class DivisionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Division) -> str:
        return f"{obj.name}（{obj.code}）"


class SchoolFilterForm(forms.Form):
    """The filters above the school list."""

    LIAISON_CHOICES = [("", _("any")), ("yes", _("has a liaison")), ("no", _("no liaison"))]

    q = forms.CharField(label=pgettext_lazy("school", "Name"), required=False, max_length=50)
    township = DivisionChoiceField(
        label=_("Township"), queryset=Division.objects.townships(), required=False
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("any")), *School.Kind.choices], required=False
    )
    ownership = forms.ChoiceField(
        label=_("Ownership"), choices=[("", _("any")), *School.Ownership.choices], required=False
    )
    liaison = forms.ChoiceField(label=_("Campus liaison"), choices=LIAISON_CHOICES, required=False)
    closed = forms.BooleanField(label=_("Include closed schools"), required=False)

    def filter(self, schools: SchoolQuerySet) -> SchoolQuerySet:
        """The list as filtered; expects `has_liaison` annotated (see services.with_liaisons)."""
        if not self.is_bound:
            return schools.open()
        if not self.is_valid():
            return schools.none()
        data = self.cleaned_data
        if not data["closed"]:
            schools = schools.open()
        if data["q"]:
            schools = schools.filter(organisation__name__icontains=data["q"])
        if data["township"]:
            prefix = data["township"].prefix
            schools = schools.filter(organisation__division__code__startswith=prefix)
        if data["kind"]:
            schools = schools.filter(kind=data["kind"])
        if data["ownership"]:
            schools = schools.filter(ownership=data["ownership"])
        if data["liaison"]:
            schools = schools.filter(has_liaison=data["liaison"] == "yes")  # type: ignore[misc]
        return schools


class SchoolForm(forms.Form):
    """Create or edit a school. A school's own admin gets the contact fields only."""

    name = forms.CharField(label=capfirst(pgettext_lazy("school", "name")), max_length=200)
    credit_code = forms.CharField(
        label=capfirst(_("unified social credit code")), max_length=25, required=False
    )
    kind = forms.ChoiceField(
        label=capfirst(_("school kind")), choices=[("", "---------"), *School.Kind.choices]
    )
    ownership = forms.ChoiceField(label=capfirst(_("ownership")), choices=School.Ownership.choices)
    division = DivisionChoiceField(
        label=capfirst(_("township, village or community")),
        queryset=Division.objects.filter(level__in=DIVISION_LEVELS).select_related("parent"),
        widget=PickerWidget(DIVISION_PICKER),
    )
    address = forms.CharField(
        label=capfirst(pgettext_lazy("postal", "address")), max_length=200, required=False
    )
    latitude = forms.CharField(
        label=capfirst(_("latitude")), max_length=20, required=False, help_text=_("Such as 27.43")
    )
    longitude = forms.CharField(
        label=capfirst(_("longitude")), max_length=20, required=False, help_text=_("Such as 115.83")
    )
    pupil_count = forms.IntegerField(
        label=capfirst(pgettext_lazy("count", "pupils")), min_value=0, required=False
    )
    staff_count = forms.IntegerField(label=capfirst(_("staff")), min_value=0, required=False)
    principal_name = forms.CharField(label=capfirst(_("principal")), max_length=50, required=False)
    principal_phone = forms.CharField(
        label=capfirst(_("principal's phone")), max_length=25, required=False
    )

    def __init__(
        self,
        data: Any = None,
        *,
        school: School | None = None,
        contact_only: bool = False,
        **kwargs: Any,
    ) -> None:
        if school is not None:
            unit = school.organisation
            kwargs["initial"] = {
                "name": unit.name,
                "credit_code": unit.credit_code,
                "division": unit.division_id,
                **{name: getattr(school, name) for name in SCHOOL_FIELDS},
            }
        super().__init__(data, **kwargs)
        if contact_only:
            for name in list(self.fields):
                if name not in CONTACT_FIELDS:
                    del self.fields[name]


class LiaisonAppointForm(forms.Form):
    """Choose one of the school's campus-liaison users, and the position."""

    user = forms.ModelChoiceField(label=_("Liaison"), queryset=User.objects.none())
    position = forms.ChoiceField(
        label=_("Position"),
        choices=LiaisonAppointment.Position.choices,
        initial=LiaisonAppointment.Position.MAIN,
    )

    def __init__(self, data: Any = None, *, school: School, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.fields["user"].queryset = liaison_candidates(school)  # type: ignore[attr-defined]
        self.fields["user"].help_text = _(
            "Users of the school with the role campus liaison; its unit admin adds them."
        )


# The school list's import form is the shared one (weibao.core.imports).
SchoolImportForm = ImportForm
