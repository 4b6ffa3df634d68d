"""The yearly assessment: schemes and their items, the computed scores, the units'
self-assessment, the lead agency's review, publication (totals, ranks, grades) and the changes of
a published score, each with its reason.

The scoring rule of an INDICATOR item: points = weight × min(value / target, 1), rounded to two
places; a share with nothing to count scores full points. A unit's total = the final points of
its INDICATOR and MANUAL items + bonus − deductions, never below zero. Equal totals share a rank
(1, 1, 3); the grade: excellent from `excellent_from`, qualified from `qualified_from`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from weibao.accounts.models import Organisation, User
from weibao.audit.models import AuditEvent
from weibao.audit.services import diff, record, snapshot
from weibao.core.services import attachment_store, notify, unit_staff
from weibao.kit import documents
from weibao.kit.fielderrors import Errors, clean, error
from weibao.kit.guards import raise_if, require_perm
from weibao.kit.messages import Message
from weibao.kit.spreadsheets import ExportBook
from weibao.mechanisms.models import (
    Item,
    Member,
    Result,
    Scheme,
    Score,
    ScoreChange,
    lead_unit_id,
)
from weibao.mechanisms.unitfigures import UNIT_FIGURES

CENT = Decimal("0.01")
FULL_WEIGHTS = Decimal(100)
WEIGHTED = (Item.Kind.INDICATOR, Item.Kind.MANUAL)
SCHEME_FIELDS = ["year", "title", "excellent_from", "qualified_from"]
ITEM_FIELDS = ["number", "title", "kind", "weight", "figure", "target", "plan_item_id", "rule"]


def _plain(obj: Any, fields: Iterable[str]) -> dict[str, str | None]:
    values = snapshot(obj, fields)
    return {k: None if v is None else str(v) for k, v in values.items()}


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _refuse_published(scheme: Scheme, errors: Errors, field: str = "__all__") -> None:
    if scheme.state == Scheme.State.PUBLISHED:
        error(
            errors, field, _("The assessment is published: it can no longer change."), "published"
        )


def weights_total(scheme: Scheme) -> Decimal:
    """The weights of the scheme's INDICATOR and MANUAL items (should be 100)."""
    return sum(
        (i.weight for i in scheme.items.all() if i.kind in WEIGHTED), start=Decimal(0)
    ).quantize(Decimal("0.1"))


# Schemes -----------------------------------------------------------------------------------------


def _scheme_fields(scheme: Scheme, data: Mapping[str, Any], errors: Errors) -> None:
    scheme.title = " ".join(str(data.get("title") or "").split())
    if not scheme.title:
        error(errors, "title", _("Give the scheme a title."), "required")
    for name, default in (("excellent_from", Decimal(90)), ("qualified_from", Decimal(60))):
        raw = data.get(name)
        value = default if raw is None or raw == "" else _decimal(raw)
        if value is None or not Decimal(0) <= value <= Decimal(1000):
            error(errors, name, _("Give a number of points from 0 to 1000."), "invalid")
        else:
            setattr(scheme, name, value)
    if (
        "excellent_from" not in errors
        and "qualified_from" not in errors
        and scheme.qualified_from > scheme.excellent_from
    ):
        error(
            errors,
            "qualified_from",
            _("The qualified grade cannot start above the excellent grade."),
            "order",
        )


def scheme_create(*, actor: User, data: Mapping[str, Any]) -> Scheme:
    require_perm(actor, "mechanisms.review_assessment")
    errors: Errors = {}
    scheme = Scheme()
    try:
        scheme.year = int(data.get("year") or 0)
    except (TypeError, ValueError):
        scheme.year = 0
    if not 2000 <= scheme.year <= 2100:
        error(errors, "year", _("Give a year from 2000 to 2100."), "invalid")
    elif Scheme.objects.filter(year=scheme.year).exists():
        error(errors, "year", _("That year already has an assessment scheme."), "unique")
    _scheme_fields(scheme, data, errors)
    clean(scheme, errors, exclude=["published_at"])
    raise_if(errors)
    with transaction.atomic(durable=True):
        scheme.save()
        record(
            AuditEvent.Action.CREATE,
            actor=actor,
            target=scheme,
            target_repr=scheme.title,
            operation="scheme_create",
            fields=_plain(scheme, SCHEME_FIELDS),
        )
    return scheme


