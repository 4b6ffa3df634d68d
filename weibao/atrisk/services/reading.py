"""Reading: the overview counts, the audited export, the codes a user may report."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Any

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from weibao.accounts.models import User
from weibao.atrisk.grading import (
    Grade,
)
from weibao.atrisk.models import (
    AtRiskFile,
    Behaviour,
    Involvement,
    MisconductEvent,
)
from weibao.atrisk.services._common import (
    _clean_reason,
)
from weibao.audit.models import AuditEvent
from weibao.audit.services import record
from weibao.kit import spreadsheets
from weibao.kit.guards import require_perm
from weibao.lib import idnumber
from weibao.people.models import Person

AGE_GROUPS = ((12, 13), (14, 15), (16, 17))


def age_group(age: int) -> str:
    for low, high in AGE_GROUPS:
        if low <= age <= high:
            return f"{low}-{high}"
    return _("under 12") if age < 12 else _("18 and over")


def overview(files: Any, *, on: date | None = None) -> dict[str, Any]:
    """Counts for the county overview over the files given (already filtered for the user)."""
    on = on or timezone.localdate()
    open_files = files.filter(closed_at__isnull=True)
    by_grade = dict(open_files.values_list("grade").annotate(n=Count("pk")).order_by())
    grades = [(label, by_grade.get(value, 0)) for value, label in Grade.choices]
    townships = list(
        open_files.values("township__name").annotate(n=Count("pk")).order_by("township__name")
    )
    sexes = list(open_files.values("person__sex").annotate(n=Count("pk")).order_by("person__sex"))
    ages: Counter[str] = Counter()
    for birth in open_files.values_list("person__birth_date", flat=True):
        age = idnumber.age_or_none(birth, on)
        if age is not None:  # a bad stored birth date is left out, never a failed page
            ages[age_group(age)] += 1
    visible_events = Involvement.objects.filter(file__in=open_files.values("pk"))
    codes = list(
        MisconductEvent.behaviours.through.objects.filter(
            misconductevent_id__in=visible_events.values("event_id")
        )
        .values("behaviour__code")
        .annotate(n=Count("pk"))
        .order_by("behaviour__code")
    )
    groups = MisconductEvent.objects.filter(
        pk__in=visible_events.values("event_id"), is_group=True
    ).count()
    since = (on.replace(day=1) - timedelta(days=365)).replace(day=1)
    new = dict(
        files.filter(opened_at__gte=since)
        .annotate(m=TruncMonth("opened_at"))
        .values_list("m")
        .annotate(n=Count("pk"))
        .order_by()
    )
    closed = dict(
        files.filter(closed_at__gte=since)
        .annotate(m=TruncMonth("closed_at"))
        .values_list("m")
        .annotate(n=Count("pk"))
        .order_by()
    )
    months = sorted(set(new) | set(closed))
    return {
        "total": sum(n for _label, n in grades),
        "grades": grades,
        "townships": townships,
        "sexes": [(dict(Person.Sex.choices).get(r["person__sex"], ""), r["n"]) for r in sexes],
        "ages": sorted(ages.items()),
        "codes": codes,
        "group_events": groups,
        "months": [
            (m.strftime("%Y-%m") if m else "", new.get(m, 0), closed.get(m, 0)) for m in months
        ],
    }


def file_export(*, actor: User, files: Any, purpose: str) -> tuple[bytes, int]:
    """An .xlsx of the files the actor sees (masked names and ID numbers), audited with purpose."""
    require_perm(actor, "atrisk.export_files")
    files = files.filter(pk__in=AtRiskFile.objects.for_user(actor).values("pk"))
    purpose = _clean_reason(purpose, "purpose")
    workbook = spreadsheets.ExportBook()
    sheet = workbook.sheet(_("At-risk files"))
    sheet.append(
        [
            _("File"),
            pgettext("person", "Name"),
            _("ID number"),
            _("Sex"),
            _("Age"),
            _("School"),
            _("Township"),
            pgettext("risk", "Grade"),
            _("Risk score"),
            _("Responsible worker"),
            _("Opened on"),
            _("Closed on"),
        ]
    )
    rows = 0
    qs = files.select_related("person", "school", "township", "worker")
    for f in qs.iterator(chunk_size=500):
        sheet.append(
            [
                f.pk,
                f.person.masked_name,
                f.person.masked_id_number,
                f.person.get_sex_display(),
                f.person.age,
                str(f.school or ""),
                str(f.township or ""),
                f.get_grade_display(),
                f.score,
                str(f.worker.full_name if f.worker else ""),
                f.opened_at.isoformat(),
                f.closed_at.isoformat() if f.closed_at else "",
            ]
        )
        rows += 1
    about = workbook.sheet(pgettext("export sheet", "About"))
    about.append([_("Purpose"), purpose])
    about.append([_("Exported by"), f"{actor.organisation} {actor.full_name or actor.username}"])
    about.append([_("Names and ID numbers are masked.")])
    content = workbook.bytes()
    record(
        AuditEvent.Action.EXPORT,
        actor=actor,
        target_repr=_("at-risk files"),
        purpose=purpose,
        rows=rows,
    )
    return content, rows


def behaviours_for(actor: User) -> Any:
    """Behaviour codes the actor may report: schools report misconduct and serious misconduct
    alike (Art. 33 lets them handle minor cases), so all codes."""
    return Behaviour.objects.all()
