"""Forms for staff checks; the services do the real validation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from weibao.accounts.models import Organisation
from weibao.core.forms import AttachmentForm
from weibao.kit.forms import DATE_INPUT
from weibao.kit.pickers import PickerMultipleWidget
from weibao.kit.spreadsheets import IMPORT_EXTENSIONS, check_import_name
from weibao.staffchecks.models import CheckBatch, CheckItem, StaffMember
from weibao.staffchecks.weibao_app import NEW_HIRE_PICKER


class SpreadsheetForm(AttachmentForm):
    """A sheet to check: the upload rules of the platform, and .xlsx, .xls or .csv only (the
    content checked for the extension)."""

    accept = IMPORT_EXTENSIONS
    file = forms.FileField(
        label=_("file"),
        help_text=_(
            "An Excel workbook or a CSV file (.xlsx, .xls or .csv), as WPS or Excel saves it."
        ),
    )

    def clean_file(self) -> Any:
        check_import_name(str(self.cleaned_data["file"].name or ""))
        return super().clean_file()


class StaffForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("person", "name"), max_length=50)
    id_number = forms.CharField(label=_("ID number"), max_length=25)
    role = forms.ChoiceField(label=_("role"), choices=StaffMember.StaffRole.choices)
    start_date = forms.DateField(label=_("start date"), widget=DATE_INPUT)


class BatchForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("kind"),
        choices=[
            (CheckBatch.Kind.NEW_HIRE, CheckBatch.Kind.NEW_HIRE.label),
            (CheckBatch.Kind.ANNUAL, CheckBatch.Kind.ANNUAL.label),
            (CheckBatch.Kind.APPLICANTS, CheckBatch.Kind.APPLICANTS.label),
        ],
    )
    staff = forms.ModelMultipleChoiceField(
        label=_("people on the roster (new hires)"),
        queryset=StaffMember.objects.none(),
        required=False,
        widget=PickerMultipleWidget(NEW_HIRE_PICKER),
    )
    file = forms.FileField(label=_("file of applicants (name, ID number)"), required=False)
    consent_confirmed = forms.BooleanField(
        label=_("the people checked have authorised the check in writing"), required=False
    )
    consent_note = forms.CharField(
        label=_("consent record"),
        max_length=300,
        required=False,
        help_text=_("Where the signed authorisations are kept, or their reference."),
    )

    def __init__(self, *args: Any, unit: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff = StaffMember.objects.active().filter(unit=unit, first_cleared_on__isnull=True)
        self.fields["staff"].queryset = staff.select_related("person")  # type: ignore[attr-defined]
        self.fields["staff"].widget.params = {"unit": unit.pk}  # the picker offers this unit's
        self.fields["staff"].label_from_instance = (  # type: ignore[attr-defined]
            lambda s: f"{s.person.masked_name} · {s.get_role_display()} · {s.start_date}"
        )


class ActionForm(forms.Form):
    action = forms.ChoiceField(
        label=_("action taken"), choices=[c for c in CheckItem.Action.choices if c[0]]
    )


class ConfirmForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("decision"),
        choices=[
            ("barred", _("the same person: barred")),
            ("clear", _("not the same person: clear")),
        ],
    )
    note = forms.CharField(label=_("note"), max_length=300, required=False)


class PurposeForm(forms.Form):
    purpose = forms.CharField(label=_("purpose of the export"), max_length=200)
