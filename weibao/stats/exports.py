"""A chart's or a table's numbers as Excel: exactly the table the page shows (suppressed cells
as "<5"), with an audit event for each export."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from weibao.accounts.models import User
from weibao.audit.models import AuditEvent
from weibao.audit.services import record
from weibao.kit.guards import require_perm
from weibao.kit.spreadsheets import workbook_bytes
from weibao.stats.dashboard import Table


def table_bytes(title: str, table: Table) -> bytes:
    widths = [max(12, min(40, len(str(h)) * 2 + 4)) for h in table.headers]
    # Excel refuses these characters in a sheet's name.
    sheet = "".join(" " if ch in "[]:*?/\\" else ch for ch in title).strip()
    return workbook_bytes(sheet or _("Figures"), table.headers, table.rows, widths)


def figures_export(*, actor: User, perm: str, title: str, table: Table, **detail: Any) -> bytes:
    """The table as an .xlsx file for someone who has `perm`; the export is recorded."""
    require_perm(actor, perm)
    content = table_bytes(title, table)
    record(
        AuditEvent.Action.EXPORT,
        actor=actor,
        target_repr=f"statistics: {title}"[:200],
        operation="stats_figures_export",
        rows=len(table.rows),
        **detail,
    )
    return content
