"""The appointment list: scope, filters, the below-minimum filter, query count."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from weibao.legalvp import services

URL = reverse("legalvp:list")


def test_bureau_sees_all_with_hours(client_for, bureau, appointment, school_a) -> None:
    services.duty_record_add(
        actor=bureau,
        appointment=appointment,
        data={
            "school": school_a,
            "kind": "FD1",
            "hours": Decimal("1.5"),
            "date": timezone.localdate(),
        },
    )
    response = client_for(bureau).get(URL)
    assert response.status_code == 200
    text = response.content.decode()
    assert "王正义" in text and "鳌溪镇中心小学" in text and "1.5" in text
    assert "below four" in text


def test_below_filter(client_for, bureau, make_appointment, school_a, school_b) -> None:
    below = make_appointment([school_a], seq=1, name="甲检察")
    done = make_appointment([school_b], seq=2, name="乙检察")
    for _ in range(2):
        services.duty_record_add(
            actor=bureau,
            appointment=done,
            data={
                "school": school_b,
                "kind": "FD1",
                "hours": Decimal(2),
                "date": timezone.localdate(),
            },
        )
    text = client_for(bureau).get(URL, {"below": "on"}).content.decode()
    assert below.person.name in text
    assert done.person.name not in text


def test_other_school_does_not_see_it(client_for, liaison_b, appointment) -> None:
    response = client_for(liaison_b).get(URL)
    assert response.status_code == 200
    assert "王正义" not in response.content.decode()


def test_not_allowed(client_for, outsider, sysadmin, auditor, appointment) -> None:
    for user in (outsider, sysadmin, auditor):
        assert client_for(user).get(URL).status_code == 403


def test_anonymous_is_sent_to_login(client) -> None:
    assert client.get(URL).status_code == 302


def test_query_count_does_not_grow(
    client_for, bureau, make_appointment, make_school, django_assert_max_num_queries
) -> None:
    client = client_for(bureau)
    make_appointment([make_school("一小"), make_school("二小")], seq=1)
    with django_assert_max_num_queries(20) as few:
        client.get(URL)
    for i in range(2, 8):
        make_appointment([make_school(f"校{i}")], seq=i, name=f"检察{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(URL)
