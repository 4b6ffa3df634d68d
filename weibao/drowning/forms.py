"""Forms of the drowning-prevention pages. They collect input; the services decide what is valid.

Places are chosen from the divisions in the user's reach (a township keeps only its own
villages); a water is chosen by its registry number, looked up among the waters the user sees;
a child by ID number, looked up by the service in the register as the user sees it.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from weibao.accounts.models import Division, User
from weibao.core.imports import ImportForm as SharedImportForm
from weibao.core.services import extension_of
from weibao.drowning.models import (
    EQUIPMENT_FIELDS,
    Contact,
    Custodian,
    Equipment,
    EquipmentState,
    HazardousWater,
    Incident,
    Season,
    WaterQuerySet,
    sees_all_school_letters,
)
from weibao.drowning.policy import keeps_county_waters
from weibao.drowning.seasons import default_season
from weibao.drowning.services.assignments import assignable_users
from weibao.drowning.services.maps import MAX_MAP_BYTES
from weibao.drowning.services.signs import MAX_NOTE, field_name
from weibao.drowning.weibao_app import ASSIGNEE_PICKER
from weibao.kit.forms import DATE_INPUT, DATETIME_INPUT
from weibao.kit.forms import DATE_INPUT as TEXT_DATE_INPUT
from weibao.kit.pickers import PickerWidget
from weibao.people.models import Person
from weibao.people.weibao_app import MINOR_PICKER
from weibao.schools.models import School
from weibao.schools.weibao_app import SCHOOL_PICKER

ANY = [("", _("any"))]


class DivisionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Division) -> str:
        parent = (
            obj.parent.name + " / " if obj.level == Division.Level.VILLAGE and obj.parent else ""
        )
        return f"{parent}{obj.name}（{obj.code}）"


def divisions_for(user: User, level: int) -> Any:
    """The divisions of `level` in the user's reach: all for county keepers, else their own."""
    divisions = Division.objects.filter(level=level).select_related("parent")
    prefix = user.scope.division_prefix
    if keeps_county_waters(user) or user.scope.county:
        return divisions
    if prefix:
        return divisions.filter(code__startswith=prefix)
    return divisions


class WaterFilterForm(forms.Form):
    q = forms.CharField(label=pgettext_lazy("water", "Name"), required=False, max_length=50)
    township = DivisionChoiceField(
        label=_("Township"), queryset=Division.objects.townships(), required=False
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[*ANY, *HazardousWater.Kind.choices], required=False
    )
    risk = forms.ChoiceField(
        label=_("Risk level"), choices=[*ANY, *HazardousWater.Risk.choices], required=False
    )
    gap = forms.BooleanField(label=_("Equipment missing or damaged"), required=False)

    def filter(self, waters: WaterQuerySet) -> WaterQuerySet:
        if not self.is_bound:
            return waters
        if not self.is_valid():
            return waters.none()
        data = self.cleaned_data
        if data["q"]:
            waters = waters.filter(name__icontains=data["q"])
        if data["township"]:
            waters = waters.in_township(data["township"])
        if data["kind"]:
            waters = waters.filter(kind=data["kind"])
        if data["risk"]:
            waters = waters.filter(risk=data["risk"])
        if data["gap"]:
            waters = waters.with_gap()
        return waters


def _state_field(label: Any) -> forms.ChoiceField:  # a lazy label
    return forms.ChoiceField(
        label=label,
        choices=EquipmentState.choices,
        widget=forms.RadioSelect(attrs={"class": "inline"}),
    )


