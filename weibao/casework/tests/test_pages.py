"""The casework pages no other test opened: each as the right user, and refused to a wrong one;
the remaining list pages' query counts; the indicators and the overdue "waiting" lines."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from weibao.casework import services
from weibao.casework.models import FollowUp, LateReport, Referral, Supervision
from weibao.casework.waiting import waiting
from weibao.core.contract import Period, figure


@pytest.fixture(autouse=True)
def _frozen(time_machine: Any) -> None:
    time_machine.move_to("2025-03-10 10:00 +08:00", tick=False)


@pytest.fixture
def case(nurse, police, file_report):
    return services.case_accept(actor=police, case=file_report(nurse))


@pytest.fixture
def referral(case, police, civil_affairs):
    data = {"case": case, "to_unit": civil_affairs, "action": "relief", "request": "救助"}
    return services.referral_create(actor=police, data=data)[0]


def _order(police, girl):
    return services.guardian_order_issue(
        actor=police,
        data={
            "kind": "admonition",
            "child": girl,
            "guardian_name": "李父",
            "facts": "f",
            "required_actions": "a",
        },
    )


def test_late_report_by_page(case, county, prosecutor, nurse, client_for):
    url = reverse("casework:case_late_report", args=[case.pk])
    data = {"unit": county.school_a.pk, "note": "早已知情未报"}
    assert client_for(nurse).post(url, data).status_code == 403
    assert client_for(prosecutor).post(url, data).status_code == 302
    assert LateReport.objects.filter(case=case, unit=county.school_a).count() == 1
    assert client_for(prosecutor).post(url, {"note": ""}).status_code == 400


def test_supervise_a_report_and_close_it_by_page(case, prosecutor, police, client_for):
    url = reverse("casework:case_supervise", args=[case.pk])
    assert client_for(police).post(url, {"deadline": "2025-04-01"}).status_code == 403
    assert client_for(prosecutor).post(url, {"deadline": "2025-04-01"}).status_code == 302
    item = Supervision.objects.get(case=case)
    close = reverse("casework:supervision_close", args=[item.pk])
    assert client_for(police).post(close).status_code == 404
    assert client_for(prosecutor).post(close, {"closing_note": "办结"}).status_code == 302
    item.refresh_from_db()
    assert item.closed_at is not None and item.closing_note == "办结"


def test_refer_a_report_by_page(case, police, nurse, liaison_a, civil_affairs, client_for):
    url = reverse("casework:case_refer", args=[case.pk])
    assert client_for(liaison_a).get(url).status_code == 404
    assert client_for(nurse).get(url).status_code == 403
    assert client_for(police).get(url).status_code == 200
    data = {"to_unit": civil_affairs.pk, "action": "relief", "request": "请救助"}
    assert client_for(police).post(url, data).status_code == 302
    assert Referral.objects.get().case == case
    assert client_for(police).post(url, {**data, "request": ""}).status_code == 400


def test_decline_a_referral_by_page(referral, relief_worker, police, client_for):
    url = reverse("casework:referral_decline", args=[referral.pk])
    assert client_for(police).post(url, {"decline_reason": "不属职责"}).status_code == 403
    assert client_for(relief_worker).post(url, {"decline_reason": ""}).status_code == 400
    assert client_for(relief_worker).post(url, {"decline_reason": "不属职责"}).status_code == 302
    referral.refresh_from_db()
    assert referral.status == Referral.Status.DECLINED


def test_close_a_referral_by_page(referral, relief_worker, police, client_for):
    services.referral_accept(actor=relief_worker, referral=referral)
    url = reverse("casework:referral_close", args=[referral.pk])
    assert client_for(police).post(url, {"outcome": "已救助"}).status_code == 403
    assert client_for(relief_worker).post(url, {"outcome": ""}).status_code == 400
    assert client_for(relief_worker).post(url, {"outcome": "已救助"}).status_code == 302
    referral.refresh_from_db()
    assert referral.status == Referral.Status.CLOSED


def test_supervise_a_referral_by_page(referral, prosecutor, relief_worker, client_for):
    url = reverse("casework:referral_supervise", args=[referral.pk])
    assert client_for(relief_worker).post(url, {"deadline": "2025-04-01"}).status_code == 403
    assert client_for(prosecutor).post(url, {"deadline": "2025-04-01"}).status_code == 302
    assert Supervision.objects.filter(referral=referral).exists()


def test_suggestion_list_and_detail(county, prosecutor, liaison_a, liaison_b, client_for):
    s = services.suggestion_issue(
        actor=prosecutor,
        data={"unit": county.school_a, "problem": "p", "suggestion": "s", "legal_basis": "b"},
    )
    url = reverse("casework:suggestion_list")
    assert s.number in client_for(liaison_a).get(url).content.decode()
    assert s.number not in client_for(liaison_b).get(url).content.decode()
    detail = reverse("casework:suggestion_detail", args=[s.pk])
    assert client_for(liaison_a).get(detail).status_code == 200
    assert client_for(liaison_b).get(detail).status_code == 404


def test_order_create_detail_and_followup_by_page(county, police, liaison_a, girl, client_for):
    url = reverse("casework:order_create")
    assert client_for(liaison_a).get(url).status_code == 403
    assert client_for(police).get(url).status_code == 200
    order = _order(police, girl)
    detail = reverse("casework:order_detail", args=[order.pk])
    assert client_for(police).get(detail).status_code == 200
    assert client_for(liaison_a).get(detail).status_code == 403
    followup = order.followups.first()
    assert followup is not None
    visit = reverse("casework:followup", args=[order.pk, followup.pk])
    data = {"done_on": "2025-03-10", "outcome": "监护已改善", "compliance": "complied"}
    assert client_for(liaison_a).post(visit, data).status_code == 404
    assert client_for(police).post(visit, {"outcome": ""}).status_code == 400
    assert client_for(police).post(visit, data).status_code == 302
    followup.refresh_from_db()
    assert followup.done_on == date(2025, 3, 10)
    other = reverse("casework:followup", args=[order.pk, 999999])
    assert client_for(police).post(other, data).status_code == 404


def _grows_not(client, url, add, django_assert_max_num_queries) -> None:
    add()
    client.get(url)
    with django_assert_max_num_queries(40) as few:
        assert client.get(url).status_code == 200
    for _ in range(5):
        add()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_suggestion_list_query_count(county, prosecutor, client_for, django_assert_max_num_queries):
    data = {"unit": county.school_a, "problem": "p", "suggestion": "s", "legal_basis": "b"}
    _grows_not(
        client_for(prosecutor),
        reverse("casework:suggestion_list"),
        lambda: services.suggestion_issue(actor=prosecutor, data=data),
        django_assert_max_num_queries,
    )


def test_order_list_query_count(police, girl, client_for, django_assert_max_num_queries):
    _grows_not(
        client_for(police),
        reverse("casework:order_list"),
        lambda: _order(police, girl),
        django_assert_max_num_queries,
    )


def test_supervision_list_query_count(
    case, referral, prosecutor, client_for, django_assert_max_num_queries
):
    def add() -> None:
        services.supervision_open(
            actor=prosecutor, data={"case": case, "deadline": date(2025, 4, 1)}
        )
        services.supervision_open(
            actor=prosecutor, data={"referral": referral, "deadline": date(2025, 4, 1)}
        )

    _grows_not(
        client_for(prosecutor),
        reverse("casework:supervision_list"),
        add,
        django_assert_max_num_queries,
    )


def test_indicators_count_the_period_and_the_division(
    county, nurse, police, prosecutor, girl, file_report
):
    case = file_report(nurse)
    file_report(nurse, division=county.township_b)
    services.late_report_record(
        actor=prosecutor, case=case, data={"unit": county.school_a, "note": "n"}
    )
    _order(police, girl)
    year, last_year = Period.year(2025), Period.year(2024)
    assert figure("casework.mandatory_reports", division=None, period=year) == 2
    assert figure("casework.mandatory_reports", division=county.township_a, period=year) == 1
    assert figure("casework.mandatory_reports", division=None, period=last_year) == 0
    assert figure("casework.late_reports", division=None, period=year) == 1
    assert figure("casework.late_reports", division=county.township_b, period=year) == 0
    assert figure("casework.guardian_orders", division=None, period=year) == 1
    assert figure("casework.guardian_orders", division=county.township_b, period=year) == 0
    assert figure("casework.guardian_orders", division=None, period=last_year) == 0


def test_overdue_waiting_lines_are_marked(nurse, police, file_report, time_machine):
    file_report(nurse)
    time_machine.move_to("2025-03-12 10:00 +08:00", tick=False)
    items = {item.label: item for item in waiting(police)}
    assert items["Overdue: reports to accept"].count == 1
    assert items["Overdue: reports to accept"].overdue
    assert not items["Reports to accept"].overdue


def test_followups_fall_due_at_the_county_interval(police, girl) -> None:
    order = _order(police, girl)
    assert list(FollowUp.objects.filter(order=order).values_list("due_date", flat=True)) == [
        date(2025, 4, 9),
        date(2025, 5, 9),
        date(2025, 6, 8),
    ]
