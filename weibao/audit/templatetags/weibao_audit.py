"""An audit event's detail as the auditor reads it: labelled lines, never a Python dict. A change
reads "field: old → new"; lists are joined; the words most details use have labels in the
reader's language (the rest are shown as recorded)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy

register = template.Library()

LABELS = {
    "changes": _("changes"),
    "reason": _("reason"),
    "purpose": _("purpose"),
    "field": _("field"),
    "via": _("through"),
    "rows": _("rows"),
    "filters": _("filters"),
    "kind": _("kind"),
    "section": _("part"),
    "what": pgettext_lazy("audit detail", "what"),
    "step": _("step"),
    "format": _("format"),
    "size": _("size"),
    "note": _("note"),
    "decision": _("decision"),
    "outcome": pgettext_lazy("audit detail", "outcome"),
    "year": _("year"),
    "school": _("school"),
    "unit": _("unit"),
    "to_unit": pgettext_lazy("referral", "to"),
    "created": _("created"),
    "updated": _("updated"),
    "removed": _("removed"),
    "result": _("result"),
    "username": _("username"),
    "bad_rows": _("bad rows"),
    "times": _("times"),
    "limit": _("limit"),
}
ARROW = " → "


def _text(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, list | tuple):
        return pgettext("list separator", ", ").join(_text(item) for item in value)
    if isinstance(value, Mapping):
        return "; ".join(f"{key}: {_text(item)}" for key, item in value.items())
    return str(value)


@register.filter
def audit_lines(detail: Any) -> list[tuple[str, str]]:
    """(label, text) for each entry of an event's detail; one stored odd row never breaks the
    page (anything that is not a mapping is shown as one line)."""
    if not isinstance(detail, Mapping):
        return [("", _text(detail))] if detail else []
    lines = []
    for key, value in detail.items():
        label = str(LABELS.get(key, key))
        if key == "changes" and isinstance(value, Mapping):
            for field, pair in value.items():
                if isinstance(pair, list | tuple) and len(pair) == 2:
                    lines.append((str(field), _text(pair[0]) + ARROW + _text(pair[1])))
                else:
                    lines.append((str(field), _text(pair)))
        else:
            lines.append((label, _text(value)))
    return lines
