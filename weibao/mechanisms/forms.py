"""Mechanisms forms. Units and people are chosen with pickers (search-as-you-type, scoped)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.timezone import localdate
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from weibao.accounts.models import Organisation, User
from weibao.atrisk.models import AtRiskFile
from weibao.casework.models import Case
from weibao.core.pickers import UNIT_PICKER, active_units
from weibao.kit.forms import DATE_INPUT
from weibao.kit.pickers import picker_field
from weibao.kit.uploads import MultipleFileField
from weibao.mechanisms.models import (
    Attendance,
    Decision,
    Item,
    Meeting,
    PlanItem,
    Progress,
    SupervisionNotice,
    Task,
)
from weibao.mechanisms.unitfigures import figure_choices
from weibao.mechanisms.weibao_app import (
    CONTACT_PICKER,
    MEETING_ATTENDEE_PICKER,
    MEETING_CASE_PICKER,
    MEETING_FILE_PICKER,
    MEMBER_UNIT_PICKER,
    PARTNER_PICKER,
)


def _label(model: Any, name: str) -> str:
    """A model field's own label (its msgid is the model's)."""
    return capfirst(model._meta.get_field(name).verbose_name)


# The leading group, the plan and the co-construction activities --------------------------------


class GroupForm(forms.Form):
    name = forms.CharField(label=capfirst(pgettext_lazy("group", "name")), max_length=100)
    lead_unit = forms.ModelChoiceField(
        label=capfirst(_("lead agency")), queryset=Organisation.objects.none()
    )
    established_on = forms.DateField(
        label=capfirst(_("established on")), required=False, widget=DATE_INPUT
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        picker_field(self.fields["lead_unit"], UNIT_PICKER, UNIT_PICKER.queryset(user))


class MemberForm(forms.Form):
    unit = forms.ModelChoiceField(label=capfirst(_("unit")), queryset=Organisation.objects.none())
    contact = forms.ModelChoiceField(
        label=capfirst(_("contact person")),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Someone who works in the member unit."),
    )
    contact_phone = forms.CharField(
        label=capfirst(_("contact phone")), max_length=20, required=False
    )
    joined_on = forms.DateField(label=capfirst(_("joined on")), required=False, widget=DATE_INPUT)

    def __init__(self, *args: Any, user: User, member: Any = None, **kwargs: Any) -> None:
        if member is not None and not args and "initial" not in kwargs:
            kwargs["initial"] = {
                "contact": member.contact_id,
                "contact_phone": member.contact_phone,
            }
        super().__init__(*args, **kwargs)
        params = {"unit": member.unit_id} if member is not None else None
        picker_field(self.fields["contact"], CONTACT_PICKER, CONTACT_PICKER.queryset(user), params)
        if member is None:
            picker_field(self.fields["unit"], UNIT_PICKER, UNIT_PICKER.queryset(user))
        else:  # a member's unit does not change: it leaves, and another joins
            del self.fields["unit"]
            del self.fields["joined_on"]


class MemberRemoveForm(forms.Form):
    left_on = forms.DateField(label=capfirst(_("left on")), widget=DATE_INPUT)


class ResponsibilitiesForm(forms.Form):
    lines = forms.CharField(
        label=capfirst(_("responsibilities")),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("One responsibility a line, in the order they should be listed."),
    )

    def service_lines(self) -> list[str]:
        return str(self.cleaned_data.get("lines") or "").splitlines()


class OnDateForm(forms.Form):
    """The day to read a member's responsibilities as they stood then (?on=YYYY-MM-DD)."""

    on = forms.DateField(label=capfirst(_("as it stood on")), required=False, widget=DATE_INPUT)


class PlanForm(forms.Form):
    title = forms.CharField(label=capfirst(_("title")), max_length=200)
    year = forms.IntegerField(label=capfirst(_("year")), min_value=2000, max_value=2100)
    issued_on = forms.DateField(label=capfirst(_("issued on")), required=False, widget=DATE_INPUT)


class PlanItemForm(forms.Form):
    number = forms.CharField(
        label=capfirst(pgettext_lazy("numbering", "number")),
        max_length=20,
        help_text=_("Such as 二、3."),
    )
    kind = forms.ChoiceField(label=capfirst(_("kind")), choices=PlanItem.Kind.choices)
    title = forms.CharField(label=capfirst(_("title")), max_length=300)
    lead = forms.ModelChoiceField(
        label=capfirst(_("responsible unit")),
        queryset=Organisation.objects.none(),
        required=False,
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        picker_field(self.fields["lead"], UNIT_PICKER, UNIT_PICKER.queryset(user))


def _recent_items(today: date) -> QuerySet[PlanItem]:
    """The items of this year's and last year's plans (a plan has a few dozen at most)."""
    return PlanItem.objects.filter(plan__year__gte=today.year - 1).select_related("plan")


class _PlanItemChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.plan.year} · {obj.number} {obj.title}"


