"""Forms of the at-risk database. They collect input; the services decide what is valid."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from weibao.accounts.models import Division, Organisation, User
from weibao.atrisk.access import reportable_people
from weibao.atrisk.grading import CrimeClass, Grade
from weibao.atrisk.models import (
    ATRISK_UNIT_KINDS,
    AtRiskFile,
    AtRiskFileQuerySet,
    Behaviour,
    Contact,
    GradingRuleSet,
    Measure,
    MisconductEvent,
    RiskFactor,
)
from weibao.atrisk.services import measure_categories_for
from weibao.atrisk.weibao_app import (
    FILE_SCHOOL_PICKER,
    FILE_WORKER_PICKER,
    REFERRAL_KINDS,
    REFERRAL_UNIT_PICKER,
    REPORTABLE_PICKER,
    SHARE_UNIT_PICKER,
    WORKER_PICKER,
    assignable_workers,
)
from weibao.kit.forms import DATE_INPUT
from weibao.kit.pickers import PickerMultipleWidget, PickerWidget
from weibao.people import forms as people_forms
from weibao.people.models import Person
from weibao.people.services import person_search


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.masked_name} · {obj.masked_id_number} · {obj.school or ''}"


class BehaviourField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Behaviour) -> str:
        return f"{obj.code} {obj.label}"


def _users_field_queryset(user: User) -> Any:
    """Workers the user may assign: their own unit's; a coordinator, any data role."""
    return assignable_workers(user)


