"""The year's report (年度未成年人保护工作情况报告): a Word document in the GB/T 9704 layout
(weibao.kit.documents) with the headline figures beside last year's and the change in honest
small-number wording, a table per group of indicators, the targets met or not, and the charts
as images (weibao.kit.chartimages: no words in an image; the title and legend are text under it).

kit.documents lays out paragraphs only: the tables and images go where marker paragraphs stand,
after rendering (python-docx).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

from weibao.accounts.models import Division, User
from weibao.audit.models import AuditEvent
from weibao.audit.services import record
from weibao.core.contract import contracts
from weibao.kit import chartimages
from weibao.kit.chartimages import STYLES, Series
from weibao.kit.documents import BODY_FONT, OfficialDocument, render
from weibao.kit.guards import require_perm
from weibao.stats import dashboard, engine, services
from weibao.stats.dashboard import (
    ARRESTED,
    CRIME_RATE,
    DEATHS,
    DROWNING_RATE,
    GANG_SHARE,
    PROSECUTED,
    Table,
    shown,
)
from weibao.stats.definitions import definitions
from weibao.stats.models import TargetState
from weibao.stats.periods import StatPeriod, year_to_date

HEADLINE = (CRIME_RATE, ARRESTED, PROSECUTED, GANG_SHARE, DROWNING_RATE, DEATHS)
MARKER = "\u2063"  # an invisible separator: no real paragraph starts with it
TYPE_AREA_MM = 150


@dataclass(frozen=True)
class Headline:
    key: str
    label: str
    unit: str
    this: Any
    last: Any
    words: str


@dataclass(frozen=True)
class ChartImage:
    title: str
    png: bytes
    legend: str


@dataclass(frozen=True)
class TargetLine:
    label: str
    state: str


@dataclass
class YearReport:
    year: int
    county: str
    to_date: bool  # the year is not over: this year to date against the same span last year
    this: StatPeriod
    last: StatPeriod
    headlines: list[Headline] = field(default_factory=list)
    groups: list[tuple[str, Table]] = field(default_factory=list)
    targets: list[TargetLine] = field(default_factory=list)
    charts: list[ChartImage] = field(default_factory=list)
    computed_at: datetime | None = None


def _number(figure: Any) -> str:
    if isinstance(figure, Decimal):
        return f"{figure.normalize():f}"
    return str(figure)


def change_words(comparison: Any) -> str:
    """The change from last year, said honestly: no percentage on a base too small, and a
    change the counts could show by chance said to be so."""
    if comparison.this.suppressed or comparison.last.suppressed:
        return _("the figures are too small to publish")
    if comparison.base_too_small:
        return _("too few to give a percentage change")
    change = comparison.change_percent
    if change is None:
        return ""
    amount = _number(abs(Decimal(change)).quantize(Decimal("0.1")))
    if change == 0:
        words = _("unchanged")
    elif change < 0:
        words = _("down %(change)s%%") % {"change": amount}
    else:
        words = _("up %(change)s%%") % {"change": amount}
    if comparison.within_chance:
        return _("%(change)s, within what chance alone could give") % {"change": words}
    return words


def style_text(index: int, bars: bool) -> str:
    style = STYLES[index]
    colours = {
        "blue": _("blue"),
        "red": _("red"),
        "green": _("green"),
        "orange": _("orange"),
        "purple": _("purple"),
        "grey": _("grey"),
    }
    colour = colours[style.name]
    if bars:
        return _("%(colour)s bars") % {"colour": colour}
    lines = {
        "-": _("solid line"),
        "--": _("dashed line"),
        ":": _("dotted line"),
        "-.": _("dash-dot line"),
    }
    return _("%(colour)s %(line)s") % {"colour": colour, "line": lines[style.line]}


def legend(names: Sequence[str], *, bars: bool) -> str:
    parts = [
        _("%(style)s: %(name)s") % {"style": style_text(i, bars), "name": name}
        for i, name in enumerate(names)
    ]
    return pgettext("list separator", "; ").join(parts)


def _chart(
    panel: dashboard.Panel, x: Sequence[int], *, bars: bool, stacked: bool = False
) -> ChartImage | None:
    series = panel.option.get("series", [])
    if panel.empty or not series:
        return None
    values = [Series(one["data"][: len(x)]) for one in series]
    names = [str(one["name"]) for one in series]
    if bars:
        png = chartimages.bar_chart(x, values, stacked=stacked, width_mm=TYPE_AREA_MM)
    else:
        png = chartimages.line_chart(x, values, width_mm=TYPE_AREA_MM)
    return ChartImage(panel.title, png, legend(names, bars=bars))


def _group_tables(
    year_cells: dict[tuple[str, str], Any], keys: Sequence[str], report: YearReport
) -> list[tuple[str, Table]]:
    known = definitions()
    names = {app.label: app.verbose_name for app in contracts()}
    grouped: dict[str, list[list[Any]]] = {}
    for key in keys:
        definition = known[key]
        app = key.split(".", 1)[0]
        this, last = year_cells.get((key, report.this.key)), year_cells.get((key, report.last.key))
        grouped.setdefault(app, []).append(
            [str(definition.label), str(definition.unit), shown(this), shown(last)]
        )
    headers = [
        _("Indicator"),
        _("Unit"),
        str(report.this.label),
        str(report.last.label),
    ]
    return [(str(names.get(app, app)), Table(headers, rows)) for app, rows in grouped.items()]


def _targets(year: int, keys: Sequence[str]) -> list[TargetLine]:
    known = definitions()
    lines = []
    for key in keys:
        state = services.target_state(key, year)
        if state != TargetState.NO_TARGET:
            lines.append(TargetLine(str(known[key].label), str(state.label)))
    return lines


def year_report(*, viewer: User, year: int, today: date) -> YearReport:
    """The figures of `year` (to date when it is this year) against the year before."""
    county = Division.objects.filter(level=Division.Level.COUNTY).first()
    to_date = year >= today.year
    if to_date:
        this, last = year_to_date(today)
    else:
        this, last = StatPeriod.year(year), StatPeriod.year(year - 1)
    report = YearReport(year, county.name if county else "", to_date, this, last)
    known = definitions()
    keys = list(known)
    cells = engine.cells(keys, [last, this], level="county", viewer=viewer)
    grid = {(c.key, c.period.key): c for c in cells}
    report.computed_at = dashboard.latest(cells)
    for key in HEADLINE:
        if key not in known:
            continue
        comparison = engine.compare(key, this, last, viewer=viewer)
        definition = known[key]
        report.headlines.append(
            Headline(
                key,
                str(definition.label),
                str(definition.unit),
                shown(comparison.this),
                shown(comparison.last),
                change_words(comparison),
            )
        )
    report.groups = _group_tables(grid, keys, report)
    report.targets = _targets(year, keys)
    end = today if to_date else date(year, 12, 31)
    years = list(range(dashboard.FIRST_YEAR, year + 1))
    for chart in (
        _chart(dashboard.trend_panel(viewer, end), years, bars=False),
        _chart(dashboard.ages_panel(viewer, end), years, bars=True, stacked=True),
        _chart(dashboard.gang_panel(viewer, end), years, bars=True),
        _chart(dashboard.months_panel(viewer, end), list(range(1, 13)), bars=True),
    ):
        if chart is not None:
            report.charts.append(chart)
    return report


def title(report: YearReport) -> str:
    return _("%(county)s: report on the protection of minors in %(year)d") % {
        "county": report.county,
        "year": report.year,
    }


def _body(report: YearReport) -> list[str]:
    body = []
    if report.to_date:
        body.append(
            _(
                "This report gives the figures of %(this)s, against the same span of the year "
                "before (%(last)s), as the platform counts them from the work recorded by "
                "every unit."
            )
            % {"this": report.this.label, "last": report.last.label}
        )
    else:
        body.append(
            _(
                "This report gives the figures of %(this)s against %(last)s, as the platform "
                "counts them from the work recorded by every unit."
            )
            % {"this": report.this.label, "last": report.last.label}
        )
    body.append(_("1. The headline figures"))
    for line in report.headlines:
        text = _("%(label)s: %(this)s %(unit)s (%(last)s %(unit)s the year before)") % {
            "label": line.label,
            "this": _number(line.this),
            "unit": line.unit,
            "last": _number(line.last),
        }
        body.append(
            f"{text}{pgettext('list separator', '; ')}{line.words}。" if line.words else f"{text}。"
        )
    body.append(_("2. The figures by area of work"))
    for index, (name, _table) in enumerate(report.groups):
        body.append(f"（{index + 1}）{name}")
        body.append(f"{MARKER}table:{index}")
    body.append(_("3. The targets"))
    if report.targets:
        for target in report.targets:
            body.append(_("%(label)s: %(state)s.") % {"label": target.label, "state": target.state})
    else:
        body.append(_("No targets were set for this year."))
    body.append(_("4. Charts"))
    for index, chart in enumerate(report.charts):
        body.append(f"{MARKER}image:{index}")
        body.append(_("Figure %(n)d: %(title)s") % {"n": index + 1, "title": chart.title})
        body.append(chart.legend)
    return body


def _font(paragraph: Paragraph, size: Pt, bold: bool = False) -> None:
    for run in paragraph.runs:
        run.font.name = BODY_FONT
        run.font.size = size
        run.bold = bold
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)


def _fill_table(document: Any, marker: Paragraph, table: Table) -> None:
    word = document.add_table(rows=1 + len(table.rows), cols=len(table.headers))
    word.style = "Table Grid"
    word.alignment = WD_TABLE_ALIGNMENT.CENTER
    for row_index, values in enumerate([table.headers, *table.rows]):
        for col_index, value in enumerate(values):
            cell = word.cell(row_index, col_index)
            cell.text = _number(value)
            for paragraph in cell.paragraphs:
                _font(paragraph, Pt(12), bold=row_index == 0)
    marker._p.addnext(word._tbl)
    marker._p.getparent().remove(marker._p)


def _fill_image(marker: Paragraph, png: bytes) -> None:
    for run in list(marker.runs):
        run._r.getparent().remove(run._r)
    fmt = marker.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.first_line_indent = Pt(0)
    marker.alignment = WD_ALIGN_PARAGRAPH.CENTER
    marker.add_run().add_picture(io.BytesIO(png), width=Mm(TYPE_AREA_MM))


def render_report(report: YearReport, *, issuer: str, issued_on: date) -> bytes:
    content = render(
        OfficialDocument(
            title=title(report), body=_body(report), issuer=issuer, issued_on=issued_on
        )
    )
    document = Document(io.BytesIO(content))
    for paragraph in list(document.paragraphs):
        text = paragraph.text
        if not text.startswith(MARKER):
            continue
        kind, _colon, number = text[len(MARKER) :].partition(":")
        if kind == "table":
            _fill_table(document, paragraph, report.groups[int(number)][1])
        else:
            _fill_image(paragraph, report.charts[int(number)].png)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def report_download(*, actor: User, year: int, today: date) -> tuple[str, bytes]:
    """The year's report as a Word file (name, bytes) for who may have it; recorded as an
    export."""
    require_perm(actor, "stats.download_report")
    report = year_report(viewer=actor, year=year, today=today)
    content = render_report(report, issuer=str(actor.organisation), issued_on=today)
    record(
        AuditEvent.Action.EXPORT,
        actor=actor,
        target_repr=f"statistics: year's report {year}",
        operation="stats_year_report",
        year=year,
    )
    name = f"{title(report)}.docx".replace("/", " ").replace(":", " ")
    return name, content


class YearForm(forms.Form):
    year = forms.IntegerField(label=pgettext_lazy("statistics", "Year"))

    def clean_year(self) -> int:
        year: int = self.cleaned_data["year"]
        last = timezone.localdate().year
        if not 2000 <= year <= last:
            raise forms.ValidationError(
                _("Give a year from %(first)d to %(last)d.") % {"first": 2000, "last": last},
                code="year_range",
            )
        return year
