"""Form helpers for templates: the fields in error, for the summary at the top of a form."""

from __future__ import annotations

from django import forms, template
from django.forms.boundfield import BoundField

register = template.Library()


@register.filter
def fields_in_error(form: forms.BaseForm) -> list[BoundField]:
    """The visible fields with errors, in the form's order (hidden fields' errors are the
    form's own: Django lists them among its non-field errors)."""
    return [field for field in form.visible_fields() if field.errors]