class QuickSelect(forms.Select):
    """A select rendered in Python, not one template per option: the list page shows a hundred
    schools on every request, and the per-option templates were most of its time."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        chosen = {str(v) for v in (value if isinstance(value, list | tuple) else [value])}
        final = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (str(v), mark_safe(" selected") if str(v) in chosen else "", label)
                for v, label in self.choices
            ),
        )
        return format_html("<select{}>{}</select>", flatatt(final), options)


class FileFilterForm(forms.Form):
    """The filters above the list (and the export)."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=50,
        help_text=_("Name, pinyin, initials, or a whole ID number"),
    )
    grade = forms.ChoiceField(
        label=pgettext_lazy("risk", "Grade"),
        required=False,
        choices=[("", _("any")), *Grade.choices],
        widget=QuickSelect,
    )
    township = forms.ModelChoiceField(
        label=_("Township"),
        required=False,
        queryset=Division.objects.townships(),
        widget=QuickSelect,
    )
    school = forms.ModelChoiceField(
        label=_("School"),
        required=False,
        queryset=Organisation.objects.none(),
        widget=PickerWidget(FILE_SCHOOL_PICKER),
    )
    age = forms.ChoiceField(
        label=_("Age"),
        required=False,
        choices=[("", _("any")), ("12-13", "12-13"), ("14-15", "14-15"), ("16-17", "16-17")],
        widget=QuickSelect,
    )
    worker = forms.ModelChoiceField(
        label=_("Worker"),
        required=False,
        queryset=User.objects.none(),
        widget=PickerWidget(FILE_WORKER_PICKER),
    )
    overdue = forms.BooleanField(label=_("Contacts overdue"), required=False)
    closed = forms.BooleanField(label=_("Include closed files"), required=False)

    def __init__(self, data: Any = None, *, user: User, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.user = user
        visible = AtRiskFile.objects.for_user(user)
        # Pickers: the page holds the chosen school and worker only, the fields check the rest.
        schools = Organisation.objects.schools().filter(pk__in=visible.values("school_id"))
        self.fields["school"].queryset = schools.select_related("division")  # type: ignore[attr-defined]
        workers = User.objects.filter(pk__in=visible.values("worker_id"))
        self.fields["worker"].queryset = workers.select_related("organisation")  # type: ignore[attr-defined]

    def filter(self, files: AtRiskFileQuerySet) -> AtRiskFileQuerySet:
        if not self.is_bound:
            return files.open()
        if not self.is_valid():
            return files.none()  # never widen a list (or an export) on a bad filter
        data = self.cleaned_data
        if not data["closed"]:
            files = files.open()
        if data["q"]:
            # Search among the people with files only, not the whole register.
            people = Person.objects.filter(pk__in=files.values("person_id"))
            people = person_search(people, data["q"], actor=self.user)
            files = files.filter(person__in=people.values("pk"))
        if data["grade"]:
            files = files.filter(grade=data["grade"])
        if data["township"]:
            files = files.filter(township=data["township"])
        if data["school"]:
            files = files.filter(school=data["school"])
        if data["worker"]:
            files = files.filter(worker=data["worker"])
        if data["age"]:
            low, high = (int(n) for n in data["age"].split("-"))
            today = timezone.localdate()
            # age <= high: born after the cutoff for high+1; age >= low: born on or before ...
            youngest = _years_before(today, low) - timedelta(days=1)
            oldest = _years_before(today, high + 1)
            files = files.filter(person__birth_date__lte=youngest, person__birth_date__gte=oldest)
        if data["overdue"]:
            files = files.overdue()
        return files

    def as_params(self) -> dict[str, Any]:
        if not self.is_bound or not self.is_valid():
            return {}
        return {k: (v.pk if hasattr(v, "pk") else v) for k, v in self.cleaned_data.items() if v}


def _years_before(day: date, years: int) -> date:
    """The same day `years` earlier (1 March for 29 February), as adult_birth_cutoff counts.

    周岁 count from the day after the birthday: someone born on this day is not yet `years` old
    today, so the ages low..high are births in [_years_before(high + 1), _years_before(low) - 1].
    """
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return date(day.year - years, 3, 1)


class EventForm(forms.Form):
    """Report a misconduct event for one or more minors."""

    people = PersonChoiceField(
        label=_("Minors"),
        queryset=Person.objects.none(),
        help_text=_("Several minors make a group event."),
        widget=PickerMultipleWidget(REPORTABLE_PICKER),
    )
    occurred_on = forms.DateField(label=capfirst(_("date")), widget=DATE_INPUT)
    place = forms.CharField(label=capfirst(_("place")), max_length=200, required=False)
    description = forms.CharField(
        label=capfirst(_("description")),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    behaviours = BehaviourField(
        label=_("Behaviour codes"),
        queryset=Behaviour.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    repeated = forms.BooleanField(label=_("Repeated (Art. 44(2))"), required=False)
    refuses_correction = forms.BooleanField(
        label=_("Refuses to correct (Art. 44(3))"), required=False
    )
    grave = forms.BooleanField(
        label=_("Egregious or grave consequences (Art. 44(1))"), required=False
    )
    crime_class = forms.ChoiceField(
        label=_("Kind of crime (SB00 only)"), choices=CrimeClass.choices, initial=CrimeClass.OTHER
    )
    sealed = forms.BooleanField(label=_("Sealed record"), required=False)
    share_with = forms.ModelMultipleChoiceField(
        label=_("Share with units"),
        required=False,
        queryset=Organisation.objects.active().filter(kind__in=ATRISK_UNIT_KINDS),
        widget=PickerMultipleWidget(SHARE_UNIT_PICKER),
    )

    def __init__(
        self, data: Any = None, *, user: User, file: AtRiskFile | None = None, **kwargs: Any
    ) -> None:
        super().__init__(data, **kwargs)
        # The one rule for whom an event may name (the service and the API apply it too).
        self.fields["people"].queryset = reportable_people(user).select_related("school")  # type: ignore[attr-defined]
        if file is not None:
            self.fields["people"].initial = [file.person_id]


class MeasureForm(forms.Form):
    kind = forms.ChoiceField(label=capfirst(_("measure")), choices=Measure.Kind.choices)
    decided_on = forms.DateField(label=capfirst(_("date")), widget=DATE_INPUT)
    event = forms.ModelChoiceField(
        label=capfirst(_("event")), required=False, queryset=MisconductEvent.objects.none()
    )
    notes = forms.CharField(
        label=capfirst(_("notes")),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    sealed = forms.BooleanField(
        label=_("Sealed record"),
        required=False,
        help_text=_("Non-prosecution, special education and criminal cases are sealed by law."),
    )

    def __init__(self, data: Any = None, *, user: User, file: AtRiskFile, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        allowed = measure_categories_for(user)
        from weibao.atrisk.models import category_of

        self.fields["kind"].choices = [  # type: ignore[attr-defined]
            (value, label) for value, label in Measure.Kind.choices if category_of(value) in allowed
        ]
        self.fields["event"].queryset = MisconductEvent.objects.for_user(user).filter(  # type: ignore[attr-defined]
            involved__file=file
        )


class FactorForm(forms.Form):
    kind = forms.ChoiceField(label=capfirst(_("risk factor")), choices=RiskFactor.Kind.choices)
    notes = forms.CharField(label=capfirst(_("notes")), max_length=300, required=False)


class ContactForm(forms.Form):
    kind = forms.ChoiceField(label=capfirst(_("kind")), choices=Contact.Kind.choices)
    done_on = forms.DateField(
        label=_("Date of the contact"),
        widget=DATE_INPUT,
        initial=timezone.localdate,
        help_text=_("The day the contact took place, which may be before today."),
    )
    notes = forms.CharField(
        label=capfirst(_("notes")),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day = data.pop("done_on", None)
        if day is not None:  # today: now; an earlier day: noon of that day
            now = timezone.localtime()
            data["done_at"] = (
                now if day == now.date() else timezone.make_aware(datetime.combine(day, time(12)))
            )
        return data


class PlanForm(forms.Form):
    goals = forms.CharField(
        label=capfirst(_("goals")),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    helpers = forms.CharField(
        label=capfirst(_("helpers")),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "School, village children's director, social worker, volunteer, legal vice-principal..."
        ),
    )
    next_review_on = forms.DateField(
        label=_("Next termly review"), required=False, widget=DATE_INPUT
    )


class ReviewForm(forms.Form):
    summary = forms.CharField(
        label=capfirst(_("summary")), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AssignForm(forms.Form):
    worker = forms.ModelChoiceField(
        label=_("Responsible worker"),
        queryset=User.objects.none(),
        widget=PickerWidget(WORKER_PICKER),
    )

    def __init__(self, data: Any = None, *, user: User, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.fields["worker"].queryset = _users_field_queryset(user)  # type: ignore[attr-defined]


# REFERRAL_KINDS (weibao_app): agencies and township governments, for the referral picker.


class ReferForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Refer to unit"),
        queryset=Organisation.objects.active().filter(kind__in=REFERRAL_KINDS),
        widget=PickerWidget(REFERRAL_UNIT_PICKER),
    )
    note = forms.CharField(label=capfirst(_("note")), max_length=300, required=False)


class CloseForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason for closing"), choices=AtRiskFile.ClosedReason.choices
    )
    note = forms.CharField(label=capfirst(_("note")), max_length=300, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


# A file's person is revealed with the people register's own form (the same fields, the same
# reason rule).
RevealForm = people_forms.RevealForm


class ApplicationForm(forms.Form):
    legal_basis = forms.CharField(
        label=_("Legal basis"),
        max_length=300,
        help_text=_("For example: Criminal Procedure Law Art. 286, for case handling"),
    )
    purpose = forms.CharField(label=_("Purpose"), max_length=300)


class DecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        coerce=lambda v: v == "yes",
        choices=[("yes", _("approve")), ("no", _("refuse"))],
    )
    expires_on = forms.DateField(label=_("Approved until"), required=False, widget=DATE_INPUT)
    note = forms.CharField(label=capfirst(_("note")), max_length=300, required=False)


class RulesForm(forms.ModelForm):
    class Meta:
        model = GradingRuleSet
        fields = [*GradingRuleSet.PARAMETERS, "note"]


class OpenFileForm(forms.Form):
    """Open a file for a minor at risk without misconduct (watch), with the risk factors seen."""

    person = forms.ModelChoiceField(
        label=_("Minor"), queryset=Person.objects.none(), widget=PickerWidget(REPORTABLE_PICKER)
    )
    factors = forms.MultipleChoiceField(
        label=_("Risk factors"),
        choices=RiskFactor.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, data: Any = None, *, user: User, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.fields["person"].queryset = reportable_people(user).select_related("school")  # type: ignore[attr-defined]
        self.fields["person"].label_from_instance = (  # type: ignore[attr-defined]
            lambda p: f"{p.masked_name} · {p.masked_id_number} · {p.school or ''}"
        )
