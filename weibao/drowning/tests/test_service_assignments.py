"""Named responsibility: a child assigned once a season (a second time is a clear error), the
assignee in the actor's reach, contacts dated and not in the future; the children without
anyone (aged 3-15 or left behind) and the assignees silent for CONTACT_DAYS."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from weibao.accounts.models import Role
from weibao.drowning import services
from weibao.drowning.models import Assignment, Contact
from weibao.drowning.tests.conftest import make_pupil
from weibao.people.models import LeftBehindStatus, Person
from weibao.testing import make_user


def _assign(actor, child, assignee, **extra):
    data = {"child": child, "assignee": assignee, "year": 2026, "season": "summer", **extra}
    return services.assignment_create(actor=actor, data=data)


def test_assigned_twice_in_a_season_is_refused(assignment, liaison_a, pupils, county) -> None:
    other = make_user("teacher_b", county.school_a, Role.CASE_WORKER, full_name="王老师")
    with pytest.raises(ValidationError) as caught:
        _assign(liaison_a, pupils[0], other)
    assert caught.value.message_dict["child"] == [
        "This child is already assigned to 李老师 for the summer holiday of 2026: a child has "
        "one named official a season."
    ]
    assert Assignment.objects.count() == 1
    _assign(liaison_a, pupils[0], other, season="winter")  # another season is another matter
    assert Assignment.objects.count() == 2


def test_assignee_out_of_reach_is_refused(liaison_a, pupils, police, township_b_worker) -> None:
    for user in (police, township_b_worker):
        with pytest.raises(ValidationError) as caught:
            _assign(liaison_a, pupils[0], user)
        assert "assignee" in caught.value.message_dict
    assert not Assignment.objects.exists()


def test_township_assigns_its_residents(township_worker, teacher_a, pupils) -> None:
    assert _assign(township_worker, pupils[1], teacher_a).child == pupils[1]


def test_child_outside_scope_refused(liaison_b, pupils, teacher_a) -> None:
    with pytest.raises(PermissionDenied):
        _assign(liaison_b, pupils[0], teacher_a)


def test_contact_dates(assignment, teacher_a) -> None:
    with pytest.raises(ValidationError) as caught:
        services.contact_log(
            actor=teacher_a, assignment=assignment, data={"contacted_on": date(2026, 7, 16),
                                                          "way": "phone"},
        )  # fmt: skip
    assert caught.value.message_dict["contacted_on"] == ["The contact cannot be in the future."]
    with pytest.raises(ValidationError) as caught:
        services.contact_log(actor=teacher_a, assignment=assignment, data={"way": "phone"})
    assert caught.value.message_dict["contacted_on"] == ["Give the date of the contact."]
    services.contact_log(
        actor=teacher_a, assignment=assignment,
        data={"contacted_on": date(2026, 7, 14), "way": "visit", "note": "家访"},
    )  # fmt: skip
    assert Contact.objects.get().way == "visit"


def test_unassigned_ages_and_left_behind(assignment, pupils, county) -> None:
    toddler = make_pupil(county, "小小", date(2024, 1, 1), 20, school=None)  # 2
    three = make_pupil(county, "三岁", date(2023, 7, 15), 21, school=None)  # 3 today
    older = make_pupil(county, "大哥", date(2010, 7, 15), 22)  # 16 today
    left = make_pupil(county, "留守", date(2009, 9, 1), 23)  # 16, left behind
    LeftBehindStatus.objects.create(child=left, parents_away="both")
    found = set(
        services.unassigned(Person.objects.all(), 2026, "summer", date(2026, 7, 15)).values_list(
            "pk", flat=True
        )
    )
    assert found == {pupils[1].pk, pupils[2].pk, three.pk, left.pk}
    assert toddler.pk not in found and older.pk not in found


def test_silent_assignees(assignment, teacher_a, liaison_a, pupils) -> None:
    today = date(2026, 7, 15)
    assignments = Assignment.objects.all()
    assert not services.silent_assignees(assignments, today).exists()  # assigned today
    with time_machine.travel(today + timedelta(days=15)):
        later = today + timedelta(days=15)
        rows = list(services.silent_assignees(assignments, later))
        assert [(r["assignee"], r["children"], r["last_contact"]) for r in rows] == [
            (teacher_a.pk, 1, None)
        ]
        services.contact_log(
            actor=teacher_a, assignment=assignment,
            data={"contacted_on": later - timedelta(days=2), "way": "phone"},
        )  # fmt: skip
        assert not services.silent_assignees(assignments, later).exists()
    assert services.silent_assignees(assignments, today + timedelta(days=40), days=14).exists()
