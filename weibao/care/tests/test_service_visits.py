"""Home visits, and the warnings an unfit or absent carer raises at once; closing them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from weibao.accounts.models import User
from weibao.audit.models import AuditEvent
from weibao.care import services
from weibao.care.models import CareWarning, Visit
from weibao.core.models import Notification
from weibao.family.models import Volunteer
from weibao.people.models import Person
from weibao.staffchecks.models import CheckItem
from weibao.testing import County

pytestmark = pytest.mark.django_db


def visit_data(**extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "visited_on": date(2026, 9, 14),
        "carer_fit": True,
        "school_findings": "按时上学",
        "health_findings": "良好",
        "safety_findings": "家中无安全隐患",
        "needs": "",
        "next_due": date(2026, 10, 14),
    }
    data.update(extra)
    return data


def test_a_director_records_a_visit(child_a: Person, director: User, supervisor: User) -> None:
    visit = services.visit_record(actor=director, child=child_a, data=visit_data())
    assert visit.visitor == director and visit.carer_fit and visit.concern == ""
    assert visit.safety_findings == "家中无安全隐患"
    assert not CareWarning.objects.exists()
    assert not Notification.objects.exists()
    event = AuditEvent.objects.get(action=AuditEvent.Action.CREATE, target_id=str(child_a.pk))
    assert event.detail["operation"] == "care_visit_record"


def test_an_unfit_carer_raises_a_warning_to_township_and_village(
    child_a: Person, director: User, supervisor: User, civil: User
) -> None:
    visit = services.visit_record(
        actor=civil, child=child_a, data=visit_data(carer_fit=False, needs="申请临时救助")
    )
    assert visit.concern == Visit.Concern.CARER_UNFIT
    warning = CareWarning.objects.get()
    assert warning.child == child_a and warning.visit == visit and warning.is_open
    assert warning.reason == CareWarning.Reason.CARER_UNFIT and warning.raised_by == civil
    notes = Notification.objects.filter(kind="care_warning")
    assert {n.recipient for n in notes} == {director, supervisor}
    note = notes.first()
    assert note is not None
    assert child_a.name not in str(note.title) + str(note.body)
    assert note.link == f"/people/{child_a.pk}/"


def test_the_warning_says_what_the_visit_found(
    child_a: Person, director: User, supervisor: User
) -> None:
    services.visit_record(
        actor=director,
        child=child_a,
        data=visit_data(carer_fit=False, concern=Visit.Concern.CHILD_ALONE),
    )
    warning = CareWarning.objects.get()
    assert warning.reason == CareWarning.Reason.CHILD_ALONE
    # The director who found it is not told what they know; the supervisor is.
    assert {n.recipient for n in Notification.objects.all()} == {supervisor}


def test_a_second_unfit_visit_keeps_the_open_warning(
    child_a: Person, director: User, supervisor: User
) -> None:
    for day in (date(2026, 9, 10), date(2026, 9, 14)):
        services.visit_record(
            actor=director, child=child_a, data=visit_data(visited_on=day, carer_fit=False)
        )
    assert CareWarning.objects.count() == 1
    assert Notification.objects.count() == 1


def test_a_child_in_township_b_warns_nobody_of_township_a(
    child_b: Person, director: User, supervisor: User, civil: User
) -> None:
    services.visit_record(actor=civil, child=child_b, data=visit_data(carer_fit=False))
    assert CareWarning.objects.filter(child=child_b).exists()
    assert not Notification.objects.exists()


def test_a_visit_in_the_future_is_refused(child_a: Person, director: User) -> None:
    with pytest.raises(ValidationError) as caught:
        services.visit_record(
            actor=director, child=child_a, data=visit_data(visited_on=date(2026, 9, 16))
        )
    assert caught.value.error_dict["visited_on"][0].code == "future"
    assert not Visit.objects.exists()


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"visited_on": None}, "visited_on"),
        ({"next_due": date(2026, 9, 14)}, "next_due"),
        ({"concern": Visit.Concern.CHILD_ALONE}, "concern"),
        ({"carer_fit": False, "concern": "nonsense"}, "concern"),
    ],
)
def test_bad_visits_are_refused(
    child_a: Person, director: User, extra: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        services.visit_record(actor=director, child=child_a, data=visit_data(**extra))
    assert field in caught.value.error_dict
    assert not Visit.objects.exists() and not CareWarning.objects.exists()


def test_an_adult_is_not_visited_here(
    county: County, make_child: Callable[..., Person], civil: User
) -> None:
    adult = make_child(county.village_a, left_behind=False, born=date(2000, 1, 1))
    with pytest.raises(ValidationError) as caught:
        services.visit_record(actor=civil, child=adult, data=visit_data())
    assert caught.value.error_dict["child"][0].code == "not_minor"


def test_a_cleared_volunteer_may_go(
    child_a: Person, director: User, make_volunteer: Callable[..., Volunteer]
) -> None:
    volunteer = make_volunteer()
    visit = services.visit_record(
        actor=director, child=child_a, data=visit_data(volunteer=volunteer)
    )
    assert visit.volunteer == volunteer


@pytest.mark.parametrize(
    ("checked", "days_ago"),
    [(None, 10), (CheckItem.Result.BARRED, 10), (CheckItem.Result.CLEAR, 400)],
)
def test_a_volunteer_without_a_clear_check_may_not_go(
    child_a: Person,
    director: User,
    make_volunteer: Callable[..., Volunteer],
    checked: str | None,
    days_ago: int,
) -> None:
    volunteer = make_volunteer(checked, days_ago=days_ago)
    with pytest.raises(ValidationError) as caught:
        services.visit_record(actor=director, child=child_a, data=visit_data(volunteer=volunteer))
    assert caught.value.error_dict["volunteer"][0].code == "not_cleared"
    assert not Visit.objects.exists()


def test_a_volunteer_who_left_may_not_go(
    child_a: Person, director: User, make_volunteer: Callable[..., Volunteer]
) -> None:
    volunteer = make_volunteer()
    Volunteer.objects.filter(pk=volunteer.pk).update(status=Volunteer.Status.LEFT)
    volunteer.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        services.visit_record(actor=director, child=child_a, data=visit_data(volunteer=volunteer))
    assert caught.value.error_dict["volunteer"][0].code == "inactive"


def test_raising_a_warning_by_hand(child_a: Person, director: User, supervisor: User) -> None:
    warning = services.warning_raise(
        actor=supervisor, child=child_a, reason=CareWarning.Reason.CARER_DISQUALIFIED
    )
    assert warning.is_open and warning.visit is None
    assert {n.recipient for n in Notification.objects.all()} == {director}
    again = services.warning_raise(
        actor=supervisor, child=child_a, reason=CareWarning.Reason.CARER_DISQUALIFIED
    )
    assert again == warning
    with pytest.raises(ValidationError):
        services.warning_raise(actor=supervisor, child=child_a, reason="bored")


def test_closing_a_warning(child_a: Person, director: User) -> None:
    services.visit_record(actor=director, child=child_a, data=visit_data(carer_fit=False))
    warning = CareWarning.objects.get()
    closed = services.warning_close(actor=director, warning=warning, reason="  已更换委托照护人 ")
    warning.refresh_from_db()
    assert not warning.is_open and warning.closed_at == timezone.now()
    assert warning.closed_by == director and warning.close_reason == "已更换委托照护人"
    assert closed.closed_at == warning.closed_at
    with pytest.raises(ValidationError) as caught:
        services.warning_close(actor=director, warning=warning, reason="再次关闭预警")
    assert caught.value.code == "closed"


def test_a_warning_closes_with_a_reason(child_a: Person, director: User) -> None:
    services.visit_record(actor=director, child=child_a, data=visit_data(carer_fit=False))
    warning = CareWarning.objects.get()
    with pytest.raises(ValidationError) as caught:
        services.warning_close(actor=director, warning=warning, reason=" 好 ")
    assert "close_reason" in caught.value.error_dict
    warning.refresh_from_db()
    assert warning.is_open
