"""The unit figures against hand-made data."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from weibao.accounts.models import User
from weibao.casework.models import Case
from weibao.education.models import Session
from weibao.mechanisms.models import Attendance, LeadingGroup, Meeting, Task
from weibao.mechanisms.unitfigures import UNIT_FIGURES
from weibao.schools.models import School
from weibao.testing import County
from weibao.venues.models import Inspection, RectificationOrder, Venue


def _task(county: County, deadline: date, **extra: object) -> Task:
    return Task.objects.create(title="任务", owner=county.police_a, deadline=deadline, **extra)


def test_tasks_on_time(county: County, group: LeadingGroup) -> None:
    _task(county, date(2026, 3, 1), state=Task.State.DONE, submitted_on=date(2026, 2, 28))
    _task(county, date(2026, 4, 1), state=Task.State.DONE, submitted_on=date(2026, 4, 2))  # late
    _task(county, date(2026, 5, 1), state=Task.State.OPEN)
    _task(county, date(2026, 6, 1), state=Task.State.SUBMITTED, submitted_on=date(2026, 5, 30))
    _task(
        county, date(2025, 6, 1), state=Task.State.DONE, submitted_on=date(2025, 5, 1)
    )  # other year
    reading = UNIT_FIGURES["tasks_on_time"].value(county.police_a, 2026)
    assert (reading.numerator, reading.denominator, reading.value) == (1, 4, Decimal("25.00"))
    none = UNIT_FIGURES["tasks_on_time"].value(county.school_a, 2026)
    assert (none.denominator, none.value) == (0, None)


def test_meeting_attendance(county: County, group: LeadingGroup) -> None:
    for day, present in (
        (date(2026, 3, 1), True),
        (date(2026, 6, 1), False),
        (date(2026, 8, 1), True),
    ):
        meeting = Meeting.objects.create(
            title="联席会议", held_on=day, convener=county.procuratorate
        )
        Attendance.objects.create(meeting=meeting, unit=county.education, present=present)
    later = Meeting.objects.create(
        title="年底会议", held_on=date(2026, 12, 1), convener=county.procuratorate
    )
    Attendance.objects.create(meeting=later, unit=county.education, present=False)  # not yet held
    reading = UNIT_FIGURES["meeting_attendance"].value(county.education, 2026)
    assert (reading.numerator, reading.denominator, reading.value) == (2, 3, Decimal("66.67"))


def test_law_education_coverage_one_school_reached_one_not(
    county: County, group: LeadingGroup
) -> None:
    school_a = School.objects.create(organisation=county.school_a, kind=School.Kind.PRIMARY)
    School.objects.create(organisation=county.school_b, kind=School.Kind.JUNIOR)
    Session.objects.create(
        school=school_a,
        organiser=county.school_a,
        date=date(2026, 4, 1),
        status=Session.Status.HELD,
        audience=Session.Audience.PUPILS,
        speaker_kind=Session.SpeakerKind.TEACHER,
        pupils_attending=40,
    )
    figure = UNIT_FIGURES["law_education_coverage"]
    readings = figure.values([county.education, county.school_a, county.school_b], 2026)
    bureau = readings[county.education.pk]
    assert (bureau.numerator, bureau.denominator, bureau.value) == (1, 2, Decimal("50.00"))
    assert readings[county.school_a.pk].value == Decimal(100)
    assert readings[county.school_b.pk].value == Decimal(0)
    assert figure.value(county.police_a, 2026).value is None  # no schools: nothing to count
    assert figure.value(county.education, 2025).value == Decimal(0)


def test_every_unit_at_once_in_a_few_queries(county: County, group: LeadingGroup) -> None:
    units = [county.procuratorate, county.education, county.police_a, county.school_a]
    for figure in UNIT_FIGURES.values():
        with CaptureQueriesContext(connection) as queries:
            figure.values(units, 2026)
        assert len(queries) <= 2, figure.code


def test_record_check_compliance_without_staff_is_nothing_to_count(
    county: County, coordinator: User
) -> None:
    reading = UNIT_FIGURES["record_check_compliance"].value(county.school_a, 2026)
    assert (reading.denominator, reading.value) == (0, None)


def test_reports_accepted_on_time_at_the_police_unit(county: County, group: LeadingGroup) -> None:
    """Reports whose acceptance fell due in the year: accepted by the limit / due."""
    due = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)

    def case(accepted: datetime | None, due_at: datetime = due) -> None:
        Case.objects.create(
            police_unit=county.police_a,
            reporting_unit=county.school_a,
            division=county.village_a,
            child_description="约10岁女孩",
            accept_due_at=due_at,
            accepted_at=accepted,
        )

    case(due - timedelta(hours=2))  # on time
    case(due + timedelta(hours=3))  # late
    case(None)  # never accepted
    case(due - timedelta(hours=1), due_at=datetime(2025, 6, 1, tzinfo=UTC))  # another year
    reading = UNIT_FIGURES["reports_accepted_on_time"].value(county.police_a, 2026)
    assert (reading.numerator, reading.denominator, reading.value) == (1, 3, Decimal("33.33"))
    assert UNIT_FIGURES["reports_accepted_on_time"].value(county.education, 2026).value is None


def test_venue_rectification_on_time_of_the_inspecting_unit(
    county: County, group: LeadingGroup
) -> None:
    venue = Venue.objects.create(
        kind=Venue.Kind.INTERNET_CAFE,
        name="星空网咖",
        village=county.village_a,
        latitude=Decimal("27.43"),
        longitude=Decimal("115.83"),
    )

    def order(number: str, deadline: date, closed: datetime | None) -> None:
        inspection = Inspection.objects.create(
            venue=venue,
            inspecting_unit=county.police_a,
            inspected_at=datetime(2026, 1, 5, 2, 0, tzinfo=UTC),
        )
        RectificationOrder.objects.create(
            inspection=inspection,
            venue=venue,
            number=number,
            deadline=deadline,
            state=RectificationOrder.State.RECTIFIED if closed else RectificationOrder.State.OPEN,
            closed_at=closed,
        )

    order("1", date(2026, 2, 1), datetime(2026, 1, 20, 2, 0, tzinfo=UTC))  # on time
    order("2", date(2026, 2, 1), datetime(2026, 2, 10, 2, 0, tzinfo=UTC))  # late
    order("3", date(2026, 2, 1), None)  # still open
    reading = UNIT_FIGURES["venue_rectification_on_time"].value(county.police_a, 2026)
    assert (reading.numerator, reading.denominator) == (1, 3)
