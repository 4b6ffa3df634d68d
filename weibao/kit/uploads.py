"""Several files in one form input (photos of an inspection, say): the widget and the field.

Django's FileField takes one file; this field takes the list the browser sends and cleans each
with FileField's own checks. What a file may be (kind, size, content) is the service's to check
(core's attachment_store does it as it stores each one).
"""

from __future__ import annotations

from typing import Any

from django import forms


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A list of uploaded files (empty when none is required and none was sent)."""

    def __init__(self, *args: Any, accept: str = "", **kwargs: Any) -> None:
        attrs = {"accept": accept} if accept else {}
        kwargs.setdefault("widget", MultipleFileInput(attrs=attrs))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if not files:
            super().clean(None, initial)  # "required" when it is
            return []
        return [super(MultipleFileField, self).clean(item, initial) for item in files]
