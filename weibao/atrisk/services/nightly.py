"""What only the scheduler calls (no actor): regrade all, close at 18, overdue warnings."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from weibao.atrisk.grading import (
    Grade,
)
from weibao.atrisk.models import (
    AtRiskFile,
    Contact,
    RiskWarning,
)
from weibao.atrisk.services._common import (
    _warn,
)
from weibao.atrisk.services.files import (
    file_close,
)
from weibao.atrisk.services.grades import (
    files_regrade,
)
from weibao.people.models import adult_birth_cutoff


def scores_recompute_all(*, on: date | None = None, chunk: int = 2000) -> int:
    """Recompute every open file's grade and score (bulk); returns how many changed."""
    ids = list(AtRiskFile.objects.open().order_by("pk").values_list("pk", flat=True))
    changed = 0
    for start in range(0, len(ids), chunk):
        files = list(
            AtRiskFile.objects.filter(pk__in=ids[start : start + chunk]).select_related(
                "person", "worker"
            )
        )
        with transaction.atomic():
            changed += files_regrade(files, on=on)
    return changed


def files_close_adults(*, on: date | None = None) -> int:
    """Close the files of those who turned 18, unless in the criminal process (T4)."""
    on = on or timezone.localdate()
    files = (
        AtRiskFile.objects.open()
        .filter(person__birth_date__lt=adult_birth_cutoff(on))
        .exclude(sealed_grade=Grade.CRIMINAL)
        .select_related("person")
    )
    count = 0
    for file in files:
        file_close(actor=None, file=file, reason=AtRiskFile.ClosedReason.TURNED_18, on=on)
        count += 1
    return count


def contacts_overdue_warn(*, on: date | None = None) -> int:
    """One warning per overdue contact (idempotent: keyed by the contact)."""
    on = on or timezone.localdate()
    count = 0
    overdue = Contact.objects.overdue(on).filter(file__closed_at__isnull=True)
    for contact in overdue.select_related("file", "file__worker"):
        warning = _warn(
            contact.file,
            RiskWarning.Kind.OVERDUE,
            key=f"contact:{contact.pk}",
            detail=gettext_noop("A contact was due on %(day)s."),
            args={"day": contact.due_date.isoformat()},
        )
        count += warning is not None
    return count
