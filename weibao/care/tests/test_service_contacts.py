"""Parent-child contacts (moving the register's last contact forward through people's service)
and children in difficulty."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from weibao.accounts.models import User
from weibao.audit.models import AuditEvent
from weibao.care import services
from weibao.care.models import CareWarning, Contact, Difficulty
from weibao.people.models import LeftBehindStatus, Person
from weibao.people.services import left_behind_contacted
from weibao.testing import County

pytestmark = pytest.mark.django_db


def contact_data(**extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "contacted_on": date(2026, 9, 13),
        "by_whom": " 母亲 ",
        "means": Contact.Means.VIDEO,
    }
    data.update(extra)
    return data


def last_contact(child: Person) -> date | None:
    return LeftBehindStatus.objects.get(child=child).last_contact_date


def test_a_contact_moves_the_last_contact_forward(child_a: Person, director: User) -> None:
    contact = services.contact_record(actor=director, child=child_a, data=contact_data())
    assert contact.by_whom == "母亲" and contact.recorded_by == director
    assert last_contact(child_a) == date(2026, 9, 13)
    # An older contact recorded late does not move it back.
    services.contact_record(
        actor=director, child=child_a, data=contact_data(contacted_on=date(2026, 9, 1))
    )
    assert last_contact(child_a) == date(2026, 9, 13)
    assert Contact.objects.filter(child=child_a).count() == 2
    event = AuditEvent.objects.filter(target_id=str(child_a.pk)).latest("pk")
    assert event.detail["operation"] == "care_contact_record"


def test_left_behind_contacted_writes_nothing_without_a_status(
    county: County, make_child: Callable[..., Person]
) -> None:
    child = make_child(county.village_a, left_behind=False)
    assert not left_behind_contacted(child=child, on=date(2026, 9, 1))
    assert not LeftBehindStatus.objects.filter(child=child).exists()


def test_a_recent_contact_closes_the_overdue_warning(
    child_a: Person, director: User, supervisor: User
) -> None:
    warning = services.warning_raise(
        actor=supervisor, child=child_a, reason=CareWarning.Reason.CONTACT_OVERDUE
    )
    other = services.warning_raise(
        actor=supervisor, child=child_a, reason=CareWarning.Reason.CHILD_ALONE
    )
    services.contact_record(
        actor=director, child=child_a, data=contact_data(contacted_on=date(2026, 9, 1))
    )
    warning.refresh_from_db()
    assert warning.is_open  # two weeks ago: still overdue
    services.contact_record(actor=director, child=child_a, data=contact_data())
    warning.refresh_from_db()
    other.refresh_from_db()
    assert not warning.is_open and warning.closed_by == director
    assert "2026-09-13" in warning.close_reason
    assert other.is_open


@pytest.mark.parametrize(
    ("extra", "field", "code"),
    [
        ({"contacted_on": date(2026, 9, 16)}, "contacted_on", "future"),
        ({"contacted_on": None}, "contacted_on", "required"),
        ({"by_whom": "  "}, "by_whom", "required"),
        ({"means": "letter"}, "means", "invalid_choice"),
    ],
)
def test_bad_contacts_are_refused(
    child_a: Person, director: User, extra: dict[str, Any], field: str, code: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        services.contact_record(actor=director, child=child_a, data=contact_data(**extra))
    assert caught.value.error_dict[field][0].code == code
    assert not Contact.objects.exists()
    assert last_contact(child_a) is None


def test_a_child_off_the_register_has_no_contacts_here(
    county: County, make_child: Callable[..., Person], director: User
) -> None:
    child = make_child(county.village_a, left_behind=False)
    with pytest.raises(ValidationError) as caught:
        services.contact_record(actor=director, child=child, data=contact_data())
    assert caught.value.error_dict["child"][0].code == "register"


def test_recording_and_ending_a_difficulty(child_a: Person, director: User) -> None:
    found = services.difficulty_record(
        actor=director,
        child=child_a,
        data={"category": Difficulty.Category.ILLNESS_DISABILITY, "since": date(2026, 5, 1)},
    )
    assert found.recorded_by == director and found.ended_on is None
    with pytest.raises(ValidationError) as caught:
        services.difficulty_record(
            actor=director,
            child=child_a,
            data={"category": Difficulty.Category.ILLNESS_DISABILITY, "since": date(2026, 6, 1)},
        )
    assert caught.value.error_dict["category"][0].code == "duplicate"
    with pytest.raises(ValidationError) as caught:
        services.difficulty_end(actor=director, difficulty=found, on=date(2026, 4, 1))
    assert caught.value.error_dict["ended_on"][0].code == "order"
    services.difficulty_end(actor=director, difficulty=found)
    found.refresh_from_db()
    assert found.ended_on == date(2026, 9, 15)
    with pytest.raises(ValidationError):
        services.difficulty_end(actor=director, difficulty=found)
    assert not Difficulty.objects.current().exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"category": "", "since": date(2026, 5, 1)}, "category"),
        ({"category": "lonely", "since": date(2026, 5, 1)}, "category"),
        ({"category": Difficulty.Category.HARDSHIP, "since": date(2026, 9, 16)}, "since"),
        ({"category": Difficulty.Category.HARDSHIP}, "since"),
    ],
)
def test_bad_difficulties_are_refused(
    child_a: Person, director: User, data: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        services.difficulty_record(actor=director, child=child_a, data=data)
    assert field in caught.value.error_dict
    assert not Difficulty.objects.exists()