class ActivityForm(forms.Form):
    held_on = forms.DateField(label=capfirst(_("held on")), widget=DATE_INPUT)
    title = forms.CharField(label=capfirst(_("title")), max_length=200)
    partner = forms.ModelChoiceField(
        label=capfirst(_("partner unit")),
        queryset=Organisation.objects.none(),
        help_text=_("The school or the village or residents' committee whose branch took part."),
    )
    plan_item = _PlanItemChoice(
        label=capfirst(_("plan item")), queryset=PlanItem.objects.none(), required=False
    )
    participants = forms.IntegerField(
        label=capfirst(_("participants")), min_value=0, max_value=100000, initial=0
    )
    summary = forms.CharField(
        label=capfirst(_("summary")),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, user: User, activity: Any = None, **kwargs: Any) -> None:
        if activity is not None and not args and "initial" not in kwargs:
            kwargs["initial"] = {name: getattr(activity, name) for name in self.base_fields}
            kwargs["initial"]["partner"] = activity.partner_id
            kwargs["initial"]["plan_item"] = activity.plan_item_id
        super().__init__(*args, **kwargs)
        picker_field(self.fields["partner"], PARTNER_PICKER, PARTNER_PICKER.queryset(user))
        items = _recent_items(localdate())
        if activity is not None and activity.plan_item_id:
            items = items | PlanItem.objects.filter(pk=activity.plan_item_id)
        self.fields["plan_item"].queryset = items  # type: ignore[attr-defined]


class ActivityFilterForm(forms.Form):
    year = forms.IntegerField(
        label=capfirst(_("year")), required=False, min_value=2000, max_value=2100
    )
    partner = forms.ModelChoiceField(
        label=capfirst(_("partner unit")), queryset=Organisation.objects.none(), required=False
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        picker_field(self.fields["partner"], PARTNER_PICKER, PARTNER_PICKER.queryset(user))

    def filter(self, activities: Any) -> Any:
        if not self.is_bound:
            return activities
        if not self.is_valid():
            return activities.none()
        if self.cleaned_data["year"]:
            activities = activities.filter(held_on__year=self.cleaned_data["year"])
        if self.cleaned_data["partner"]:
            activities = activities.filter(partner=self.cleaned_data["partner"])
        return activities


# Meetings and decisions ---------------------------------------------------------------------------


class MeetingFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_label(Meeting, "kind"),
        choices=[("", _("any")), *Meeting.Kind.choices],
        required=False,
    )
    year = forms.IntegerField(
        label=_label(Meeting, "held_on"), min_value=2000, max_value=2100, required=False
    )

    def filter(self, meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
        if not self.is_valid():
            return meetings
        if self.cleaned_data["kind"]:
            meetings = meetings.filter(kind=self.cleaned_data["kind"])
        if self.cleaned_data["year"]:
            meetings = meetings.filter(held_on__year=self.cleaned_data["year"])
        return meetings


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_label(Meeting, "kind"), choices=Meeting.Kind.choices)
    title = forms.CharField(label=_label(Meeting, "title"), max_length=200)
    held_on = forms.DateField(label=_label(Meeting, "held_on"), widget=DATE_INPUT)
    place = forms.CharField(label=_label(Meeting, "place"), max_length=100, required=False)
    convener = forms.ModelChoiceField(
        label=_label(Meeting, "convener"), queryset=Organisation.objects.none(), required=False
    )
    units = forms.ModelMultipleChoiceField(
        label=_("Units asked"), queryset=Organisation.objects.none()
    )
    agenda = forms.CharField(
        label=_label(Meeting, "agenda"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, user: User, meeting: Meeting | None = None, **kw: Any) -> None:
        if meeting is not None and not (args and args[0] is not None) and "initial" not in kw:
            kw["initial"] = {
                "kind": meeting.kind,
                "title": meeting.title,
                "held_on": meeting.held_on,
                "place": meeting.place,
                "convener": meeting.convener_id,
                "units": [a.unit_id for a in meeting.attendances.all()],
                "agenda": meeting.agenda,
            }
        super().__init__(*args, **kw)
        picker_field(self.fields["convener"], UNIT_PICKER, active_units(user))
        picker_field(self.fields["units"], UNIT_PICKER, active_units(user))
        self.fields["convener"].help_text = _("Your unit if left empty.")


class AttendanceForm(forms.Form):
    """One row per unit asked: the person who came (a picker of that unit's people), present
    or not, a note (why absent, who stood in)."""

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.attendances = list(meeting.attendances.select_related("unit", "person"))
        for a in self.attendances:
            key = a.unit_id
            self.fields[f"present_{key}"] = forms.BooleanField(
                label=a.unit.name, required=False, initial=a.present
            )
            person = forms.ModelChoiceField(
                label=_label(Attendance, "person"),
                queryset=User.objects.none(),
                required=False,
                initial=a.person_id,
            )
            self.fields[f"person_{key}"] = picker_field(
                person,
                MEETING_ATTENDEE_PICKER,
                User.objects.filter(is_active=True, organisation_id=key),
                params={"unit": key},
            )
            self.fields[f"note_{key}"] = forms.CharField(
                label=_label(Attendance, "note"), required=False, max_length=200, initial=a.note
            )

    def rows(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        return [
            {
                "unit": a.unit,
                "present": data.get(f"present_{a.unit_id}", False),
                "person": data.get(f"person_{a.unit_id}"),
                "note": data.get(f"note_{a.unit_id}", ""),
            }
            for a in self.attendances
        ]

    def lines(self) -> list[tuple[Attendance, Any, Any, Any]]:
        """The rows for the template: the attendance and its three bound fields."""
        return [
            (
                a,
                self[f"present_{a.unit_id}"],
                self[f"person_{a.unit_id}"],
                self[f"note_{a.unit_id}"],
            )
            for a in self.attendances
        ]


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_label(Meeting, "minutes"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 16}),
    )


