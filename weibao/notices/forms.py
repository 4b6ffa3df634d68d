"""Forms of the liaison group. They collect input; the services decide what is valid."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from weibao.accounts.models import Division
from weibao.core.forms import AttachmentForm
from weibao.core.services import validate_upload
from weibao.kit.forms import DATETIME_INPUT
from weibao.notices.models import Notice, NoticeReply
from weibao.schools.models import School


class DivisionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Division) -> str:
        return obj.name


class NoticeForm(forms.Form):
    """A draft notice: what it says, by when, what answer, and to whom."""

    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 10}),
        required=False,
        max_length=Notice._meta.get_field("body").max_length,
    )
    requires = forms.ChoiceField(
        label=_("Answer required"), choices=Notice.Requires.choices, initial=Notice.Requires.NONE
    )
    deadline = forms.DateTimeField(
        label=_("Deadline"),
        required=False,
        widget=DATETIME_INPUT,
        help_text=_("Needed when a reply or a file is required."),
    )
    townships = DivisionChoiceField(
        label=_("Townships"),
        queryset=Division.objects.townships(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked to send to every township."),
    )
    school_kinds = forms.MultipleChoiceField(
        label=_("School kinds"),
        choices=School.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked to send to every kind of school."),
    )

    def __init__(self, *args: Any, notice: Notice | None = None, **kwargs: Any) -> None:
        if notice is not None and "initial" not in kwargs:
            deadline = timezone.localtime(notice.deadline) if notice.deadline else None
            kwargs["initial"] = {
                "title": notice.title,
                "body": notice.body,
                "requires": notice.requires,
                "deadline": deadline,
                "townships": list(notice.townships.all()),
                "school_kinds": notice.school_kinds,
            }
        super().__init__(*args, **kwargs)


class NoticeAttachmentForm(AttachmentForm):
    """One file for a draft notice."""


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field, each checked the way the attachment store checks it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        uploads = data if isinstance(data, list | tuple) else ([data] if data else [])
        cleaned = [single(upload, initial) for upload in uploads]
        for upload in cleaned:
            try:
                validate_upload(upload)
            except forms.ValidationError as error:
                raise forms.ValidationError(error.message_dict["file"]) from error
        return cleaned


class ReplyForm(forms.Form):
    """A school's answer: text, files, or both (the notice says which it needs)."""

    text = forms.CharField(
        label=_("Reply"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=NoticeReply._meta.get_field("text").max_length,
    )
    file = MultipleFileField(label=_("Files"), required=False)
