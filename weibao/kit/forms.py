"""Service errors on forms."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def apply_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's field-keyed ValidationError on the form; keys the form lacks go on top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


# Dates are typed and shown as 2026-12-02 whatever the browser's language: a browser's own
# date box follows its locale (12/02/2026 in an English browser), so these are text boxes with
# the format as their placeholder. The formats they accept are in weibao/kit/formats/.
DATE_PATTERN = r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"


class DateInput(forms.DateInput):
    input_type = "text"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        base = {
            "placeholder": "2026-12-02",
            "pattern": DATE_PATTERN,
            "inputmode": "numeric",
            "autocomplete": "off",
            "class": "date",
            "size": "10",
        }
        super().__init__(attrs={**base, **(attrs or {})}, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "text"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        base = {
            "placeholder": "2026-12-02 09:30",
            "pattern": DATE_PATTERN + r"[ T]\d{1,2}:\d{2}",
            "autocomplete": "off",
            "class": "datetime",
            "size": "16",
        }
        super().__init__(attrs={**base, **(attrs or {})}, format="%Y-%m-%d %H:%M")


DATE_INPUT = DateInput()
DATETIME_INPUT = DateTimeInput()
