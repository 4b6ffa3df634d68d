"""The register's forms: the case list's filters, a case with its suspects and victims (each a
formset; people and places chosen with pickers, never a list), and the import."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Exists, OuterRef, Q
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from weibao.accounts.models import Division, User
from weibao.core.pickers import DIVISION_PICKER
from weibao.crimes.models import Case, CriminalCaseQuerySet, Decision, Offence, OffenceGroup, Sex
from weibao.kit.forms import DATE_INPUT
from weibao.kit.pickers import picker_field
from weibao.people.models import Person
from weibao.people.weibao_app import PERSON_PICKER

ANY = [("", "—")]
FIRST_YEAR = 2000


class CaseFilterForm(forms.Form):
    year = forms.IntegerField(
        label=_("Year of the offence"), required=False, min_value=FIRST_YEAR, max_value=2099
    )
    group = forms.ChoiceField(
        label=_("Offence group"), choices=[*ANY, *OffenceGroup.choices], required=False
    )
    division = forms.ModelChoiceField(
        label=_("Township or village"), queryset=Division.objects.none(), required=False
    )
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[*ANY, *Decision.Kind.choices], required=False
    )
    number = forms.CharField(
        label=pgettext_lazy("criminal case", "Case number"), required=False, max_length=60
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        picker_field(self.fields["division"], DIVISION_PICKER, DIVISION_PICKER.queryset(user))

    def filter(self, cases: CriminalCaseQuerySet) -> CriminalCaseQuerySet:
        if not self.is_bound:
            return cases
        if not self.is_valid():
            return cases.none()
        data = self.cleaned_data
        if data["year"]:
            cases = cases.filter(offence_date__year=data["year"])
        if data["group"]:
            cases = cases.filter(offence_group=data["group"])
        if data["division"]:
            cases = cases.in_division(data["division"])
        if data["decision"]:
            decided = Decision.objects.filter(suspect__case=OuterRef("pk"), kind=data["decision"])
            cases = cases.filter(Exists(decided))
        if data["number"]:
            cases = cases.filter(Q(number__icontains=data["number"]))
        return cases


class CaseForm(forms.Form):
    number = forms.CharField(label=pgettext_lazy("criminal case", "Case number"), max_length=60)
    offence = forms.ChoiceField(label=_("Offence"), choices=Offence.choices)
    offence_date = forms.DateField(label=_("Offence date"), widget=DATE_INPUT)
    division = forms.ModelChoiceField(
        label=_("Township or village"), queryset=Division.objects.none()
    )
    joint = forms.BooleanField(label=_("Joint crime (共同犯罪)"), required=False)
    gang = forms.BooleanField(
        label=_("Gang crime (团伙犯罪)"),
        required=False,
        help_text=_("Three or more participants (Criminal Law Art. 26)."),
    )
    participants = forms.IntegerField(
        label=_("Participants"), min_value=1, max_value=999, required=False
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        picker_field(self.fields["division"], DIVISION_PICKER, DIVISION_PICKER.queryset(user))


def _person_field(form: forms.Form, user: User, label: Any) -> None:
    field = forms.ModelChoiceField(
        label=label,
        queryset=Person.objects.none(),
        required=False,
        help_text=_("A person of the register; or leave empty and give the age and sex."),
    )
    form.fields["person"] = picker_field(field, PERSON_PICKER, PERSON_PICKER.queryset(user))
    form.order_fields(["person"])


class SuspectForm(forms.Form):
    sex = forms.ChoiceField(label=_("Sex"), choices=[*ANY, *Sex.choices], required=False)
    age_at_offence = forms.IntegerField(
        label=_("Age at the offence (周岁)"), min_value=0, max_value=120, required=False
    )
    arrest_kind = forms.ChoiceField(
        label=_("Arrest decision"),
        choices=[*ANY, *[(k, v) for k, v in Decision.Kind.choices if k in ("arrest", "no_arrest")]],
        required=False,
    )
    arrest_on = forms.DateField(label=_("Arrest decision date"), required=False, widget=DATE_INPUT)
    prosecution_kind = forms.ChoiceField(
        label=_("Prosecution decision"),
        choices=[
            *ANY,
            *[(k, v) for k, v in Decision.Kind.choices if k not in ("arrest", "no_arrest")],
        ],
        required=False,
    )
    prosecution_on = forms.DateField(
        label=_("Prosecution decision date"), required=False, widget=DATE_INPUT
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _person_field(self, user, pgettext_lazy("suspect", "Person"))


class VictimForm(forms.Form):
    sex = forms.ChoiceField(label=_("Sex"), choices=[*ANY, *Sex.choices], required=False)
    age = forms.IntegerField(
        label=_("Age at the offence (周岁)"), min_value=0, max_value=120, required=False
    )
    offence = forms.ChoiceField(
        label=_("Offence against the victim"),
        choices=[("", _("the case's offence")), *Offence.choices],
        required=False,
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _person_field(self, user, pgettext_lazy("victim", "Person"))


SuspectFormSet = formset_factory(SuspectForm, extra=2, max_num=200)
VictimFormSet = formset_factory(VictimForm, extra=2, max_num=200)


def filled(formset: Any) -> list[dict[str, Any]]:
    """The rows of a valid formset that were filled in."""
    return [form.cleaned_data for form in formset.forms if form.has_changed() and form.cleaned_data]


def case_initial(case: Case, data: dict[str, Any]) -> dict[str, Any]:
    return {
        **{k: v for k, v in data.items() if k not in ("suspects", "victims")},
        "division": case.division_id,
    }