def scheme_update(*, actor: User, scheme: Scheme, data: Mapping[str, Any]) -> Scheme:
    """The title and the grade thresholds (the year stays); refused once published."""
    require_perm(actor, "mechanisms.review_assessment", scheme)
    errors: Errors = {}
    _refuse_published(scheme, errors)
    before = snapshot(scheme, SCHEME_FIELDS)
    _scheme_fields(scheme, data, errors)
    clean(scheme, errors, exclude=["published_at"])
    raise_if(errors)
    with transaction.atomic(durable=True):
        scheme.save()
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=scheme,
            target_repr=scheme.title,
            operation="scheme_update",
            changes=diff(scheme, before, SCHEME_FIELDS),
        )
    return scheme


# Items -------------------------------------------------------------------------------------------


def _item_fields(item: Item, data: Mapping[str, Any], errors: Errors) -> None:
    item.title = " ".join(str(data.get("title") or "").split())
    if not item.title:
        error(errors, "title", _("Give the item a title."), "required")
    item.kind = str(data.get("kind") or "")
    if item.kind not in Item.Kind.values:
        error(errors, "kind", _("Choose the kind of item from the list."), "invalid")
    weight = _decimal(data.get("weight"))
    if weight is None or not Decimal(0) < weight <= Decimal(100):
        error(errors, "weight", _("Give the item's points: more than 0, at most 100."), "invalid")
    else:
        item.weight = weight
    item.rule = str(data.get("rule") or "").strip()
    item.plan_item = data.get("plan_item")
    if item.kind == Item.Kind.INDICATOR:
        item.figure = str(data.get("figure") or "")
        if item.figure not in UNIT_FIGURES:
            error(errors, "figure", _("Choose the figure the item is computed from."), "required")
        target = _decimal(data.get("target"))
        if target is None or target <= 0:
            error(errors, "target", _("Give the target: a number above 0."), "invalid")
        else:
            item.target = target
    else:
        item.figure, item.target = "", None
    number = data.get("number")
    if number not in (None, ""):
        try:
            item.number = int(number)
        except (TypeError, ValueError):
            item.number = 0
        if not 1 <= item.number <= 999:
            error(errors, "number", _("Give the item's number: 1 to 999."), "invalid")
        elif (
            Item.objects.filter(scheme_id=item.scheme_id, number=item.number)
            .exclude(pk=item.pk)
            .exists()
        ):
            error(errors, "number", _("Another item of the scheme has that number."), "unique")
    elif not item.number:
        last = Item.objects.filter(scheme_id=item.scheme_id).order_by("-number").first()
        item.number = (last.number if last else 0) + 1


def item_add(*, actor: User, scheme: Scheme, data: Mapping[str, Any]) -> Item:
    require_perm(actor, "mechanisms.review_assessment", scheme)
    errors: Errors = {}
    _refuse_published(scheme, errors)
    item = Item(scheme=scheme, number=0)
    _item_fields(item, data, errors)
    clean(item, errors, exclude=["scheme"])
    raise_if(errors)
    with transaction.atomic(durable=True):
        item.save()
        record(
            AuditEvent.Action.CREATE,
            actor=actor,
            target=item,
            target_repr=str(item),
            operation="assessment_item_add",
            scheme=scheme.pk,
            fields=_plain(item, ITEM_FIELDS),
        )
    return item


def item_update(*, actor: User, item: Item, data: Mapping[str, Any]) -> Item:
    require_perm(actor, "mechanisms.review_assessment", item.scheme)
    errors: Errors = {}
    _refuse_published(item.scheme, errors)
    before = snapshot(item, ITEM_FIELDS)
    _item_fields(item, data, errors)
    clean(item, errors, exclude=["scheme"])
    raise_if(errors)
    with transaction.atomic(durable=True):
        item.save()
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=item,
            target_repr=str(item),
            operation="assessment_item_update",
            changes=diff(item, before, ITEM_FIELDS),
        )
    return item


def item_remove(*, actor: User, item: Item) -> None:
    require_perm(actor, "mechanisms.review_assessment", item.scheme)
    errors: Errors = {}
    _refuse_published(item.scheme, errors)
    raise_if(errors)
    with transaction.atomic(durable=True):
        record(
            AuditEvent.Action.DELETE,
            actor=actor,
            target=item,
            target_repr=str(item),
            operation="assessment_item_remove",
            fields=_plain(item, ITEM_FIELDS),
        )
        item.delete()
        _totals(item.scheme)


