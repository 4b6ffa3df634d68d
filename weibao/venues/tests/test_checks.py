"""The distance check: idempotent; a school that moves, opens or closes re-checked through its
queued task; a rule change (never an edit: close and open) re-checks every venue as a job; the
national rule only stricter; a county rule ended closes its violations."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from weibao.core import jobs
from weibao.core.models import Job
from weibao.schools.models import School
from weibao.venues import services, tasks
from weibao.venues.models import DistanceRule, Venue, Violation
from weibao.venues.tests.conftest import north_of_a


def _run_jobs() -> None:
    for job in Job.objects.filter(status=Job.Status.QUEUED):
        jobs.execute(str(job.pk))


def test_recheck_is_idempotent(cafe) -> None:
    outcome = services.recheck()
    assert (outcome.opened, outcome.closed, outcome.updated) == (0, 0, 0)
    assert outcome.checked == 1
    assert Violation.objects.count() == 1


def test_recheck_repairs_a_lost_violation(cafe) -> None:
    Violation.objects.all().delete()
    assert services.recheck().opened == 1


def test_a_school_saved_queues_its_recheck(
    cafe, school_a, django_capture_on_commit_callbacks, immediate_tasks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        school_a.latitude = Decimal("27.450000")  # moved 2 km away
        school_a.save()
    assert Violation.objects.get().close_reason == "cleared"
    with django_capture_on_commit_callbacks(execute=True):
        school_a.latitude = Decimal("27.430000")
        school_a.save()
    assert Violation.objects.open().count() == 1


def test_a_closed_school_protects_nothing(cafe, school_a) -> None:
    School.objects.filter(pk=school_a.pk).update(closed_on=timezone.localdate())
    tasks.recheck_school.call(school_a.pk)
    assert not Violation.objects.open().exists()


def test_a_new_school_finds_the_cafe_next_door(county, cafe, school_a) -> None:
    Violation.objects.all().delete()
    school_a.delete()
    new = School.objects.create(
        organisation=county.school_a,
        kind="junior",
        latitude=Decimal(north_of_a(100)),
        longitude=Decimal("115.830000"),
    )
    tasks.recheck_school.call(new.pk)
    assert Violation.objects.get().school == new


def test_rule_set_closes_and_opens_and_rechecks(coordinator, cafe) -> None:
    national = DistanceRule.objects.get(kind="V01")
    with pytest.raises(ValidationError) as caught:
        services.rule_set(
            actor=coordinator,
            data={
                "kind": "V01",
                "school_kinds": ["primary", "junior", "senior", "nine_year"],
                "metres": 100,
                "basis": "县通知",
            },
        )
    assert "stricter, not looser" in caught.value.message_dict["metres"][0]
    rule, job = services.rule_set(
        actor=coordinator,
        data={
            "kind": "V01",
            "school_kinds": ["primary", "junior", "senior", "nine_year", "kindergarten"],
            "metres": 300,
            "basis": "县人民政府通告",
        },
    )
    national.refresh_from_db()
    assert national.valid_to == timezone.localdate()
    assert rule.valid_from == timezone.localdate() and rule.valid_to is None
    assert list(DistanceRule.objects.in_force()) == [rule]
    assert job.kind == services.RECHECK_JOB
    _run_jobs()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.message
    violation = Violation.objects.open().get()
    assert violation.rule == rule  # still inside: the same violation, under the new rule


def test_a_county_tobacco_rule(coordinator, make_venue) -> None:
    shop = make_venue(kind=Venue.Kind.TOBACCO, name="烟酒店", latitude=north_of_a(40))
    assert not Violation.objects.exists()  # no tobacco rule yet
    rule, _job = services.rule_set(
        actor=coordinator,
        data={
            "kind": "V07",
            "school_kinds": ["primary", "junior"],
            "metres": 50,
            "basis": "吉安县通告",
        },
    )
    _run_jobs()
    violation = Violation.objects.open().get()
    assert violation.venue == shop and violation.rule == rule
    services.rule_end(actor=coordinator, rule=rule)
    _run_jobs()
    assert Violation.objects.get().close_reason == "rule_ended"
    with pytest.raises(ValidationError):
        services.rule_end(actor=coordinator, rule=rule)


def test_the_national_rule_cannot_be_ended(coordinator, cafe) -> None:
    with pytest.raises(ValidationError):
        services.rule_end(actor=coordinator, rule=DistanceRule.objects.get(kind="V01"))


def test_rule_input_errors(coordinator) -> None:
    with pytest.raises(ValidationError) as caught:
        services.rule_set(
            actor=coordinator, data={"kind": "V99", "school_kinds": [], "metres": 0, "basis": ""}
        )
    assert {"kind", "school_kinds", "metres", "basis"} <= set(caught.value.message_dict)


def test_the_national_rule_is_seeded(db: None) -> None:
    rule = DistanceRule.objects.get(kind="V01")
    assert rule.national and rule.metres == 200
    assert set(rule.school_kinds) == {"primary", "junior", "senior", "nine_year"}
