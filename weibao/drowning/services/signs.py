"""The schools' summer inspection of warning signs (学校暑期警示标志排查): once each summer a
school checks the four ones at every water of its catchment and reports the gaps in writing to
the township government.

The school fills the form in page by page (a catchment may hold many waters): each page's save
keeps a draft, one row per school and summer. Submitting it, once every water of the catchment
is inspected, opens a rectification for each gap through the patrols' own path
(`patrols.open_rectifications`: one open item per water and item, due RECTIFICATION_DAYS after
the submission), marks each such item missing or damaged on the registry (as a patrol does)
and tells each township concerned in one message listing the gaps. The written report is a
Word document after GB/T 9704 (and a print view), addressed to the township.

The report's text is Chinese in any UI: it is a Chinese official document.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext

from weibao.accounts.models import Division, User
from weibao.audit.models import AuditEvent
from weibao.audit.services import record
from weibao.core.services import notify
from weibao.drowning.models import (
    EQUIPMENT_FIELDS,
    RECTIFICATION_DAYS,
    Catchment,
    Equipment,
    EquipmentState,
    HazardousWater,
    Rectification,
    Season,
    SignInspection,
    SignInspectionItem,
)
from weibao.drowning.services.patrols import open_rectifications, township_of, township_staff
from weibao.kit.documents import OfficialDocument, chinese_date, render
from weibao.kit.fielderrors import Errors, error
from weibao.kit.guards import raise_if, require_perm
from weibao.kit.messages import Message
from weibao.schools.models import School

FIRST_YEAR = 2000
MAX_NOTE = 200
STATE_WORDS = {EquipmentState.MISSING: "缺失", EquipmentState.DAMAGED: "损坏"}
ITEM_WORDS = {
    Equipment.SIGN: "警示标志",
    Equipment.POLE: "救生杆",
    Equipment.ROPE: "救生绳",
    Equipment.RING: "救生圈",
}


def field_name(water_pk: int, name: str) -> str:
    """The form field (and error key) of one water's state or note: `w12_sign_state`."""
    return f"w{water_pk}_{name}"


def catchment_waters(school: School) -> QuerySet[Catchment]:
    """The waters of the school's catchment, nearest first."""
    return (
        Catchment.objects.filter(school=school)
        .select_related("water__village__parent")
        .order_by("distance_m", "water_id")
    )


def sign_inspection_of(school: School, year: int) -> SignInspection | None:
    return SignInspection.objects.filter(school=school, year=year, season=Season.SUMMER).first()


def _check_header(errors: Errors, inspection: SignInspection) -> None:
    today = timezone.localdate()
    year, day = inspection.year, inspection.inspected_on
    if year is None:
        error(errors, "year", _("Give the year of the inspection."), "required")
    elif not FIRST_YEAR <= year <= today.year:
        message = _("Give a year from %(first)d to %(last)d.") % {
            "first": FIRST_YEAR,
            "last": today.year,
        }
        error(errors, "year", message)
    if day is None:
        error(errors, "inspected_on", _("Give the day of the inspection."), "required")
    elif day > today:
        error(errors, "inspected_on", _("The inspection cannot be in the future."), "future")
    elif year is not None and day.year != year:
        message = _("The day of the inspection must fall in %(year)d.") % {"year": year}
        error(errors, "inspected_on", message, "year")
    if not inspection.inspected_by:
        error(errors, "inspected_by", _("Name who inspected the signs."), "required")


def _clean_items(
    errors: Errors, school: School, items: list[dict[str, Any]]
) -> list[SignInspectionItem]:
    """The page's rows as unsaved items, each water checked to lie in the school's catchment
    and each state to be one of the choices; errors keyed by the row's field."""
    waters = {c.water_id: c.water for c in catchment_waters(school)}
    states = set(EquipmentState.values)
    cleaned: list[SignInspectionItem] = []
    seen: set[int] = set()
    labels = dict(Equipment.choices)
    for row in items:
        pk: Any = row.get("water")
        pk = getattr(pk, "pk", pk)
        water = waters.get(pk) if isinstance(pk, int) else None
        if water is None:
            message = _("Water no. %(pk)s is not in this school's catchment.") % {"pk": pk}
            error(errors, "items", message, "catchment")
            continue
        if pk in seen:
            continue
        seen.add(pk)
        item = SignInspectionItem(water=water, note=" ".join(str(row.get("note") or "").split()))
        for equipment, name in EQUIPMENT_FIELDS.items():
            value = row.get(name)
            if value not in states:
                message = _("%(water)s: choose the state of the %(item)s.") % {
                    "water": water.name,
                    "item": labels[equipment],
                }
                error(errors, field_name(water.pk, name), message, "state")
            else:
                setattr(item, name, value)
        if len(item.note) > MAX_NOTE:
            message = _("%(water)s: the note is longer than %(n)d characters.") % {
                "water": water.name,
                "n": MAX_NOTE,
            }
            error(errors, field_name(water.pk, "note"), message, "max_length")
        cleaned.append(item)
    return cleaned


