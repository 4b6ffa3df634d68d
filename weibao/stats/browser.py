"""The indicator browser: pick definitions, a period kind and a range of years, a level; get a
table (rows: periods, or periods by division; counts beside rates; when each figure was
computed) and a chart, and the same table as Excel.

Definitions are a few dozen, so the choice is a checkbox list grouped by app (not a picker).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from weibao.accounts.models import Division, User
from weibao.core.contract import contracts
from weibao.schools.models import School
from weibao.stats import engine
from weibao.stats.dashboard import Table, latest, plotted, series_option, shown
from weibao.stats.definitions import definitions
from weibao.stats.periods import Kind, StatPeriod, periods

FIRST = 2000
LAST = 2099
MAX_CELLS = 6000  # keys x periods x divisions: a page, not a data dump
MAX_KEYS = 12

LEVELS = [
    ("county", pgettext_lazy("statistics level", "County")),
    ("township", pgettext_lazy("statistics level", "Townships")),
    ("school", pgettext_lazy("statistics level", "Schools")),
]


def grouped_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The definitions as (app name, [(key, label)]) in the apps' order, statistics' own first."""
    names = {app.label: app.verbose_name for app in contracts()}
    groups: dict[str, list[tuple[str, str]]] = {}
    for definition in definitions().values():
        app = definition.key.split(".", 1)[0]
        groups.setdefault(app, []).append((definition.key, str(definition.label)))
    order = ["stats", *names]
    return [
        (str(names.get(app, app)), groups[app])
        for app in sorted(groups, key=lambda a: order.index(a) if a in order else len(order))
    ]


