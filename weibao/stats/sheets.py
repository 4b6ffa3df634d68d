"""The minors' populations in Excel: the template, the import and the export.

One row per division and year: the year, the county or one of its townships (by code or by
name), the minors and a note. A re-import is idempotent: a division's year in the file replaces
the entered figure of that division and year (the same as entering it by hand), a row that
changes nothing is left alone. A file with any bad row writes nothing; every error names its
row and column. The export lists the entered figures in the same columns, so that it can be
corrected in Excel and imported again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from weibao.accounts.models import Division, User
from weibao.audit.models import AuditEvent
from weibao.audit.services import record
from weibao.kit import spreadsheets
from weibao.kit.fielderrors import Errors, error
from weibao.kit.guards import raise_if, require_perm
from weibao.kit.spreadsheets import Column, Report
from weibao.stats import definitions as defs
from weibao.stats.engine import area
from weibao.stats.models import FIRST_YEAR, LAST_YEAR, Population, Stale
from weibao.stats.services import population_write

MAX_ERRORS_KEPT = 1000
MAX_MINORS = 10_000_000
COLUMNS = (
    Column("year", gettext_lazy("Year"), example="2025", width=8),
    Column("division", pgettext_lazy("administrative", "County or township"),
           example="鳌溪镇", width=18),
    Column("minors", gettext_lazy("Minors"), example="4210", width=10),
    Column("note", gettext_lazy("Note"), required=False, example="县统计局2025年年报",
           width=30),
)  # fmt: skip


@dataclass
class ImportReport(Report):
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class _Row:
    number: int
    division: Division
    year: int
    minors: int
    note: str


class _Importer:
    """Reads each row; the county and its townships are found by code or by name."""

    def __init__(self) -> None:
        where = area()
        self.divisions: dict[str, Division] = {}
        for division in (where.county, *where.townships):
            self.divisions[division.code] = division
            self.divisions.setdefault(division.name, division)
        self.seen: dict[tuple[int, int], int] = {}

    @staticmethod
    def _whole(errors: Errors, name: str, text: str, low: int, high: int) -> int | None:
        value = text.strip().replace(",", "").replace("，", "")
        if value.endswith(".0"):
            value = value[:-2]
        if not value.isdigit() or not low <= int(value) <= high:
            error(errors, name, _("Enter a whole number from %(low)s to %(high)s.")
                  % {"low": low, "high": high})  # fmt: skip
            return None
        return int(value)

    def check(self, texts: dict[str, str], *, number: int) -> _Row:
        errors: Errors = {}
        year = self._whole(errors, "year", texts["year"], FIRST_YEAR, LAST_YEAR)
        minors = self._whole(errors, "minors", texts["minors"], 1, MAX_MINORS)
        division = self.divisions.get(texts["division"].strip())
        if division is None:
            error(errors, "division", _("Give the county or one of its townships, by code or "
                                        "by name."))  # fmt: skip
        note = texts.get("note", "").strip()
        if len(note) > 200:
            error(errors, "note", _("Keep the note within 200 characters."))
        if division is not None and year is not None:
            first = self.seen.setdefault((division.pk, year), number)
            if first != number:
                error(errors, "division", _("This division's year is on row %(row)s already.")
                      % {"row": first})  # fmt: skip
        raise_if(errors)
        assert division is not None and year is not None and minors is not None
        return _Row(number, division, year, minors, note)


def populations_import(*, actor: User, upload: IO[bytes]) -> ImportReport:
    """Import population figures from Excel, writing only if every row passes."""
    require_perm(actor, "stats.manage_populations")
    importer = _Importer()
    read = spreadsheets.check_rows(
        spreadsheets.read_rows(upload, COLUMNS),
        lambda number, texts: importer.check(texts, number=number),
        COLUMNS,
        keep=MAX_ERRORS_KEPT,
    )
    report = ImportReport(errors=read.errors)
    rows = [row for _number, row in read.good]
    if not report.clean:
        return report
    with transaction.atomic(durable=True):
        for row in rows:
            outcome = population_write(
                actor=actor, division=row.division, year=row.year, minors=row.minors,
                note=row.note,
            )  # fmt: skip
            setattr(report, outcome, getattr(report, outcome) + 1)
        record(
            AuditEvent.Action.UPLOAD,
            actor=actor,
            target_repr=_("Minors' populations import"),
            operation="stats_populations_import",
            rows=len(rows),
            created=report.created,
            updated=report.updated,
        )
        if report.created or report.updated:
            Stale.objects.create(key=defs.MINORS)
    return report


def populations_template() -> bytes:
    return spreadsheets.template_bytes(_("Minors' populations"), COLUMNS)


def export_rows(populations: QuerySet[Population]) -> Iterable[list[Any]]:
    for population in populations.select_related("division"):
        yield [population.year, population.division.name, population.minors, population.note]


def populations_export(*, actor: User, among: QuerySet[Population]) -> bytes:
    """The listed figures as Excel in the import's columns (audited)."""
    require_perm(actor, "stats.view_populations")
    rows = list(export_rows(among))
    record(
        AuditEvent.Action.EXPORT,
        actor=actor,
        target_repr=_("Minors' populations"),
        operation="stats_populations_export",
        rows=len(rows),
    )
    return spreadsheets.workbook_bytes(
        _("Minors' populations"),
        [str(column.header) for column in COLUMNS],
        rows,
        [column.width for column in COLUMNS],
    )
