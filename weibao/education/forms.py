"""Forms of law education. They collect input; the services decide what is valid."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from weibao.accounts.models import Division, Organisation, User
from weibao.core.forms import AttachmentForm
from weibao.core.imports import ImportForm
from weibao.core.pickers import DIVISION_PICKER, UNIT_PICKER
from weibao.education.coverage import CoverageFilters
from weibao.education.models import CoverageRule, Session, TeachingCase, Term, Topic
from weibao.education.policy import manages_education
from weibao.education.services.cases import case_search
from weibao.education.weibao_app import (
    FILTER_SCHOOL_PICKER,
    RECORDABLE_SCHOOL_PICKER,
    SPEAKER_UNIT_PICKER,
)
from weibao.kit.forms import DATE_INPUT
from weibao.kit.pickers import PickerWidget, picker_field
from weibao.legalvp.models import Appointment
from weibao.schools.models import School

# "Term" alone is a legal vice-principal's term too; this one is a school term (学期).
TERM_LABEL = pgettext_lazy("school year", "Term")


class SchoolChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: School) -> str:
        return obj.organisation.name


class DivisionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Division) -> str:
        parent = obj.parent.name if obj.parent_id and obj.level == Division.Level.VILLAGE else ""  # type: ignore[union-attr]
        return f"{parent}{obj.name}"


class AppointmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Appointment) -> str:
        return f"{obj.person.name}（{obj.sending_unit.name}）"


def recordable_schools(user: User) -> QuerySet[School]:
    """The open schools a user may record sessions at: all for the bureau, else their own."""
    schools = School.objects.open().select_related("organisation")
    if not manages_education(user):
        schools = schools.filter(organisation_id=user.organisation_id)
    return schools.order_by("organisation__division__code", "organisation__name")


def filter_schools(user: User) -> QuerySet[School]:
    """The schools the session list may be filtered by: all for the bureau, else the scope's."""
    schools = School.objects.select_related("organisation")
    if not manages_education(user):
        schools = schools.filter(user.scope.q("organisation", division="organisation__division"))
    return schools.order_by("organisation__name")


def places() -> QuerySet[Division]:
    return (
        Division.objects.filter(level__gte=Division.Level.TOWNSHIP)
        .select_related("parent")
        .order_by("code")
    )


def term_choices() -> QuerySet[Term]:
    return Term.objects.all()