# Computing -------------------------------------------------------------------------------------


def points_for(weight: Decimal, value: Decimal | None, target: Decimal) -> Decimal:
    """weight × min(value / target, 1), two places; full points with nothing to count."""
    if value is None:
        return weight.quantize(CENT)
    ratio = min(max(value, Decimal(0)) / target, Decimal(1))
    return (weight * ratio).quantize(CENT, ROUND_HALF_UP)


def member_unit_ids() -> list[int]:
    return sorted(set(Member.objects.current().values_list("unit_id", flat=True)))


def _ensure_rows(scheme: Scheme, units: Sequence[int]) -> dict[tuple[int, int], Score]:
    items = list(scheme.items.all())
    scores = {(s.item_id, s.unit_id): s for s in Score.objects.filter(item__scheme=scheme)}
    missing = [
        Score(item=item, unit_id=unit)
        for item in items
        for unit in units
        if (item.pk, unit) not in scores
    ]
    for score in Score.objects.bulk_create(missing):
        scores[(score.item_id, score.unit_id)] = score
    have = set(Result.objects.filter(scheme=scheme).values_list("unit_id", flat=True))
    Result.objects.bulk_create(
        [Result(scheme=scheme, unit_id=u, total=Decimal(0)) for u in units if u not in have]
    )
    return scores


def scores_compute(*, scheme: Scheme, on: date | None = None) -> int:
    """Compute the INDICATOR items of every current member unit; create the missing score and
    result rows; set the provisional totals. Never touches a published scheme. Returns the
    number of scores computed. No actor: the nightly job, and the lead agency's button."""
    if scheme.state == Scheme.State.PUBLISHED:
        return 0
    day = on or timezone.localdate()
    units = member_unit_ids()
    computed = 0
    with transaction.atomic():
        scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
        if scheme.state == Scheme.State.PUBLISHED:
            return 0
        scores = _ensure_rows(scheme, units)
        changed: list[Score] = []
        for item in scheme.items.filter(kind=Item.Kind.INDICATOR):
            figure = UNIT_FIGURES.get(item.figure)
            if figure is None or item.target is None:
                continue
            readings = figure.values(units, scheme.year)
            for unit in units:
                reading = readings[unit]
                score = scores[(item.pk, unit)]
                score.computed = points_for(item.weight, reading.value, item.target)
                score.source = {
                    "figure": item.figure,
                    "value": None if reading.value is None else str(reading.value),
                    "numerator": reading.numerator,
                    "denominator": reading.denominator,
                    "target": str(item.target),
                    "rule": "weight × min(value / target, 1)",
                    "note": reading.note or ("nothing to count" if reading.value is None else ""),
                    "computed_on": day.isoformat(),
                }
                changed.append(score)
        Score.objects.bulk_update(changed, ["computed", "source"])
        computed = len(changed)
        _totals(scheme)
    return computed


def unit_total(scores: Iterable[Score]) -> Decimal:
    """Σ final points of INDICATOR and MANUAL items + bonus − deductions, clamped ≥ 0."""
    total = Decimal(0)
    for score in scores:
        final = score.final or Decimal(0)
        if score.item.kind == Item.Kind.DEDUCTION:
            total -= final
        else:
            total += final
    return max(total, Decimal(0)).quantize(CENT)


def _totals(scheme: Scheme) -> list[Result]:
    """Write every result's total from its scores (the provisional totals)."""
    by_unit: dict[int, list[Score]] = defaultdict(list)
    for score in Score.objects.filter(item__scheme=scheme).select_related("item"):
        by_unit[score.unit_id].append(score)
    results = list(Result.objects.filter(scheme=scheme))
    for result in results:
        result.total = unit_total(by_unit.get(result.unit_id, []))
    Result.objects.bulk_update(results, ["total"])
    return results


def grade_for(scheme: Scheme, total: Decimal) -> str:
    if total >= scheme.excellent_from:
        return Result.Grade.EXCELLENT
    if total >= scheme.qualified_from:
        return Result.Grade.QUALIFIED
    return Result.Grade.UNQUALIFIED


def _rank(scheme: Scheme) -> list[Result]:
    """Totals, ranks (equal totals share a rank: 1, 1, 3) and grades."""
    results = sorted(_totals(scheme), key=lambda r: (-r.total, r.unit_id))
    previous: Decimal | None = None
    rank = 0
    for position, result in enumerate(results, start=1):
        if result.total != previous:
            rank, previous = position, result.total
        result.rank = rank
        result.grade = grade_for(scheme, result.total)
    Result.objects.bulk_update(results, ["rank", "grade"])
    return results


