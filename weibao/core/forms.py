"""A reusable upload form: one file field checked the way attachment_store checks it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from weibao.core.services import validate_upload
from weibao.kit import filetypes


def _upload_help() -> str:
    return _("Office documents, PDF or images, up to %(limit)s.") % {
        "limit": filesizeformat(settings.ATTACHMENT_MAX_BYTES)
    }


class AttachmentForm(forms.Form):
    """Embed or subclass it; pass the cleaned file to services.attachment_store.

    A subclass that takes only some kinds says so in `accept` (extensions or the kinds of
    weibao.kit.filetypes: "image", "document", "spreadsheet"); the content is checked for it."""

    accept: tuple[str, ...] = ()
    file = forms.FileField(label=_("file"), help_text=lazy(_upload_help, str)())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.accept:
            self.fields["file"].widget.attrs["accept"] = ",".join(
                f".{ext}" for ext in filetypes.extensions(self.accept)
            )

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        try:
            validate_upload(upload, accept=self.accept)
        except forms.ValidationError as error:
            raise forms.ValidationError(error.message_dict["file"]) from error
        return upload


def protect_field() -> forms.BooleanField:
    """The choice, on an export of personal data, to encrypt the file with a password that the
    page shows once (core.services.export_store)."""
    return forms.BooleanField(
        label=_("Protect the file with a password"),
        required=False,
        initial=True,
        help_text=_(
            "The password is shown once, when the file is ready; Excel and WPS ask for it to "
            "open the file. Keep it apart from the file."
        ),
    )


class ExportForm(forms.Form):
    """An export of a list that carries personal data: why it is needed (recorded in the audit
    log with the export) and whether the file is protected with a password."""

    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why this list is needed; it is recorded with the export."),
    )
    protect = protect_field()
