from __future__ import annotations

from weibao.schools.models import LiaisonAppointment, School
from weibao.schools.services import coverage_by_township, uncovered_schools


def _direct_uncovered() -> set[int]:
    covered = LiaisonAppointment.objects.filter(
        ended_on__isnull=True, position=LiaisonAppointment.Position.MAIN
    ).values_list("school_id", flat=True)
    return set(
        School.objects.filter(closed_on__isnull=True)
        .exclude(pk__in=covered)
        .values_list("pk", flat=True)
    )


def test_counts_by_township(county, record_a, record_b, appointed_a) -> None:
    rows, total = coverage_by_township()
    by_code = {row.township.code: row for row in rows if row.township}
    a, b = by_code[county.township_a.code], by_code[county.township_b.code]
    assert (a.total, a.covered, a.uncovered, a.share) == (1, 1, [], 100)
    assert (b.total, b.covered, [s.pk for s in b.uncovered], b.share) == (1, 0, [record_b.pk], 0)
    assert (total.total, total.covered, total.share) == (2, 1, 50)
    assert {s.pk for s in total.uncovered} == _direct_uncovered() == {record_b.pk}
    assert set(uncovered_schools().values_list("pk", flat=True)) == _direct_uncovered()


def test_a_deputy_alone_does_not_cover(county, record_a, liaison_a) -> None:
    LiaisonAppointment.objects.create(
        school=record_a, user=liaison_a, position=LiaisonAppointment.Position.DEPUTY
    )
    assert record_a in uncovered_schools()


def test_closed_schools_are_left_out(county, record_a, record_b) -> None:
    record_b.closed_on = record_b.updated_at.date()
    record_b.save()
    _rows, total = coverage_by_township()
    assert total.total == 1
    assert _direct_uncovered() == {record_a.pk}