# The units' self-assessment ------------------------------------------------------------------


def result_of(score: Score) -> Result | None:
    return Result.objects.filter(scheme_id=score.item.scheme_id, unit_id=score.unit_id).first()


def _points(value: Any, item: Item, errors: Errors) -> Decimal | None:
    points = _decimal(value)
    if points is None or not Decimal(0) <= points <= item.weight:
        error(
            errors,
            "points",
            _("Give the points: from 0 to %(weight)s.") % {"weight": item.weight},
            "invalid",
        )
        return None
    return points.quantize(CENT, ROUND_HALF_UP)


def score_self_assess(
    *,
    actor: User,
    score: Score,
    points: Any,
    note: str,
    files: Sequence[UploadedFile] = (),
) -> Score:
    """The unit's own points on an item, with its evidence; before publication."""
    require_perm(actor, "mechanisms.self_assess", result_of(score))
    errors: Errors = {}
    _refuse_published(score.item.scheme, errors, "points")
    value = _points(points, score.item, errors)
    note = str(note or "").strip()
    if not note and not files:
        error(errors, "note", _("Say what the points rest on, or attach the evidence."), "required")
    raise_if(errors)
    with transaction.atomic(durable=True):
        score.self_points, score.self_note = value, note
        score.save(update_fields=["self_points", "self_note"])
        for upload in files:
            attachment_store(actor=actor, upload=upload, owner=score)
        _totals(score.item.scheme)
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=score,
            target_repr=f"{score.item} · {score.unit}",
            operation="score_self_assess",
            points=str(value),
            files=len(files),
        )
    return score


def self_submit(*, actor: User, result: Result) -> Result:
    """The unit marks its self-assessment done; the lead agency is told."""
    require_perm(actor, "mechanisms.self_assess", result)
    errors: Errors = {}
    _refuse_published(result.scheme, errors)
    raise_if(errors)
    with transaction.atomic(durable=True):
        result.self_submitted_at = timezone.now()
        result.save(update_fields=["self_submitted_at"])
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=result,
            target_repr=f"{result.scheme} · {result.unit}",
            operation="assessment_self_submit",
        )
        notify(
            recipients=[u for u in unit_staff([lead_unit_id()]) if u.pk != actor.pk],
            title=Message(
                gettext_noop("%(unit)s submitted its self-assessment for %(year)s"),
                {"unit": result.unit.name, "year": result.scheme.year},
            ),
            link=_result_link(result),
            kind="mechanisms_assessment",
        )
    return result


# The lead agency's review --------------------------------------------------------------------


def score_review(*, actor: User, score: Score, points: Any, reason: str) -> Score:
    """The lead agency's points; a reason when they differ from the self-assessed (else the
    computed) points."""
    require_perm(actor, "mechanisms.review_assessment", score)
    errors: Errors = {}
    scheme = score.item.scheme
    _refuse_published(scheme, errors, "points")
    value = _points(points, score.item, errors)
    reason = str(reason or "").strip()
    baseline = score.self_points if score.self_points is not None else score.computed
    if value is not None and baseline is not None and value != baseline and not reason:
        error(
            errors,
            "reason",
            _("Give the reason: the points differ from the unit's or the computed ones."),
            "required",
        )
    raise_if(errors)
    with transaction.atomic(durable=True):
        old = score.points
        score.points, score.reason = value, reason
        score.save(update_fields=["points", "reason"])
        if scheme.state == Scheme.State.OPEN:
            Scheme.objects.filter(pk=scheme.pk).update(state=Scheme.State.REVIEW)
            scheme.state = Scheme.State.REVIEW
        _totals(scheme)
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=score,
            target_repr=f"{score.item} · {score.unit}",
            operation="score_review",
            old=None if old is None else str(old),
            new=str(value),
            reason=reason,
        )
    return score


# Publication and the changes after it ----------------------------------------------------------


