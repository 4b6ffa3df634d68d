"""The coverage of a term: which schools met the rule, what is missing, and the county's figures.

One `CoverageReport` feeds the page, its chart and the Excel export, so the three agree.

The rule: every school needs `min_pupil_sessions` held sessions for pupils and
`min_parent_sessions` for parents in the term; a kindergarten needs only
`kindergarten_parent_sessions` for parents. A held session counts for each group that came
(pupils_attending, parents_attending): a family open day counts for both. Term boundaries are
inclusive. A school that closed during the term (closed_on on or before its last day) is listed
but not required; one that closed before the term began is not listed. The topic and
speaker's-unit filters narrow the sessions that count; the township and school-kind filters
narrow the schools (and the figures to sessions there).
"""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import load_workbook

from weibao.accounts.models import Division, Organisation, User
from weibao.audit.models import AuditEvent
from weibao.audit.services import record
from weibao.education.models import CoverageRule, Session, SessionQuerySet, Term, Topic
from weibao.education.services._common import check_purpose
from weibao.kit import spreadsheets
from weibao.kit.guards import require_perm
from weibao.lib import divisions as division_codes
from weibao.schools.models import School


@dataclass(frozen=True)
class CoverageFilters:
    township: Division | None = None
    school_kind: str = ""
    topic: Topic | None = None
    speaker_unit: Organisation | None = None

    def as_detail(self) -> dict[str, Any]:
        """The filters as plain values, for the audit log."""
        return {
            "township": self.township.code if self.township else "",
            "school_kind": self.school_kind,
            "topic": self.topic.pk if self.topic else None,
            "speaker_unit": self.speaker_unit.pk if self.speaker_unit else None,
        }


@dataclass
class SchoolCoverage:
    school: School
    need_pupils: int
    need_parents: int
    required: bool
    pupil_sessions: int = 0
    parent_sessions: int = 0
    sessions: int = 0

    @property
    def is_kindergarten(self) -> bool:
        return self.school.kind == School.Kind.KINDERGARTEN

    @property
    def pupils_met(self) -> bool:
        return self.pupil_sessions >= self.need_pupils

    @property
    def parents_met(self) -> bool:
        return self.parent_sessions >= self.need_parents

    @property
    def met(self) -> bool:
        return self.required and self.pupils_met and self.parents_met

    @property
    def missing(self) -> list[str]:
        """What is missing, in words: the pupils' sessions, the parents', or both."""
        if not self.required:
            return []
        found = []
        if not self.pupils_met:
            found.append(_("pupils: %(n)d more") % {"n": self.need_pupils - self.pupil_sessions})
        if not self.parents_met:
            found.append(_("parents: %(n)d more") % {"n": self.need_parents - self.parent_sessions})
        return found


@dataclass
class TownshipCoverage:
    township: Division | None
    schools: list[SchoolCoverage] = field(default_factory=list)

    @property
    def required(self) -> int:
        return sum(1 for row in self.schools if row.required)

    @property
    def met(self) -> int:
        return sum(1 for row in self.schools if row.met)

    @property
    def not_met(self) -> int:
        return self.required - self.met

    @property
    def missing_pupils(self) -> int:
        return sum(1 for row in self.schools if row.required and not row.pupils_met)

    @property
    def missing_parents(self) -> int:
        return sum(1 for row in self.schools if row.required and not row.parents_met)

    @property
    def share(self) -> int:
        """Per cent of required schools that met the rule, rounded down (100 if none)."""
        return 100 if not self.required else self.met * 100 // self.required

    @property
    def name(self) -> str:
        return self.township.name if self.township else _("other")


@dataclass
class Figures:
    """What the county reports: sessions held, people reached by audience, hours, topics."""

    sessions_held: int = 0
    sessions_in_schools: int = 0
    sessions_outside: int = 0
    reached: dict[str, int] = field(default_factory=dict)
    hours: Decimal = Decimal(0)
    topics: list[tuple[Topic, int]] = field(default_factory=list)
    planned: int = 0
    overdue: int = 0

    @property
    def reached_total(self) -> int:
        return sum(self.reached.values())

    @property
    def reached_rows(self) -> list[tuple[str, int]]:
        """(group, people reached): pupils, teachers, parents."""
        return [
            (str(Session.Audience(value).label), self.reached.get(value, 0))
            for value in Session.GROUP_FIELDS
        ]


