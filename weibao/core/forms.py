"""A reusable upload form: one file field checked the way attachment_store checks it."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from weibao.core.services import validate_upload


def _upload_help() -> str:
    return _("Office documents, PDF or images, up to %(limit)s.") % {
        "limit": filesizeformat(settings.ATTACHMENT_MAX_BYTES)
    }


class AttachmentForm(forms.Form):
    """Embed or subclass it; pass the cleaned file to services.attachment_store."""

    file = forms.FileField(label=_("file"), help_text=lazy(_upload_help, str)())

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        try:
            validate_upload(upload)
        except forms.ValidationError as error:
            raise forms.ValidationError(error.message_dict["file"]) from error
        return upload
