"""Forms of the venues pages. They collect input; the services decide what is valid.

Venues, villages, townships and units are chosen with search-as-you-type pickers, scoped to what
the user may choose (weibao_app.py); a plan or an order to re-inspect comes from the few that fit
the venue.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from weibao.accounts.models import Division, Organisation, User
from weibao.core.imports import ImportForm
from weibao.core.pickers import DIVISION_PICKER
from weibao.kit.forms import DATE_INPUT, DATETIME_INPUT
from weibao.kit.pickers import picker_field
from weibao.kit.uploads import MultipleFileField
from weibao.schools.models import School
from weibao.venues.kinds import Outcome, VenueKind
from weibao.venues.models import InspectionPlan, RectificationOrder, Venue, VenueQuerySet
from weibao.venues.services import venue_checklist
from weibao.venues.weibao_app import INSPECTING_UNIT_PICKER, TOWNSHIP_PICKER, VENUE_PICKER

ANY = [("", _("any"))]
VILLAGE_PICKER = DIVISION_PICKER.variant(
    "venues_village",
    lambda user: DIVISION_PICKER.queryset(user).filter(level=Division.Level.VILLAGE),
)

__all__ = ["ImportForm"]


class VenueFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or credit code"), required=False, max_length=50)
    township = forms.ModelChoiceField(
        label=_("Township"), queryset=Division.objects.none(), required=False
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=[*ANY, *VenueKind.choices], required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[*ANY, *Venue.Status.choices], required=False
    )
    violating = forms.BooleanField(label=_("Breaks a distance rule"), required=False)
    expired = forms.BooleanField(label=_("Licence expired"), required=False)
    flagged = forms.BooleanField(label=_("Repeat offender"), required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        picker_field(self.fields["township"], TOWNSHIP_PICKER, TOWNSHIP_PICKER.queryset(user))

    def filter(self, venues: VenueQuerySet) -> VenueQuerySet:
        if not self.is_bound:
            return venues
        if not self.is_valid():
            return venues.none()
        data = self.cleaned_data
        if data["q"]:
            q = data["q"].strip()
            venues = venues.filter(Q(name__icontains=q) | Q(credit_code__iexact=q.upper()))
        if data["township"]:
            venues = venues.in_township(data["township"])
        if data["kind"]:
            venues = venues.filter(kind=data["kind"])
        if data["status"]:
            venues = venues.filter(status=data["status"])
        if data["violating"]:
            venues = venues.filter(violations__closed_at__isnull=True).distinct()
        if data["expired"]:
            venues = venues.licence_expired()
        if data["flagged"]:
            venues = venues.filter(flagged_on__isnull=False)
        return venues


class VenueForm(forms.Form):
    kind = forms.ChoiceField(
        label=capfirst(_("kind of venue")), choices=[("", "---------"), *VenueKind.choices]
    )
    name = forms.CharField(label=capfirst(pgettext_lazy("venue", "name")), max_length=100)
    credit_code = forms.CharField(label=capfirst(_("unified social credit code")), max_length=40)
    licence_number = forms.CharField(
        label=capfirst(_("licence number")), max_length=50, required=False
    )
    licence_expires = forms.DateField(
        label=capfirst(_("licence expires on")), required=False, widget=DATE_INPUT
    )
    operator = forms.CharField(label=capfirst(_("operator")), max_length=50, required=False)
    phone = forms.CharField(label=capfirst(_("phone")), max_length=20, required=False)
    village = forms.ModelChoiceField(label=capfirst(_("village")), queryset=Division.objects.none())
    address = forms.CharField(
        label=capfirst(pgettext_lazy("place", "address")), max_length=200, required=False
    )
    longitude = forms.CharField(
        label=capfirst(_("longitude")), max_length=20, help_text=_("Such as 115.83")
    )
    latitude = forms.CharField(
        label=capfirst(_("latitude")), max_length=20, help_text=_("Such as 27.43")
    )
    opening_hours = forms.CharField(
        label=capfirst(_("opening hours")), max_length=50, required=False
    )
    status = forms.ChoiceField(label=capfirst(_("status")), choices=Venue.Status.choices)
    notes = forms.CharField(
        label=capfirst(_("notes")),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, user: User, venue: Venue | None = None, **kw: Any) -> None:
        if venue is not None and not args and "initial" not in kw:
            kw["initial"] = {name: getattr(venue, name) for name in self.base_fields}
            kw["initial"]["village"] = venue.village_id
        super().__init__(*args, **kw)
        picker_field(self.fields["village"], VILLAGE_PICKER, VILLAGE_PICKER.queryset(user))


class RuleForm(forms.Form):
    kind = forms.ChoiceField(
        label=capfirst(_("kind of venue")), choices=[("", "---------"), *VenueKind.choices]
    )
    school_kinds = forms.MultipleChoiceField(
        label=capfirst(_("schools it protects")),
        choices=School.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    metres = forms.IntegerField(label=capfirst(_("distance (m)")), min_value=1, max_value=5000)
    basis = forms.CharField(
        label=capfirst(_("legal basis")),
        max_length=200,
        help_text=_("The regulation or the county's notice that sets the distance."),
    )


class PlanForm(forms.Form):
    title = forms.CharField(label=capfirst(_("title")), max_length=100)
    season = forms.ChoiceField(label=capfirst(_("season")), choices=InspectionPlan.Season.choices)
    kinds = forms.MultipleChoiceField(
        label=capfirst(_("kinds of venue")),
        choices=VenueKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    townships = forms.ModelMultipleChoiceField(
        label=capfirst(_("townships")),
        queryset=Division.objects.none(),
        required=False,
        help_text=_("None: the whole county."),
    )
    lead = forms.ModelChoiceField(
        label=capfirst(_("lead unit")), queryset=Organisation.objects.none()
    )
    units = forms.ModelMultipleChoiceField(
        label=capfirst(_("units taking part")), queryset=Organisation.objects.none(), required=False
    )
    starts_on = forms.DateField(label=capfirst(_("starts on")), widget=DATE_INPUT)
    due_on = forms.DateField(label=capfirst(_("due on")), widget=DATE_INPUT)
    notes = forms.CharField(
        label=capfirst(_("notes")),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        picker_field(self.fields["townships"], TOWNSHIP_PICKER, TOWNSHIP_PICKER.queryset(user))
        units = INSPECTING_UNIT_PICKER.queryset(user)
        picker_field(self.fields["lead"], INSPECTING_UNIT_PICKER, units)
        picker_field(self.fields["units"], INSPECTING_UNIT_PICKER, units)


class VenueChoiceForm(forms.Form):
    """The first step of an inspection on a phone: find the venue."""

    venue = forms.ModelChoiceField(label=capfirst(_("venue")), queryset=Venue.objects.none())

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        picker_field(self.fields["venue"], VENUE_PICKER, VENUE_PICKER.queryset(user))


class InspectionForm(forms.Form):
    """The phone-sized inspection form: the venue's checklist as big radio buttons."""

    inspected_at = forms.DateTimeField(
        label=capfirst(_("time of inspection")),
        widget=DATETIME_INPUT,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )
    inspectors = forms.CharField(
        label=capfirst(_("inspectors")),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("At least two, by law: one name a line, or separated by commas."),
    )
    plan = forms.ModelChoiceField(
        label=capfirst(_("inspection plan")), queryset=InspectionPlan.objects.none(), required=False
    )
    reinspects = forms.ModelChoiceField(
        label=capfirst(_("re-inspection of order")),
        queryset=RectificationOrder.objects.none(),
        required=False,
    )
    minors_found = forms.IntegerField(
        label=capfirst(_("minors found")),
        min_value=0,
        max_value=9999,
        initial=0,
        help_text=_(
            "A count only. Report a named child through a mandatory report or the at-risk "
            "register, never here."
        ),
    )
    notes = forms.CharField(
        label=capfirst(_("findings and notes")),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    deadline = forms.DateField(
        label=capfirst(_("deadline for rectification")),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Empty: the usual number of days after the inspection."),
    )
    photos = MultipleFileField(
        label=capfirst(_("photos")), required=False, accept="image/jpeg,image/png"
    )

    def __init__(
        self, *args: Any, user: User, venue: Venue, reinspects: Any = None, **kwargs: Any
    ) -> None:
        if not args and "initial" not in kwargs:
            kwargs["initial"] = {
                "inspected_at": timezone.localtime().replace(second=0, microsecond=0),
                "inspectors": user.full_name,
            }
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        plans = InspectionPlan.objects.for_user(user).filter(
            starts_on__lte=today, due_on__gte=today - timedelta(days=30)
        )
        self.fields["plan"].queryset = plans  # type: ignore[attr-defined]
        self.fields["reinspects"].queryset = RectificationOrder.objects.open().filter(venue=venue)  # type: ignore[attr-defined]
        if reinspects and str(reinspects).isdigit():
            self.fields["reinspects"].initial = int(reinspects)
        self.items = venue_checklist(venue, today)
        for item in self.items:
            self.fields[f"check_{item.code}"] = forms.ChoiceField(
                label=str(item.label),
                choices=Outcome.choices,
                widget=forms.RadioSelect(attrs={"class": "inline"}),
                help_text=item.basis,
            )
        # The checklist first, after the time and inspectors.
        order = ["inspected_at", "inspectors", *[f"check_{i.code}" for i in self.items]]
        self.order_fields(order)

    def service_data(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith("check_")}
        data["checklist"] = {item.code: self.cleaned_data.get(f"check_{item.code}")
                             for item in self.items}  # fmt: skip
        data.pop("photos", None)
        return data


class ConcernForm(forms.Form):
    text = forms.CharField(
        label=capfirst(_("what was seen")),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Do not name a child here: report a child through a mandatory report."),
    )


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label=capfirst(_("what was done")),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class OrderFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"), choices=[*ANY, *RectificationOrder.State.choices], required=False
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)


class ViolationFilterForm(forms.Form):
    closed = forms.BooleanField(label=_("Closed ones too"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[*ANY, *VenueKind.choices], required=False)