def scheme_publish(*, actor: User, scheme: Scheme) -> list[Result]:
    """Totals, ranks and grades; every member unit is told. Only when the weights make 100."""
    require_perm(actor, "mechanisms.publish_assessment", scheme)
    errors: Errors = {}
    _refuse_published(scheme, errors)
    weights = weights_total(scheme)
    if weights != FULL_WEIGHTS:
        error(
            errors,
            "items",
            _("The points of the indicator and hand-scored items make %(total)s, not 100.")
            % {"total": weights},
            "weights",
        )
    raise_if(errors)
    with transaction.atomic(durable=True):
        units = member_unit_ids()
        _ensure_rows(scheme, units)
        results = _rank(scheme)
        scheme.state = Scheme.State.PUBLISHED
        scheme.published_at = timezone.now()
        scheme.save(update_fields=["state", "published_at"])
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=scheme,
            target_repr=scheme.title,
            operation="scheme_publish",
            results=len(results),
        )
        notify(
            recipients=[u for u in unit_staff(units) if u.pk != actor.pk],
            title=Message(
                gettext_noop("The assessment for %(year)s is published"), {"year": scheme.year}
            ),
            body=Message(gettext_noop("See your unit's score, rank and grade.")),
            link=scheme.get_absolute_url(),
            kind="mechanisms_assessment",
        )
    return results


def score_change(*, actor: User, score: Score, points: Any, reason: str) -> ScoreChange:
    """Change a published score: the reason is required and kept; ranks and grades follow."""
    require_perm(actor, "mechanisms.publish_assessment", score)
    errors: Errors = {}
    scheme = score.item.scheme
    if scheme.state != Scheme.State.PUBLISHED:
        error(
            errors,
            "points",
            _("The assessment is not published yet: review the score instead."),
            "unpublished",
        )
    value = _points(points, score.item, errors)
    reason = str(reason or "").strip()
    if not reason:
        error(
            errors,
            "reason",
            _("Give the reason: a published score changes only with one."),
            "required",
        )
    old = score.final
    if value is not None and old is not None and value == old:
        error(errors, "points", _("The points are the same as now."), "unchanged")
    raise_if(errors)
    assert value is not None
    with transaction.atomic(durable=True):
        change = ScoreChange.objects.create(
            score=score, old_points=old, new_points=value, reason=reason, changed_by=actor
        )
        score.points = value
        score.save(update_fields=["points"])
        results = _rank(scheme)
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=score,
            target_repr=f"{score.item} · {score.unit}",
            operation="score_change",
            old=None if old is None else str(old),
            new=str(value),
            reason=reason,
        )
        mine = next((r for r in results if r.unit_id == score.unit_id), None)
        notify(
            recipients=[u for u in unit_staff([score.unit_id]) if u.pk != actor.pk],
            title=Message(
                gettext_noop("A score of your unit's %(year)s assessment was changed"),
                {"year": scheme.year},
            ),
            body=Message(gettext_noop("Reason: %(reason)s"), {"reason": reason[:200]}),
            link=scheme.get_absolute_url() if mine is None else _result_link(mine),
            kind="mechanisms_assessment",
        )
    return change


def _result_link(result: Result) -> str:
    return reverse("mechanisms:result", args=[result.pk])


# The report ------------------------------------------------------------------------------------


def _ranked(scheme: Scheme) -> list[Result]:
    return list(
        Result.objects.filter(scheme=scheme)
        .select_related("unit")
        .order_by("rank", "-total", "unit__name", "pk")
    )


def _source_text(score: Score) -> str:
    """Where a score's points came from, in words."""
    parts = []
    source = score.source or {}
    if score.computed is not None and source:
        figure = UNIT_FIGURES.get(str(source.get("figure", "")))
        value = source.get("value")
        parts.append(
            _(
                "computed %(points)s from %(figure)s = %(value)s (%(num)s / %(den)s), "
                "target %(target)s"
            )
            % {
                "points": score.computed,
                "figure": figure.label if figure else source.get("figure", ""),
                "value": _("nothing to count") if value is None else value,
                "num": source.get("numerator", 0),
                "den": source.get("denominator", 0),
                "target": source.get("target", ""),
            }
        )
    if score.self_points is not None:
        parts.append(_("self-assessed %(points)s") % {"points": score.self_points})
    if score.points is not None:
        reviewed = _("reviewed %(points)s") % {"points": score.points}
        if score.reason:
            reviewed += _(" (reason: %(reason)s)") % {"reason": score.reason}
        parts.append(reviewed)
    for change in score.changes.all():
        parts.append(
            _("changed from %(old)s to %(new)s on %(day)s (reason: %(reason)s)")
            % {
                "old": change.old_points,
                "new": change.new_points,
                "day": timezone.localdate(change.changed_at).isoformat(),
                "reason": change.reason,
            }
        )
    return "; ".join(parts)