class DecisionForm(forms.Form):
    text = forms.CharField(
        label=_label(Decision, "text"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MeetingCasesForm(forms.Form):
    """The cases and at-risk files a consultation discussed: only those the user may see are
    offered, shown or kept by the form (the service keeps the links the user cannot see)."""

    cases = forms.ModelMultipleChoiceField(
        label=_label(Meeting, "cases"), queryset=Case.objects.none(), required=False
    )
    atrisk_files = forms.ModelMultipleChoiceField(
        label=_label(Meeting, "files"), queryset=AtRiskFile.objects.none(), required=False
    )

    def __init__(self, *args: Any, user: User, meeting: Meeting, **kwargs: Any) -> None:
        cases = Case.objects.for_user(user)
        files = AtRiskFile.objects.for_user(user)
        if not (args and args[0] is not None) and "initial" not in kwargs:
            kwargs["initial"] = {
                "cases": [c.pk for c in meeting.cases.filter(pk__in=cases.values("pk"))],
                "atrisk_files": [f.pk for f in meeting.files.filter(pk__in=files.values("pk"))],
            }
        super().__init__(*args, **kwargs)
        picker_field(self.fields["cases"], MEETING_CASE_PICKER, cases)
        picker_field(self.fields["atrisk_files"], MEETING_FILE_PICKER, files)


# Tasks and supervision ----------------------------------------------------------------------------


class TaskForm(forms.Form):
    """A task: from a meeting's decision (optional), for an owner unit and co-units."""

    decision = forms.ModelChoiceField(
        label=_label(Task, "decision"),
        queryset=Decision.objects.none(),
        required=False,
        widget=forms.HiddenInput,
    )
    plan_item = forms.ModelChoiceField(
        label=_label(Task, "plan_item"),
        queryset=PlanItem.objects.none(),
        required=False,
    )
    title = forms.CharField(label=_label(Task, "title"), max_length=200)
    deliverable = forms.CharField(
        label=_label(Task, "deliverable"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    owner = forms.ModelChoiceField(
        label=_label(Task, "owner"), queryset=Organisation.objects.none()
    )
    co_units = forms.ModelMultipleChoiceField(
        label=_label(Task, "co_units"),
        queryset=Organisation.objects.none(),
        required=False,
    )
    deadline = forms.DateField(label=_label(Task, "deadline"), widget=DATE_INPUT)

    def __init__(self, *args: Any, user: User, task: Task | None = None, **kwargs: Any) -> None:
        if task is not None:
            kwargs.setdefault(
                "initial",
                {
                    "decision": task.decision_id,
                    "plan_item": task.plan_item_id,
                    "title": task.title,
                    "deliverable": task.deliverable,
                    "owner": task.owner_id,
                    "co_units": list(task.co_units.values_list("pk", flat=True)),
                    "deadline": task.deadline,
                },
            )
        super().__init__(*args, **kwargs)
        meetings = Meeting.objects.for_user(user)
        self.fields["decision"].queryset = Decision.objects.filter(  # type: ignore[attr-defined]
            meeting__in=meetings
        )
        self.fields["plan_item"].queryset = (  # type: ignore[attr-defined]
            PlanItem.objects.for_user(user).select_related("plan")
        )
        units = MEMBER_UNIT_PICKER.queryset(user)
        picker_field(self.fields["owner"], MEMBER_UNIT_PICKER, units)
        picker_field(self.fields["co_units"], MEMBER_UNIT_PICKER, units)


class TaskFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_label(Task, "state"),
        choices=[("", pgettext_lazy("filter", "all")), *Task.State.choices],
        required=False,
    )
    overdue = forms.BooleanField(label=capfirst(_("overdue only")), required=False)


class ReportForm(forms.Form):
    """A progress report or the result: the text and its files."""

    text = forms.CharField(
        label=_label(Progress, "text"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    # A declared field shadows BaseForm.files only in the stubs (the metaclass takes it out).
    files = MultipleFileField(  # type: ignore[assignment]
        label=capfirst(_("files")), required=False
    )


class AcceptForm(forms.Form):
    text = forms.CharField(
        label=capfirst(_("comment")),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_label(SupervisionNotice, "reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class NoticeForm(forms.Form):
    addressee = forms.CharField(
        label=_label(SupervisionNotice, "addressee"), max_length=100, required=False
    )
    reason = forms.CharField(
        label=_label(SupervisionNotice, "reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reply_by = forms.DateField(label=_label(SupervisionNotice, "reply_by"), widget=DATE_INPUT)


# The yearly assessment ----------------------------------------------------------------------------


class _EvidenceInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class SchemeForm(forms.Form):
    year = forms.IntegerField(label=capfirst(_("year")), min_value=2000, max_value=2100)
    title = forms.CharField(label=capfirst(_("title")), max_length=200)
    excellent_from = forms.DecimalField(
        label=capfirst(_("excellent from")), min_value=0, max_digits=5, decimal_places=1, initial=90
    )
    qualified_from = forms.DecimalField(
        label=capfirst(_("qualified from")), min_value=0, max_digits=5, decimal_places=1, initial=60
    )

    def __init__(self, *args: Any, scheme: Any = None, **kwargs: Any) -> None:
        if scheme is not None and not args and "initial" not in kwargs:
            kwargs["initial"] = {name: getattr(scheme, name) for name in self.base_fields}
        super().__init__(*args, **kwargs)
        if scheme is not None:  # the year of a scheme does not change
            del self.fields["year"]


class _SchemePlanItem(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.number} {obj.title}"


class ItemForm(forms.Form):
    number = forms.IntegerField(
        label=capfirst(pgettext_lazy("numbering", "number")),
        min_value=1,
        max_value=999,
        required=False,
        help_text=_("Left empty: after the last item."),
    )
    title = forms.CharField(label=capfirst(_("title")), max_length=200)
    kind = forms.ChoiceField(label=capfirst(_("kind")), choices=Item.Kind.choices)
    weight = forms.DecimalField(
        label=capfirst(_("points")),
        min_value=0,
        max_digits=5,
        decimal_places=1,
        help_text=_("For a bonus or a deduction: the most that can be added or taken."),
    )
    figure = forms.ChoiceField(
        label=capfirst(_("figure")),
        required=False,
        help_text=_("For an item computed from an indicator."),
    )
    target = forms.DecimalField(
        label=capfirst(_("target")),
        required=False,
        min_value=0,
        max_digits=8,
        decimal_places=1,
        help_text=_("The value that scores full points (per cent for a share)."),
    )
    plan_item = _SchemePlanItem(
        label=capfirst(_("plan item")), queryset=PlanItem.objects.none(), required=False
    )
    rule = forms.CharField(
        label=capfirst(_("scoring rule")),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, scheme: Any, item: Any = None, **kwargs: Any) -> None:
        if item is not None and not args and "initial" not in kwargs:
            kwargs["initial"] = {name: getattr(item, name) for name in self.base_fields}
            kwargs["initial"]["plan_item"] = item.plan_item_id
        super().__init__(*args, **kwargs)
        self.fields["figure"].choices = [("", "---------"), *figure_choices()]  # type: ignore[attr-defined]
        self.fields["plan_item"].queryset = PlanItem.objects.filter(  # type: ignore[attr-defined]
            plan__year=scheme.year
        )


class SelfAssessForm(forms.Form):
    points = forms.DecimalField(
        label=capfirst(_("self-assessed points")), min_value=0, max_digits=6, decimal_places=2
    )
    note = forms.CharField(
        label=capfirst(_("self-assessment")),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the points rest on."),
    )
    evidence = forms.FileField(
        label=capfirst(_("evidence")),
        required=False,
        widget=_EvidenceInput(),
        help_text=_("Files that show the work (you may choose several)."),
    )


class ReviewForm(forms.Form):
    points = forms.DecimalField(
        label=capfirst(_("reviewed points")), min_value=0, max_digits=6, decimal_places=2
    )
    reason = forms.CharField(
        label=capfirst(_("reason for the adjustment")),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the points differ from the unit's or the computed ones."),
    )


class ScoreChangeForm(forms.Form):
    points = forms.DecimalField(
        label=capfirst(_("new points")), min_value=0, max_digits=6, decimal_places=2
    )
    reason = forms.CharField(
        label=capfirst(_("reason")), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