class SessionFilterForm(forms.Form):
    """The filters above the session list."""

    OVERDUE = "overdue"

    term = forms.ModelChoiceField(label=TERM_LABEL, queryset=Term.objects.none(), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    school = SchoolChoiceField(
        label=_("School"),
        queryset=School.objects.none(),
        required=False,
        widget=PickerWidget(FILTER_SCHOOL_PICKER),
    )
    audience = forms.ChoiceField(
        label=pgettext_lazy("session", "Audience"),
        choices=[("", _("any")), *Session.Audience.choices],
        required=False,
    )
    topic = forms.ModelChoiceField(label=_("Topic"), queryset=Topic.objects.none(), required=False)
    speaker_kind = forms.ChoiceField(
        label=_("Speaker"), choices=[("", _("any")), *Session.SpeakerKind.choices], required=False
    )

    def __init__(self, data: Any = None, *, user: User, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.fields["term"].queryset = term_choices()  # type: ignore[attr-defined]
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            ("", _("any")),
            *Session.Status.choices,
            (self.OVERDUE, _("overdue")),
        ]
        self.fields["school"].queryset = filter_schools(user)  # type: ignore[attr-defined]
        self.fields["topic"].queryset = Topic.objects.all()  # type: ignore[attr-defined]

    def filter(self, sessions: QuerySet[Session]) -> QuerySet[Session]:
        if not self.is_bound:
            return sessions
        if not self.is_valid():
            return sessions.none()
        data = self.cleaned_data
        if data["term"]:
            sessions = sessions.filter(date__gte=data["term"].start, date__lte=data["term"].end)
        if data["status"] == self.OVERDUE:
            sessions = sessions.overdue()  # type: ignore[attr-defined]
        elif data["status"]:
            sessions = sessions.filter(status=data["status"])
        for name in ("school", "audience", "speaker_kind"):
            if data[name]:
                sessions = sessions.filter(**{name: data[name]})
        if data["topic"]:
            sessions = sessions.filter(
                pk__in=Session.objects.filter(topics=data["topic"]).values("pk")
            )
        return sessions


class SessionForm(forms.ModelForm):
    """A session; the school list holds the schools the user may record at."""

    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"), queryset=Topic.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    cases = forms.ModelMultipleChoiceField(
        label=_("Cases used"), queryset=TeachingCase.objects.none(), required=False
    )

    pupils_attending = forms.IntegerField(
        label=_("Pupils attending"), min_value=0, max_value=100_000, required=False
    )
    teachers_attending = forms.IntegerField(
        label=_("Teachers attending"), min_value=0, max_value=100_000, required=False
    )
    parents_attending = forms.IntegerField(
        label=_("Parents attending"), min_value=0, max_value=100_000, required=False
    )

    class Meta:
        model = Session
        fields = [
            "school", "division", "date", "status", "audience", "grades", "pupils_attending",
            "teachers_attending", "parents_attending", "topics",
            "speaker_kind", "appointment", "speaker_name", "speaker_unit", "hours", "cases",
            "notice_sent", "receipts_returned", "notes",
        ]  # fmt: skip
        field_classes = {
            "school": SchoolChoiceField,
            "division": DivisionChoiceField,
            "appointment": AppointmentChoiceField,
        }
        widgets = {"date": DATE_INPUT, "notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "appointment": _("When the speaker is a legal vice-principal: their hours count "
                             "toward the four-hour rule once the session is held."),
            "grades": _("For pupils: the grades, e.g. 三年级、四年级."),
            "audience": _("Whom the session is for. Once it is held, the counts below decide: "
                          "one group, or mixed when several came."),
            "pupils_attending": _("Count each group apart: one session may reach pupils, "
                                  "teachers and parents."),
            "receipts_returned": _("For parents: receipts of the notice sent home (告家长书)."),
        }  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in Session.GROUP_FIELDS.values():
            if data.get(name) is None:  # left empty: nobody of that group
                data[name] = 0
        return data

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        schools = recordable_schools(user)
        if self.instance.pk and self.instance.school_id:
            schools = (
                School.objects.filter(
                    Q(pk__in=schools.values("pk")) | Q(pk=self.instance.school_id)
                )
                .select_related("organisation")
                .order_by("organisation__name")
            )
        picker_field(self.fields["school"], RECORDABLE_SCHOOL_PICKER, schools)
        picker_field(self.fields["division"], DIVISION_PICKER, places())
        self.fields["topics"].queryset = Topic.objects.filter(  # type: ignore[attr-defined]
            Q(is_active=True) | Q(pk__in=self._current("topics"))
        )
        self.fields["cases"].queryset = TeachingCase.objects.published()  # type: ignore[attr-defined]
        self.fields["appointment"].queryset = (  # type: ignore[attr-defined]
            Appointment.objects.filter(schools__in=schools.values("pk"))
            .select_related("person", "sending_unit")
            .distinct()
            .order_by("person__name_pinyin")
        )
        units = Organisation.objects.active().select_related("division")
        picker_field(self.fields["speaker_unit"], UNIT_PICKER, units)

    def _current(self, name: str) -> list[int]:
        if not self.instance.pk:
            return []
        return list(getattr(self.instance, name).values_list("pk", flat=True))

    def _post_clean(self) -> None:
        """The service validates and saves; the form does not touch the instance."""

    def service_data(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class SessionImportForm(ImportForm):
    """The term and school of the sessions, then the file (the shared import form's)."""

    field_order = ["term", "school", "file"]
    term = forms.ModelChoiceField(label=TERM_LABEL, queryset=Term.objects.none())
    school = SchoolChoiceField(
        label=_("School"),
        queryset=School.objects.none(),
        widget=PickerWidget(RECORDABLE_SCHOOL_PICKER),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["term"].queryset = term_choices()  # type: ignore[attr-defined]
        schools = recordable_schools(user)
        self.fields["school"].queryset = schools  # type: ignore[attr-defined]
        if schools.count() == 1:
            self.fields["school"].initial = schools.first()


class SessionFileForm(AttachmentForm):
    """A photo of the session or its sign-in sheet: an image or a PDF, checked by content (a
    text file renamed .jpg is refused)."""

    accept = ("image", "pdf")
    file = forms.FileField(
        label=_("photo or sign-in sheet"),
        help_text=_("A photo (.jpg, .png) or a scan of the sign-in sheet (.pdf)."),
    )


class CoverageFilterForm(forms.Form):
    term = forms.ModelChoiceField(label=TERM_LABEL, queryset=Term.objects.none(), required=False)
    township = DivisionChoiceField(
        label=_("Township"), queryset=Division.objects.none(), required=False
    )
    school_kind = forms.ChoiceField(
        label=_("School kind"), choices=[("", _("any")), *School.Kind.choices], required=False
    )
    topic = forms.ModelChoiceField(label=_("Topic"), queryset=Topic.objects.none(), required=False)
    speaker_unit = forms.ModelChoiceField(
        label=_("Speaker's unit"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=PickerWidget(SPEAKER_UNIT_PICKER),
    )

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.fields["term"].queryset = term_choices()  # type: ignore[attr-defined]
        self.fields["township"].queryset = Division.objects.townships()  # type: ignore[attr-defined]
        self.fields["topic"].queryset = Topic.objects.all()  # type: ignore[attr-defined]
        self.fields["speaker_unit"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            pk__in=Session.objects.values("speaker_unit")
        )

    def chosen(self) -> tuple[Term | None, CoverageFilters]:
        """The term (the current one by default) and the filters; (None, ...) when invalid."""
        if self.is_bound and not self.is_valid():
            return None, CoverageFilters()
        data = self.cleaned_data if self.is_bound else {}
        term = data.get("term") or Term.objects.current()
        filters = CoverageFilters(
            township=data.get("township"),
            school_kind=data.get("school_kind") or "",
            topic=data.get("topic"),
            speaker_unit=data.get("speaker_unit"),
        )
        return term, filters


class ExportForm(forms.Form):
    purpose = forms.CharField(
        label=_("Purpose"),
        min_length=4,
        max_length=200,
        help_text=_("Why the figures are needed; it is recorded in the audit log."),
    )


class TermForm(forms.ModelForm):
    class Meta:
        model = Term
        fields = ["name", "start", "end"]
        widgets = {"start": DATE_INPUT, "end": DATE_INPUT}

    def _post_clean(self) -> None:
        """The service validates and saves."""


class CoverageRuleForm(forms.ModelForm):
    class Meta:
        model = CoverageRule
        fields = ["min_pupil_sessions", "min_parent_sessions", "kindergarten_parent_sessions"]

    def _post_clean(self) -> None:
        """The service validates and saves (as a new row)."""


class TopicForm(forms.ModelForm):
    class Meta:
        model = Topic
        fields = ["name", "position", "is_active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["position"].required = False  # new topics go last

    def _post_clean(self) -> None:
        """The service validates and saves."""


class CaseFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Words"), required=False, max_length=100, help_text=_("Words in the text")
    )
    topic = forms.ModelChoiceField(label=_("Topic"), queryset=Topic.objects.none(), required=False)
    age_group = forms.ChoiceField(
        label=_("Age group"),
        choices=[("", _("any")), *TeachingCase.AgeGroup.choices],
        required=False,
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("any")), *TeachingCase.Status.choices], required=False
    )

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.fields["topic"].queryset = Topic.objects.all()  # type: ignore[attr-defined]

    def filter(self, cases: QuerySet[TeachingCase]) -> QuerySet[TeachingCase]:
        if not self.is_bound:
            return cases
        if not self.is_valid():
            return cases.none()
        data = self.cleaned_data
        cases = case_search(cases, data["q"])
        if data["topic"]:
            cases = cases.filter(
                pk__in=TeachingCase.objects.filter(topics=data["topic"]).values("pk")
            )
        for name in ("age_group", "status"):
            if data[name]:
                cases = cases.filter(**{name: data[name]})
        return cases


class CaseForm(forms.ModelForm):
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"), queryset=Topic.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    confirm = forms.BooleanField(
        label=_("I have checked the text: no child can be identified from it"),
        required=False,
        help_text=_("Needed only when the check warns about a name."),
    )

    class Meta:
        model = TeachingCase
        fields = ["title", "summary", "statute", "article", "age_group", "topics"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 10})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = (
            list(self.instance.topics.values_list("pk", flat=True)) if self.instance.pk else []
        )
        self.fields["topics"].queryset = Topic.objects.filter(  # type: ignore[attr-defined]
            Q(is_active=True) | Q(pk__in=current)
        )

    def _post_clean(self) -> None:
        """The service validates and saves."""

    def service_data(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "confirm"}


class CaseDecisionForm(forms.Form):
    publish = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("publish")), ("0", _("reject"))],
        coerce=lambda value: value == "1",
    )
    note = forms.CharField(
        label=_("Reason"), required=False, max_length=200, help_text=_("Required to reject.")
    )