@dataclass
class CoverageReport:
    term: Term
    rule: CoverageRule
    filters: CoverageFilters
    townships: list[TownshipCoverage]
    total: TownshipCoverage
    figures: Figures

    @property
    def schools(self) -> list[SchoolCoverage]:
        return self.total.schools


def township_code(code: str) -> str:
    """The 12-digit code of the township a division code belongs to."""
    return code[:9] + "000"


def _place_filter(filters: CoverageFilters) -> Q:
    condition = Q()
    if filters.township is not None:
        prefix = division_codes.short(filters.township.code)
        condition &= Q(school__organisation__division__code__startswith=prefix) | Q(
            division__code__startswith=prefix
        )
    if filters.school_kind:
        condition &= Q(school__kind=filters.school_kind)
    return condition


def counted_sessions(term: Term, filters: CoverageFilters) -> SessionQuerySet:
    """The held sessions of the term that the report counts (ids only: no duplicate rows)."""
    sessions = Session.objects.held().in_term(term).filter(_place_filter(filters))
    if filters.topic is not None:
        sessions = sessions.filter(topics=filters.topic)
    if filters.speaker_unit is not None:
        sessions = sessions.filter(speaker_unit=filters.speaker_unit)
    return Session.objects.filter(pk__in=sessions.values("pk"))


def listed_schools(term: Term, filters: CoverageFilters) -> models.QuerySet[School]:
    """Schools open at some time in the term (not closed before its first day)."""
    schools = School.objects.filter(Q(closed_on__isnull=True) | Q(closed_on__gte=term.start))
    if filters.township is not None:
        prefix = division_codes.short(filters.township.code)
        schools = schools.filter(organisation__division__code__startswith=prefix)
    if filters.school_kind:
        schools = schools.filter(kind=filters.school_kind)
    return schools.select_related("organisation__division").order_by(
        "organisation__division__code", "organisation__name"
    )


def coverage_report(term: Term, filters: CoverageFilters | None = None) -> CoverageReport:
    """The coverage of `term`, in a fixed number of queries however many schools."""
    filters = filters or CoverageFilters()
    rule = term.rule
    sessions = counted_sessions(term, filters)
    counts: dict[int, dict[str, Any]] = defaultdict(dict)
    for row in (
        sessions.filter(school__isnull=False)
        .values("school_id")
        .annotate(
            n=Count("id"),
            pupils=Count("id", filter=Q(pupils_attending__gt=0)),
            parents=Count("id", filter=Q(parents_attending__gt=0)),
        )
        .order_by()
    ):
        counts[row["school_id"]] = dict(row)
    townships = {d.code: d for d in Division.objects.townships()}
    rows: dict[str, TownshipCoverage] = {}
    total = TownshipCoverage(None)
    for school in listed_schools(term, filters):
        kindergarten = school.kind == School.Kind.KINDERGARTEN
        held = counts.get(school.pk, {})
        coverage = SchoolCoverage(
            school=school,
            need_pupils=0 if kindergarten else rule.min_pupil_sessions,
            need_parents=(
                rule.kindergarten_parent_sessions if kindergarten else rule.min_parent_sessions
            ),
            required=school.closed_on is None or school.closed_on > term.end,
            pupil_sessions=held.get("pupils", 0),
            parent_sessions=held.get("parents", 0),
            sessions=held.get("n", 0),
        )
        code = township_code(school.organisation.division.code)
        rows.setdefault(code, TownshipCoverage(townships.get(code))).schools.append(coverage)
        total.schools.append(coverage)
    return CoverageReport(
        term=term,
        rule=rule,
        filters=filters,
        townships=[rows[code] for code in sorted(rows)],
        total=total,
        figures=_figures(term, filters, sessions),
    )


def _figures(term: Term, filters: CoverageFilters, sessions: SessionQuerySet) -> Figures:
    figures = Figures()
    sums = {audience: Sum(name) for audience, name in Session.GROUP_FIELDS.items()}
    row = sessions.aggregate(n=Count("id"), hours=Sum("hours"), **sums)
    figures.sessions_held = row["n"]
    figures.hours = row["hours"] or Decimal(0)
    figures.reached = {str(a): row[a] for a in Session.GROUP_FIELDS if row[a]}
    figures.sessions_outside = sessions.filter(school__isnull=True).count()
    figures.sessions_in_schools = figures.sessions_held - figures.sessions_outside
    topic_counts = dict(
        Session.topics.through.objects.filter(session__in=sessions.values("pk"))
        .values("topic")
        .annotate(n=Count("session"))
        .values_list("topic", "n")  # type: ignore[misc]
    )
    figures.topics = [
        (topic, topic_counts[topic.pk]) for topic in Topic.objects.all() if topic.pk in topic_counts
    ]
    planned = Session.objects.filter(status=Session.Status.PLANNED).in_term(term)
    planned = planned.filter(_place_filter(filters))
    if filters.topic is not None:
        planned = planned.filter(topics=filters.topic)
    if filters.speaker_unit is not None:
        planned = planned.filter(speaker_unit=filters.speaker_unit)
    planned = Session.objects.filter(pk__in=planned.values("pk"))
    figures.planned = planned.count()
    figures.overdue = planned.overdue().count()
    return figures