def sign_inspection_save(
    *, actor: User, school: School, data: dict[str, Any], items: list[dict[str, Any]]
) -> SignInspection:
    """Keep the school's draft inspection for the summer of `data["year"]`: the header and the
    states of the waters on the page (`items`: dicts of water, the four states and a note).
    A summer whose inspection was submitted takes no second one."""
    require_perm(actor, "drowning.inspect_signs_of", school)
    year: Any = data.get("year")
    found = sign_inspection_of(school, year) if isinstance(year, int) else None
    inspection = found or SignInspection(
        school=school, year=year, season=Season.SUMMER, recorded_by=actor
    )
    inspection.inspected_on = data.get("inspected_on")  # type: ignore[assignment]
    inspection.inspected_by = " ".join(str(data.get("inspected_by") or "").split())
    inspection.notes = str(data.get("notes") or "").strip()
    errors: Errors = {}
    if found is not None and found.is_submitted:
        message = _("This school already reported its sign inspection for the summer of %(year)d.")
        error(errors, "year", message % {"year": found.year}, "duplicate")
    _check_header(errors, inspection)
    rows = _clean_items(errors, school, items)
    try:
        inspection.full_clean(exclude=["recorded_by", "school"], validate_constraints=False)
    except ValidationError as exc:
        for name, field_errors in exc.error_dict.items():
            if name not in errors:
                errors.setdefault(name, []).extend(field_errors)
    raise_if(errors)
    try:
        with transaction.atomic(durable=True):
            if inspection.pk is not None:
                locked = SignInspection.objects.select_for_update().get(pk=inspection.pk)
                if locked.is_submitted:
                    raise IntegrityError("submitted meanwhile")
            inspection.save()
            _save_items(inspection, rows)
            record(
                AuditEvent.Action.UPDATE if found else AuditEvent.Action.CREATE,
                actor=actor,
                target=inspection,
                target_repr=str(inspection),
                operation="sign_inspection_save",
                school=school.pk,
                waters=[row.water_id for row in rows],
            )
    except IntegrityError:
        message = _("This school already reported its sign inspection for this summer.")
        raise ValidationError({"year": message}) from None
    return inspection


def _save_items(inspection: SignInspection, rows: list[SignInspectionItem]) -> None:
    have = {
        item.water_id: item
        for item in SignInspectionItem.objects.filter(
            inspection=inspection, water_id__in=[row.water_id for row in rows]
        )
    }
    fields = [*EQUIPMENT_FIELDS.values(), "note"]
    changed, new = [], []
    for row in rows:
        row.inspection = inspection
        old = have.get(row.water_id)
        if old is None:
            new.append(row)
            continue
        for name in fields:
            setattr(old, name, getattr(row, name))
        changed.append(old)
    SignInspectionItem.objects.bulk_create(new)
    if changed:
        SignInspectionItem.objects.bulk_update(changed, fields)


def not_inspected(inspection: SignInspection) -> QuerySet[Catchment]:
    """The catchment's waters the draft has no state for yet."""
    done = SignInspectionItem.objects.filter(inspection=inspection).values("water_id")
    return catchment_waters(inspection.school).exclude(water_id__in=done)


@dataclass
class Gap:
    """One water's gaps as the inspection found them."""

    water: HazardousWater
    items: list[tuple[str, str]]  # (item, state)
    note: str = ""

    def text(self) -> str:
        """The gaps in the user's language: 后山塘：警示标志（缺失）、救生圈（损坏）."""
        labels, states = dict(Equipment.choices), dict(EquipmentState.choices)
        listed = pgettext("list separator", ", ").join(
            _("%(item)s (%(state)s)") % {"item": labels[item], "state": states[state]}
            for item, state in self.items
        )
        return _("%(water)s: %(items)s") % {"water": self.water.name, "items": listed}