class BrowseForm(forms.Form):
    keys = forms.MultipleChoiceField(
        label=gettext_lazy("Indicators"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": gettext_lazy("Unknown indicator: %(value)s."),
            "required": gettext_lazy("Choose at least one indicator."),
        },
    )
    kind = forms.ChoiceField(
        label=pgettext_lazy("statistics", "Periods"),
        error_messages={"invalid_choice": gettext_lazy("Unknown kind of period: %(value)s.")},
    )
    first_year = forms.IntegerField(label=gettext_lazy("From year"))
    last_year = forms.IntegerField(label=gettext_lazy("To year"))
    level = forms.ChoiceField(
        label=pgettext_lazy("statistics", "Level"),
        choices=LEVELS,
        error_messages={"invalid_choice": gettext_lazy("Unknown level: %(value)s.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        keys = self.fields["keys"]
        assert isinstance(keys, forms.MultipleChoiceField)
        keys.choices = grouped_choices()
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = Kind.choices

    def _year(self, name: str) -> int | None:
        year = self.cleaned_data.get(name)
        if year is not None and not FIRST <= year <= LAST:
            raise ValidationError(
                _("Give a year from %(first)d to %(last)d.") % {"first": FIRST, "last": LAST},
                code="year_range",
            )
        return year

    def clean_first_year(self) -> int | None:
        return self._year("first_year")

    def clean_last_year(self) -> int | None:
        return self._year("last_year")

    def clean_keys(self) -> list[str]:
        keys: list[str] = self.cleaned_data["keys"]
        if len(keys) > MAX_KEYS:
            raise ValidationError(
                _("Choose at most %(n)d indicators at a time.") % {"n": MAX_KEYS}, code="too_many"
            )
        return keys

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first_year"), data.get("last_year")
        if first is not None and last is not None and last < first:
            self.add_error("last_year", _("The last year is before the first."))
        return data


@dataclass(frozen=True)
class Row:
    period: StatPeriod
    division_code: str
    division: str
    cells: list[Any]  # one engine Cell (or None) per key
    school_id: int | None = None  # a school's row (`division` is then the school's name)

    @property
    def computed_at(self) -> datetime | None:
        return latest([c for c in self.cells if c is not None])


@dataclass(frozen=True)
class Result:
    keys: list[str]
    labels: list[str]
    rated: list[bool]  # per key: a rate (numerator and denominator shown beside it)
    level: str
    rows: list[Row]
    option: dict[str, Any]
    not_by_school: list[str] = field(default_factory=list)  # labels, at the school level


def browse(
    *, viewer: User, keys: Sequence[str], kind: str, first: int, last: int, level: str
) -> Result:
    """The table and chart of the figures asked for (one engine call per level)."""
    known = definitions()
    keys = [k for k in keys if k in known]
    spans = periods(kind, first, last)
    names = {d.code: d.name for d in Division.objects.filter(level__lte=Division.Level.TOWNSHIP)}
    townships = Division.objects.townships().count() if level == "township" else 0
    schools = School.objects.count() if level == "school" else 0
    if len(keys) * len(spans) * (townships + schools + 1) > MAX_CELLS:
        raise ValidationError(
            _(
                "That is too many figures for one page: choose fewer indicators or years, or a "
                "longer kind of period."
            ),
            code="too_many",
        )
    cells = engine.cells(keys, spans, level="county", viewer=viewer)
    county_codes = {c.division_code for c in cells}
    if level == "township":  # the county's row first, then each township's
        cells += engine.cells(keys, spans, level="township", viewer=viewer)
    grid = {(c.key, c.period.key, c.division_code): c for c in cells}
    # The engine gives a territorial viewer the county and their own township only.
    codes = sorted({c.division_code for c in cells})
    rows = [
        Row(p, code, names.get(code, code), [grid.get((k, p.key, code)) for k in keys])
        for p in spans
        for code in codes
    ]
    if level == "school":  # the county's row, then each school's that can be split by school
        rows = _with_schools(rows, engine.school_cells(keys, spans, viewer=viewer), keys)
    labels = [str(known[k].label) for k in keys]
    rated = [known[k].is_rate for k in keys]
    if level == "county":
        x = [p.label for p in spans]
        series = [(labels[i], [plotted(r.cells[i]) for r in rows]) for i in range(len(keys))]
    else:
        final = spans[-1] if spans else None
        chosen = [
            r
            for r in rows
            if final is not None
            and r.period.key == final.key
            and (r.school_id is not None if level == "school" else True)
            and r.division_code not in county_codes
        ]
        x = [r.division for r in chosen]
        series = [(labels[i], [plotted(r.cells[i]) for r in chosen]) for i in range(len(keys))]
    option = series_option([str(v) for v in x], series, kind="line" if level == "county" else "bar")
    not_by_school = []
    if level == "school":
        not_by_school = [
            labels[i] for i, k in enumerate(keys) if not engine.school_level_for(known[k], viewer)
        ]
    return Result(keys, labels, rated, level, rows, option, not_by_school)


def _with_schools(county: list[Row], cells: list[Any], keys: Sequence[str]) -> list[Row]:
    """The county's rows, each period followed by its schools' rows."""
    grid = {(c.key, c.period.key, c.school_id): c for c in cells}
    order = list(dict.fromkeys((c.school_id, c.division_code) for c in cells))
    names = dict(
        School.objects.filter(pk__in=[pk for pk, _code in order]).values_list(
            "pk", "organisation__name"
        )
    )
    rows = []
    for row in county:
        rows.append(row)
        for pk, code in order:
            found = [grid.get((k, row.period.key, pk)) for k in keys]
            rows.append(Row(row.period, code, names.get(pk, ""), found, school_id=pk))
    return rows


def table(result: Result) -> Table:
    """The browser's table exactly as the page shows it, for Excel."""
    headers = [pgettext("statistics", "Period"), _("Division")]
    for label, rated in zip(result.labels, result.rated, strict=True):
        headers.append(label)
        if rated:
            headers += [
                _("%(label)s: numerator") % {"label": label},
                _("%(label)s: denominator") % {"label": label},
            ]
    headers.append(_("Computed at"))
    rows = []
    for row in result.rows:
        line: list[Any] = [str(row.period.label), row.division]
        for cell, rated in zip(row.cells, result.rated, strict=True):
            line.append(shown(cell))
            if rated:
                line += [shown(cell, "numerator"), shown(cell, "denominator")]
        at = row.computed_at
        line.append(localtime(at).strftime("%Y-%m-%d %H:%M") if at else "")
        rows.append(line)
    return Table(headers, rows)


def trace_links(result: Result, viewer: User) -> list[list[tuple[str, str]]]:
    """Per table row, a link to the rows behind each figure that is a declared count, for
    those who may trace figures (the engine still shows only the rows they may see)."""
    if not viewer.has_perm("stats.trace_figures"):
        return [[] for _row in result.rows]
    known = definitions()
    traced = [
        (i, key) for i, key in enumerate(result.keys) if known[key].indicator.measure is not None
    ]
    county = engine.area().county.code
    links: list[list[tuple[str, str]]] = []
    for row in result.rows:
        if row.school_id is not None:  # a school's figure is counted, not traced, here
            links.append([])
            continue
        query = "" if row.division_code == county else f"?division={row.division_code}"
        links.append(
            [
                (
                    result.labels[i],
                    reverse("stats:data_trace", args=[key, row.period.key]) + query,
                )
                for i, key in traced
                if row.cells[i] is not None
            ]
        )
    return links


def initial(today: date) -> dict[str, Any]:
    return {
        "kind": "year",
        "first_year": today.year - 4,
        "last_year": today.year,
        "level": "county",
    }