def _grade_label(result: Result) -> str:
    return str(result.get_grade_display()) if result.grade else _("provisional")


def report_docx(*, actor: User, scheme: Scheme) -> bytes:
    """The assessment report as a GB/T 9704 Word document: the ranking, the grades, notes."""
    require_perm(actor, "mechanisms.review_assessment", scheme)
    results = _ranked(scheme)
    published = scheme.state == Scheme.State.PUBLISHED
    counts: dict[str, int] = defaultdict(int)
    for r in results:
        counts[r.grade] += 1
    body = [
        _(
            "Under the county's assessment scheme for %(year)s, %(n)d member units of the leading "
            "group were assessed on %(items)d items."
        )
        % {"year": scheme.year, "n": len(results), "items": scheme.items.count()},
        _("一、Ranking"),
    ]
    for r in results:
        body.append(
            _("%(rank)s. %(unit)s: %(total)s points, %(grade)s")
            % {
                "rank": r.rank or "—",
                "unit": r.unit.name,
                "total": r.total,
                "grade": _grade_label(r),
            }
        )
    body.append(_("二、Grades"))
    body.append(
        _(
            "Excellent (from %(excellent)s points): %(e)d; qualified (from %(qualified)s points): "
            "%(q)d; unqualified: %(u)d."
        )
        % {
            "excellent": scheme.excellent_from,
            "qualified": scheme.qualified_from,
            "e": counts[Result.Grade.EXCELLENT],
            "q": counts[Result.Grade.QUALIFIED],
            "u": counts[Result.Grade.UNQUALIFIED],
        }
    )
    body.append(_("三、Notes"))
    changes = ScoreChange.objects.filter(score__item__scheme=scheme).count()
    body.append(
        _(
            "Published on %(day)s; %(n)d scores were changed after publication, each with its "
            "reason."
        )
        % {"day": timezone.localdate(scheme.published_at).isoformat(), "n": changes}
        if published and scheme.published_at
        else _("The scores are provisional: the assessment is not published yet.")
    )
    lead_id = lead_unit_id()
    lead = Organisation.objects.filter(pk=lead_id).first() if lead_id else None
    content = documents.render(
        documents.OfficialDocument(
            title=_("Report on the %(year)s assessment of the member units")
            % {"year": scheme.year},
            body=body,
            issuer=lead.name if lead else _("The leading group for minors' protection"),
            issued_on=timezone.localdate(),
            recipient=_("The county leadership"),
        )
    )
    record(
        AuditEvent.Action.EXPORT,
        actor=actor,
        target=scheme,
        target_repr=scheme.title,
        operation="assessment_report_docx",
    )
    return content


def report_xlsx(*, actor: User, scheme: Scheme) -> bytes:
    """The results and every item score with its source, as Excel."""
    require_perm(actor, "mechanisms.review_assessment", scheme)
    book = ExportBook()
    sheet = book.sheet(_("Results"))
    sheet.append(
        [_("Rank"), _("Unit"), _("Total points"), _("Grade"), _("Self-assessment submitted")]
    )
    for r in _ranked(scheme):
        submitted = timezone.localtime(r.self_submitted_at) if r.self_submitted_at else None
        sheet.append(
            [
                r.rank,
                r.unit.name,
                r.total,
                _grade_label(r),
                submitted.strftime("%Y-%m-%d %H:%M") if submitted else "",
            ]
        )
    items = book.sheet(_("Item scores"))
    items.append(
        [_("Unit"), _("Item"), _("Kind"), _("Points"), _("Final points"), _("Where they came from")]
    )
    scores = (
        Score.objects.filter(item__scheme=scheme)
        .select_related("item", "unit")
        .prefetch_related("changes")
        .order_by("unit__name", "unit_id", "item__number")
    )
    for s in scores:
        items.append(
            [
                s.unit.name,
                str(s.item),
                str(s.item.get_kind_display()),
                s.item.weight,
                s.final,
                _source_text(s),
            ]
        )
    record(
        AuditEvent.Action.EXPORT,
        actor=actor,
        target=scheme,
        target_repr=scheme.title,
        operation="assessment_report_xlsx",
    )
    return book.bytes()