def gaps_of(inspection: SignInspection) -> list[Gap]:
    items = (
        SignInspectionItem.objects.filter(inspection=inspection)
        .select_related("water__village__parent")
        .order_by("water__village__code", "water__name", "pk")
    )
    found = []
    for item in items:
        gaps = [(name, getattr(item, EQUIPMENT_FIELDS[name])) for name in item.gaps]
        if gaps:
            found.append(Gap(item.water, gaps, item.note))
    return found


def sign_inspection_submit(*, actor: User, inspection: SignInspection) -> list[Rectification]:
    """Report the inspection: every water of the catchment must be inspected. Each gap opens a
    rectification for the water's township (unless one is open for that item already), and each
    township concerned is told in one message listing its gaps. Returns the items opened."""
    require_perm(actor, "drowning.change_sign_inspection", inspection)
    if inspection.is_submitted:
        raise ValidationError(
            {"year": _("This school already reported its sign inspection for this summer.")}
        )
    missing = not_inspected(inspection).count()
    if missing:
        message = _(
            "%(n)d waters of the catchment have no state yet: fill in every page first."
        ) % {"n": missing}
        raise ValidationError({"items": message})
    today = timezone.localdate()
    with transaction.atomic(durable=True):
        locked = SignInspection.objects.select_for_update().get(pk=inspection.pk)
        if locked.is_submitted:
            raise ValidationError(
                {"year": _("This school already reported its sign inspection for this summer.")}
            )
        inspection.submitted_at = timezone.now()
        inspection.save(update_fields=["submitted_at"])
        gaps = gaps_of(inspection)
        opened: list[Rectification] = []
        by_township: dict[int, tuple[Division, list[Gap]]] = {}
        for gap in gaps:
            township = township_of(gap.water)
            by_township.setdefault(township.pk, (township, []))[1].append(gap)
            opened += open_rectifications(
                water=gap.water,
                states=dict(gap.items),
                township=township,
                day=today,
                sign_inspection=inspection,
            )
        mark_gaps(opened)
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=inspection,
            target_repr=str(inspection),
            operation="sign_inspection_submit",
            gaps=sum(len(gap.items) for gap in gaps),
            rectifications=len(opened),
        )
        for township, listed in by_township.values():
            _tell_township(inspection, township, listed, today)
    return opened


def mark_gaps(opened: list[Rectification]) -> None:
    """Each item a school found missing or damaged is so on the registry until the township
    closes its rectification (which puts it back in place), as after a patrol."""
    by_water: dict[int, dict[str, str]] = defaultdict(dict)
    for item in opened:
        by_water[item.water_id][EQUIPMENT_FIELDS[item.item]] = item.state
    for water_id, states in by_water.items():
        HazardousWater.objects.filter(pk=water_id).update(**states)


def _tell_township(
    inspection: SignInspection, township: Division, gaps: list[Gap], today: date
) -> None:
    count = sum(len(gap.items) for gap in gaps)
    deadline = date.fromordinal(today.toordinal() + RECTIFICATION_DAYS)
    lines = [gap.text() for gap in gaps]
    lines.append(_("Put them right by %(date)s.") % {"date": deadline.isoformat()})
    notify(
        recipients=township_staff(township),
        title=Message(
            gettext_noop("%(school)s's sign inspection found %(n)d gaps at the waters near it"),
            {"school": inspection.school.name, "n": count},
        ),
        body="\n".join(lines),
        link=reverse("drowning:rectification_list"),
        kind="drowning_sign_inspection",
    )


# The written report ---------------------------------------------------------------------------


def township_names(gaps: list[Gap], school: School) -> list[str]:
    """The township governments the report goes to: those of the waters with gaps, or the
    school's own township when nothing was found."""
    codes = sorted({gap.water.township_code for gap in gaps}) or [
        school.organisation.division.code[:9] + "000"
    ]
    names = dict(Division.objects.filter(code__in=codes).values_list("code", "name"))
    return [names.get(code, code) for code in codes]