class WaterForm(forms.Form):
    name = forms.CharField(label=capfirst(pgettext_lazy("water", "name")), max_length=100)
    kind = forms.ChoiceField(
        label=capfirst(_("kind of water")),
        choices=[("", "---------"), *HazardousWater.Kind.choices],
    )
    village = DivisionChoiceField(label=capfirst(_("village")), queryset=Division.objects.none())
    longitude = forms.CharField(
        label=capfirst(_("longitude")), max_length=20, help_text=_("Such as 115.83")
    )
    latitude = forms.CharField(
        label=capfirst(_("latitude")), max_length=20, help_text=_("Such as 27.43")
    )
    polygon = forms.CharField(
        label=capfirst(_("outline (GeoJSON)")),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For a large water: a GeoJSON Polygon of its shore, in longitude/latitude."),
    )
    deeper_than_half_metre = forms.BooleanField(
        label=capfirst(_("deeper than 0.5 m")), required=False, initial=True
    )
    risk = forms.ChoiceField(label=capfirst(_("risk level")), choices=HazardousWater.Risk.choices)
    sign_state = _state_field(capfirst(_("warning sign")))
    pole_state = _state_field(capfirst(_("rescue pole")))
    rope_state = _state_field(capfirst(_("rescue rope")))
    ring_state = _state_field(capfirst(_("life ring")))
    notes = forms.CharField(
        label=capfirst(_("notes")), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, user: User, water: HazardousWater | None = None, **kw: Any):
        if water is not None and not args and "initial" not in kw:
            kw["initial"] = {
                name: getattr(water, name) for name in self.base_fields if name not in ("village",)
            }
            kw["initial"]["village"] = water.village_id
        super().__init__(*args, **kw)
        villages = divisions_for(user, Division.Level.VILLAGE)
        self.fields["village"].queryset = villages  # type: ignore[attr-defined]


class CustodianForm(forms.Form):
    name = forms.CharField(label=capfirst(pgettext_lazy("person", "name")), max_length=50)
    phone = forms.CharField(label=capfirst(_("phone")), max_length=20)
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=18,
        required=False,
        help_text=_("Optional: links the custodian to their record in the register."),
    )
    after_school = forms.BooleanField(label=capfirst(_("after school")), required=False)
    weekends = forms.BooleanField(label=capfirst(_("weekends")), required=False)
    holidays = forms.BooleanField(label=capfirst(_("holidays")), required=False)
    summer = forms.BooleanField(label=capfirst(_("summer")), required=False)
    waters = forms.ModelMultipleChoiceField(
        label=capfirst(_("waters")),
        queryset=HazardousWater.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self, *args: Any, user: User, township: Division, custodian: Custodian | None = None,
        **kw: Any,
    ) -> None:  # fmt: skip
        if custodian is not None and not args and "initial" not in kw:
            kw["initial"] = {
                "name": custodian.name,
                "phone": custodian.phone,
                "after_school": custodian.after_school,
                "weekends": custodian.weekends,
                "holidays": custodian.holidays,
                "summer": custodian.summer,
                "waters": [w.pk for w in custodian.waters.all()],
            }
        super().__init__(*args, **kw)
        waters = HazardousWater.objects.for_user(user).in_township(township)
        self.fields["waters"].queryset = waters.select_related("village")  # type: ignore[attr-defined]


# Patrol photos ----------------------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several files in one input; the service checks each (kind, size, content)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png", "capture": ""})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(PhotosField, self).clean(item, initial) for item in files]


def _photos_help() -> str:
    from weibao.drowning.services.patrols import MAX_PHOTOS, PHOTO_MAX_BYTES

    return _("JPEG or PNG, at most %(n)d photos of %(limit)s each.") % {
        "n": MAX_PHOTOS,
        "limit": filesizeformat(PHOTO_MAX_BYTES),
    }