# The chart -----------------------------------------------------------------------------------


def chart_option(report: CoverageReport) -> dict[str, Any]:
    """An ECharts option: per township, schools that met the rule and those that did not."""
    names = [row.name for row in report.townships]
    return {
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "legend": {"data": [_("Met"), _("Not met")]},
        "grid": {"left": 40, "right": 20, "bottom": 60, "containLabel": True},
        "xAxis": {"type": "category", "data": names, "axisLabel": {"rotate": 30}},
        "yAxis": {"type": "value", "name": _("Schools"), "minInterval": 1},
        "series": [
            {
                "name": _("Met"),
                "type": "bar",
                "stack": "schools",
                "itemStyle": {"color": "#3a8f5c"},
                "data": [row.met for row in report.townships],
            },
            {
                "name": _("Not met"),
                "type": "bar",
                "stack": "schools",
                "itemStyle": {"color": "#c8553d"},
                "data": [row.not_met for row in report.townships],
            },
        ],
    }


# The Excel export ----------------------------------------------------------------------------


def _yes(value: bool) -> str:
    return _("yes") if value else _("no")


def export_bytes(report: CoverageReport) -> bytes:
    """The report as .xlsx: a sheet of schools, one of townships, and one of figures."""
    school_rows = []
    for township in report.townships:
        for row in township.schools:
            school_rows.append(
                [
                    township.name,
                    row.school.organisation.name,
                    row.school.get_kind_display(),
                    _yes(row.required) if row.required else _("closed during the term"),
                    row.need_pupils,
                    row.pupil_sessions,
                    row.need_parents,
                    row.parent_sessions,
                    row.sessions,
                    _yes(row.met),
                    "；".join(row.missing),
                ]
            )
    content = spreadsheets.workbook_bytes(
        _("Schools"),
        [
            _("Township"), _("School"), _("School kind"), _("Required"),
            _("Pupil sessions needed"), _("Pupil sessions held"), _("Parent sessions needed"),
            _("Parent sessions held"), _("Sessions held"), _("Met"), _("Missing"),
        ],
        school_rows,
        (14, 28, 16, 12, 10, 10, 10, 10, 10, 8, 28),
    )  # fmt: skip
    workbook = load_workbook(io.BytesIO(content))
    townships = workbook.create_sheet(_("Townships"))
    townships.append([_("Township"), _("Schools required"), _("Met"), _("Not met"), _("Share")])
    for tally in [*report.townships, report.total]:
        name = tally.name if tally is not report.total else _("County")
        townships.append([name, tally.required, tally.met, tally.not_met, f"{tally.share}%"])
    figures = workbook.create_sheet(_("Figures"))
    f = report.figures
    figures.append([pgettext("school year", "Term"), report.term.name])
    figures.append([_("Sessions held"), f.sessions_held])
    figures.append([_("in schools"), f.sessions_in_schools])
    figures.append([_("outside schools"), f.sessions_outside])
    for label, people in f.reached_rows:
        figures.append([_("People reached: %(audience)s") % {"audience": label}, people])
    figures.append([_("People reached in all"), f.reached_total])
    figures.append([_("Class hours"), float(f.hours)])
    figures.append([_("Planned sessions"), f.planned])
    figures.append([_("Overdue"), f.overdue])
    for topic, count in f.topics:
        figures.append([_("Topic: %(topic)s") % {"topic": topic.name}, count])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def coverage_export(*, actor: User, report: CoverageReport, purpose: str) -> bytes:
    """The report as Excel; the export, its purpose and filters are recorded."""
    require_perm(actor, "education.export_coverage")
    purpose = check_purpose(purpose)
    content = export_bytes(report)
    record(
        AuditEvent.Action.EXPORT,
        actor=actor,
        target=report.term,
        target_repr=f"law-education coverage {report.term.name}",
        purpose=purpose,
        rows=len(report.schools),
        **report.filters.as_detail(),
    )
    return content