def report_paragraphs(inspection: SignInspection, gaps: list[Gap], inspected: int) -> list[str]:
    school = inspection.school.name
    items = sum(len(gap.items) for gap in gaps)
    body = [
        f"根据防溺水工作要求，{school}于{chinese_date(inspection.inspected_on)}组织对学校周边"
        f"3公里范围内登记的危险水域的警示标志和救生设施（“四个一”）进行了{inspection.year}年"
        f"暑期排查，排查人：{inspection.inspected_by}。现将排查情况报告如下：",
        "一、排查情况",
        f"本次共排查危险水域{inspected}处，其中{len(gaps)}处存在问题，共发现问题{items}项。",
        "二、发现的问题",
    ]
    if gaps:
        for number, gap in enumerate(gaps, start=1):
            village = gap.water.village
            place = f"{village.parent.name}{village.name}" if village.parent else village.name
            found = "、".join(
                f"{ITEM_WORDS[Equipment(item)]}{STATE_WORDS[EquipmentState(state)]}"
                for item, state in gap.items
            )
            note = f"（{gap.note}）" if gap.note else ""
            body.append(f"（{number}）{place}{gap.water.name}：{found}。{note}")
    else:
        body.append("本次排查未发现警示标志和救生设施缺失或损坏的情况。")
    if inspection.notes:
        body.append(f"其他情况：{inspection.notes}")
    body.append("三、整改建议")
    if gaps:
        body.append(
            f"恳请贵单位组织对上述问题在{RECTIFICATION_DAYS}日内完成整改，补齐警示标志和救生设施，"
            "并落实水域管理员巡查看护责任。学校将继续做好学生防溺水安全教育。"
        )
    else:
        body.append("请贵单位继续落实危险水域巡查看护责任。学校将继续做好学生防溺水安全教育。")
    body.append("特此报告。")
    return body


def report_document(inspection: SignInspection) -> OfficialDocument:
    gaps = gaps_of(inspection)
    inspected = SignInspectionItem.objects.filter(inspection=inspection).count()
    recipient = "、".join(f"{name}人民政府" for name in township_names(gaps, inspection.school))
    day = timezone.localdate(inspection.submitted_at) if inspection.submitted_at else None
    return OfficialDocument(
        title=f"关于{inspection.year}年暑期学校周边危险水域警示标志排查情况的报告",
        recipient=recipient,
        body=report_paragraphs(inspection, gaps, inspected),
        issuer=inspection.school.name,
        issued_on=day or inspection.inspected_on,
    )


def sign_report_download(*, actor: User, inspection: SignInspection) -> bytes:
    """The written report as a Word document after GB/T 9704; the download is on the record."""
    require_perm(actor, "drowning.view_sign_inspection", inspection)
    if not inspection.is_submitted:
        raise ValidationError(_("The inspection is not submitted yet."))
    content = render(report_document(inspection))
    record(
        AuditEvent.Action.DOWNLOAD,
        actor=actor,
        target=inspection,
        target_repr=str(inspection),
        document="sign_inspection_report",
    )
    return content


# Coverage -------------------------------------------------------------------------------------


def with_inspection(schools: QuerySet[School], year: int) -> QuerySet[School]:
    """The schools, each with `inspection_id` (the summer's submitted inspection, or None) and
    `gap_count` (rectifications it opened): a fixed number of queries."""
    done = SignInspection.objects.submitted().filter(
        school=OuterRef("pk"), year=year, season=Season.SUMMER
    )
    opened = (
        Rectification.objects.filter(sign_inspection=OuterRef("inspection_id"))
        .order_by()
        .values("sign_inspection")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return schools.annotate(
        inspection_id=Subquery(done.values("pk")[:1]),
        inspected=Exists(done),
    ).annotate(gap_count=Subquery(opened))


def coverage_counts(schools: QuerySet[School], year: int) -> tuple[int, int]:
    """(schools inspected, schools) for the summer of `year`."""
    rows = with_inspection(schools, year).aggregate(
        done=Count("pk", filter=Q(inspected=True)), total=Count("pk")
    )
    return rows["done"] or 0, rows["total"] or 0


def gap_rows(inspection: SignInspection) -> list[tuple[SignInspectionItem, list[str]]]:
    """The items with the labels of their gaps, for the inspection's page."""
    labels = dict(Equipment.choices)
    items = (
        SignInspectionItem.objects.filter(inspection=inspection)
        .select_related("water__village")
        .order_by("water__village__code", "water__name", "pk")
    )
    return [(item, [str(labels[name]) for name in item.gaps]) for item in items]


def items_by_water(inspection: SignInspection | None, waters: list[int]) -> dict[int, Any]:
    if inspection is None or inspection.pk is None:
        return {}
    found: dict[int, Any] = defaultdict(dict)
    for item in SignInspectionItem.objects.filter(inspection=inspection, water_id__in=waters):
        found[item.water_id] = item
    return dict(found)


__all__ = [
    "Gap",
    "catchment_waters",
    "coverage_counts",
    "field_name",
    "gap_rows",
    "gaps_of",
    "items_by_water",
    "mark_gaps",
    "not_inspected",
    "report_document",
    "sign_inspection_of",
    "sign_inspection_save",
    "sign_inspection_submit",
    "sign_report_download",
    "township_names",
    "with_inspection",
]
