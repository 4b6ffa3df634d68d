"""The schools' summer sign inspection: a school's draft kept page by page, one a summer; the
submission opens a rectification per gap through the patrols' path (one open item per water and
item) and tells the township once, listing the gaps; bad input is refused by field; the written
report, the coverage, the indicator and the waiting line."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone
from docx import Document

from weibao.core.contract import Period
from weibao.core.models import Notification
from weibao.drowning import services
from weibao.drowning.indicators import SIGN_INSPECTION_COVERAGE
from weibao.drowning.models import Rectification, SignInspection, SignInspectionItem
from weibao.drowning.services import signs
from weibao.drowning.waiting import sign_inspection_waiting
from weibao.schools.models import School

HEADER = {"year": 2026, "inspected_on": date(2026, 7, 10), "inspected_by": "王老师、李老师"}


def row(water, **states):
    base = {"sign_state": "ok", "pole_state": "ok", "rope_state": "ok", "ring_state": "ok"}
    return {"water": water.pk, **base, **states}


@pytest.fixture
def two_waters(make_water):
    """Two waters within 3 km of school A (and far from school B)."""
    return [make_water(), make_water(name="村口塘", latitude="27.435000")]


def test_catchment_lists_the_school_waters(two_waters, school_a, school_b) -> None:
    assert {c.water_id for c in signs.catchment_waters(school_a)} == {w.pk for w in two_waters}
    assert not signs.catchment_waters(school_b).exists()


def test_save_then_submit_opens_rectifications(
    two_waters, school_a, liaison_a, township_worker, township_b_worker
) -> None:
    first, second = two_waters
    draft = services.sign_inspection_save(
        actor=liaison_a, school=school_a, data=HEADER,
        items=[row(first, sign_state="missing", ring_state="damaged", note="牌子被风刮倒")],
    )  # fmt: skip
    assert draft.submitted_at is None and draft.season == "summer"
    assert not Rectification.objects.exists()
    # The second page: the same draft, not a second inspection.
    again = services.sign_inspection_save(
        actor=liaison_a, school=school_a, data=HEADER, items=[row(second)]
    )
    assert again.pk == draft.pk and SignInspection.objects.count() == 1
    assert SignInspectionItem.objects.filter(inspection=draft).count() == 2
    opened = services.sign_inspection_submit(actor=liaison_a, inspection=draft)
    assert sorted((r.water_id, r.item, r.state) for r in opened) == [
        (first.pk, "ring", "damaged"),
        (first.pk, "sign", "missing"),
    ]
    for item in opened:
        item.refresh_from_db()
        assert item.sign_inspection_id == draft.pk and item.patrol_id is None
        assert item.township.name == "鳌溪镇"
        assert item.deadline == timezone.localdate() + timedelta(days=7)
    draft.refresh_from_db()
    assert draft.submitted_at is not None
    # The gaps show on the registry until the township closes them.
    first.refresh_from_db()
    assert (first.sign_state, first.ring_state, first.pole_state) == ("missing", "damaged", "ok")
    told = Notification.objects.filter(kind="drowning_sign_inspection")
    assert [n.recipient for n in told] == [township_worker]  # one message, to the township only
    assert "后山塘" in told[0].body and "warning sign (missing)" in told[0].body
    assert "life ring (damaged)" in told[0].body and "村口塘" not in told[0].body


def test_gap_already_open_is_not_doubled(water, school_a, liaison_a, township_worker) -> None:
    services.patrol_record(
        actor=township_worker, water=water,
        data={"patrolled_at": timezone.now() - timedelta(hours=2), "patroller": "张",
              "sign_state": "missing", "pole_state": "ok", "rope_state": "ok",
              "ring_state": "ok", "people_in_water": 0},
    )  # fmt: skip
    draft = services.sign_inspection_save(
        actor=liaison_a, school=school_a, data=HEADER,
        items=[row(water, sign_state="missing", pole_state="missing")],
    )  # fmt: skip
    opened = services.sign_inspection_submit(actor=liaison_a, inspection=draft)
    assert [r.item for r in opened] == ["pole"]
    assert Rectification.objects.open().filter(water=water).count() == 2


def test_no_gap_no_message(water, school_a, liaison_a) -> None:
    draft = services.sign_inspection_save(
        actor=liaison_a, school=school_a, data=HEADER, items=[row(water)]
    )
    assert services.sign_inspection_submit(actor=liaison_a, inspection=draft) == []
    assert not Notification.objects.filter(kind="drowning_sign_inspection").exists()


def test_submit_needs_every_water(two_waters, school_a, liaison_a) -> None:
    draft = services.sign_inspection_save(
        actor=liaison_a, school=school_a, data=HEADER, items=[row(two_waters[0])]
    )
    with pytest.raises(ValidationError) as caught:
        services.sign_inspection_submit(actor=liaison_a, inspection=draft)
    assert "1 waters of the catchment have no state yet" in str(caught.value.message_dict)
    draft.refresh_from_db()
    assert draft.submitted_at is None


def test_second_inspection_in_a_summer_refused(water, school_a, liaison_a) -> None:
    draft = services.sign_inspection_save(
        actor=liaison_a, school=school_a, data=HEADER, items=[row(water)]
    )
    services.sign_inspection_submit(actor=liaison_a, inspection=draft)
    with pytest.raises(ValidationError) as caught:
        services.sign_inspection_save(
            actor=liaison_a, school=school_a, data=HEADER, items=[row(water, sign_state="missing")]
        )
    assert "already reported its sign inspection for the summer of 2026" in str(
        caught.value.message_dict["year"]
    )
    with pytest.raises(ValidationError):
        services.sign_inspection_submit(actor=liaison_a, inspection=draft)
    assert SignInspectionItem.objects.get().sign_state == "ok"
    # Next summer is a new inspection.
    with time_machine.travel(date(2027, 7, 5), tick=False):
        nxt = services.sign_inspection_save(
            actor=liaison_a, school=school_a,
            data={**HEADER, "year": 2027, "inspected_on": date(2027, 7, 4)}, items=[row(water)],
        )  # fmt: skip
    assert nxt.pk != draft.pk


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"inspected_on": date(2026, 7, 16)}, "inspected_on", "cannot be in the future"),
        ({"inspected_on": date(2025, 7, 16)}, "inspected_on", "must fall in 2026"),
        ({"inspected_on": None}, "inspected_on", "Give the day"),
        ({"year": 2027, "inspected_on": date(2026, 7, 1)}, "year", "from 2000 to 2026"),
        ({"inspected_by": "  "}, "inspected_by", "Name who inspected"),
    ],
)
def test_bad_header_refused(water, school_a, liaison_a, change, field, words) -> None:
    with pytest.raises(ValidationError) as caught:
        services.sign_inspection_save(
            actor=liaison_a, school=school_a, data={**HEADER, **change}, items=[row(water)]
        )
    assert words in str(caught.value.message_dict[field])
    assert not SignInspection.objects.exists()


def test_water_outside_the_catchment_refused(water, make_water, county, school_a, liaison_a):
    far = make_water(name="公溪河段", village=county.village_b, latitude="27.700000",
                     longitude="116.100000")  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        services.sign_inspection_save(
            actor=liaison_a, school=school_a, data=HEADER, items=[row(water), row(far)]
        )
    assert f"Water no. {far.pk} is not in this school's catchment" in str(
        caught.value.message_dict["items"]
    )
    assert not SignInspection.objects.exists() and not SignInspectionItem.objects.exists()


def test_bad_state_names_the_water_and_field(water, school_a, liaison_a) -> None:
    with pytest.raises(ValidationError) as caught:
        services.sign_inspection_save(
            actor=liaison_a, school=school_a, data=HEADER, items=[row(water, rope_state="gone")]
        )
    errors = caught.value.message_dict
    assert errors[signs.field_name(water.pk, "rope_state")] == [
        "后山塘: choose the state of the rescue rope."
    ]


def _submitted(water, school_a, liaison_a) -> SignInspection:
    draft = services.sign_inspection_save(
        actor=liaison_a, school=school_a, data={**HEADER, "notes": "请尽快补设"},
        items=[row(water, sign_state="missing", note="牌子倒了")],
    )  # fmt: skip
    services.sign_inspection_submit(actor=liaison_a, inspection=draft)
    draft.refresh_from_db()
    return draft


def test_report_document(water, school_a, liaison_a, township_worker) -> None:
    inspection = _submitted(water, school_a, liaison_a)
    content = services.sign_report_download(actor=township_worker, inspection=inspection)
    text = "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)
    assert "关于2026年暑期学校周边危险水域警示标志排查情况的报告" in text
    assert "鳌溪镇人民政府：" in text
    assert "鳌溪镇鳌溪村后山塘：警示标志缺失。（牌子倒了）" in text
    assert "共排查危险水域1处，其中1处存在问题，共发现问题1项" in text
    assert "7日内完成整改" in text and "其他情况：请尽快补设" in text
    assert "2026年7月15日" in text  # dated the day it was reported


def test_report_of_a_draft_refused(water, school_a, liaison_a) -> None:
    draft = services.sign_inspection_save(
        actor=liaison_a, school=school_a, data=HEADER, items=[row(water)]
    )
    with pytest.raises(ValidationError):
        services.sign_report_download(actor=liaison_a, inspection=draft)


def test_coverage_and_indicator(water, school_a, school_b, liaison_a, county) -> None:
    schools = School.objects.open()
    assert signs.coverage_counts(schools, 2026) == (0, 2)
    draft = services.sign_inspection_save(
        actor=liaison_a, school=school_a, data=HEADER, items=[row(water)]
    )
    assert signs.coverage_counts(schools, 2026) == (0, 2)  # a draft does not count
    services.sign_inspection_submit(actor=liaison_a, inspection=draft)
    assert signs.coverage_counts(schools, 2026) == (1, 2)
    assert signs.coverage_counts(schools, 2025) == (0, 2)
    year = Period(date(2026, 1, 1), date(2027, 1, 1))
    assert SIGN_INSPECTION_COVERAGE.figure(division=None, period=year) == 50
    assert SIGN_INSPECTION_COVERAGE.figure(division=county.township_a, period=year) == 100
    assert SIGN_INSPECTION_COVERAGE.figure(division=county.township_b, period=year) == 0
    earlier = Period(date(2025, 1, 1), date(2026, 1, 1))
    assert SIGN_INSPECTION_COVERAGE.figure(division=None, period=earlier) == 0


def test_waiting_once_summer_began(water, school_a, liaison_a, township_worker) -> None:
    [line] = sign_inspection_waiting(liaison_a)
    assert line.url.endswith("/drowning/signs/inspect/")
    assert sign_inspection_waiting(township_worker) == []
    with time_machine.travel(date(2026, 6, 20), tick=False):
        assert sign_inspection_waiting(liaison_a) == []  # summer not begun
    with time_machine.travel(date(2026, 9, 5), tick=False):
        assert sign_inspection_waiting(liaison_a) == []  # summer over
    _submitted(water, school_a, liaison_a)
    assert sign_inspection_waiting(liaison_a) == []


def test_with_inspection_counts_the_items_opened(water, school_a, school_b, liaison_a) -> None:
    _submitted(water, school_a, liaison_a)
    rows: dict[int, Any] = {s.pk: s for s in signs.with_inspection(School.objects.all(), 2026)}
    assert rows[school_a.pk].inspected and rows[school_a.pk].gap_count == 1
    assert rows[school_a.pk].inspection_id == SignInspection.objects.get().pk
    assert not rows[school_b.pk].inspected and rows[school_b.pk].inspection_id is None
