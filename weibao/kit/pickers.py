"""Search-as-you-type pickers: choosing one person, school, unit or user among thousands.

A form never renders a list of every choosable record. An app declares a `Picker` in its
`weibao_app.py` (`AppContract.pickers`): its name, the records a user may choose from
(`queryset(user)`, scoped by the model's `for_user`), how a text narrows them
(`search(queryset, text, user)`) and how a match is shown (`label`, and `detail` such as
school · class · age, enough to tell two children apart). The platform serves the matches at
`pick/<name>/?q=...` (core's `pick` view, at most `LIMIT` of them).

A form field keeps its own scoped queryset (validation still refuses anything outside it) and
takes `PickerWidget(picker)` or `PickerMultipleWidget(picker)`: the page holds only the chosen
record(s) and a text input that asks the pick URL for matches with htmx; choosing one (a click,
or Enter) sets the hidden value (weibao.js).

The kit knows nothing of users or apps: the queryset function is the app's.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import Model, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

LIMIT = 20  # matches returned at most

PICK_URL = "core:pick"  # the view that serves every picker, by name

TYPE_TO_SEARCH = _("Type to search")


def _no_detail(obj: Any) -> str:
    return ""


def _label(obj: Any) -> str:
    return str(obj)


@dataclass(frozen=True)
class Picker:
    """One kind of choice. `queryset(user)` must be scoped (nothing outside the user's
    `for_user`); `search(queryset, text, user)` narrows it by the typed text."""

    name: str
    queryset: Callable[[Any], QuerySet[Any]]
    search: Callable[[QuerySet[Any], str, Any], QuerySet[Any]]
    label: Callable[[Any], str] = _label
    detail: Callable[[Any], str] = _no_detail
    min_chars: int = 1
    placeholder: str | Promise = TYPE_TO_SEARCH
    # Narrows the scoped records by the URL's other parameters (a form's own limits, such as
    # one unit's staff); it can only narrow, as it runs on queryset(user).
    narrow: Callable[[QuerySet[Any], Mapping[str, str]], QuerySet[Any]] | None = None

    def variant(
        self, name: str, queryset: Callable[[Any], QuerySet[Any]], **changes: Any
    ) -> Picker:
        """The same search and display over another set of records (a form's narrower one)."""
        return dataclasses.replace(self, name=name, queryset=queryset, **changes)

    def matches(
        self, user: Any, text: str, *, params: Mapping[str, str] | None = None, limit: int = LIMIT
    ) -> list[Any]:
        """At most `limit` records of `queryset(user)` matching `text`; none for a short text."""
        text = " ".join((text or "").split())
        if len(text) < self.min_chars:
            return []
        queryset = self.queryset(user)
        if self.narrow is not None:
            queryset = self.narrow(queryset, params or {})
        return list(self.search(queryset, text, user)[:limit])

    def option(self, obj: Any) -> dict[str, str]:
        return {"value": str(obj.pk), "label": self.label(obj), "detail": self.detail(obj)}

    @property
    def url(self) -> str:
        return reverse(PICK_URL, kwargs={"name": self.name})


def _values(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    values = value if isinstance(value, list | tuple) else [value]
    return [str(getattr(v, "pk", v)) for v in values if v not in (None, "")]


class PickerWidget(forms.Select):
    """A ModelChoiceField's widget: the chosen record (only it) and a search box."""

    template_name = "includes/picker.html"
    multiple = False

    def __init__(
        self,
        picker: Picker,
        attrs: dict[str, Any] | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(attrs)
        self.picker = picker
        self.params = dict(params or {})

    def __deepcopy__(self, memo: dict[int, Any]) -> PickerWidget:
        copy = super().__deepcopy__(memo)
        copy.picker = self.picker
        copy.params = dict(self.params)
        return copy

    @property
    def url(self) -> str:
        if not self.params:
            return self.picker.url
        return f"{self.picker.url}?{urlencode(self.params)}"

    def chosen(self, value: Any) -> list[dict[str, str]]:
        """The chosen records, read through the field's (scoped) queryset: a key outside it, or
        not a key at all, shows nothing."""
        keys = [v for v in _values(value) if v.isdigit()]
        queryset = getattr(self.choices, "queryset", None)
        if not keys or queryset is None:
            return []
        found: dict[str, Model] = {str(obj.pk): obj for obj in queryset.filter(pk__in=keys)}
        return [self.picker.option(found[k]) for k in keys if k in found]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        final = self.build_attrs(self.attrs, attrs)
        final.pop("required", None)  # the search box is empty when the form is sent
        widget_id = final.pop("id", None) or f"id_{name}"
        return {
            "name": name,
            "id": widget_id,
            "multiple": self.multiple,
            "chosen": self.chosen(value),
            "url": self.url,
            "placeholder": self.picker.placeholder,
            "min_chars": self.picker.min_chars,
            "attrs": final,
        }

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        html = render_to_string(self.template_name, self.get_context(name, value, attrs))
        return mark_safe(html)  # noqa: S308 (a template's output, escaped there)

    def id_for_label(self, id_: str, index: str = "0") -> str:
        return id_  # the search box, not one option


class PickerMultipleWidget(PickerWidget):
    """A ModelMultipleChoiceField's widget: the chosen records as chips, and a search box."""

    multiple = True
    allow_multiple_selected = True

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        try:
            getter = data.getlist
        except AttributeError:
            getter = data.get
        return getter(name)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return False


def picker_field(
    field: forms.Field,
    picker: Picker,
    queryset: QuerySet[Any] | None = None,
    params: Mapping[str, Any] | None = None,
) -> forms.Field:
    """Give a model choice field the picker's widget (keeping, or setting, its queryset)."""
    assert isinstance(field, forms.ModelChoiceField)
    multiple = isinstance(field, forms.ModelMultipleChoiceField)
    field.widget = (PickerMultipleWidget if multiple else PickerWidget)(picker, params=params)
    field.widget.is_required = field.required
    field.queryset = field.queryset if queryset is None else queryset  # resets widget.choices
    return field


def by_name(pickers: Iterable[Picker]) -> dict[str, Picker]:
    found: dict[str, Picker] = {}
    for picker in pickers:
        if picker.name in found:
            raise ValueError(f"two pickers named {picker.name!r}")
        found[picker.name] = picker
    return found


__all__: Sequence[str] = (
    "LIMIT",
    "Picker",
    "PickerMultipleWidget",
    "PickerWidget",
    "by_name",
    "picker_field",
)