class PatrolForm(forms.Form):
    """The phone-sized patrol form: big radio buttons, few words."""

    patrolled_at = forms.DateTimeField(
        label=capfirst(_("time of patrol")),
        widget=DATETIME_INPUT,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )
    patroller = forms.CharField(label=capfirst(_("patroller")), max_length=50)
    sign_state = _state_field(capfirst(_("warning sign")))
    pole_state = _state_field(capfirst(_("rescue pole")))
    rope_state = _state_field(capfirst(_("rescue rope")))
    ring_state = _state_field(capfirst(_("life ring")))
    people_in_water = forms.IntegerField(
        label=capfirst(_("people found in the water")), min_value=0, max_value=999, initial=0
    )
    notes = forms.CharField(
        label=capfirst(_("notes")), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    photos = PhotosField(label=_("Photos"), required=False, help_text=lazy(_photos_help, str)())

    def __init__(self, *args: Any, user: User, water: HazardousWater, **kw: Any) -> None:
        if not args and "initial" not in kw:
            kw["initial"] = {
                "patrolled_at": timezone.localtime().replace(second=0, microsecond=0),
                "patroller": user.full_name,
                **{name: getattr(water, name) for name in
                   ("sign_state", "pole_state", "rope_state", "ring_state")},
            }  # fmt: skip
        super().__init__(*args, **kw)


class CloseForm(forms.Form):
    note = forms.CharField(
        label=_("What was done"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class RectificationFilterForm(forms.Form):
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    closed = forms.BooleanField(label=_("Include closed"), required=False)


class IncidentForm(forms.Form):
    id_number = forms.CharField(
        label=_("Child's ID number"),
        max_length=18,
        required=False,
        help_text=_("For a child in the register; otherwise leave it empty and give age and sex."),
    )
    age = forms.IntegerField(label=capfirst(_("age")), min_value=0, max_value=17, required=False)
    sex = forms.ChoiceField(
        label=capfirst(_("sex")), choices=[("", "---------"), *Person.Sex.choices], required=False
    )
    occurred_at = forms.DateTimeField(
        label=capfirst(_("date and time")),
        widget=DATETIME_INPUT,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )
    water_number = forms.IntegerField(
        label=_("Water's registry number"),
        required=False,
        min_value=1,
        help_text=_("The number on the water's page; or leave it empty and describe the place."),
    )
    place = forms.CharField(label=capfirst(_("place")), max_length=200, required=False)
    division = DivisionChoiceField(
        label=_("Village or township"), queryset=Division.objects.none(), required=False
    )
    longitude = forms.CharField(label=capfirst(_("longitude")), max_length=20, required=False)
    latitude = forms.CharField(label=capfirst(_("latitude")), max_length=20, required=False)
    circumstance = forms.ChoiceField(
        label=capfirst(_("circumstance")), choices=Incident.Circumstance.choices
    )
    activity = forms.ChoiceField(label=capfirst(_("activity")), choices=Incident.Activity.choices)
    outcome = forms.ChoiceField(
        label=capfirst(pgettext_lazy("incident", "outcome")), choices=Incident.Outcome.choices
    )
    reported_by = forms.CharField(label=capfirst(_("reported by")), max_length=100)
    notes = forms.CharField(
        label=capfirst(_("notes")), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, user: User, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.user = user
        divisions = Division.objects.filter(
            level__in=(Division.Level.TOWNSHIP, Division.Level.VILLAGE)
        ).select_related("parent")
        prefix = user.scope.division_prefix
        if prefix and not user.scope.county:
            divisions = divisions.filter(code__startswith=prefix)
        self.fields["division"].queryset = divisions  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        number = data.pop("water_number", None)
        data["water"] = None
        if number:
            water = (
                HazardousWater.objects.for_user(self.user)
                .select_related("village")
                .filter(pk=number)
                .first()
            )
            if water is None:
                self.add_error(
                    "water_number", _("There is no water with this number that you can see.")
                )
            data["water"] = water
        return data


# The import form is the shared one (weibao.core.imports).
ImportForm = SharedImportForm


def _days_field(label: Any) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=1, max_value=90)


class PatrolPlanForm(forms.Form):
    high_peak_days = _days_field(_("High risk, in summer and holidays: every (days)"))
    high_other_days = _days_field(_("High risk, otherwise: every (days)"))
    medium_peak_days = _days_field(_("Medium risk, in summer and holidays: every (days)"))
    medium_other_days = _days_field(_("Medium risk, otherwise: every (days)"))
    holidays = forms.CharField(
        label=_("School holidays"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One holiday a line: its first and last day, such as 2026-10-01 2026-10-07. "
            "July and August count as summer without being listed."
        ),
    )


class OverdueFilterForm(forms.Form):
    village = DivisionChoiceField(
        label=_("Village"), queryset=Division.objects.none(), required=False
    )

    def __init__(self, *args: Any, user: User, **kw: Any) -> None:
        super().__init__(*args, **kw)
        villages = divisions_for(user, Division.Level.VILLAGE)
        self.fields["village"].queryset = villages  # type: ignore[attr-defined]

    def filter(self, waters: WaterQuerySet) -> WaterQuerySet:
        if not self.is_bound:
            return waters
        if not self.is_valid():
            return waters.none()
        village = self.cleaned_data["village"]
        return waters.filter(village=village) if village else waters


class MapFilterForm(forms.Form):
    """The map's filters: the data endpoint reads the township and season, the page the
    colouring."""

    SEASONS = [("", _("all year")), ("summer", _("summer (July, August)")),
               ("other", _("outside summer"))]  # fmt: skip
    COLOURS = [("risk", _("risk level")), ("gaps", _("equipment gaps"))]

    township = DivisionChoiceField(
        label=_("Township"), queryset=Division.objects.none(), required=False
    )
    season = forms.ChoiceField(label=_("Incidents in"), choices=SEASONS, required=False)
    colour = forms.ChoiceField(label=_("Colour waters by"), choices=COLOURS, required=False)

    def __init__(self, *args: Any, user: User, **kw: Any) -> None:
        super().__init__(*args, **kw)
        townships = divisions_for(user, Division.Level.TOWNSHIP)
        self.fields["township"].queryset = townships  # type: ignore[attr-defined]


class MapUploadForm(forms.Form):
    file = forms.FileField(
        label=_("GeoJSON file"),
        help_text=_(
            "A FeatureCollection of the townships' Polygons or MultiPolygons, each with a "
            "“name” property (.geojson or .json, at most 5 MB)."
        ),
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if extension_of(upload.name or "") not in ("geojson", "json"):
            raise forms.ValidationError(_("Upload a GeoJSON file (.geojson or .json)."))
        if (upload.size or 0) > MAX_MAP_BYTES:
            raise forms.ValidationError(
                _("The file is too large: the limit is %(limit)s.")
                % {"limit": filesizeformat(MAX_MAP_BYTES)}
            )
        return upload


# Letters to parents ------------------------------------------------------------------------------


class SeasonFilterForm(forms.Form):
    """The year and season a list shows (this year's summer by default)."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    season = forms.ChoiceField(label=_("Season"), choices=Season.choices, required=False)

    def season_of(self, today: Any) -> tuple[int, str]:
        year, season = default_season(today)
        if self.is_bound and self.is_valid():
            year = self.cleaned_data["year"] or year
            season = self.cleaned_data["season"] or season
        return year, season


class LetterForm(forms.Form):
    school = forms.ModelChoiceField(
        label=_("School"), queryset=School.objects.none(), widget=PickerWidget(SCHOOL_PICKER)
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    season = forms.ChoiceField(label=_("Season"), choices=Season.choices)
    issued_on = forms.DateField(label=_("Issued on"), widget=DATE_INPUT)
    note = forms.CharField(
        label=_("The school's own words"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: a paragraph added to the letter, such as the school's phone."),
    )

    def __init__(self, *args: Any, user: User, **kw: Any) -> None:
        super().__init__(*args, **kw)
        schools = School.objects.open().select_related("organisation__division")
        if not sees_all_school_letters(user):
            schools = schools.filter(organisation_id__in=user.scope.org_ids)
        self.fields["school"].queryset = schools  # type: ignore[attr-defined]
        if not sees_all_school_letters(user) and not self.is_bound:
            own = schools.filter(organisation_id=user.organisation_id).first()
            if own is not None:
                self.initial.setdefault("school", own.pk)


class ReceiptListForm(forms.Form):
    """The class list's filters."""

    grade = forms.CharField(label=_("Grade"), max_length=20, required=False)
    class_name = forms.CharField(label=_("Class"), max_length=20, required=False)


class ReceiptsForm(forms.Form):
    """The class list's save: the pupils shown, those ticked, the date."""

    received_on = forms.DateField(label=_("Receipts came back on"), widget=DATE_INPUT)
    shown = forms.TypedMultipleChoiceField(coerce=int, required=False)
    received = forms.TypedMultipleChoiceField(coerce=int, required=False)

    def __init__(self, *args: Any, pupils: list[int], **kw: Any) -> None:
        super().__init__(*args, **kw)
        choices = [(pk, pk) for pk in pupils]
        self.fields["shown"].choices = choices  # type: ignore[attr-defined]
        self.fields["received"].choices = choices  # type: ignore[attr-defined]


class ReceiptImportForm(ImportForm):
    file = forms.FileField(
        label=_("Excel file"),
        help_text=_("The filled-in template: a row per pupil whose receipt came back."),
    )


# Named responsibility ----------------------------------------------------------------------------


class AssignmentForm(forms.Form):
    child = forms.ModelChoiceField(
        label=_("Child"), queryset=Person.objects.none(), widget=PickerWidget(MINOR_PICKER)
    )
    assignee = forms.ModelChoiceField(
        label=_("Responsible official or teacher"),
        queryset=User.objects.none(),
        widget=PickerWidget(ASSIGNEE_PICKER),
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    season = forms.ChoiceField(label=_("Season"), choices=Season.choices)

    def __init__(self, *args: Any, user: User, **kw: Any) -> None:
        super().__init__(*args, **kw)
        children = Person.objects.for_user(user).minors().select_related("school")
        self.fields["child"].queryset = children  # type: ignore[attr-defined]
        self.fields["assignee"].queryset = assignable_users(user)  # type: ignore[attr-defined]


class ContactForm(forms.Form):
    contacted_on = forms.DateField(label=_("Date of contact"), widget=DATE_INPUT)
    way = forms.ChoiceField(label=_("Way"), choices=Contact.Way.choices)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class AssignmentFilterForm(SeasonFilterForm):
    mine = forms.BooleanField(label=_("Only the children in my care"), required=False)


# The schools' summer sign inspection ------------------------------------------------------------


class SignInspectionForm(forms.Form):
    """The phone-sized inspection form: the header, then each water of the page with big radio
    buttons for the four ones and a short note."""

    year = forms.IntegerField(label=_("Summer of"), min_value=2000, max_value=2100)
    inspected_on = forms.DateField(label=capfirst(_("inspected on")), widget=TEXT_DATE_INPUT)
    inspected_by = forms.CharField(
        label=capfirst(_("inspected by")),
        max_length=100,
        help_text=_("The teachers or staff who went, by name."),
    )
    notes = forms.CharField(
        label=capfirst(_("notes")),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, waters: list[HazardousWater], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.waters = waters
        for water in waters:
            for item, label in Equipment.choices:
                name = EQUIPMENT_FIELDS[item]
                self.fields[field_name(water.pk, name)] = _state_field(capfirst(label))
            self.fields[field_name(water.pk, "note")] = forms.CharField(
                label=capfirst(_("note")), required=False, max_length=MAX_NOTE
            )

    def header_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("year", "inspected_on", "inspected_by", "notes")]

    def water_fields(self, water: HazardousWater) -> list[forms.BoundField]:
        names = ("sign_state", "pole_state", "rope_state", "ring_state", "note")
        return [self[field_name(water.pk, name)] for name in names]

    def items(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        return [
            {
                "water": water.pk,
                **{
                    name: data.get(field_name(water.pk, name))
                    for name in ("sign_state", "pole_state", "rope_state", "ring_state", "note")
                },
            }
            for water in self.waters
        ]


class SignCoverageFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Summer of"), min_value=2000, max_value=2100, required=False)
    missing = forms.BooleanField(label=_("Not inspected only"), required=False)
    name = forms.CharField(label=_("School name contains"), max_length=50, required=False)
